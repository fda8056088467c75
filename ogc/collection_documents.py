"""What pygeoapi's /collections documents lack or get wrong, fixed in one place.

pygeoapi writes ``storageCrs`` only for feature collections and no ``type``
at all; the standards and the clients need:

- OGC API Records /req/record-collection/mandatory-properties-collection:
  a catalog says ``"type": "Collection"``;
- OGC API Coverages /req/core/collection-description C, D (draft): a coverage
  collection states the CRS its grid is stored in (UTM 51S here) and its
  bounding box in that CRS (``storageCrsBbox``);
- /req/coveragejson/coverage A: the coverage link names CoverageJSON's
  registered media type, the one the response carries (``application/vnd.cov+json``);
- GDAL's OAPIF driver lists every collection as a vector layer unless it says
  ``"layerDataType": "Coverage"`` (the member it reads, after Ecere's servers);
  listed, ``ogrinfo`` errors on the raster's missing items.
"""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpResponse

from layers.health_distance import RASTER_SRID
from ogc.coverages import (
    COVERAGEJSON_TYPE,
    HEALTH_DISTANCE_ID,
    PYGEOAPI_COVERAGEJSON_TYPE,
    storage_crs_bbox,
)

COVERAGE_STORAGE_CRS = {
    HEALTH_DISTANCE_ID: f"http://www.opengis.net/def/crs/EPSG/0/{RASTER_SRID}",
}


def _complete_coverage(collection: dict[str, Any], storage_crs: str) -> None:
    collection["storageCrs"] = storage_crs
    collection["layerDataType"] = "Coverage"
    bbox = storage_crs_bbox()
    spatial = collection.get("extent", {}).get("spatial")
    if bbox and spatial is not None:
        spatial["storageCrsBbox"] = [bbox]
    for link in collection.get("links", []):
        if link.get("type") == PYGEOAPI_COVERAGEJSON_TYPE:
            link["type"] = COVERAGEJSON_TYPE


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
            _complete_coverage(collection, storage)
    response.content = json.dumps(body, ensure_ascii=False).encode()
    return response
