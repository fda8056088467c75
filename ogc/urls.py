"""OGC API routes, mounted at ``/ogc`` without a trailing-slash redirect.

Both ``/ogc`` and ``/ogc/`` answer with the landing page: QGIS does not follow
a redirect there. Every other route is strict (``api_rules.strict_slashes``).
"""

from pathlib import Path

import pygeoapi
from django.urls import path, re_path
from django.views.static import serve

from ogc import views

PYGEOAPI_STATIC = Path(pygeoapi.__file__).parent / "static"

urlpatterns = [
    path("", views.landing_page, name="ogc-landing-slash"),
    path("openapi", views.openapi, name="ogc-openapi"),
    path("conformance", views.conformance, name="ogc-conformance"),
    path("collections", views.collections, name="ogc-collections"),
    path("collections/<str:collection_id>", views.collections, name="ogc-collection"),
    path("collections/<str:collection_id>/queryables", views.queryables,
         name="ogc-queryables"),
    path("collections/<str:collection_id>/schema", views.schema, name="ogc-schema"),
    path("collections/<str:collection_id>/items", views.items, name="ogc-items"),
    path("collections/<str:collection_id>/items/<str:item_id>", views.item, name="ogc-item"),
    # pygeoapi's HTML templates load their CSS/JS from {server.url}/static/.
    path("static/<path:path>", serve, {"document_root": PYGEOAPI_STATIC}, name="ogc-static"),
    # Everything else under /ogc/ is an OGC exception in JSON (404), not Django's page.
    re_path(r"^(?P<path>.*)$", views.not_found, name="ogc-not-found"),
]
