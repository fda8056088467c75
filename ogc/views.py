"""Django views for the OGC API at /ogc.

Features as GeoJSON (items, single items), the conformance declaration and the
queryables are answered by Taksi itself: the provider returns the GeoJSON text
PostGIS wrote and ``ogc.responses`` writes the few members around it. Every
other page and format (landing page, collections, OpenAPI, HTML, JSON-LD, CSV)
goes through pygeoapi's API core with the per-process ``API`` from
``ogc.config.get_api`` (``ogc.pygeoapi_calls.dispatch``).

Every response carries ``Access-Control-Allow-Origin: *``: the data is public
and browser clients on other origins (web maps, notebooks) read it directly.
"""

from __future__ import annotations

import copy
import functools
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pygeoapi
import pygeoapi.api as core_api
import pygeoapi.api.itemtypes as itemtypes_api
from django.core.exceptions import SuspiciousFileOperation
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse, QueryDict
from django.views.decorators.csrf import csrf_exempt
from django.views.static import serve
from pygeoapi.api import APIRequest
from pygeoapi.provider.base import ProviderInvalidQueryError, ProviderItemNotFoundError
from pygeoapi.util import render_j2_template

from layers.registry import get_layer, published_layers
from ogc.catalog import check_record_format, check_record_parameters
from ogc.collection_documents import complete_collections
from ogc.config import get_api, get_provider, ogc_base_url
from ogc.conformance import CONFORMANCE
from ogc.crs import CRS84, Crs, parse_crs
from ogc.errors import (
    InvalidParameterValue,
    NotFound,
    OgcError,
    error_response,
    method_not_allowed,
)
from ogc.offline_assets import localise_assets
from ogc.parameters import (
    check_item_parameters,
    check_parameters,
    parse_items_query,
    reject_repeated,
)
from ogc.providers.features import parsed_items_query
from ogc.pygeoapi_calls import dispatch
from ogc.queryables import queryables_document
from ogc.responses import (
    feature_collection,
    feature_links,
    geojson_response,
    items_links,
    with_links,
)
from ogc.visibility import mark_response, reading_as

ITEM_FORMATS = ("json", "html", "jsonld", "csv")
PYGEOAPI_STATIC = Path(pygeoapi.__file__).parent / "static"
SAFE_METHODS = ("GET", "HEAD")


def _collection_or_404(collection_id: str, provider_type: str | None = None) -> None:
    """404 unless a collection exists (processes share ``resources``) and, if asked,
    has a provider of that type (a coverage has no items)."""
    resource = get_api().config["resources"].get(collection_id, {})
    if resource.get("type") != "collection":
        raise NotFound(f"collection {collection_id!r} not found")
    if provider_type and all(p["type"] != provider_type for p in resource["providers"]):
        raise NotFound(f"collection {collection_id!r} has no {provider_type}s")


def _is_feature_layer(collection_id: str) -> bool:
    """A published feature layer (Taksi answers it); else 404 unless pygeoapi knows it.

    Collections that other parts of the API add to the pygeoapi config (a
    records catalogue, say) are handed to pygeoapi's own handlers unchanged.
    """
    if collection_id in _layer_ids():
        return True
    _collection_or_404(collection_id)
    return False


@functools.cache
def _layer_ids() -> frozenset[str]:
    return frozenset(layer.id for layer in published_layers())


def _format(request: HttpRequest, allowed: tuple[str, ...]) -> str:
    """``f`` when given (a 400 if unknown), else HTML only for browsers asking for it."""
    requested = request.GET.get("f")
    if requested is not None:
        if requested not in allowed:
            raise InvalidParameterValue(f"f: {requested!r} is not one of {', '.join(allowed)}")
        return requested
    accept = request.META.get("HTTP_ACCEPT", "")  # request.headers copies all of META
    return "html" if "text/html" in accept else "json"


def _with_only(request: HttpRequest, names: set[str]) -> HttpRequest:
    """The request as pygeoapi should see it: only the parameters it renders links from.

    The filters themselves reach the provider already parsed
    (``parsed_items_query``), so pygeoapi's own checks cannot contradict ours.
    """
    clone = copy.copy(request)
    clone.GET = QueryDict(mutable=True)
    for name in names & set(request.GET):
        clone.GET[name] = request.GET[name]
    return clone


def ogc_view(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """GET/HEAD only, OGC errors answered as JSON, CORS open for reading.

    Any other method is a 405 in the same JSON shape with ``Allow`` (RFC 9110
    §15.5.6), not Django's empty ``require_safe`` page. Everything the view
    reads is what the request's user may see (``ogc.visibility``: staff with a
    token or a session also see unpublished rows), and the response says so
    to HTTP caches.
    """

    @csrf_exempt  # read-only endpoints; a POST must get 405, not a CSRF 403
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        with reading_as(getattr(request, "user", None)):
            try:
                if request.method not in SAFE_METHODS:
                    raise method_not_allowed(request.method, SAFE_METHODS)
                reject_repeated(request.GET)
                response = view(request, *args, **kwargs)
            except ProviderItemNotFoundError as error:
                response = error_response(NotFound(str(error.user_msg or error)))
            except ProviderInvalidQueryError as error:
                response = error_response(InvalidParameterValue(str(error.user_msg or error)))
            except OgcError as error:
                response = error_response(error)
            mark_response(response)
        response["Access-Control-Allow-Origin"] = "*"
        return response

    wrapper.__name__ = view.__name__
    wrapper.__doc__ = view.__doc__
    return wrapper


@ogc_view
def landing_page(request: HttpRequest) -> HttpResponse:
    check_parameters(request.GET)
    return dispatch(core_api.landing_page, request)


@ogc_view
def openapi(request: HttpRequest) -> HttpResponse:
    check_parameters(request.GET)
    return dispatch(core_api.openapi_, request)


@ogc_view
def conformance(request: HttpRequest) -> HttpResponse:
    """Exactly the classes in ``ogc.conformance`` (not pygeoapi's plugin-derived list)."""
    check_parameters(request.GET)
    document = {"conformsTo": CONFORMANCE}
    if _format(request, ("json", "html")) == "json":
        return JsonResponse(document)
    api = get_api()
    api_request = APIRequest.from_django(request, api.locales)
    html = render_j2_template(api.tpl_config, api.config["server"]["templates"],
                              "conformance.html", document, api_request.locale)
    return HttpResponse(localise_assets(html), content_type="text/html; charset=utf-8")


@ogc_view
def collections(request: HttpRequest, collection_id: str | None = None) -> HttpResponse:
    check_parameters(request.GET)
    if collection_id is not None:
        _collection_or_404(collection_id)
    return complete_collections(dispatch(core_api.describe_collections, request, collection_id))


@ogc_view
def queryables(request: HttpRequest, collection_id: str) -> HttpResponse:
    feature_layer = _is_feature_layer(collection_id)
    check_parameters(request.GET)
    if not feature_layer or _format(request, ("json", "html")) == "html":
        return dispatch(itemtypes_api.get_collection_queryables, request, collection_id)
    url = f"{ogc_base_url()}/collections/{collection_id}/queryables"
    document = queryables_document(collection_id, url, request.GET.get("lang", "id"))
    return JsonResponse(document, content_type="application/schema+json",
                        json_dumps_params={"ensure_ascii": False})


@ogc_view
def schema(request: HttpRequest, collection_id: str) -> HttpResponse:
    _collection_or_404(collection_id)
    check_parameters(request.GET)
    return dispatch(core_api.get_collection_schema, request, collection_id)


@ogc_view
def items(request: HttpRequest, collection_id: str) -> HttpResponse:
    """Items; every parameter is validated first (400 naming it), GeoJSON built by PostGIS."""
    if not _is_feature_layer(collection_id):
        _collection_or_404(collection_id, "record")  # a coverage or a process has no items
        check_record_parameters(request.GET)
        return dispatch(itemtypes_api.get_collection_items, request, collection_id)
    fmt = _format(request, ITEM_FORMATS)
    params = request.GET.dict()
    query = parse_items_query(params, collection_id)
    _crs84_unless_geojson(fmt, query.crs)
    if fmt != "json":
        with parsed_items_query(query):
            return dispatch(itemtypes_api.get_collection_items,
                            _with_only(request, {"f", "lang", "limit", "offset"}), collection_id,
                            page_titles=_items_titles(collection_id))
    page = get_provider(collection_id).page(query)
    base = f"{ogc_base_url()}/collections/{collection_id}/items"
    links = items_links(base, params, query, page)
    return geojson_response(feature_collection(page, links, query), query.crs)


def _items_titles(collection_id: str) -> dict[str, str]:
    """"Fitur · Fasilitas umum", in English "Items · Public facilities"."""
    title = get_layer(collection_id).title.as_dict()
    return {"id": f"Fitur · {title['id']} · Taksi",
            "en": f"Items · {title.get('en') or title['id']} · Taksi"}


@ogc_view
def item(request: HttpRequest, collection_id: str, item_id: str) -> HttpResponse:
    if not _is_feature_layer(collection_id):
        _collection_or_404(collection_id, "record")  # a coverage or a process has no items
        check_parameters(request.GET)
        check_record_format(request.GET)
        return dispatch(itemtypes_api.get_collection_item, request, collection_id, item_id)
    check_item_parameters(request.GET)
    crs = parse_crs(request.GET.get("crs"), "crs")
    fmt = _format(request, ("json", "html", "jsonld"))
    _crs84_unless_geojson(fmt, crs)
    if fmt != "json":
        return dispatch(itemtypes_api.get_collection_item, request, collection_id, item_id)
    feature = get_provider(collection_id).feature_text(item_id, crs)
    collection_url = f"{ogc_base_url()}/collections/{collection_id}"
    links = feature_links(collection_url, item_id, request.GET.dict())
    return geojson_response(with_links(feature, links), crs)


def _crs84_unless_geojson(fmt: str, crs: Crs) -> None:
    """Only GeoJSON is served in other CRSs (Features Part 2 /req/crs/crs-action).

    The HTML page draws the features on a Leaflet map, which takes longitude and
    latitude; JSON-LD (schema.org) and CSV carry no CRS. Rather than UTM metres
    on a map of degrees, or a silently ignored ``crs``, a 400 says where to ask.
    """
    if crs.uri != CRS84.uri and fmt != "json":
        raise InvalidParameterValue(
            f"crs: f={fmt} is always in CRS84 (longitude/latitude); ask for "
            f"{crs.uri} with f=json (GeoJSON)"
        )


@ogc_view
def not_found(request: HttpRequest, path: str = "") -> HttpResponse:
    """Any other /ogc/... path: an OGC exception in JSON, not Django's HTML 404 page."""
    raise NotFound(f"/ogc/{path}: no such resource; start at {ogc_base_url()}/")


@ogc_view
def static_asset(request: HttpRequest, path: str) -> HttpResponse:
    """pygeoapi's CSS and JavaScript (its HTML templates load them from /ogc/static/).

    A name the file system refuses (over 255 bytes: ENAMETOOLONG, an
    OSError) or one that leaves the folder (``..``: Django's
    SuspiciousFileOperation, an HTML 400) is simply a file that is not
    there: the API's JSON 404.
    """
    try:
        return serve(request, path, document_root=PYGEOAPI_STATIC)
    except (Http404, OSError, SuspiciousFileOperation):
        raise NotFound(f"/ogc/static/{path[:80]}: no such file") from None
