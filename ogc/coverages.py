"""Raster coverages in the pygeoapi configuration, and their query parameters.

One coverage so far: ``jarak-faskes``, the 50 m grid of straight-line distance
to the nearest health facility built by ``manage.py build_rasters``
(``layers.health_distance``). It is served by our own provider
(``ogc.providers.coverage``) as GeoTIFF (native) and CoverageJSON.

The parameters are checked here, before pygeoapi sees them, because
pygeoapi's coverage endpoint answers an invalid ``bbox`` with a 500 and hands
an unparsed ``subset`` to the provider.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from typing import Any

import rasterio
import rasterio.warp
from django.conf import settings

from layers.health_distance import (
    BAND_NAME,
    BAND_UNIT,
    HEALTH_CATEGORIES,
    RASTER_SRID,
    health_distance_path,
)
from ogc.errors import InvalidParameterValue
from ogc.parameters import check_parameters
from ogc.providers.coverage import BBOX_CRS, CRS84, EASTING, EPSG_URI, LAT, LON, NORTHING

HEALTH_DISTANCE_ID = "jarak-faskes"
#: CoverageJSON's registered media type (/req/coveragejson/coverage A); pygeoapi
#: still writes the older application/prs.coverage+json in links and responses.
COVERAGEJSON_TYPE = "application/vnd.cov+json"
PYGEOAPI_COVERAGEJSON_TYPE = "application/prs.coverage+json"
NATIVE_FORMAT = {"name": "GTiff", "mimetype": "image/tiff; application=geotiff"}
COVERAGE_PARAMETERS = frozenset(
    {"f", "lang", "bbox", "bbox-crs", "subset", "subset-crs", "properties"}
)
FORMATS = ("json", "html", NATIVE_FORMAT["name"])
_NUMBER = r"\s*(\*|[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)\s*"
_SUBSET = re.compile(rf"^\s*(\w+)\({_NUMBER}(?::{_NUMBER})?\)\s*$")
#: Kota Kupang's envelope (CRS84), shown while the raster is not built yet.
_KUPANG_BBOX = [123.52, -10.30, 123.70, -10.12]


def _extent() -> list[float]:
    """The raster's bounds in CRS84, from the file itself."""
    path = health_distance_path()
    if not path.exists():
        return list(_KUPANG_BBOX)
    with rasterio.open(path) as src:
        bounds = rasterio.warp.transform_bounds(src.crs, "OGC:CRS84", *src.bounds)
    return [round(v, 6) for v in bounds]


def storage_crs_bbox() -> list[float] | None:
    """The raster's bounds in its own CRS (EPSG:32751), to the centimetre.

    OGC API Coverages /req/core/collection-description D: a collection whose
    ``storageCrs`` is not CRS84 gives ``storageCrsBbox`` in the spatial extent.
    """
    path = health_distance_path()
    if not path.exists():
        return None
    with rasterio.open(path) as src:
        return [round(v, 2) for v in src.bounds]


def coverage_resources() -> dict[str, dict[str, Any]]:
    """pygeoapi ``resources`` entries for the raster coverages."""
    categories = ", ".join(HEALTH_CATEGORIES)
    title = {"id": "Jarak ke fasilitas kesehatan", "en": "Distance to health facility"}
    return {
        HEALTH_DISTANCE_ID: {
            "type": "collection",
            "title": title,
            "description": {
                "id": "Grid 50 m atas Kota Kupang: jarak garis lurus (meter) dari pusat sel ke "
                      f"fasilitas kesehatan terdekat ({categories}). Proksi jarak tempuh; "
                      "EPSG:32751 (UTM 51S) agar sel berukuran meter.",
                "en": "50 m grid over Kota Kupang: straight-line distance (metres) from the "
                      f"cell centre to the nearest health facility ({categories}). A proxy "
                      "for travel distance; EPSG:32751 (UTM 51S) for metric cells.",
            },
            "keywords": ["kesehatan", "aksesibilitas", "raster", "health", "accessibility"],
            "extents": {"spatial": {"bbox": _extent(), "crs": CRS84}},
            "links": [{
                "type": "text/html", "rel": "license",
                "title": "Sumber dan lisensi / Sources and licence",
                "href": f"{settings.TAKSI_BASE_URL}/sumber-data/",
            }],
            "providers": [{
                "type": "coverage",
                "name": "ogc.providers.coverage.GeoTiffCoverageProvider",
                "data": str(health_distance_path()),
                "format": dict(NATIVE_FORMAT),
                "options": {
                    "srid": RASTER_SRID,
                    "band": {
                        "name": BAND_NAME, "unit": BAND_UNIT, "title": title,
                        "description": {
                            "id": "Jarak garis lurus ke fasilitas kesehatan terdekat (m)",
                            "en": "Straight-line distance to the nearest health facility (m)",
                        },
                    },
                },
            }],
        }
    }


def _check_bbox(value: str) -> None:
    parts = value.split(",")
    try:
        numbers = [float(p) for p in parts]
    except ValueError:
        raise InvalidParameterValue(f"bbox: {value!r} is not a list of numbers") from None
    if len(numbers) not in (4, 6) or not all(math.isfinite(n) for n in numbers):
        raise InvalidParameterValue("bbox: needs 4 (or 6) finite numbers minx,miny,maxx,maxy")
    low, high = (numbers[:2], numbers[2:]) if len(numbers) == 4 else (numbers[:2], numbers[3:5])
    if low[0] >= high[0] or low[1] >= high[1]:
        raise InvalidParameterValue("bbox: each minimum must be below its maximum")
    if len(numbers) == 6 and numbers[2] > numbers[5]:
        # pygeoapi's validate_bbox refuses it too, but answers with a 500.
        raise InvalidParameterValue("bbox: the minimum height (3rd value) must not exceed "
                                    "the maximum height (6th value)")


def subset_crs_uris() -> list[str]:
    """The values ``subset-crs`` takes (/req/subsetting-spatial/subset-crs B, D)."""
    return [CRS84, EPSG_URI.format(4326), EPSG_URI.format(RASTER_SRID)]


def _subset_axes(subset_crs: str | None) -> tuple[str, str]:
    """Axis names for the subsetting CRS (/req/subsetting-spatial/subset E, F)."""
    if subset_crs is None or subset_crs in (CRS84, EPSG_URI.format(4326)):
        return LON, LAT
    if subset_crs == EPSG_URI.format(RASTER_SRID):
        return EASTING, NORTHING
    raise InvalidParameterValue(f"subset-crs: must be one of {', '.join(subset_crs_uris())}")


def _check_subset(value: str, subset_crs: str | None) -> None:
    """``subset=Lon(lo:hi),Lat(lo:hi)`` (CRS84) or ``E(..),N(..)`` with ``subset-crs``."""
    axes = _subset_axes(subset_crs)
    seen: set[str] = set()
    for part in value.split(","):
        match = _SUBSET.match(part)
        if not match or match.group(1) not in axes:
            raise InvalidParameterValue(
                f"subset: {part!r} is not axis(low:high) or axis(value) with axis "
                f"{' or '.join(axes)} (subset-crs {subset_crs or CRS84})"
            )
        axis, low, high = match.groups()
        if any(v not in (None, "*") and not math.isfinite(float(v)) for v in (low, high)):
            raise InvalidParameterValue(f"subset: {part!r}: coordinates must be finite numbers")
        if axis in seen:
            raise InvalidParameterValue(f"subset: axis {axis} given twice")
        if low == "*" and high is None:
            raise InvalidParameterValue(f"subset: {axis}(*) is not a coordinate")
        if "*" not in (low, high) and high is not None and float(high) < float(low):
            raise InvalidParameterValue(f"subset: {axis} low must not be above high")
        seen.add(axis)


def check_coverage_parameters(params: Mapping[str, str]) -> None:
    """Reject unknown parameters and bad values with a 400 naming the parameter."""
    check_parameters(params, COVERAGE_PARAMETERS)
    if "f" in params and params["f"] not in FORMATS:
        raise InvalidParameterValue(f"f: must be one of {', '.join(FORMATS)}")
    if "bbox" in params:
        _check_bbox(params["bbox"])
    if "bbox-crs" in params and params["bbox-crs"] not in BBOX_CRS:
        raise InvalidParameterValue(f"bbox-crs: must be one of {', '.join(BBOX_CRS)}")
    if "subset" in params:
        if "bbox" in params:
            raise InvalidParameterValue("subset: cannot be combined with bbox")
        _check_subset(params["subset"], params.get("subset-crs"))
    elif "subset-crs" in params:
        _subset_axes(params["subset-crs"])
    if "properties" in params and params["properties"] != BAND_NAME:
        raise InvalidParameterValue(f"properties: the only field is {BAND_NAME}")
