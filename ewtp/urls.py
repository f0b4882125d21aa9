from csp.decorators import csp_update
from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from ewtp.api import page_not_found, server_error
from ewtp.auth_api import LogoutView
from ewtp.health import healthz
from ewtp.media import serve_media
from marketplace.urls import account_urlpatterns

handler404 = page_not_found  # JSON under /api/, the site's 404 page elsewhere
handler500 = server_error  # likewise

# Swagger UI with its start-up script served as a file (the split view), so the docs need no
# inline script. What the page does need beyond the site's policy: the inline <style> of
# drf-spectacular's template and the styles Swagger UI sets, and its data: URI icons.
api_docs = csp_update({"style-src": ["'unsafe-inline'"], "img-src": ["data:"]})(
    SpectacularSwaggerSplitView.as_view(url_name="api-schema")
)

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", api_docs, name="api-docs"),
    path("api/v1/auth/logout/", LogoutView.as_view(), name="api-logout"),
    path("api/v1/", include("marketplace.api.urls")),
    path("api/v1/", include("logistics.api.urls")),
    path("accounts/", include(account_urlpatterns)),
    path("", include("logistics.urls")),
    path("", include("marketplace.urls")),
]

if settings.EWTP_SERVE_MEDIA:
    urlpatterns += [re_path(rf"^{settings.MEDIA_URL.lstrip('/')}(?P<path>.*)$", serve_media)]
