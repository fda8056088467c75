"""Calling pygeoapi's API core from Django, the way ``pygeoapi.django_`` would.

Convert the request with ``APIRequest.from_django``, call the core function,
copy its headers and status back, with two corrections: pygeoapi's HTML gets
its CDN assets replaced by local copies (``ogc.offline_assets``), and a client
error that pygeoapi mislabels as a 500 is answered as the 400 it is.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from http import HTTPStatus
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.html import escape
from pygeoapi.api import APIRequest, apply_gzip

from ogc.config import get_api
from ogc.offline_assets import localise_assets

#: pygeoapi's ``_base.html`` writes ``dir="{% trans %}text_direction{% endtrans %}"``;
#: its catalogues have no Indonesian, so the page said ``dir="text_direction"``.
_UNTRANSLATED_DIRECTION = 'dir="text_direction"'
_EMPTY_TITLE = re.compile(r"<title>\s*</title>")


def dispatch(function: Callable[..., tuple[dict, int, Any]], request: HttpRequest,
             *args: str, page_titles: dict[str, str] | None = None) -> HttpResponse:
    """pygeoapi's answer to ``function(api, request, *args)``, after its format check.

    ``page_titles`` (by language, ``id`` the default): the HTML page's title
    where pygeoapi's template leaves it empty (the items page reads a
    ``title`` its items function never sets), in the language pygeoapi
    negotiated for the page (``?lang=``, Accept-Language).
    """
    api = get_api()
    api_request = APIRequest.from_django(request, api.locales)
    if not api_request.is_valid(["csv"]):
        return pygeoapi_response(*api.get_format_exception(api_request))
    title = None
    if page_titles:
        title = page_titles.get(api_request.locale.language, page_titles["id"])
    return pygeoapi_response(*function(api, api_request, *args), page_title=title)


def complete_html(html: str, page_title: str | None) -> str:
    """A text direction and, where pygeoapi left it empty, a title (WCAG 2.4.2)."""
    html = html.replace(_UNTRANSLATED_DIRECTION, 'dir="ltr"')
    if page_title:
        html = _EMPTY_TITLE.sub(f"<title>{escape(page_title)}</title>", html, count=1)
    return html


def pygeoapi_response(headers: dict[str, str], status: int, content: Any,
                      page_title: str | None = None) -> HttpResponse:
    """What a pygeoapi core function returned, as a Django response.

    pygeoapi labels some client errors ``InvalidParameterValue`` yet sends
    them with status 500 (``get_collection_coverage`` on a bbox that
    ``validate_bbox`` refuses); the code says whose mistake it is, so those
    are answered as the 400 they are. Taksi checks the parameters before
    pygeoapi runs, so this is the safety net, not the rule.
    """
    if isinstance(content, str) and "text/html" in headers.get("Content-Type", ""):
        content = complete_html(localise_assets(content), page_title)
    if status == HTTPStatus.INTERNAL_SERVER_ERROR and _client_error_code(content):
        status = HTTPStatus.BAD_REQUEST
    response = HttpResponse(apply_gzip(headers, content), status=status)
    for key, value in headers.items():
        response[key] = value
    if response.get("Content-Type", "").split(";")[0].strip() == "text/html" \
            and "charset" not in response["Content-Type"]:
        # pygeoapi sends UTF-8 pages as bare text/html: HTTP clients then read
        # them as ISO-8859-1 (RFC 2616's default), and "·" becomes "Â·".
        response["Content-Type"] = "text/html; charset=utf-8"
    return response


def _client_error_code(content: Any) -> bool:
    try:
        document = json.loads(content)
    except (TypeError, ValueError):
        return False
    return isinstance(document, dict) and document.get("code") == "InvalidParameterValue"
