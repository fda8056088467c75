"""Compression of what the public pages load (``TextGZipMiddleware``)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponseBase
from django.middleware.gzip import GZipMiddleware

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
