"""Serve pygeoapi's HTML pages without any CDN.

pygeoapi's templates load Bootstrap, Leaflet, MarkerCluster and Swagger UI
from unpkg. Taksi must work on a city network with no internet access and
must not leak visitors to third parties, so each of those URLs is replaced by
a copy in our own static files (versions pinned in ``ogc/static/ogc/vendor``,
with their licences; Leaflet comes from django-leaflet).
"""

from __future__ import annotations

from django.templatetags.static import static

_VENDOR = "ogc/vendor"

CDN_TO_STATIC: dict[str, str] = {
    "https://unpkg.com/bootstrap@5.1.3/dist/css/bootstrap.min.css":
        f"{_VENDOR}/bootstrap/bootstrap.min.css",
    "https://unpkg.com/leaflet@1.3.1/dist/leaflet.css": "leaflet/leaflet.css",
    "https://unpkg.com/leaflet@1.3.1/dist/leaflet.js": "leaflet/leaflet.js",
    "https://unpkg.com/leaflet.markercluster/dist/MarkerCluster.css":
        f"{_VENDOR}/markercluster/MarkerCluster.css",
    "https://unpkg.com/leaflet.markercluster/dist/MarkerCluster.Default.css":
        f"{_VENDOR}/markercluster/MarkerCluster.Default.css",
    "https://unpkg.com/leaflet.markercluster/dist/leaflet.markercluster-src.js":
        f"{_VENDOR}/markercluster/leaflet.markercluster.js",
    "https://unpkg.com/swagger-ui-dist/swagger-ui.css": f"{_VENDOR}/swagger-ui/swagger-ui.css",
    "https://unpkg.com/swagger-ui-dist/swagger-ui-bundle.js":
        f"{_VENDOR}/swagger-ui/swagger-ui-bundle.js",
    "https://unpkg.com/swagger-ui-dist/swagger-ui-standalone-preset.js":
        f"{_VENDOR}/swagger-ui/swagger-ui-standalone-preset.js",
}


def localise_assets(html: str) -> str:
    """Point every known CDN asset in a pygeoapi page at our static copy."""
    for cdn, local in CDN_TO_STATIC.items():
        if cdn in html:
            html = html.replace(cdn, static(local))
    return html
