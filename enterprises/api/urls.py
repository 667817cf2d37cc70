"""Endpoints of the enterprises app under ``/api/v1/`` (included before the patents
router, so that ``ipc/suggest/`` is not read as an IPC symbol)."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from enterprises.api.matching_views import SimilarPatentsView, SuggestIpcView
from enterprises.api.saved_search_views import SavedSearchViewSet
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
router.register("saved-searches", SavedSearchViewSet, basename="saved-search")

urlpatterns = [
    path("ipc/suggest/", SuggestIpcView.as_view(), name="ipc-suggest"),
    path("patents/<int:pk>/similar/", SimilarPatentsView.as_view(), name="patent-similar"),
    *router.urls,
]
