from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from ewtp.api import page_not_found
from ewtp.health import healthz
from ewtp.media import serve_media
from marketplace.urls import account_urlpatterns

handler404 = page_not_found  # JSON under /api/, the site's 404 page elsewhere

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("api/v1/", include("marketplace.api.urls")),
    path("api/v1/", include("logistics.api.urls")),
    path("accounts/", include(account_urlpatterns)),
    path("", include("logistics.urls")),
    path("", include("marketplace.urls")),
]

if settings.EWTP_SERVE_MEDIA:
    urlpatterns += [re_path(rf"^{settings.MEDIA_URL.lstrip('/')}(?P<path>.*)$", serve_media)]
