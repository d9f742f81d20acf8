"""API authentication and permissions: the `X-API-Key` header, or a staff session with model permissions.

A machine client is not a database user: a valid key authenticates as the
lightweight `ApiClient` principal, which is enough for permissions, throttles
(keyed on `pk`) and audit rows.

A session user needs the Django model permissions each API view declares in
its `required_perms` (HTTP method -> permissions), the same ones the admin
checks. Calls without valid credentials are throttled per client address
before they are refused (`API_ANON_THROTTLE_RATE`).
"""

from __future__ import annotations

from django.conf import settings
from django.utils.functional import Promise
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
            anonymous_call_throttle(request)
            raise exceptions.AuthenticationFailed(_("Invalid API key."))
        return ApiClient(), None

    def authenticate_header(self, request) -> str:
        # Having a challenge makes DRF answer 401 (not 403) when credentials
        # are missing or wrong.
        return API_KEY_HEADER


def required_perms(view, method: str) -> tuple[str, ...]:
    """The model permissions a session user needs for `method` on an API view (its `required_perms`)."""
    declared = getattr(view, "required_perms", None) or {}
    return tuple(declared.get("GET" if method == "HEAD" else method, ()))


def _holds(user, perm: str) -> bool:
    # As in the admin, the right to change a model's rows includes seeing them.
    app_label, _dot, codename = perm.partition(".")
    if codename.startswith("view_") and user.has_perm(f"{app_label}.change_{codename.removeprefix('view_')}"):
        return True
    return user.has_perm(perm)


class IsApiClientOrStaff(permissions.BasePermission):
    """A valid API key, or a logged-in active staff member holding the view's `required_perms`.

    An operation that declares nothing is refused to every session user (a new
    view is closed until it says who may call it). The key has full access
    until keys get scopes of their own.
    """

    message: str | Promise = _("Staff access or a valid API key is required.")

    def has_permission(self, request, view) -> bool:
        user = request.user
        if isinstance(user, ApiClient):
            return True
        if not (user and user.is_authenticated):
            anonymous_call_throttle(request)
            return False
        if not (user.is_active and user.is_staff):
            return False
        method = request.method or ""
        if method == "OPTIONS":
            # A description of the view: for anyone who may call one of its operations.
            declared = getattr(view, "required_perms", None) or {}
            return any(all(_holds(user, p) for p in needed) for needed in declared.values())
        needed = required_perms(view, method)
        if not needed:
            # A method the view does not implement gets its 405, not a 403.
            return not hasattr(view, method.lower())
        missing = [perm for perm in needed if not _holds(user, perm)]
        if missing:
            self.message = _("This operation needs the permission %(permissions)s.") % {
                "permissions": ", ".join(missing)
            }
            return False
        return True


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


class AnonymousRateThrottle(throttling.SimpleRateThrottle):
    """`API_ANON_THROTTLE_RATE` calls per client address that bring no valid credentials.

    DRF throttles run after authentication and permissions, so a refused call
    would never be counted; `anonymous_call_throttle` is called where the call
    is refused instead. The address is DRF's (`NUM_PROXIES`), as for the
    admin's lockout (`client_address`).
    """

    scope = "anon"

    def get_rate(self) -> str:
        return settings.API_ANON_THROTTLE_RATE

    def get_cache_key(self, request, view) -> str:
        # Not AnonRateThrottle's: it reads request.user, which is being decided.
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


def anonymous_call_throttle(request) -> None:
    """Count one call without valid credentials; over the rate it becomes a 429."""
    throttle = AnonymousRateThrottle()
    # No view yet: authentication runs before DRF picks one, and get_cache_key above does not read it.
    if not throttle.allow_request(request, None):  # type: ignore[arg-type]
        raise exceptions.Throttled(wait=throttle.wait())


def client_address(request) -> str:
    """The client's address as the API throttles see it: REMOTE_ADDR, or X-Forwarded-For behind NUM_PROXIES.

    django-axes keys admin lockouts on it too (AXES_CLIENT_IP_CALLABLE), so
    behind a proxy one client's failures lock out that client, not the proxy.
    """
    return throttling.BaseThrottle().get_ident(request)
