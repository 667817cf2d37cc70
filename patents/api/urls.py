from rest_framework.routers import SimpleRouter

from patents.api.views import IpcClassViewSet, RegionViewSet

router = SimpleRouter()
router.register("ipc", IpcClassViewSet, basename="ipc")
router.register("regions", RegionViewSet, basename="region")

urlpatterns = router.urls
