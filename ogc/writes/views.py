"""HTTP methods of the item routes: reads go to ``ogc.views``, writes to ``operations``.

``/collections/{id}/items``: GET/HEAD (the items view), OPTIONS, POST (create).
``/collections/{id}/items/{fid}``: GET/HEAD with an ETag, OPTIONS, PUT, PATCH, DELETE.
``OPTIONS`` answers ``Allow`` with the methods this user may use: QGIS decides
from it whether a layer is editable (it sends OPTIONS on both routes).

Writes take no query parameters but ``lang`` (400 naming any other), answer
in the OGC exception shape, and are never cached (``ogc.visibility.mark_response``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseNotModified
from django.utils import translation
from django.utils.http import parse_etags
from django.views.decorators.csrf import csrf_exempt

from layers.errors import LayerError, feature_not_found_text
from layers.registry import LayerDeclaration, get_layer, published_layers
from ogc import views as read_views
from ogc.config import get_api, get_provider, ogc_base_url
from ogc.crs import CRS84, Crs, content_crs_header, parse_crs
from ogc.errors import (
    InvalidParameterValue,
    MethodNotAllowed,
    NotFound,
    OgcError,
    PreconditionFailed,
    error_response,
    layer_error,
)
from ogc.responses import GEOJSON, feature_links, with_links
from ogc.visibility import mark_response, reading_as
from ogc.writes import WRITABLE, access, body, etags, operations
from ogc.writes.operations import Written

READ = ("GET", "HEAD", "OPTIONS")
ITEMS_WRITE = ("POST",)
ITEM_WRITE = ("PUT", "PATCH", "DELETE")


def request_language(request: HttpRequest) -> str:
    """``?lang=`` (as the OGC API reads take it), else the site's language cookie, else
    Indonesian (``spatial.language`` has activated the cookie's choice already)."""
    wanted = request.GET.get("lang")
    if wanted is None:
        return translation.get_language() or settings.LANGUAGE_CODE
    try:
        return translation.get_supported_language_variant(wanted.strip())
    except LookupError as exc:
        offered = ", ".join(code for code, _name in settings.LANGUAGES)
        raise InvalidParameterValue(
            f"lang: {wanted!r} tidak tersedia; pilihan: {offered}. / "
            f"lang: {wanted!r} is not offered; choose one of: {offered}.") from exc


def write_endpoint(handler: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Errors of both apps in the OGC shape; what is read inside is what the user may see.

    The handler runs in the request's language (``request_language``): the
    per-property messages of a 422 come from the import's and Django's
    catalogue in that language; every other refusal is written in both.
    """

    @csrf_exempt  # the CSRF check runs in ``access.writer``, after the 401 for anonymous
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        language = settings.LANGUAGE_CODE
        with reading_as(getattr(request, "user", None)):
            try:
                language = request_language(request)
                with translation.override(language):
                    response = handler(request, *args, **kwargs)
            except OgcError as error:
                response = error_response(error)
            except LayerError as error:
                response = error_response(layer_error(error))
            mark_response(response)
        response["Content-Language"] = language
        return response

    wrapper.__name__ = handler.__name__
    wrapper.__doc__ = handler.__doc__
    return wrapper


def feature_layer(collection_id: str) -> LayerDeclaration | None:
    """The declaration of a published feature layer, None for other collections."""
    return get_layer(collection_id) if collection_id in {
        layer.id for layer in published_layers()} else None


def _known_or_404(collection_id: str) -> None:
    if feature_layer(collection_id) is None and get_api().config["resources"].get(
            collection_id, {}).get("type") != "collection":
        raise NotFound(f"collection {collection_id!r} not found")


def _allow(collection_id: str, request: HttpRequest, item_id: str | None = None) -> str:
    """The methods this user may use here (``OPTIONS``, and ``Allow`` of a 405).

    On the items: POST for a write role on a writable layer. On an item: what
    this user may do to this row as it is now (``access.item_methods``).
    """
    user = getattr(request, "user", None)
    layer = feature_layer(collection_id) if collection_id in WRITABLE else None
    if layer is None or user is None or not user.is_authenticated or not access.may_write(user):
        return ", ".join(READ)
    if item_id is None:
        return ", ".join(READ + ITEMS_WRITE)
    pk = etags.parse_pk(item_id)
    obj = layer.visible_queryset(user).filter(pk=pk).first() if pk is not None else None
    return ", ".join(READ + access.item_methods(user, obj))


def _options(request: HttpRequest, collection_id: str, item_id: str | None = None
             ) -> HttpResponse:
    _known_or_404(collection_id)
    response = HttpResponse(status=200)
    response["Allow"] = _allow(collection_id, request, item_id)
    return response


def writable_layer(request: HttpRequest, collection_id: str) -> LayerDeclaration:
    """The layer of a write: 404 unknown, 405 read-only (with Allow), 400 query parameters."""
    _known_or_404(collection_id)
    if collection_id not in WRITABLE:
        raise MethodNotAllowed(
            f"{request.method}: koleksi {collection_id!r} hanya dibaca; yang bisa ditulis: "
            f"{', '.join(sorted(WRITABLE))}. / collection {collection_id!r} is read-only; "
            f"writable: {', '.join(sorted(WRITABLE))}.", headers={"Allow": ", ".join(READ)})
    others = sorted(set(request.GET) - {"lang"})
    if others:
        raise InvalidParameterValue(
            f"{request.method} tidak menerima parameter query selain lang: {', '.join(others)}."
            f" / {request.method} takes no query parameters but lang: {', '.join(others)}.")
    return get_layer(collection_id)


def _content_crs(request: HttpRequest) -> Crs:
    """``Content-Crs: <uri>`` (OGC API Features Part 2 /req/crs/ogc-crs-header); CRS84 if absent."""
    value = request.META.get("HTTP_CONTENT_CRS", "").strip().removeprefix("<").removesuffix(">")
    return parse_crs(value, "Content-Crs") if value else CRS84


def pk_or_404(layer: LayerDeclaration, item_id: str) -> int:
    pk = etags.parse_pk(item_id)
    if pk is None:
        raise NotFound(feature_not_found_text(layer.id, item_id))
    return pk


def _document(request: HttpRequest, accepted: tuple[str, ...]) -> Any:
    body.check_media_type(request, accepted)
    return body.parse_json(body.read_body(request))


def feature_response(request: HttpRequest, layer: LayerDeclaration, written: Written,
                     status: int) -> HttpResponse:
    """The feature as a GET shows it, with its new ETag (and Location when created)."""
    text = get_provider(layer.id).feature_text(str(written.pk), CRS84)
    collection_url = f"{ogc_base_url()}/collections/{layer.id}"
    response = HttpResponse(with_links(text, feature_links(collection_url, str(written.pk), {}))
                            .encode(), content_type=GEOJSON, status=status)
    response["Content-Crs"] = content_crs_header(CRS84)
    response["Taksi-State"] = written.state
    if written.created:
        response["Location"] = f"{collection_url}/items/{written.pk}"
    etags.encode_with_etag(request, response, etags.etag(written.version,
                                                         etags.write_variant(request)))
    return response


# -- /collections/{id}/items ------------------------------------------------------


@csrf_exempt
def items(request: HttpRequest, collection_id: str) -> HttpResponse:
    if request.method in ("GET", "HEAD"):
        return read_views.items(request, collection_id)
    return _items_other(request, collection_id)


@write_endpoint
def _items_other(request: HttpRequest, collection_id: str) -> HttpResponse:
    if request.method == "OPTIONS":
        return _options(request, collection_id)
    if request.method != "POST":
        _known_or_404(collection_id)
        raise MethodNotAllowed(f"{request.method} not allowed",
                               headers={"Allow": _allow(collection_id, request)})
    layer = writable_layer(request, collection_id)
    user = access.writer(request)
    access.require_write_role(user)
    if_match = request.META.get("HTTP_IF_MATCH")
    if if_match and "*" not in parse_etags(if_match):  # the collection has no ETag to match
        raise PreconditionFailed(f"POST: If-Match {if_match!r} tidak cocok / does not match")
    document = _document(request, body.FEATURE_TYPES)
    written = operations.create(layer, user, document, _content_crs(request))
    return feature_response(request, layer, written, 201)


# -- /collections/{id}/items/{fid} ------------------------------------------------


@csrf_exempt
def item(request: HttpRequest, collection_id: str, item_id: str) -> HttpResponse:
    if request.method in ("GET", "HEAD"):
        return read_item(request, collection_id, item_id)
    return _item_other(request, collection_id, item_id)


@read_views.ogc_view
def read_item(request: HttpRequest, collection_id: str, item_id: str) -> HttpResponse:
    """The item view, with a strong ETag taken before the body (``etags.read_version``),
    a 304 for a current ``If-None-Match``, and the publication state as ``Taksi-State``."""
    layer = feature_layer(collection_id)
    found = etags.read_version(layer, item_id) if layer is not None else None
    tag = etags.etag(found[0], etags.request_variant(request)) if found else None
    if tag and etags.if_none_match(request, tag):
        not_modified = HttpResponseNotModified()
        not_modified["ETag"] = tag
        return not_modified
    response = read_views.item(request, collection_id, item_id)
    if tag and found and response.status_code == 200 and not response.streaming:
        etags.encode_with_etag(request, response, tag)
        if found[1]:
            response["Taksi-State"] = found[1]
    return response


@write_endpoint
def _item_other(request: HttpRequest, collection_id: str, item_id: str) -> HttpResponse:
    if request.method == "OPTIONS":
        return _options(request, collection_id, item_id)
    if request.method not in ITEM_WRITE:
        _known_or_404(collection_id)
        raise MethodNotAllowed(f"{request.method} not allowed",
                               headers={"Allow": _allow(collection_id, request, item_id)})
    layer = writable_layer(request, collection_id)
    pk = pk_or_404(layer, item_id)
    user = access.writer(request)
    access.require_write_role(user)
    if_match = request.META.get("HTTP_IF_MATCH")
    if request.method == "DELETE":
        operations.delete(layer, user, pk, if_match)
        return HttpResponse(status=204)
    replace = request.method == "PUT"
    document = _document(request, body.FEATURE_TYPES if replace else body.PATCH_TYPES)
    written = operations.change(layer, user, pk, document, _content_crs(request), if_match,
                                replace=replace)
    return feature_response(request, layer, written, 200)
