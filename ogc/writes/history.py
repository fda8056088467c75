"""A feature's history and the restore of a version, for staff.

``GET /collections/{id}/items/{fid}/history``: every recorded version, newest
first (``layers.history.feature_history``: who, when, origin, state, the
changed fields from old to new). Anonymous: 401 with a challenge; signed in
without a role: 403; a feature this user may not read (another agency's
draft), or none: 404.

``POST /collections/{id}/items/{fid}/history/{version}/restore``: the data of
that version back on the feature (``operations.restore``), recorded as a new
version with the reason "restored version N"; ``If-Match`` as for PUT while
the feature exists. A deleted feature comes back as a draft (201, Location).
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse

from layers.history import feature_history
from ogc.config import ogc_base_url
from ogc.errors import InvalidParameterValue, MethodNotAllowed, NotFound
from ogc.parameters import check_parameters
from ogc.writes import access, operations
from ogc.writes.validation import property_of_field
from ogc.writes.views import (
    feature_layer,
    feature_response,
    pk_or_404,
    writable_layer,
    write_endpoint,
)


@write_endpoint
def history(request: HttpRequest, collection_id: str, item_id: str) -> HttpResponse:
    if request.method not in ("GET", "HEAD"):
        raise MethodNotAllowed(f"{request.method} not allowed", headers={"Allow": "GET, HEAD"})
    layer = feature_layer(collection_id)
    if layer is None or getattr(layer.model, "history", None) is None:
        raise NotFound(f"collection {collection_id!r} has no feature history")
    check_parameters(request.GET, frozenset({"f", "lang"}))
    if request.GET.get("f", "json") != "json":
        raise InvalidParameterValue("f: history is JSON only (f=json)")
    user = access.require_history_reader(request)
    pk = pk_or_404(layer, item_id)
    entries = feature_history(layer, pk, user)
    names = property_of_field(layer) if layer.import_spec else {}
    for entry in entries:
        for change in entry["changes"]:
            if change["field"] in names:
                change["property"] = names[change["field"]]  # type: ignore[typeddict-unknown-key]
    base = f"{ogc_base_url()}/collections/{layer.id}/items/{pk}"
    document = {
        "collection": layer.id,
        "id": pk,
        "versions": entries,
        "links": [
            {"rel": "self", "type": "application/json", "href": f"{base}/history"},
            {"rel": "item", "type": "application/geo+json", "href": base},
        ],
    }
    return JsonResponse(document, json_dumps_params={"ensure_ascii": False})


@write_endpoint
def restore(request: HttpRequest, collection_id: str, item_id: str,
            version: str) -> HttpResponse:
    if request.method != "POST":
        raise MethodNotAllowed(f"{request.method} not allowed", headers={"Allow": "POST"})
    layer = writable_layer(request, collection_id)
    pk = pk_or_404(layer, item_id)
    if not version.isdigit() or len(version) > 18:
        raise NotFound(f"{layer.id}/{pk}: versi {version!r} tidak ada. / "
                       f"{layer.id}/{pk}: version {version!r} not found.")
    user = access.writer(request)
    access.require_write_role(user)
    written = operations.restore(layer, user, pk, int(version),
                                 request.META.get("HTTP_IF_MATCH"))
    return feature_response(request, layer, written, 201 if written.created else 200)
