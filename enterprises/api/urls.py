"""Endpoints of the enterprises app under ``/api/v1/`` (included before the patents
router, so that ``ipc/suggest/`` is not read as an IPC symbol)."""

from django.urls import path

from enterprises.api.matching_views import SimilarPatentsView, SuggestIpcView

urlpatterns = [
    path("ipc/suggest/", SuggestIpcView.as_view(), name="ipc-suggest"),
    path("patents/<int:pk>/similar/", SimilarPatentsView.as_view(), name="patent-similar"),
]
