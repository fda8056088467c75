"""What pygeoapi's /collections documents lack, added in one place.

pygeoapi writes ``storageCrs`` only for feature collections and no ``type``
at all; two standards need them:

- OGC API Records /req/record-collection/mandatory-properties-collection:
  a catalog says ``"type": "Collection"``;
- OGC API Coverages /req/core/collection-storagecrs (draft): a coverage
  collection states the CRS its grid is stored in (UTM 51S here).
"""

from __future__ import annotations

import json

from django.http import HttpResponse

from layers.health_distance import RASTER_SRID
from ogc.coverages import HEALTH_DISTANCE_ID

COVERAGE_STORAGE_CRS = {
    HEALTH_DISTANCE_ID: f"http://www.opengis.net/def/crs/EPSG/0/{RASTER_SRID}",
}


def complete_collections(response: HttpResponse) -> HttpResponse:
    """Add the missing members to a JSON /collections or /collections/{id} answer."""
    if response.status_code != 200 or not response.get("Content-Type", "").startswith(
        "application/json"
    ) or response.get("Content-Encoding"):
        return response
    body = json.loads(response.content)
    for collection in body.get("collections", [body]):
        if collection.get("itemType") == "record":
            collection["type"] = "Collection"
        storage = COVERAGE_STORAGE_CRS.get(collection.get("id", ""))
        if storage:
            collection["storageCrs"] = storage
    response.content = json.dumps(body, ensure_ascii=False).encode()
    return response
