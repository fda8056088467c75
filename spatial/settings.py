"""Django settings for Taksi, read from the environment (see .env.example).

Every variable read here is listed in ``.env.example`` with its default; a
test keeps the two in step.
"""

from __future__ import annotations

from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

from spatial.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent

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

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.gis",
    "leaflet",
    "spatial",
    "layers",
    "ogc",
    "frontend",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Outside WhiteNoise so static files found without collectstatic (no .gz
    # beside them) and the OGC API's GeoJSON are gzipped too: phones on slow
    # connections are the map's main audience. Responses that already carry a
    # Content-Encoding (WhiteNoise's precompressed files) are left alone.
    "django.middleware.gzip.GZipMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # Bahasa Indonesia unless the visitor chose English with the switch.
    "frontend.middleware.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
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

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Bahasa Indonesia first, English second. Pages are Indonesian unless the
# visitor picks English with the switch (Django's set_language view at
# /i18n/setlang/, remembered in a cookie); the browser's Accept-Language is
# not followed (frontend/middleware.py). The OGC API switches with ?lang=en.
# The compiled catalogue (locale/en/LC_MESSAGES/django.mo) is committed, so a
# deployment needs no gettext tools.
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
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {"pygeoapi": {"level": "ERROR"}},
}
