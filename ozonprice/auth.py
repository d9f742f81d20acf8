"""API authentication: the `X-API-Key` header, or a staff session.

A machine client is not a database user: a valid key authenticates as the
lightweight `ApiClient` principal, which is enough for permissions, throttles
(keyed on `pk`) and audit rows.
"""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions, permissions, throttling

from ozonprice.services import api_secret_check

API_KEY_HEADER = "X-API-Key"
API_KEY_META = "HTTP_X_API_KEY"


class ApiClient:
    """The caller that presented the current API key."""

    pk = id = "api-key"
    username = "api-client"
    is_authenticated = True
    is_anonymous = False
    is_active = True
    is_staff = False
    is_superuser = False

    def __str__(self) -> str:
        return "API client"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, ApiClient)

    def __hash__(self) -> int:
        return hash(self.pk)

    def get_username(self) -> str:
        return self.username

    def has_perm(self, perm: str, obj: object = None) -> bool:
        return False


class ApiKeyAuthentication(authentication.BaseAuthentication):
    """`X-API-Key: <secret>` checked against the hash in the runtime settings.

    No header: not this scheme (None), so the session may still authenticate.
    A wrong key: 401, never a fall-through to another scheme.
    """

    def authenticate(self, request) -> tuple[ApiClient, None] | None:
        key = request.META.get(API_KEY_META, "").strip()
        if not key:
            return None
        if not api_secret_check(key):
            raise exceptions.AuthenticationFailed(_("Invalid API key."))
        return ApiClient(), None

    def authenticate_header(self, request) -> str:
        # Having a challenge makes DRF answer 401 (not 403) when credentials
        # are missing or wrong.
        return API_KEY_HEADER


class IsApiClientOrStaff(permissions.BasePermission):
    """A valid API key, or a logged-in active staff member (browsable API, admin)."""

    message = _("Staff access or a valid API key is required.")

    def has_permission(self, request, view) -> bool:
        user = request.user
        if isinstance(user, ApiClient):
            return True
        return bool(user and user.is_authenticated and user.is_active and user.is_staff)


class ApiKeyAuthenticationScheme(OpenApiAuthenticationExtension):
    """Describes `ApiKeyAuthentication` in the OpenAPI schema (registered on import)."""

    target_class = ApiKeyAuthentication
    name = "ApiKeyAuth"

    def get_security_definition(self, auto_schema) -> dict:
        return {"type": "apiKey", "in": "header", "name": API_KEY_HEADER}


class ApiRateThrottle(throttling.UserRateThrottle):
    """`API_THROTTLE_RATE` requests per client: the API key, a staff user, else the address.

    The rate is read per request (DRF reads its rates once, at import), so the
    setting can change in tests. The counters live in the default cache, which
    every process shares (a database table unless CACHE_URL says otherwise).
    """

    scope = "api"

    def get_rate(self) -> str:
        return settings.API_THROTTLE_RATE
