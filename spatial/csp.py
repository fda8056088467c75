"""Content Security Policy: the policy itself and the two things Django's
built-in CSP support (``django.middleware.csp``) leaves to the project.

The policy (``content_security_policy``) is strict where it matters: scripts
only from our own origin or carrying the per-response nonce (no
``'unsafe-inline'``, no ``'unsafe-eval'``), no plugins, no foreign frames or
form targets, and images from our origin plus the configured base-map tile
host. Inline *style attributes* stay allowed (``style-src-attr``): the pages
set colours from data (``style="--swatch: #1b9e77"``) and pygeoapi's and the
admin's templates use them; an attribute cannot run script or read the page,
while ``<style>`` elements, which could, need the nonce (``style-src-elem``).

``DocumentCspMiddleware`` (Django's middleware, narrowed) sends that policy
with documents only: HTML, and SVG/XML, which a browser also runs as pages.
Everything else (GeoJSON, vector tiles, scripts, CSS) gets the two-directive
policy OWASP advises for API responses, ``default-src 'none'; frame-ancestors
'none'``: a browser enforces a policy only on documents, and the full policy
on each of the map's ~70 responses (40 of them vector tiles, many empty)
would add ~30 KB to its first load.

``CspNonceMiddleware`` then

- gives the nonce the name django-leaflet's admin widget reads
  (``request.csp_nonce``, the django-csp convention; Django keeps it in
  ``request._csp_nonce``), so the geometry maps in the admin still load;
- stamps the nonce on the inline ``<script>`` and ``<style>`` elements of
  pygeoapi's HTML pages (``/ogc/...?f=html``), which are Jinja2 templates we do
  not own. That is safe because pygeoapi autoescapes every value it renders
  (``select_autoescape()``) and its ``to_json`` filter escapes ``<`` and ``>``,
  so no ``<script`` or ``<style`` in its output can come from data.
"""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Callable
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from django.conf import settings
from django.middleware.csp import ContentSecurityPolicyMiddleware, get_nonce
from django.utils.csp import CSP

if TYPE_CHECKING:  # settings import this module: keep django.http out of it
    from django.http import HttpRequest, HttpResponseBase

#: Leaflet URL template placeholders that may stand in a host name ({s}.tile…).
_PLACEHOLDER = re.compile(r"\{[^}]*\}")
#: Opening tags of inline elements in pygeoapi pages that lack a nonce.
_INLINE_TAG = re.compile(rb"<(script|style)\b(?![^>]*\bnonce=)", re.IGNORECASE)


#: Inline event handlers of pygeoapi's templates (the catalogue's search form in
#: collections/items/index.html), allowed by hash on pygeoapi's pages only.
PYGEOAPI_HANDLERS = (
    "checkSpatialFilter()",
    "submitForm();",
    "document.getElementById('searchForm').reset();",
)
#: The <style> element Swagger UI (ogc/static/ogc/vendor/swagger-ui) inserts at run time.
SWAGGER_UI_STYLE_HASH = "'sha256-RL3ie0nH+Lzz2YNqQN83mnU0J1ot4QL7b99vMdIX99w='"


def source_hash(text: str) -> str:
    """A CSP hash-source (``'sha256-…'``) of an inline script or handler."""
    digest = hashlib.sha256(text.encode()).digest()
    return f"'sha256-{base64.b64encode(digest).decode()}'"


def pygeoapi_policy(policy: dict[str, list[str]]) -> dict[str, list[str]]:
    """The site policy plus what pygeoapi's own HTML needs (and nothing for data)."""
    return {
        **policy,
        "script-src-attr": [CSP.UNSAFE_HASHES, *map(source_hash, PYGEOAPI_HANDLERS)],
        "style-src-elem": [*policy["style-src-elem"], SWAGGER_UI_STYLE_HASH],
    }


def basemap_sources(url: str) -> list[str]:
    """The CSP source expression(s) for a Leaflet tile URL template.

    ``https://tile.openstreetmap.org/{z}/{x}/{y}.png`` → ``https://tile.openstreetmap.org``;
    a placeholder in the host (``https://{s}.tile.example.org/…``) becomes a
    wildcard label (``https://*.tile.example.org``). An empty or relative URL
    (tiles from our own server) needs nothing beyond ``'self'``.
    """
    if not url:
        return []
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return []
    host = parts.netloc.rsplit("@", 1)[-1]
    labels = [("*" if _PLACEHOLDER.search(label) else label) for label in host.split(".")]
    if "*" in labels[1:]:
        # CSP allows a wildcard only as the leftmost label: keep the labels
        # after the last placeholder (tiles.{s}.example.org → *.example.org).
        labels = ["*", *labels[len(labels) - labels[::-1].index("*"):]]
    return [f"{parts.scheme}://{'.'.join(labels)}"]


def content_security_policy(basemap_url: str) -> dict[str, list[str]]:
    """``SECURE_CSP`` for Taksi (see the module docstring for the reasons)."""
    return {
        "default-src": [CSP.SELF],
        "script-src": [CSP.SELF, CSP.NONCE],
        # Browsers without style-src-elem/-attr fall back to style-src (style
        # attributes then ignored: cosmetic only).
        "style-src": [CSP.SELF, CSP.NONCE],
        "style-src-elem": [CSP.SELF, CSP.NONCE],
        "style-src-attr": [CSP.UNSAFE_INLINE],
        # data: for the SVG icons inside Bootstrap's CSS on pygeoapi's pages.
        "img-src": [CSP.SELF, "data:", *basemap_sources(basemap_url)],
        "font-src": [CSP.SELF],
        "connect-src": [CSP.SELF],
        "worker-src": [CSP.NONE],
        "object-src": [CSP.NONE],
        "base-uri": [CSP.SELF],
        "form-action": [CSP.SELF],
        "frame-ancestors": [CSP.NONE],
    }


#: Media types a browser renders as a document (and so applies a policy to).
DOCUMENT_TYPES = ("text/html", "application/xhtml+xml", "image/svg+xml", "text/xml",
                  "application/xml")
#: The policy of responses that are not documents (OWASP REST Security Cheat Sheet).
NON_DOCUMENT_POLICY = {"default-src": [CSP.NONE], "frame-ancestors": [CSP.NONE]}


def is_document(response: HttpResponseBase) -> bool:
    media_type = response.get("Content-Type", "").split(";")[0].strip().lower()
    return media_type in DOCUMENT_TYPES


class DocumentCspMiddleware(ContentSecurityPolicyMiddleware):
    """``SECURE_CSP`` on documents, ``NON_DOCUMENT_POLICY`` on everything else.

    A policy a view chose itself (``response._csp_config``, as set by
    ``django.views.decorators.csp`` and by ``CspNonceMiddleware``) is kept.
    """

    def process_response(self, request: HttpRequest,
                         response: HttpResponseBase) -> HttpResponseBase:
        if not hasattr(response, "_csp_config") and not is_document(response):
            response._csp_config = NON_DOCUMENT_POLICY
        return super().process_response(request, response)


def _is_pygeoapi_page(request: HttpRequest, response: HttpResponseBase) -> bool:
    return (
        (request.path == "/ogc" or request.path.startswith("/ogc/"))
        and response.get("Content-Type", "").startswith("text/html")
        and not response.streaming
        and not response.has_header("Content-Encoding")
    )


class CspNonceMiddleware:
    """The nonce for django-leaflet's admin widget and pygeoapi's inline elements.

    Goes *inside* ``ContentSecurityPolicyMiddleware`` (later in MIDDLEWARE),
    so the nonce it uses is in the header that middleware writes, and inside
    the gzip middleware, so it edits the plain body.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        nonce = get_nonce(request)
        if nonce is not None:
            request.csp_nonce = nonce
        response = self.get_response(request)
        if nonce is not None and _is_pygeoapi_page(request, response):
            stamp = f'<\\1 nonce="{nonce}"'.encode()
            response.content = _INLINE_TAG.sub(stamp, response.content)
            # Read by ContentSecurityPolicyMiddleware, as django.views.decorators.csp sets it.
            response._csp_config = pygeoapi_policy(settings.SECURE_CSP)
        return response
