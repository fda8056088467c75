"""The site's error pages: 400, 403 (CSRF included), 404 and 500.

Django's defaults are bare English pages (``<html lang="en"><h1>Not
Found</h1>``); a citizen who follows a shared link to a project that is not
(or no longer) published lands on one. These handlers (``handler404`` and the
others in ``spatial/urls.py``, ``CSRF_FAILURE_VIEW`` in the settings) answer
with the site's header, navigation and CSS, in the visitor's language
(``spatial.language``: Bahasa Indonesia unless the switch chose English), and
a way back to the map.

Machine paths keep machine answers: under ``/ogc``, ``/download/`` and
``/catalog.jsonld`` the same errors are OGC exception documents in JSON
(``ogc.errors``), as the OGC API's own 404s are (``ogc.views.not_found``), so
a client never has to parse an HTML page.

The 500 page is rendered the way Django renders ``500.html``: with no context
and no request, because whatever failed (the database, a middleware) may be
what a context processor would need. It shows both languages, so it does not
depend on the language middleware having run either. No page ever shows the
exception: its text can hold SQL, paths or data.
"""

from __future__ import annotations

from http import HTTPStatus

from django.http import HttpRequest, HttpResponse, HttpResponseServerError, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.urls import Resolver404
from django.utils.translation import gettext as _
from django.views.decorators.csrf import requires_csrf_token

from ogc.config import ogc_base_url
from ogc.errors import Forbidden, InvalidParameterValue, NotFound, OgcError, error_response

#: Paths answered in JSON: the OGC API, the downloads and the DCAT catalogue.
API_PREFIXES = ("/ogc/", "/download/")
API_PATHS = ("/ogc", "/catalog.jsonld")

ERROR_TEMPLATE = "frontend/http_error.html"
SERVER_ERROR_TEMPLATE = "frontend/500.html"


def is_api_path(path: str) -> bool:
    return path in API_PATHS or path.startswith(API_PREFIXES)


def _api_error(error: OgcError) -> JsonResponse:
    response = error_response(error)
    # As the OGC API's own answers (ogc.views.ogc_view): readable from any origin.
    response["Access-Control-Allow-Origin"] = "*"
    return response


def _page(request: HttpRequest, status: HTTPStatus, title: str, message: str) -> HttpResponse:
    return render(request, ERROR_TEMPLATE,
                  {"status": int(status), "title": title, "message": message}, status=status)


def _is_project_page(request: HttpRequest, exception: Exception) -> bool:
    """A /proyek/<id>/ address that matched, for a project the public may not see."""
    match = getattr(request, "resolver_match", None)
    return not isinstance(exception, Resolver404) and match is not None \
        and match.url_name == "project"


@requires_csrf_token  # the language switch in the header posts a CSRF token
def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    if is_api_path(request.path):
        return _api_error(NotFound(
            f"{request.path}: no such resource; start at {ogc_base_url()}/"))
    if _is_project_page(request, exception):
        # Drafts, withdrawn and archived projects are a 404 like missing ones (issue 7).
        message = _("Proyek ini tidak ada atau belum diterbitkan. Data proyek tampil untuk "
                    "umum setelah diverifikasi dan diterbitkan oleh walidata kota.")
    else:
        message = _("Alamat ini tidak ada di Taksi. Mungkin tautannya salah ketik atau "
                    "halamannya sudah dipindahkan.")
    return _page(request, HTTPStatus.NOT_FOUND, _("Halaman tidak ditemukan"), message)


@requires_csrf_token
def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    if is_api_path(request.path):
        return _api_error(Forbidden(f"{request.path}: not permitted"))
    return _page(request, HTTPStatus.FORBIDDEN, _("Akses ditolak"),
                 _("Akun Anda tidak berhak membuka halaman ini. Staf OPD: masuk dengan akun "
                   "yang diberi peran untuk data ini."))


@requires_csrf_token
def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    """SuspiciousOperation (an unknown Host header, a malformed upload): say no more."""
    if is_api_path(request.path):
        return _api_error(InvalidParameterValue(f"{request.path}: the request is malformed"))
    return _page(request, HTTPStatus.BAD_REQUEST, _("Permintaan tidak valid"),
                 _("Server tidak dapat memproses permintaan ini. Periksa alamatnya, atau "
                   "mulai lagi dari peta."))


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """``CSRF_FAILURE_VIEW``: a form (the language switch, the admin's login) sent
    without a valid token, typically a page left open too long or cookies blocked.
    Rendering the page gives the browser a fresh token for the next try."""
    if is_api_path(request.path):
        return _api_error(Forbidden(f"{request.path}: CSRF check failed ({reason})"))
    return _page(request, HTTPStatus.FORBIDDEN, _("Formulir kedaluwarsa"),
                 _("Permintaan ditolak karena pemeriksaan keamanan formulir gagal. Muat ulang "
                   "halaman lalu coba lagi; pastikan peramban Anda menerima cookie dari situs "
                   "ini."))


def server_error(request: HttpRequest) -> HttpResponse:
    """No context, no request, no database (see the module docstring)."""
    if is_api_path(request.path):
        return _api_error(OgcError("Internal server error; the error has been logged."))
    return HttpResponseServerError(loader.get_template(SERVER_ERROR_TEMPLATE).render())
