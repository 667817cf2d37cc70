from rest_framework.routers import SimpleRouter

from enterprises.api.views import (
    DealViewSet,
    DemandViewSet,
    EnterpriseViewSet,
    InquiryViewSet,
    MatchViewSet,
)

router = SimpleRouter()
router.register("enterprises", EnterpriseViewSet, basename="enterprise")
router.register("demands", DemandViewSet, basename="demand")
router.register("matches", MatchViewSet, basename="match")
router.register("inquiries", InquiryViewSet, basename="inquiry")
router.register("deals", DealViewSet, basename="deal")

urlpatterns = router.urls
