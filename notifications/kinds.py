"""The events the product tells someone about: the documented list of notification kinds.

- ``inquiry_received``: the holder asked; about the inquiry (``/api/v1/inquiries/{id}/``);
- ``inquiry_replied``, ``inquiry_declined`` (with the reason): the enterprise that asked;
  about the inquiry;
- ``inquiry_reminder``: the holder, while an inquiry waits for its answer;
- ``offer_published``, ``offer_returned`` (with the reviewer's note): the offer's holder;
  about the offer (``/api/v1/offers/{id}/``);
- ``saved_search_alert``: the user who saved the search; about what is new
  (``/api/v1/saved-searches/{id}/results/``);
- ``recordation_reminder``: both parties of a deal whose licence is not recorded yet
  (licensor holder and licensee enterprise); about the deal (``/api/v1/deals/{id}/``);
- ``membership_requested``: the holder's admin members (the operators when it has none);
  about the request (``/api/v1/holder-requests/{id}/``);
- ``holder_registered``: the operators, who verify the holder; about its registration;
- ``holder_request_decided`` (approved, or refused with the reason): the person who asked;
  about the request (``accounts.notices``);
- ``file_job_finished``: who asked for a background export or import, when it ends (the
  file is ready, the import's counts, or why it failed); about the job
  (``/api/v1/jobs/{id}/``, ``patents.filejobs.notices``);
- ``coholder_named``: a holder that another holder's member named on patents (co-holder
  or applicant), waiting for its confirmation: its admin members (the operators when it has
  none); about the first holding, with the patents and how to confirm or refuse
  (``patents.register.coholders``).

A holder or an enterprise is told through its contact address and its members
(``notifications.recipients``). A new kind is added here, with its label, and raised with
``notifications.services.notify``; nothing else changes (the API and the admin list it).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    INQUIRY_RECEIVED = "inquiry_received", _("inquiry received")
    INQUIRY_REPLIED = "inquiry_replied", _("inquiry replied")
    INQUIRY_DECLINED = "inquiry_declined", _("inquiry declined")
    INQUIRY_REMINDER = "inquiry_reminder", _("inquiry awaiting an answer")
    OFFER_PUBLISHED = "offer_published", _("offer published")
    OFFER_RETURNED = "offer_returned", _("offer returned for changes")
    SAVED_SEARCH_ALERT = "saved_search_alert", _("new results of a saved search")
    RECORDATION_REMINDER = "recordation_reminder", _("licence recordation due")
    MEMBERSHIP_REQUESTED = "membership_requested", _("request to join a holder")
    HOLDER_REGISTERED = "holder_registered", _("holder waiting for verification")
    HOLDER_REQUEST_DECIDED = "holder_request_decided", _("request to join or register decided")
    FILE_JOB_FINISHED = "file_job_finished", _("background export or import finished")
    COHOLDER_NAMED = "coholder_named", _("named holder of a patent, to confirm")
