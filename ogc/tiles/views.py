"""Views of OGC API - Tiles, routed in ``ogc.urls``.

Errors go through ``ogc.views.ogc_view`` (``ogc.errors`` → OGC exception JSON):
an unknown collection, tile matrix set or out-of-range tile is a 404 naming
the path parameter; an unknown query parameter or format is a 400.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import morecantile
from django.http import HttpRequest, HttpResponse, JsonResponse
from pygeoapi.api import APIRequest
from pygeoapi.util import render_j2_template

from layers.registry import LayerDeclaration, get_layer
from ogc.config import get_api
from ogc.errors import InvalidParameterValue, NotFound
from ogc.offline_assets import localise_assets
from ogc.providers import pool
from ogc.tiles import cache, documents
from ogc.tiles.matrix import get_tms, parse_tile, tile_matrix_set_document
from ogc.tiles.sql import render_tile
from ogc.versions import VERSION_SQL, DataVersion, layer_tables
from ogc.views import ogc_view

JSON_ONLY = {"f": ("json",)}
JSON_OR_HTML = {"f": ("json", "html")}
TILESET_FORMATS = {"f": ("json", "tilejson")}
TILE_FORMATS = {"f": ("mvt",)}


def _check_query(params: Mapping[str, str], accepted: dict[str, tuple[str, ...]]) -> None:
    """400 for a parameter the endpoint does not declare or a format it cannot give.

    ``lang`` is accepted everywhere (as on the rest of the API); anything
    else unknown is refused rather than ignored (OGC API Tiles leaves it open,
    Taksi answers as OGC API Features /rec/core/query-param-unknown advises).
    """
    allowed = {*accepted, "lang"}
    unknown = sorted(set(params) - allowed)
    if unknown:
        raise InvalidParameterValue(
            f"unknown query parameter(s): {', '.join(unknown)}; "
            f"accepted: {', '.join(sorted(allowed))}"
        )
    for name, choices in accepted.items():
        if name in params and params[name] not in choices:
            raise InvalidParameterValue(
                f"{name}={params[name]!r} is not available here; use one of: {', '.join(choices)}"
            )


def _lang(request: HttpRequest) -> str:
    return "en" if request.GET.get("lang", "").lower().startswith("en") else "id"


def _current_version(layer: LayerDeclaration) -> DataVersion:
    """``versions.layer_version`` on the feature queries' pool (``ogc.providers.pool``).

    A repeated tile is this one query and a cache read; on Django's connection
    it also paid GeoDjango's adapter registration at every checkout (~0.4 ms,
    a fifth of a cached tile's CPU). Both read the latest committed version.
    """
    row = pool.fetchone(VERSION_SQL, [list(layer_tables(layer.id))])
    assert row is not None  # an aggregate always returns a row
    return DataVersion(int(row[0]), row[1])


def _layer_or_404(collection_id: str) -> LayerDeclaration:
    try:
        return get_layer(collection_id)
    except KeyError:
        raise NotFound(f"collection {collection_id!r} not found") from None


def _json(document: dict[str, Any]) -> JsonResponse:
    return JsonResponse(document, json_dumps_params={"ensure_ascii": False})


def _json_or_html(request: HttpRequest, document: dict[str, Any],
                  template: str) -> HttpResponse:
    """JSON, or HTML through pygeoapi's own template (its landing page links
    ``/TileMatrixSets?f=html``), with the assets served locally."""
    if request.GET.get("f") != "html":
        return _json(document)
    api = get_api()
    locale = APIRequest.from_django(request, api.locales).locale
    html = render_j2_template(api.tpl_config, api.tpl_config, template, document, locale)
    return HttpResponse(localise_assets(html), content_type="text/html; charset=utf-8")


def _bbox(layer: LayerDeclaration) -> list[float]:
    """The layer's extent, as computed (and periodically refreshed) by ``ogc.config``."""
    return list(get_api().config["resources"][layer.id]["extents"]["spatial"]["bbox"])


@ogc_view
def tile_matrix_sets(request: HttpRequest) -> HttpResponse:
    _check_query(request.GET, JSON_OR_HTML)
    return _json_or_html(request, documents.tile_matrix_sets_document(),
                         "tilematrixsets/index.html")


@ogc_view
def tile_matrix_set(request: HttpRequest, tms_id: str) -> HttpResponse:
    document = tile_matrix_set_document(tms_id)
    _check_query(request.GET, JSON_OR_HTML)
    return _json_or_html(request, document, "tilematrixsets/tilematrixset.html")


@ogc_view
def tilesets(request: HttpRequest, collection_id: str) -> HttpResponse:
    layer = _layer_or_404(collection_id)
    _check_query(request.GET, JSON_ONLY)
    return _json(documents.tilesets_document(layer, _lang(request)))


@ogc_view
def tileset(request: HttpRequest, collection_id: str, tms_id: str) -> HttpResponse:
    layer = _layer_or_404(collection_id)
    get_tms(tms_id)
    _check_query(request.GET, TILESET_FORMATS)
    if request.GET.get("f") == "tilejson":
        return _json(documents.tilejson_document(layer, tms_id, _bbox(layer), _lang(request)))
    return _json(documents.tileset_document(layer, tms_id, _bbox(layer), _lang(request)))


@ogc_view
def tile(request: HttpRequest, collection_id: str, tms_id: str, tile_matrix: str,
         tile_row: str, tile_col: str) -> HttpResponse:
    """One Mapbox vector tile (/req/mvt), from the cache when the data is unchanged.

    An empty tile is ``204 No Content`` (OGC API Tiles /req/core/tc-success
    allows 204 for a tile without data): no body for clients to decode, and
    still an ETag so it is revalidated like any other tile.
    """
    layer = _layer_or_404(collection_id)
    xyz = parse_tile(tms_id, tile_matrix, tile_row, tile_col)
    _check_query(request.GET, TILE_FORMATS)
    version = _current_version(layer)
    tag = cache.etag(layer, tms_id, xyz, version)
    response = cache.not_modified(request, tag)
    if response is not None:
        return response
    key = cache.cache_key(layer, tms_id, xyz, version)
    content = cache.get_cached(key)
    if content is None:
        built = cache.build_once(key, lambda: _render_and_cache(layer, tms_id, xyz))
        if built is not None:
            content, tag = built
        else:  # another thread built it meanwhile
            content = cache.get_cached(key)
            if content is None:  # evicted at once (tiny cache): build it here
                content, tag = _render_and_cache(layer, tms_id, xyz)
    return _tile_response(content, tag)


def _render_and_cache(layer: LayerDeclaration, tms_id: str,
                      xyz: morecantile.Tile) -> tuple[bytes, str]:
    """Build the tile; key and tag it by the version read in the same snapshot."""
    rendered = render_tile(layer, xyz)
    cache.put_cached(cache.cache_key(layer, tms_id, xyz, rendered.version), rendered.content)
    return rendered.content, cache.etag(layer, tms_id, xyz, rendered.version)


def _tile_response(content: bytes, tag: str) -> HttpResponse:
    if content:
        response = HttpResponse(content, content_type=documents.MVT)
    else:
        response = HttpResponse(status=204)
        del response["Content-Type"]
    cache.add_caching_headers(response, tag)
    return response
