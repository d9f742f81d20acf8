"""API authentication and the one permission check: named API keys with scopes, or a staff session with model permissions.

A machine client is not a database user: a valid key authenticates as the
lightweight `ApiClient` principal that carries the key (`request.auth` is the
`ApiKey`), which is enough for permissions, throttles (keyed on `pk`, one
bucket per key) and audit rows (the key's name).

Each API view declares, per HTTP method, what a caller needs:

    required = {"GET": Need(scope="read", perms=("catalog.view_sku",)), "POST": Need("prices", (...))}

A key needs the scope; a session user needs the model permissions, the same
ones the admin checks. Calls without valid credentials are throttled per
client address before they are refused (`API_ANON_THROTTLE_RATE`).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions, permissions, throttling

from ozonprice.keys import api_key_allows, api_key_find, api_key_refusal, api_key_used
from ozonprice.models import ApiKey

API_KEY_HEADER = "X-API-Key"
API_KEY_META = "HTTP_X_API_KEY"


@dataclass(frozen=True)
class Need:
    """What one operation asks of its caller: an API key's scope (`ApiScope`), a session user's permissions."""

    scope: str
    perms: tuple[str, ...] = ()


class ApiClient:
    """The caller that presented a valid API key: the key, dressed as enough of a user for DRF."""

    is_authenticated = True
    is_anonymous = False
    is_active = True
    is_staff = False
    is_superuser = False

    def __init__(self, key: ApiKey) -> None:
        self.key = key
        # Throttles key their buckets on pk: one key's flood never throttles another key (or a user, whose pk is a number).
        self.pk = self.id = f"key:{key.pk}"
        # What services record as the actor (requested_by, created_by): the key's name.
        self.username = key.name

    def __str__(self) -> str:
        return self.key.name

    def __eq__(self, other: object) -> bool:
        return isinstance(other, ApiClient) and other.pk == self.pk

    def __hash__(self) -> int:
        return hash(self.pk)

    def get_username(self) -> str:
        return self.username

    def has_perm(self, perm: str, obj: object = None) -> bool:
        return False  # a key has scopes, not model permissions


class ApiKeyAuthentication(authentication.BaseAuthentication):
    """`X-API-Key: <secret>`: a named key (ozonprice/keys.py), usable now.

    No header: not this scheme (None), so the session may still authenticate.
    A wrong, revoked or expired key: 401 saying which, never a fall-through to another scheme.
    """

    def authenticate(self, request) -> tuple[ApiClient, ApiKey] | None:
        secret = request.META.get(API_KEY_META, "").strip()
        if not secret:
            return None
        key = api_key_find(secret)
        refusal = api_key_refusal(key) if key is not None else gettext("Invalid API key.")
        if refusal or key is None:
            anonymous_call_throttle(request)
            raise exceptions.AuthenticationFailed(refusal)
        api_key_used(key=key, address=client_address(request))
        return ApiClient(key), key

    def authenticate_header(self, request) -> str:
        # Having a challenge makes DRF answer 401 (not 403) when credentials
        # are missing or wrong.
        return API_KEY_HEADER


def required_need(view, method: str) -> Need | None:
    """What `method` on an API view asks of its caller (the view's `required`); None: undeclared."""
    declared = getattr(view, "required", None) or {}
    return declared.get("GET" if method == "HEAD" else method)


def required_perms(view, method: str) -> tuple[str, ...]:
    """The model permissions a session user needs for `method` on an API view."""
    need = required_need(view, method)
    return need.perms if need else ()


def _holds(user, perm: str) -> bool:
    # As in the admin, the right to change a model's rows includes seeing them.
    app_label, _dot, codename = perm.partition(".")
    if codename.startswith("view_") and user.has_perm(f"{app_label}.change_{codename.removeprefix('view_')}"):
        return True
    return user.has_perm(perm)


def _may(user, need: Need) -> bool:
    if isinstance(user, ApiClient):
        return api_key_allows(user.key, scope=need.scope)
    return bool(need.perms) and all(_holds(user, perm) for perm in need.perms)


class IsApiClientOrStaff(permissions.BasePermission):
    """The one permission check of every API operation: the view's `required[method]`.

    An API key needs the operation's scope; a logged-in active staff member
    its permissions. An operation that declares nothing is refused to every
    caller (a new view is closed until it says who may call it).
    """

    message: str | Promise = _("Staff access or a valid API key is required.")

    def has_permission(self, request, view) -> bool:
        user = request.user
        if not (user and user.is_authenticated):
            anonymous_call_throttle(request)
            return False
        if not isinstance(user, ApiClient) and not (user.is_active and user.is_staff):
            return False
        method = request.method or ""
        if method == "OPTIONS":
            # A description of the view: for anyone who may call one of its operations.
            declared = getattr(view, "required", None) or {}
            return any(_may(user, need) for need in declared.values())
        need = required_need(view, method)
        if need is None:
            # A method the view does not implement gets its 405, not a 403.
            return not hasattr(view, method.lower())
        if isinstance(user, ApiClient):
            if not api_key_allows(user.key, scope=need.scope):
                self.message = gettext("This API key lacks the scope %(scope)s this operation needs.") % {
                    "scope": need.scope
                }
                return False
            return True
        if not need.perms:
            return False  # declared for keys only
        missing = [perm for perm in need.perms if not _holds(user, perm)]
        if missing:
            self.message = gettext("This operation needs the permission %(permissions)s.") % {
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
    """`API_THROTTLE_RATE` requests per client: each API key (`ApiClient.pk`), each staff user, else the address.

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
