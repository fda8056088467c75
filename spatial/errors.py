"""Django's own 400s (``handler400``) in the shape each part of the site answers in.

Django refuses some requests before any view runs, with a
``SuspiciousOperation``: more than ``DATA_UPLOAD_MAX_NUMBER_FIELDS`` query or
form fields (``TooManyFieldsSent``), a form body over
``DATA_UPLOAD_MAX_MEMORY_SIZE`` (``RequestDataTooBig``), a path that leaves
a folder. Its answer is an HTML page saying "Bad Request (400)" and nothing
else; a GIS client or a script reading the OGC API, a download or the
dashboard's JSON gets that instead of the error document it parses. This
handler answers those limits in the path's own error shape, naming the
limit, and leaves every other 400 to the site's error pages
(``frontend.error_pages.bad_request``: the site's page, or a generic OGC
exception on the API).

The request's ``GET``/``POST`` must not be read here: reading them again
raises the same exception.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.http import HttpRequest, HttpResponse

from frontend import error_pages
from frontend.errors import FrontendError
from frontend.errors import error_response as frontend_error_response
from ogc.errors import ContentTooLarge, InvalidParameterValue, OgcError
from ogc.errors import error_response as ogc_error_response

#: The dashboard's JSON, answered in the frontend's JSON error shape.
DASHBOARD_JSON = "/dasbor/data.json"
#: Django's refusals for the limits it enforces, each named in the answer.
LIMITS = (TooManyFieldsSent, TooManyFilesSent, RequestDataTooBig)


def _ogc_error(exception: Exception) -> OgcError:
    if isinstance(exception, TooManyFieldsSent):
        limit = settings.DATA_UPLOAD_MAX_NUMBER_FIELDS
        return InvalidParameterValue(
            f"Terlalu banyak parameter: lebih dari {limit} (DATA_UPLOAD_MAX_NUMBER_FIELDS). / "
            f"Too many query parameters: more than {limit} (DATA_UPLOAD_MAX_NUMBER_FIELDS).")
    if isinstance(exception, TooManyFilesSent):
        limit = settings.DATA_UPLOAD_MAX_NUMBER_FILES
        return InvalidParameterValue(
            f"Terlalu banyak berkas: lebih dari {limit} (DATA_UPLOAD_MAX_NUMBER_FILES). / "
            f"Too many files: more than {limit} (DATA_UPLOAD_MAX_NUMBER_FILES).")
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE  # RequestDataTooBig
    return ContentTooLarge(
        f"Isi permintaan melebihi batas {limit} byte (TAKSI_MAX_BODY_BYTES). / "
        f"The request body is over the limit of {limit} bytes (TAKSI_MAX_BODY_BYTES).")


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    """``handler400``: a limit named in OGC JSON on the API and downloads, in JSON on
    the dashboard data; anything else the site's own 400."""
    path = request.path
    if not isinstance(exception, LIMITS):
        return error_pages.bad_request(request, exception)
    if error_pages.is_api_path(path):
        response = ogc_error_response(_ogc_error(exception))
        response["Access-Control-Allow-Origin"] = "*"
        return response
    if path == DASHBOARD_JSON:
        error = _ogc_error(exception)
        # The frontend's JSON shape (no one parameter to name), with the same status.
        problem = FrontendError(error.description)
        problem.status = error.status
        return frontend_error_response(request, problem, "json")
    return error_pages.bad_request(request, exception)
