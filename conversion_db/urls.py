"""URL root: API, schema and docs, admin, health check."""

from django.contrib import admin
from django.urls import include, path, re_path
from django.utils.translation import gettext_lazy as _
from django.views.generic import RedirectView
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from conversion_db.api.errors import api_not_found
from conversion_db.health import healthz

admin.site.site_header = _("Patent conversion resource database")
admin.site.site_title = _("Patent conversion resource database")
admin.site.index_title = _("Curation")

urlpatterns = [
    path("", RedirectView.as_view(url="/api/docs/", permanent=False)),
    path("healthz", healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("api/v1/", include("conversion_db.api.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="schema"), name="swagger-ui"),
    # Last: anything else under /api/ is a JSON 404, never an HTML page.
    re_path(r"^api/(?P<path>.*)$", api_not_found),
]

handler400 = "conversion_db.api.errors.bad_request"
handler403 = "conversion_db.api.errors.permission_denied"
handler404 = "conversion_db.api.errors.page_not_found"
handler500 = "conversion_db.api.errors.server_error"
