"""Everything under ``/api/v1/``."""

from django.urls import include, path

urlpatterns = [
    path("", include("accounts.api.urls")),  # auth/, holders/, holder-requests/, invitations/
    path("", include("enterprises.api.urls")),  # before patents: ipc/suggest/ is no symbol
    path("", include("patents.api.urls")),
    path("", include("notifications.api.urls")),
    path("", include("indicators.api.urls")),
]
