from rest_framework.routers import SimpleRouter

from patents.api.event_views import LegalEventViewSet
from patents.api.feed_views import OfferFeedViewSet
from patents.api.job_views import FileJobViewSet
from patents.api.offer_views import OfferViewSet
from patents.api.record_views import LicenceViewSet, PledgeViewSet
from patents.api.reference_views import IpcClassViewSet, RegionViewSet
from patents.api.views import PatentViewSet

router = SimpleRouter()
router.register("ipc", IpcClassViewSet, basename="ipc")
router.register("regions", RegionViewSet, basename="region")
router.register("patents", PatentViewSet, basename="patent")
router.register("offers", OfferViewSet, basename="offer")
router.register("licences", LicenceViewSet, basename="licence")
router.register("pledges", PledgeViewSet, basename="pledge")
router.register("legal-events", LegalEventViewSet, basename="legal-event")
router.register("feeds/offers", OfferFeedViewSet, basename="offer-feed")
router.register("jobs", FileJobViewSet, basename="file-job")

urlpatterns = router.urls
