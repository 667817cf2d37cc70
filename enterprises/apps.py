from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EnterprisesConfig(AppConfig):
    name = "enterprises"
    verbose_name = _("Enterprise demand")

    def ready(self) -> None:
        from enterprises.selectors import licences_as_licensee
        from patents.licensing.offers import offer_published
        from patents.licensing.selectors import register_licensee_condition

        offer_published.connect(_rematch_on_publish, dispatch_uid="enterprises.rematch")
        # The licensee's members are parties to the licence records of their deals.
        register_licensee_condition(licences_as_licensee)


def _rematch_on_publish(sender: Any, offer: Any, **kwargs: Any) -> None:
    """A newly published offer can enter live demands' matches (DESIGN.md 5): the
    re-matching is a job (``enterprises.tasks.rematch_offer``), deferred once the
    publication has committed, so the operator's request does not wait for it."""
    from enterprises.tasks import rematch_offer

    rematch_offer.defer(offer_id=offer.pk)
