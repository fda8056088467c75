"""WSGI entry point (gunicorn ``spatial.wsgi:application``).

The web server gets a PostgreSQL ``statement_timeout`` by default (public
requests must not hold the database); management commands such as imports
are not served from here and keep running without one.
"""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "spatial.settings")
os.environ.setdefault("TAKSI_STATEMENT_TIMEOUT_MS", "20000")
application = get_wsgi_application()
