"""WSGI entry point (gunicorn ``spatial.wsgi:application``)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "spatial.settings")
application = get_wsgi_application()
