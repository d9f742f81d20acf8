from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerSplitView

from ozonprice import (
    apis,
    apis_keys,
    converters,  # noqa: F401 - registers <ozon_id:…>
)

urlpatterns = [
    # A person who opens the bare host wants the console.
    path("", RedirectView.as_view(pattern_name="admin:index", permanent=False), name="home"),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),  # the admin's RU/EN switch (set_language)
    path("api/", include("catalog.urls")),
    path("api/", include("pricing.urls")),
    path("api/", include("auditlog.urls")),
    path("api/settings", apis.RuntimeSettingsApi.as_view(), name="api-settings"),
    path("api/settings/generate-secret", apis.GenerateSecretApi.as_view(), name="api-settings-generate-secret"),
    path("api/keys", apis_keys.ApiKeysApi.as_view(), name="api-keys"),
    path("api/keys/<ozon_id:key_id>/revoke", apis_keys.ApiKeyRevokeApi.as_view(), name="api-keys-revoke"),
    path("", include("console.urls")),  # /health and /metrics
    path("api/v1/ozon/", include("imagepush.urls")),
    # Schema and docs are public (SPECTACULAR_SETTINGS' default SERVE_PERMISSIONS):
    # they hold no secrets, and a browser cannot send X-API-Key to open them.
    # The UI assets come from drf-spectacular-sidecar, so they work offline;
    # the split view serves its script as a file (no inline script: CSP).
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    # Its own template: drf-spectacular's loads Google Fonts (an outside host the CSP blocks).
    path(
        "api/redoc/",
        SpectacularRedocView.as_view(url_name="api-schema", template_name="drf_spectacular/redoc_local.html"),
        name="api-redoc",
    ),
]

# Under /api/ even a path no route matches answers JSON.
handler404 = "ozonprice.exceptions.api_not_found"
handler500 = "ozonprice.exceptions.api_server_error"
