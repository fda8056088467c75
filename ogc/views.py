"""Django views that hand requests to pygeoapi's API core.

pygeoapi's own ``pygeoapi.django_`` views build a new ``API`` (and read a
static config from settings) on every request; Taksi builds its config from
the layer declarations with data-derived extents, so these views take the
per-process ``API`` from ``ogc.config.get_api`` and otherwise do what
``pygeoapi.django_.views.execute_from_django`` does: convert the request with
``APIRequest.from_django``, call the core function, copy headers back.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pygeoapi.api as core_api
import pygeoapi.api.itemtypes as itemtypes_api
from django.http import HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_safe
from pygeoapi.api import APIRequest, apply_gzip

from ogc.catalog import check_record_parameters, is_record_collection, mark_catalogs
from ogc.config import get_api
from ogc.errors import NotFound, OgcError, error_response
from ogc.offline_assets import localise_assets
from ogc.parameters import check_item_parameters, check_items_parameters, check_parameters


def _dispatch(function: Callable[..., tuple[dict, int, Any]], request: HttpRequest,
              *args: str) -> HttpResponse:
    api = get_api()
    api_request = APIRequest.from_django(request, api.locales)
    if not api_request.is_valid():
        headers, status, content = api.get_format_exception(api_request)
    else:
        headers, status, content = function(api, api_request, *args)
        if isinstance(content, str) and "text/html" in headers.get("Content-Type", ""):
            content = localise_assets(content)
        content = apply_gzip(headers, content)
    response = HttpResponse(content, status=status)
    for key, value in headers.items():
        response[key] = value
    return response


def _collection_or_404(collection_id: str, provider_type: str | None = None) -> None:
    """404 unless a collection exists (processes share ``resources``) and, if asked,
    has a provider of that type (a coverage has no items)."""
    resource = get_api().config["resources"].get(collection_id, {})
    if resource.get("type") != "collection":
        raise NotFound(f"collection {collection_id!r} not found")
    if provider_type and all(p["type"] != provider_type for p in resource["providers"]):
        raise NotFound(f"collection {collection_id!r} has no {provider_type}s")


def ogc_view(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """GET/HEAD only, and Taksi's own OGC errors answered as JSON."""

    @csrf_exempt  # read-only endpoints; a POST must get 405, not a CSRF 403
    @require_safe
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except OgcError as error:
            return error_response(error)

    wrapper.__name__ = view.__name__
    wrapper.__doc__ = view.__doc__
    return wrapper


@ogc_view
def landing_page(request: HttpRequest) -> HttpResponse:
    check_parameters(request.GET)
    return _dispatch(core_api.landing_page, request)


@ogc_view
def openapi(request: HttpRequest) -> HttpResponse:
    check_parameters(request.GET)
    return _dispatch(core_api.openapi_, request)


@ogc_view
def conformance(request: HttpRequest) -> HttpResponse:
    check_parameters(request.GET)
    return _dispatch(core_api.conformance, request)


@ogc_view
def collections(request: HttpRequest, collection_id: str | None = None) -> HttpResponse:
    check_parameters(request.GET)
    return mark_catalogs(_dispatch(core_api.describe_collections, request, collection_id))


@ogc_view
def queryables(request: HttpRequest, collection_id: str) -> HttpResponse:
    _collection_or_404(collection_id)
    check_parameters(request.GET)
    return _dispatch(itemtypes_api.get_collection_queryables, request, collection_id)


@ogc_view
def schema(request: HttpRequest, collection_id: str) -> HttpResponse:
    _collection_or_404(collection_id)
    check_parameters(request.GET)
    return _dispatch(core_api.get_collection_schema, request, collection_id)


@ogc_view
def items(request: HttpRequest, collection_id: str) -> HttpResponse:
    """Items, after rejecting parameters the endpoint does not declare (400, not ignored)."""
    if is_record_collection(collection_id):
        _collection_or_404(collection_id, "record")
        check_record_parameters(request.GET)
    else:
        _collection_or_404(collection_id, "feature")
        check_items_parameters(request.GET, collection_id)
    return _dispatch(itemtypes_api.get_collection_items, request, collection_id)


@ogc_view
def item(request: HttpRequest, collection_id: str, item_id: str) -> HttpResponse:
    _collection_or_404(collection_id, "record" if is_record_collection(collection_id)
                       else "feature")
    check_item_parameters(request.GET)
    return _dispatch(itemtypes_api.get_collection_item, request, collection_id, item_id)

