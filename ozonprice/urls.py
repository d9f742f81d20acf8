from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/", include("catalog.urls")),
    path("api/", include("pricing.urls")),
    # Schema and docs are public (SPECTACULAR_SETTINGS' default SERVE_PERMISSIONS):
    # they hold no secrets, and a browser cannot send X-API-Key to open them.
    # The UI assets come from drf-spectacular-sidecar, so they work offline.
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("api/redoc/", SpectacularRedocView.as_view(url_name="api-schema"), name="api-redoc"),
]
