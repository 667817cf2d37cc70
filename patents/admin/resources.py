"""django-import-export's admin screens over ``patents.imports``: the resources of the
patent, offer, licence, pledge and legal-event admins, thin over the import kinds (the same columns and
rules as the API and the import commands: upsert, all or nothing, batch id)."""

from conversion_db.tabular.resources import KindResource
from patents.imports.events import LegalEventImport
from patents.imports.offers import OfferImport
from patents.imports.patents import PatentImport
from patents.imports.registrations import LicenceImport, PledgeImport
from patents.models import LegalStatusEvent, LicenceRecord, LicensingOffer, Patent, Pledge


class PatentResource(KindResource):
    kind = PatentImport

    class Meta(KindResource.Meta):
        model = Patent


class OfferResource(KindResource):
    """Offers, licence records and pledges: every column is exported (the admin is for
    operators), and rows name their holder."""

    kind = OfferImport

    class Meta(KindResource.Meta):
        model = LicensingOffer


class LicenceResource(KindResource):
    kind = LicenceImport

    class Meta(KindResource.Meta):
        model = LicenceRecord


class PledgeResource(KindResource):
    kind = PledgeImport

    class Meta(KindResource.Meta):
        model = Pledge


class LegalEventResource(KindResource):
    kind = LegalEventImport

    class Meta(KindResource.Meta):
        model = LegalStatusEvent
