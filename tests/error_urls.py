"""A URLconf for test_error_pages.py: the site's routes and error handlers, plus
views that fail the ways a running server can (a broken database, a refusal),
which the real URLconf rightly does not offer."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import OperationalError
from django.http import HttpRequest, HttpResponse
from django.urls import path

from spatial import urls as site

# The site's handlers (Django's defaults where the site names none).
handler400 = getattr(site, "handler400", "django.views.defaults.bad_request")
handler403 = getattr(site, "handler403", "django.views.defaults.permission_denied")
handler404 = getattr(site, "handler404", "django.views.defaults.page_not_found")
handler500 = getattr(site, "handler500", "django.views.defaults.server_error")

#: What the failure says; no page may show it.
SECRET = "connection to server at 127.0.0.1 failed: SELECT password FROM auth_user"


def broken_database(request: HttpRequest) -> HttpResponse:
    raise OperationalError(SECRET)


def refused(request: HttpRequest) -> HttpResponse:
    raise PermissionDenied(SECRET)


urlpatterns = [
    path("rusak/", broken_database),
    path("ditolak/", refused),
    # Before the site's /ogc/ routes, whose last one answers every other path.
    path("ogc/rusak", broken_database),
    *site.urlpatterns,
]
