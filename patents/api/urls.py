from rest_framework.routers import SimpleRouter

from patents.api.views import IpcClassViewSet, PatentViewSet, RegionViewSet

router = SimpleRouter()
router.register("ipc", IpcClassViewSet, basename="ipc")
router.register("regions", RegionViewSet, basename="region")
router.register("patents", PatentViewSet, basename="patent")

urlpatterns = router.urls
