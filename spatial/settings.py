"""Django settings for Taksi, read from the environment (see .env.example).

Every variable read here is listed in ``.env.example`` with its default; a
test keeps the two in step.
"""

from __future__ import annotations

from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

from spatial.csp import content_security_policy
from spatial.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent

# check --deploy refuses the fallback (spatial.E004).
SECRET_KEY = env_str("DJANGO_SECRET_KEY", "insecure-development-key-set-DJANGO_SECRET_KEY")
DEBUG = env_bool("DJANGO_DEBUG", False)
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost")

#: Public URL of this server; pygeoapi writes it into every link it returns.
TAKSI_BASE_URL = env_str("TAKSI_BASE_URL", "http://127.0.0.1:8000").rstrip("/")
#: Base map tiles for the public map; the map still draws every layer without them.
TAKSI_BASEMAP_URL = env_str("TAKSI_BASEMAP_URL", "https://tile.openstreetmap.org/{z}/{x}/{y}.png")
TAKSI_BASEMAP_ATTRIBUTION = env_str(
    "TAKSI_BASEMAP_ATTRIBUTION", "&copy; OpenStreetMap contributors"
)
#: Largest number of features one /download/ file may hold; more is a 413.
TAKSI_EXPORT_MAX_FEATURES = env_int("TAKSI_EXPORT_MAX_FEATURES", 50000)
#: Where ``manage.py build_rasters`` writes the raster coverages the OGC API serves.
TAKSI_RASTER_DIR = Path(env_str("TAKSI_RASTER_DIR", str(BASE_DIR / ".data" / "rasters")))

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.gis",
    "leaflet",
    "axes",
    "simple_history",
    "spatial",
    "layers",
    "ogc",
    "frontend",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Accept/Accept-Language/?lang= members refused with q=0 are dropped before
    # anything reads them: pygeoapi divides by the weight (ogc/preferences.py).
    "ogc.preferences.PreferenceHeadersMiddleware",
    # Content-Security-Policy header (SECURE_CSP below) with a per-response nonce:
    # Django's ContentSecurityPolicyMiddleware, the full policy on documents only.
    "spatial.csp.DocumentCspMiddleware",
    # Outside WhiteNoise so static files found without collectstatic (no .gz
    # beside them) and the OGC API's GeoJSON are gzipped too: phones on slow
    # connections are the map's main audience. Responses that already carry a
    # Content-Encoding (WhiteNoise's precompressed files) and downloads
    # (attachments) are left alone.
    "frontend.middleware.TextGZipMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Inside the CSP and gzip middleware: nonces for pygeoapi's inline scripts
    # and for django-leaflet's admin widget (spatial/csp.py).
    "spatial.csp.CspNonceMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # Bahasa Indonesia unless the visitor chose English with the switch in the
    # header (cookie); the browser's Accept-Language is not followed (spatial/language.py).
    "spatial.language.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # The anonymous rate limit wraps the token middleware: a refused token counts
    # against the limit, a valid one (like a session) is never limited.
    "ogc.middleware.AnonymousRateLimitMiddleware",
    # Authorization: Bearer <API token> on /ogc/ (layers.tokens); before history,
    # which records request.user.
    "layers.tokens.BearerTokenMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "ogc.middleware.QueryTimeoutMiddleware",
    # Last, as django-axes requires: it turns a locked-out login into a 429.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "spatial.urls"
WSGI_APPLICATION = "spatial.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                # {{ csp_nonce }} for inline scripts (django-leaflet's map set-up).
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", "postgis://taksi@127.0.0.1:54329/taksi"),
        conn_max_age=0,
    )
}
DATABASES["default"]["ENGINE"] = "django.contrib.gis.db.backends.postgis"
# psycopg 3's pool keeps connections open across requests (Django >= 5.1).
DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
    "min_size": 1,
    "max_size": env_int("TAKSI_DB_POOL_SIZE", 8),
}

#: Public (web) requests may not keep PostgreSQL busy longer than this; spatial.wsgi
#: sets a default for the server, management commands (imports) run without it.
TAKSI_STATEMENT_TIMEOUT_MS = env_int("TAKSI_STATEMENT_TIMEOUT_MS", 0)
# JIT off: PostgreSQL 15 JIT-compiles any plan above jit_above_cost, which for a
# z12 tile over 100,000 points spent 1.1 s compiling a 0.7 s query (EXPLAIN
# ANALYZE in docs/performance.md); none of Taksi's queries run long enough to win it back.
# No parallel workers: a web request's query is milliseconds of work and the server's
# own processes already use every core; starting workers made a z14 tile 1.7x slower.
_SESSION_OPTIONS = ["-c jit=off", "-c max_parallel_workers_per_gather=0"]
if TAKSI_STATEMENT_TIMEOUT_MS > 0:
    _SESSION_OPTIONS.append(f"-c statement_timeout={TAKSI_STATEMENT_TIMEOUT_MS}")
DATABASES["default"]["OPTIONS"]["options"] = " ".join(_SESSION_OPTIONS)
# "tiles" holds vector tiles keyed by data version (ogc.tiles.cache) in each
# worker process, evicting least recently used tiles past 64 MiB; one tile may
# take at most 8 MiB (a z12 tile over 200,000 points is ~2.4 MB).
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "tiles": {
        "BACKEND": "ogc.tiles.lru.ByteBoundedCache",
        "LOCATION": "taksi-tiles",
        "OPTIONS": {"MAX_BYTES": 64 * 2**20, "MAX_ITEM_BYTES": 8 * 2**20},
    },
}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Hardening (checked by `manage.py check --deploy`, see tests/test_hardening.py) ---
#: An https TAKSI_BASE_URL means production behind TLS: secure cookies, HSTS, redirect.
TAKSI_HTTPS = TAKSI_BASE_URL.startswith("https://")
SESSION_COOKIE_SECURE = TAKSI_HTTPS
CSRF_COOKIE_SECURE = TAKSI_HTTPS
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SECURE_SSL_REDIRECT = env_bool("TAKSI_SSL_REDIRECT", TAKSI_HTTPS)
SECURE_HSTS_SECONDS = env_int("TAKSI_HSTS_SECONDS", 31_536_000 if TAKSI_HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = TAKSI_HTTPS
SECURE_HSTS_PRELOAD = env_bool("TAKSI_HSTS_PRELOAD", TAKSI_HTTPS)
#: Behind a TLS-terminating proxy (nginx, Caddy) that sets X-Forwarded-Proto/-For.
TAKSI_BEHIND_PROXY = env_bool("TAKSI_BEHIND_PROXY", False)
if TAKSI_BEHIND_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
#: Content Security Policy (Django's built-in support): scripts only from this
#: origin or with the response's nonce, images also from the base-map tile host.
SECURE_CSP = content_security_policy(TAKSI_BASEMAP_URL)
CSRF_TRUSTED_ORIGINS = [TAKSI_BASE_URL]
#: A refused form gets the site's page in the visitor's language (Django's is bare).
CSRF_FAILURE_VIEW = "frontend.error_pages.csrf_failure"
#: Request bodies (API writes, admin forms) larger than this are refused with 400;
#: file uploads stream to disk above FILE_UPLOAD_MAX_MEMORY_SIZE.
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("TAKSI_MAX_BODY_BYTES", 5 * 1024 * 1024)
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 2000
#: Seconds a request body may stall (no byte arriving) before the server gives
#: up with 408 (spatial/wsgi.py); a buffering reverse proxy should stop slow
#: clients first (README, "Deployment").
TAKSI_BODY_TIMEOUT_S = env_int("TAKSI_BODY_TIMEOUT_S", 30)

#: Anonymous requests to /ogc/ and /download/ per client IP and minute, per worker
#: process (0 = no limit). Above it: 429 with Retry-After.
TAKSI_RATE_LIMIT = env_int("TAKSI_RATE_LIMIT", 600)

# Login brute-force protection (django-axes): 5 failures for one username from one
# address lock that pair for 15 minutes; the admin login answers 429 meanwhile.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env_int("TAKSI_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "spatial.lockout.lockout_response"  # 429 with Retry-After
#: One notion of "the client's address" for axes and the API rate limit.
AXES_CLIENT_IP_CALLABLE = "ogc.middleware.client_ip"
AXES_VERBOSE = False

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Bahasa Indonesia first, English second (ChosenLanguageMiddleware: the
# language cookie set by the header switch through Django's set_language view
# at /i18n/setlang/, else Bahasa Indonesia). One catalogue for every app:
# locale/en/LC_MESSAGES/django.po, its compiled .mo committed so a deployment
# needs no gettext tools. The OGC API switches with ?lang=en.
LANGUAGE_CODE = "id"
LANGUAGES = [("id", _("Bahasa Indonesia")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Makassar"  # WITA, Kota Kupang's time zone
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}

# Serve static files straight from the apps as well, so a missed collectstatic
# never leaves the map without its scripts.
WHITENOISE_USE_FINDERS = True

LEAFLET_CONFIG = {
    "DEFAULT_CENTER": (-10.1772, 123.6070),
    "DEFAULT_ZOOM": 12,
    "MIN_ZOOM": 3,
    "MAX_ZOOM": 19,
    # An empty TAKSI_BASEMAP_URL means no base map: the layers still draw.
    "TILES": (
        [(_("Peta dasar"), TAKSI_BASEMAP_URL, {"attribution": TAKSI_BASEMAP_ATTRIBUTION})]
        if TAKSI_BASEMAP_URL
        else []
    ),
    "RESET_VIEW": False,
}

# Debian 12 ships GDAL 3.6; Taksi never opens spatial references from untrusted URLs.
SILENCED_SYSTEM_CHECKS = ["gis.W001"]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # 4xx answers are logged without tracebacks (spatial/log_filters.py).
    "filters": {
        "provider_client_errors": {"()": "spatial.log_filters.ProviderClientErrorFilter"},
        "request_client_errors": {"()": "spatial.log_filters.RequestClientErrorFilter"},
    },
    # On the handler: a logger's own filters miss what its children propagate.
    "handlers": {"console": {"class": "logging.StreamHandler",
                             "filters": ["provider_client_errors", "request_client_errors"]}},
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {"pygeoapi": {"level": "ERROR"}},
}
