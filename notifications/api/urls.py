"""Endpoints of the notifications app under ``/api/v1/``."""

from rest_framework.routers import SimpleRouter

from notifications.api.views import NotificationViewSet

router = SimpleRouter()
router.register("notifications", NotificationViewSet, basename="notification")

urlpatterns = router.urls
