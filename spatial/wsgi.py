"""WSGI entry point (gunicorn ``spatial.wsgi:application``).

The web server gets a PostgreSQL ``statement_timeout`` by default (public
requests must not hold the database); management commands such as imports
are not served from here and keep running without one.
"""

import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "spatial.settings")
os.environ.setdefault("TAKSI_STATEMENT_TIMEOUT_MS", "20000")
application = get_wsgi_application()

# Import the URLconf, and with it pygeoapi and the OGC API, while the worker
# starts rather than in its first request (~2 s). Management commands do not
# load it at all (ogc.apps keeps pygeoapi out of app start-up).
get_resolver().url_patterns  # noqa: B018
