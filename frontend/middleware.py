"""Middleware for the public pages: their language and their compression.

Language (``ChosenLanguageMiddleware``): Bahasa Indonesia unless the visitor
chose English. Django's ``LocaleMiddleware`` would follow the browser's Accept-Language, so a
phone set to English (common in Kupang) would open the map in English. The
city publishes in Bahasa Indonesia first; English is an explicit choice made
with the switch in the page header (Django's ``set_language`` view, which
stores the choice in the language cookie). The middleware keeps everything
``LocaleMiddleware`` does (Content-Language, ``request.LANGUAGE_CODE``) and
only changes where the language comes from: the cookie, else ``LANGUAGE_CODE``.

Compression (``TextGZipMiddleware``): gzip for text responses, not downloads.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponseBase
from django.middleware.gzip import GZipMiddleware
from django.middleware.locale import LocaleMiddleware
from django.utils import translation


def chosen_language(request: HttpRequest) -> str:
    """The supported language in the language cookie, else the site default."""
    code = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
    if code:
        try:
            return translation.get_supported_language_variant(code)
        except LookupError:
            pass  # an unknown or stale cookie value: fall back to the default
    return settings.LANGUAGE_CODE


class ChosenLanguageMiddleware(LocaleMiddleware):
    """``LocaleMiddleware`` that ignores Accept-Language (see the module docstring)."""

    def process_request(self, request: HttpRequest) -> None:
        translation.activate(chosen_language(request))
        request.LANGUAGE_CODE = translation.get_language()


#: Media types worth compressing: text formats. Images, GeoPackage, zip are compressed already.
COMPRESSIBLE_TYPES = (
    "text/",
    "application/json",
    "application/geo+json",
    "application/ld+json",
    "application/schema+json",
    "application/vnd.oai.openapi+json",
    "application/javascript",
    "image/svg+xml",
)


class TextGZipMiddleware(GZipMiddleware):
    """Django's ``GZipMiddleware`` for what the map loads: pages, GeoJSON, JSON, JS, CSS.

    The map's first load is mostly GeoJSON and Leaflet, which gzip shrinks ~4×
    (the page-weight budget is measured in tests/test_browser_map_weight.py).
    Files sent as attachments (/download/…) keep their exact bytes and their
    Content-Length: pygeoapi sends a HEAD to every ``enclosure`` link and drops
    a link whose answer has no length, and a download shows its progress.
    """

    def process_response(
        self, request: HttpRequest, response: HttpResponseBase,
    ) -> HttpResponseBase:
        if response.get("Content-Disposition", "").startswith("attachment"):
            return response
        media_type = response.get("Content-Type", "").split(";")[0].strip().lower()
        if not media_type.startswith(COMPRESSIBLE_TYPES):
            return response
        return super().process_response(request, response)
