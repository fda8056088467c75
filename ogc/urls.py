"""OGC API routes, mounted at ``/ogc`` without a trailing-slash redirect.

Both ``/ogc`` and ``/ogc/`` answer with the landing page: QGIS does not follow
a redirect there. Every other route is strict (``api_rules.strict_slashes``).
"""

from django.urls import path, re_path

from ogc import service_views, views
from ogc.tiles import views as tiles
from ogc.writes import history as write_history
from ogc.writes import views as writes

urlpatterns = [
    path("", views.landing_page, name="ogc-landing-slash"),
    path("openapi", views.openapi, name="ogc-openapi"),
    path("conformance", views.conformance, name="ogc-conformance"),
    path("collections", views.collections, name="ogc-collections"),
    path("collections/<str:collection_id>", views.collections, name="ogc-collection"),
    path("collections/<str:collection_id>/queryables", views.queryables,
         name="ogc-queryables"),
    path("collections/<str:collection_id>/schema", views.schema, name="ogc-schema"),
    # GET/HEAD go to ``views``; OPTIONS, POST, PUT, PATCH, DELETE (OGC API Features
    # Part 4) to ``ogc.writes``.
    path("collections/<str:collection_id>/items", writes.items, name="ogc-items"),
    path("collections/<str:collection_id>/items/<str:item_id>", writes.item, name="ogc-item"),
    path("collections/<str:collection_id>/items/<str:item_id>/history",
         write_history.history, name="ogc-item-history"),
    path("collections/<str:collection_id>/items/<str:item_id>/history/<str:version>/restore",
         write_history.restore, name="ogc-item-restore"),
    # OGC API - Tiles. pygeoapi's landing page links /TileMatrixSets; the
    # standard's path is /tileMatrixSets: both answer.
    path("tileMatrixSets", tiles.tile_matrix_sets, name="ogc-tile-matrix-sets"),
    path("TileMatrixSets", tiles.tile_matrix_sets),
    path("tileMatrixSets/<str:tms_id>", tiles.tile_matrix_set, name="ogc-tile-matrix-set"),
    path("TileMatrixSets/<str:tms_id>", tiles.tile_matrix_set),
    path("collections/<str:collection_id>/tiles", tiles.tilesets, name="ogc-tilesets"),
    path("collections/<str:collection_id>/tiles/<str:tms_id>", tiles.tileset,
         name="ogc-tileset"),
    path("collections/<str:collection_id>/tiles/<str:tms_id>/<str:tile_matrix>/<str:tile_row>"
         "/<str:tile_col>", tiles.tile, name="ogc-tile"),
    path("collections/<str:collection_id>/coverage", service_views.coverage,
         name="ogc-coverage"),
    path("processes", service_views.processes, name="ogc-processes"),
    path("processes/<str:process_id>", service_views.process, name="ogc-process"),
    path("processes/<str:process_id>/execution", service_views.execution,
         name="ogc-execution"),
    path("jobs/<str:job_id>", service_views.job, name="ogc-job"),
    path("jobs/<str:job_id>/results", service_views.job, {"results": True},
         name="ogc-job-results"),
    # pygeoapi's HTML templates load their CSS/JS from {server.url}/static/.
    path("static/<path:path>", views.static_asset, name="ogc-static"),
    # Everything else under /ogc/ is an OGC exception in JSON (404), not Django's page.
    re_path(r"^(?P<path>.*)$", views.not_found, name="ogc-not-found"),
]
