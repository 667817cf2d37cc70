from rest_framework.routers import SimpleRouter

from patents.api.offer_views import OfferViewSet
from patents.api.views import IpcClassViewSet, PatentViewSet, RegionViewSet

router = SimpleRouter()
router.register("ipc", IpcClassViewSet, basename="ipc")
router.register("regions", RegionViewSet, basename="region")
router.register("patents", PatentViewSet, basename="patent")
router.register("offers", OfferViewSet, basename="offer")

urlpatterns = router.urls
