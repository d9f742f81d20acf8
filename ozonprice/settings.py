"""ozonprice settings: one file, read from the environment (django-environ).

Every variable is listed in `.env.example`. Defaults are safe for development:
SQLite in WAL mode, the django-q2 ORM broker, and the real Ozon host (the local
sandbox is never a default: `make run` points the demo at it explicitly).
"""

import base64
import hashlib
import sys
from datetime import timedelta
from pathlib import Path

import environ
from corsheaders.defaults import default_headers as default_cors_headers
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env")

# pytest imports this module itself; tests run django-q2 tasks inline.
TESTING = "pytest" in sys.modules

DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = env.str(
    "DJANGO_SECRET_KEY",
    default="dev-only-secret-key-change-me-for-any-real-deployment-0123456789",
)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "corsheaders",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_q",
    "axes",
    "ozonprice",
    "catalog",
    "pricing",
    "imagepush",
    "auditlog",
    "console",
]

MIDDLEWARE = [
    # First: under /api/ it turns any non-JSON error answer (Django's own pages) into JSON.
    "ozonprice.middleware.ApiJsonErrorsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    # Before CommonMiddleware, so preflight answers carry the CORS headers.
    "corsheaders.middleware.CorsMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "auditlog.middleware.ApiAuditMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into its lockout answer.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "ozonprice.urls"
WSGI_APPLICATION = "ozonprice.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# SQLite by default. IMMEDIATE transactions take the write lock at BEGIN, so a
# busy database makes writers wait (busy timeout) instead of failing at once;
# WAL lets readers proceed while the single writer works.
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": (
                "PRAGMA journal_mode=WAL;"
                "PRAGMA synchronous=NORMAL;"
                "PRAGMA busy_timeout=20000;"
                "PRAGMA temp_store=MEMORY;"
                "PRAGMA cache_size=-20000;"
            ),
        }
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Throttle counters, admin lockouts and the health probe's gate must be
# shared by every process: a table in the database by default (a migration
# creates it); CACHE_URL=redis://… for Redis.
CACHES = {"default": env.cache("CACHE_URL", default="dbcache://ozonprice_cache")}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = env.str("LANGUAGE_CODE", default="ru")
LANGUAGES = [("ru", _("Russian")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env.str("TIME_ZONE", default="Europe/Moscow")
USE_I18N = True
USE_TZ = True

# E-mail for failure notifications: smtp://user:password@host:587/?tls=True,
# or consolemail:// (the default prints them to the log).
_email = env.email_url("EMAIL_URL", default="consolemail://")
_smtp_options = {
    "host": _email.get("EMAIL_HOST"),
    "port": _email.get("EMAIL_PORT"),
    "username": _email.get("EMAIL_HOST_USER"),
    "password": _email.get("EMAIL_HOST_PASSWORD"),
    "use_tls": _email.get("EMAIL_USE_TLS"),
    "use_ssl": _email.get("EMAIL_USE_SSL"),
}
MAILERS = {
    "default": {
        "BACKEND": _email["EMAIL_BACKEND"],
        "OPTIONS": {key: value for key, value in _smtp_options.items() if value not in ("", None)},
    }
}
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="ozonprice@localhost")

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"

LOG_LEVEL = env.str("LOG_LEVEL", default="INFO").upper()
# `text` for a terminal; `json` for log shippers: one object a line with time, level,
# logger, message and, inside a task run, its task, run_id and counts (ozonprice/logs.py).
LOG_FORMAT = env.str("LOG_FORMAT", default="text").lower()
if LOG_FORMAT not in ("text", "json"):
    raise ImproperlyConfigured(f"LOG_FORMAT must be text or json, not {LOG_FORMAT!r}")
# Every app's loggers (`logging.getLogger(__name__)` in each module) and django-q2's
# own ("django-q", which otherwise installs a raw handler of its own).
APP_LOGGERS = ("ozonprice", "catalog", "pricing", "imagepush", "auditlog", "console", "django-q")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"run": {"()": "ozonprice.runs.RunContextFilter"}},
    "formatters": {
        "text": {"()": "ozonprice.logs.TextFormatter"},
        "json": {"()": "ozonprice.logs.JsonFormatter"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT, "filters": ["run"]},
    },
    "loggers": {name: {"handlers": ["console"], "level": LOG_LEVEL} for name in APP_LOGGERS},
}

# --- REST API ---------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "ozonprice.auth.ApiKeyAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["ozonprice.auth.IsApiClientOrStaff"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    # JSON bodies only: what the API documents and its clients send.
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "EXCEPTION_HANDLER": "ozonprice.exceptions.api_exception_handler",
    # Prices are Decimal inside; the API contract gives them as JSON numbers.
    "COERCE_DECIMAL_TO_STRING": False,
    "UNAUTHENTICATED_USER": None,
    # One bucket per client: the API key, a staff user, or else the address.
    "DEFAULT_THROTTLE_CLASSES": ["ozonprice.auth.ApiRateThrottle"],
    # Proxies in front of the app: 0 trusts no X-Forwarded-For, so a client
    # cannot dodge the throttle by sending its own (docs/reliability.md §3.2).
    "NUM_PROXIES": env.int("NUM_PROXIES", default=0),
}
# Requests per client: N/second, N/minute, N/hour or N/day.
API_THROTTLE_RATE = env.str("API_THROTTLE_RATE", default="100/min")
# Calls without valid credentials (no key, a wrong key, no session), per client
# address: each is refused anyway, and each writes an audit row.
API_ANON_THROTTLE_RATE = env.str("API_ANON_THROTTLE_RATE", default="10/min")

SPECTACULAR_SETTINGS = {
    "TITLE": "ozonprice API",
    "DESCRIPTION": "Hold the minimum retail price on Ozon, control the shown discount, "
    "verify every change, push images.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "PATH_CONVERTER_OVERRIDES": {"ozon_id": {"type": "integer", "format": "int64", "minimum": 1, "maximum": 2**63 - 1}},
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "ozonprice.schema.document_throttling",
        "ozonprice.schema.describe_components",
        "ozonprice.schema.undouble_component_names",
    ],
    # The `status` of each answer shape, named once.
    "ENUM_NAME_OVERRIDES": {
        "OutcomeStatusEnum": ["success", "error"],
        "ItemsOutcomeStatusEnum": ["success", "partial", "error"],
        "RunOutcomeStatusEnum": ["success", "partial", "error", "skipped"],
        # The settings' `promo_guard_mode` and the guard run's `mode`: one enum.
        "PromoGuardModeEnum": "ozonprice.models.PromoGuardMode.choices",
    },
}

# --- CORS: ImageStudio (a browser app) calls POST /api/v1/ozon/push-images ---
CORS_ALLOWED_ORIGINS = env.list("CORS_ALLOWED_ORIGINS", default=[])
CORS_URLS_REGEX = r"^/api/.*$"
CORS_ALLOW_HEADERS = (*default_cors_headers, "x-api-key")

# --- Security ---------------------------------------------------------------
# Served over HTTPS (production): set SECURE_SSL_REDIRECT=true and
# SECURE_HSTS_SECONDS=31536000, and `manage.py check --deploy --fail-level
# WARNING` is clean (README, «Production»). Off by default so that a plain
# http://127.0.0.1 run works.
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=False)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)
# Cookies travel only over HTTPS; on by default whenever HTTP is redirected.
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = env.bool("SECURE_COOKIES", default=SECURE_SSL_REDIRECT)
if env.bool("SECURE_PROXY_SSL_HEADER", default=False):
    # Only behind a proxy that sets X-Forwarded-Proto itself, dropping the client's.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
X_FRAME_OPTIONS = "DENY"
# Django 6's Content-Security-Policy header, on every page. The admin, Swagger
# UI (the split view: no inline script) and ReDoc run from our own static files;
# the two API viewers need inline styles, data: images and ReDoc a blob: worker.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF, CSP.UNSAFE_INLINE],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF, "data:"],
    "worker-src": [CSP.SELF, "blob:"],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}

# Secrets at rest (the Ozon Api-Key, the Telegram bot token): Fernet keys,
# comma-separated, the first one encrypting (ozonprice/fields.py). Required when
# DEBUG is off (system check ozonprice.E001 under --deploy). In development and
# tests a fixed key derived from a public string is used instead: it keeps the
# dev database readable across restarts and protects nothing.
FIELD_ENCRYPTION_KEYS = env.list("FIELD_ENCRYPTION_KEY", default=[])
if not FIELD_ENCRYPTION_KEYS and (DEBUG or TESTING):
    FIELD_ENCRYPTION_KEYS = [
        base64.urlsafe_b64encode(hashlib.sha256(b"ozonprice development key, not a secret").digest()).decode()
    ]

# Admin login: django-axes locks a username at one address out after
# AXES_FAILURE_LIMIT failures, for AXES_COOLOFF_MINUTES (not forever: the only
# admin must not be locked out for good).
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# The client's address as the API throttle sees it (REMOTE_ADDR, or the
# X-Forwarded-For entry NUM_PROXIES back): behind a proxy, one client's
# failures must not lock everyone behind it out.
AXES_CLIENT_IP_CALLABLE = "ozonprice.auth.client_address"

# /metrics: Prometheus text. Counts and timings only, but not for everyone by
# default: staff session, X-API-Key or `Authorization: Bearer <API key>`.
METRICS_PUBLIC = env.bool("METRICS_PUBLIC", default=False)

# --- Ozon and the outgoing HTTP seam ----------------------------------------
# The real Ozon Seller API. The sandbox (`manage.py ozon_sandbox`) is a test
# double and is only ever used when OZON_API_URL names it explicitly.
OZON_API_URL = env.str("OZON_API_URL", default="https://api-seller.ozon.ru")
OZON_CLIENT_ID = env.str("OZON_CLIENT_ID", default="")
OZON_API_KEY = env.str("OZON_API_KEY", default="")
# Ozon allows 50 requests/s per Client-Id across all methods (docs/ozon-api.md
# §7); we stay below that so other tools of the seller keep some headroom.
OZON_RATE_LIMIT = env.float("OZON_RATE_LIMIT", default=40.0)
# Ozon calls one run keeps in flight at once (sync pages, price imports, read-backs);
# the rate limit above still bounds them all together.
OZON_CONCURRENCY = env.int("OZON_CONCURRENCY", default=8)
OZON_CONNECT_TIMEOUT = env.float("OZON_CONNECT_TIMEOUT", default=5.0)
OZON_READ_TIMEOUT = env.float("OZON_READ_TIMEOUT", default=60.0)
OZON_MAX_RETRIES = env.int("OZON_MAX_RETRIES", default=4)
# A Retry-After beyond this is capped, so one bad header cannot park a worker.
OZON_RETRY_AFTER_MAX = env.float("OZON_RETRY_AFTER_MAX", default=60.0)
FRONT_PRICE_API_URL = env.str("FRONT_PRICE_API_URL", default="")
# The seller's own Front Price API: its pages read at once, and its own request rate.
FRONT_PRICE_CONCURRENCY = env.int("FRONT_PRICE_CONCURRENCY", default=4)
FRONT_PRICE_RATE_LIMIT = env.float("FRONT_PRICE_RATE_LIMIT", default=25.0)
# SSRF guard: a URL a manager can set (the Front Price API, push-images pictures)
# may not reach loopback, private, link-local or cloud-metadata addresses. Only
# the demo and the tests, whose doubles listen on 127.0.0.1, turn this on.
# OZON_API_URL is the operator's and is not checked.
OUTBOUND_ALLOW_PRIVATE = env.bool("OUTBOUND_ALLOW_PRIVATE", default=False)
# A sync marks more than this share of the catalogue missing only after a second
# pass of Ozon's product list agrees (an empty or repeated page must not empty the catalogue).
SYNC_MISSING_GUARD_SHARE = env.float("SYNC_MISSING_GUARD_SHARE", default=0.10)
# Audit payloads are cut to this many characters (the cut is marked).
AUDIT_PAYLOAD_MAX_CHARS = env.int("AUDIT_PAYLOAD_MAX_CHARS", default=16_384)
AUDIT_RETENTION_DAYS = env.int("AUDIT_RETENTION_DAYS", default=30)

MONITORING_INTERVAL = env.int("MONITORING_INTERVAL", default=10)
PRICE_UPDATE_INTERVAL = env.int("PRICE_UPDATE_INTERVAL", default=5)

# A background run (sync, maintenance, verification) holds a lease for this
# long and renews it every third of it while alive: a killed worker blocks the
# next run for at most this long. Keep it well above SQLite's busy timeout (20 s).
TASK_LEASE_TTL_SECONDS = env.int("TASK_LEASE_TTL_SECONDS", default=120)
if TASK_LEASE_TTL_SECONDS < 1:
    raise ImproperlyConfigured("TASK_LEASE_TTL_SECONDS must be at least 1")

# --- django-q2 --------------------------------------------------------------
# retry > timeout, or the ORM broker re-delivers a task that is still running
# (docs/reliability.md §1.3). Missed slots are not replayed after downtime.
Q_CLUSTER = {
    "name": "ozonprice",
    "orm": "default",
    "workers": env.int("Q_WORKERS", default=2),
    "queue_limit": 4,
    "bulk": 1,
    "poll": 1,
    "timeout": 900,
    "retry": 1200,
    "max_attempts": 1,
    "ack_failures": True,
    "catch_up": False,
    "save_limit": 500,
    "recycle": 200,
    "sync": TESTING,
}
REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    Q_CLUSTER.pop("orm")
    Q_CLUSTER["redis"] = REDIS_URL
