"""Everything under ``/api/v1/``."""

from django.urls import include, path

from conversion_db.api.views import ObtainTokenView

urlpatterns = [
    path("auth/token/", ObtainTokenView.as_view(), name="auth-token"),
    path("", include("enterprises.api.urls")),  # before patents: ipc/suggest/ is no symbol
    path("", include("patents.api.urls")),
    path("", include("notifications.api.urls")),
]
