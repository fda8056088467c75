"""A pygeoapi coverage provider for one single-band GeoTIFF in a projected CRS.

Why not pygeoapi's own ``RasterioProvider``: for a GeoTIFF it names the band
``None`` in CoverageJSON, writes the CRS as ``.../def/crs/OGC/1.3/32751`` (no
such URI), puts the requested CRS84 bbox (degrees) into the axes of a metric
grid, and fails at start-up when the file is missing, which would take the
whole OGC API down with it. This provider reads the file lazily on each
request (so a rebuilt raster is served at once), answers 503 "run
build_rasters" while it is missing, and subsets by whole cells with
``rasterio.windows`` so the answer is exactly the stored cells.

Subsetting (OGC API - Coverages, "subsetting" and ``bbox``): ``bbox`` in
CRS84 by default, or in the CRS named by ``bbox-crs``, is reprojected with
``rasterio.warp.transform_bounds`` (densified edges) and widened to whole
cells; ``subset=Lon(lo:hi),Lat(lo:hi)`` is in CRS84 and
``subset=E(lo:hi),N(lo:hi)`` (with ``subset-crs`` EPSG:32751) in the coverage's
own metres. The parameters are checked before this provider runs
(``ogc.coverages``).
"""

from __future__ import annotations

import math
from http import HTTPStatus
from pathlib import Path
from typing import Any

import numpy as np
import rasterio
import rasterio.warp
import rasterio.windows
from pygeoapi.provider.base import (
    BaseProvider,
    ProviderGenericError,
    ProviderInvalidQueryError,
    ProviderItemNotFoundError,
)
from rasterio.io import MemoryFile
from rasterio.windows import Window

CRS84 = "http://www.opengis.net/def/crs/OGC/1.3/CRS84"
EPSG_URI = "http://www.opengis.net/def/crs/EPSG/0/{}"
#: bbox-crs values understood, and the CRS rasterio should use for each.
BBOX_CRS: dict[str, str] = {
    CRS84: "OGC:CRS84",
    EPSG_URI.format(4326): "EPSG:4326",
    EPSG_URI.format(3857): "EPSG:3857",
    EPSG_URI.format(32751): "EPSG:32751",
}
#: Axis names of CoverageJSON's grid domain.
X_AXIS, Y_AXIS = "x", "y"
#: ``subset`` axis names (/req/subsetting-spatial/subset E, F): geographic and projected.
LON, LAT, EASTING, NORTHING = "Lon", "Lat", "E", "N"


class CoverageNotBuilt(ProviderGenericError):
    """The raster file does not exist yet: a set-up step, not a server fault."""

    ogc_exception_code = "NoApplicableCode"
    http_status_code = HTTPStatus.SERVICE_UNAVAILABLE


def _outside(extent: tuple[float, ...], crs: str) -> ProviderItemNotFoundError:
    """/req/subsetting-spatial/out-of-bounds: nothing of the coverage is in the region."""
    return ProviderItemNotFoundError(user_msg=(
        "bbox/subset falls entirely outside the coverage; its extent in "
        f"{crs} is {[round(v, 6) for v in extent]}"
    ))


def clip(box: tuple[float, float, float, float], extent: tuple[float, ...],
         crs: str) -> tuple[float, float, float, float]:
    """The part of ``box`` (west, south, east, north) inside ``extent``, in one CRS.

    Coverages (/req/coverage-subset/definition, note): a region partly outside
    the coverage selects its non-empty part. Clipping before reprojecting also
    keeps coordinates where the projection is defined: ``Lon(100:1000)``
    covers the city, and must not be reprojected from 1000° east.
    """
    west, south = max(box[0], extent[0]), max(box[1], extent[1])
    east, north = min(box[2], extent[2]), min(box[3], extent[3])
    if west > east or south > north:
        raise _outside(extent, crs)
    return west, south, east, north


def _bbox_in_native(src: Any, bbox: list[float], bbox_crs: str) -> tuple[float, ...]:
    """A bbox in ``bbox_crs`` as (west, south, east, north) in the raster's CRS.

    A bbox of 6 numbers is minx, miny, minz, maxx, maxy, maxz (OGC API Common):
    the heights are dropped. EPSG:4326 has latitude first (OGC API Part 2 /
    Coverages), so its bbox is ``minLat,minLon,maxLat,maxLon``; every other CRS
    here is x/y order. The box is clipped to the coverage's extent in
    ``bbox_crs`` first (``clip``).
    """
    minx, miny, maxx, maxy = (bbox[0], bbox[1], bbox[3], bbox[4]) if len(bbox) == 6 else bbox
    if bbox_crs == EPSG_URI.format(4326):
        minx, miny, maxx, maxy = miny, minx, maxy, maxx
    try:
        extent = rasterio.warp.transform_bounds(src.crs, BBOX_CRS[bbox_crs], *src.bounds)
        box = clip((minx, miny, maxx, maxy), extent, bbox_crs)
        bounds = rasterio.warp.transform_bounds(BBOX_CRS[bbox_crs], src.crs, *box)
    except (rasterio.errors.CRSError, ValueError) as error:
        raise ProviderInvalidQueryError(
            user_msg=f"bbox: cannot be reprojected to the coverage's CRS ({error})"
        ) from error
    if not all(math.isfinite(v) for v in bounds):
        raise ProviderInvalidQueryError(user_msg="bbox: lies outside the coverage's CRS")
    return bounds


class GeoTiffCoverageProvider(BaseProvider):
    """One band of a GeoTIFF, served as GeoTIFF (native) and CoverageJSON."""

    def __init__(self, provider_def: dict[str, Any]) -> None:
        super().__init__(provider_def)
        self.path = Path(self.data)
        self.filename = self.path.name
        self.native_format = provider_def["format"]["name"]
        options = self.options or {}
        #: name, title, description ({id, en}) and unit of the band, from the config.
        self.band: dict[str, Any] = options["band"]
        self.axes = [LON, LAT, EASTING, NORTHING]
        self.crs = EPSG_URI.format(options["srid"])
        self._coverage_properties = self._read_properties()
        # /req/core/coverage-fields-schema: title, type, description; the band order.
        self._fields = {
            self.band["name"]: {
                "title": " / ".join(self.band["title"].values()),
                "description": " / ".join(self.band["description"].values()),
                "type": "number",
                "x-ogc-unit": self.band["unit"],
                "x-ogc-propertySeq": 1,
            }
        }

    def get_fields(self) -> dict[str, Any]:
        return self._fields

    def _read_properties(self) -> dict[str, Any]:
        """Grid size for the collection description; ``None`` while unbuilt."""
        if not self.path.exists():
            return {"width": None, "height": None, "resx": None, "resy": None}
        with rasterio.open(self.path) as src:
            return {"width": src.width, "height": src.height,
                    "resx": src.res[0], "resy": src.res[1]}

    def _open(self) -> rasterio.io.DatasetReader:
        try:
            return rasterio.open(self.path)
        except rasterio.errors.RasterioIOError as error:
            raise CoverageNotBuilt(user_msg=(
                "the raster has not been built yet; run `python manage.py build_rasters`"
            )) from error

    def query(self, properties: list[str] | None = None, subsets: dict | None = None,
              bbox: list[float] | None = None, bbox_crs: str = CRS84,
              datetime_: str | None = None, format_: str = "json",
              **_: Any) -> dict[str, Any] | bytes:
        """The whole coverage or a subset, as CoverageJSON (dict) or GeoTIFF bytes."""
        with self._open() as src:
            window = self._window(src, bbox or [], bbox_crs, subsets or {})
            if format_ == self.native_format and window is None:
                return self.path.read_bytes()  # already a Cloud-Optimized GeoTIFF
            window = window or Window(0, 0, src.width, src.height)
            data = src.read(1, window=window, masked=True)
            transform = src.window_transform(window)
            if format_ == self.native_format:
                return self._geotiff(src, data, transform)
            return self._coveragejson(data, transform)

    def _window(self, src: Any, bbox: list[float], bbox_crs: str,
                subsets: dict[str, list[Any]]) -> Window | None:
        """The requested cells as a window of whole cells, or None for all of them.

        Every cell whose area meets the requested region is returned
        (/req/subsetting-spatial/subset); a single coordinate selects the one
        row or column of cells holding it.
        """
        if not bbox and not subsets:
            return None
        if bbox:
            left, bottom, right, top = _bbox_in_native(src, bbox, bbox_crs)
        else:
            left, bottom, right, top = self._subset_in_native(src, subsets)
        full = Window(0, 0, src.width, src.height)
        exact = rasterio.windows.from_bounds(left, bottom, right, top, src.transform)
        col, row = math.floor(exact.col_off), math.floor(exact.row_off)
        wanted = Window(col, row,
                        max(math.ceil(exact.col_off + exact.width) - col, 1),
                        max(math.ceil(exact.row_off + exact.height) - row, 1))
        try:
            window = wanted.intersection(full)
        except rasterio.errors.WindowError:
            window = None
        if window is None or window.width < 1 or window.height < 1:
            raise _outside(tuple(round(v) for v in src.bounds), self.crs)
        return window

    def _subset_in_native(self, src: Any, subsets: dict[str, list[Any]]) -> tuple[float, ...]:
        """``Lon``/``Lat`` (CRS84) or ``E``/``N`` (the raster's CRS) ranges, ``*`` = open.

        Each range is clipped to the coverage's extent on its axis (``clip``)
        before the region is reprojected.
        """
        geographic = bool({LON, LAT} & set(subsets))
        crs = "OGC:CRS84" if geographic else src.crs
        x_axis, y_axis = (LON, LAT) if geographic else (EASTING, NORTHING)
        extent = (rasterio.warp.transform_bounds(src.crs, crs, *src.bounds)
                  if geographic else tuple(src.bounds))

        def limits(axis: str, low: float, high: float) -> tuple[float, float]:
            values = subsets.get(axis, ["*", "*"])
            first, last = values[0], values[-1]
            return (low if first == "*" else float(first), high if last == "*" else float(last))

        (minx, maxx), (miny, maxy) = limits(x_axis, extent[0], extent[2]), limits(
            y_axis, extent[1], extent[3])
        box = clip((minx, miny, maxx, maxy), extent, CRS84 if geographic else self.crs)
        if not geographic:
            return box
        return rasterio.warp.transform_bounds(crs, src.crs, *box)

    def _geotiff(self, src: Any, data: np.ma.MaskedArray, transform: Any) -> bytes:
        profile = {
            "driver": "GTiff", "width": data.shape[1], "height": data.shape[0], "count": 1,
            "dtype": src.dtypes[0], "crs": src.crs, "transform": transform,
            "nodata": src.nodata, "compress": "deflate", "tiled": data.shape[1] >= 256,
        }
        with MemoryFile() as memfile:
            with memfile.open(**profile) as dst:
                dst.write(data.filled(src.nodata), 1)
                dst.set_band_description(1, self.band["name"])
                dst.units = (self.band["unit"],)
            return memfile.read()

    def _coveragejson(self, data: np.ma.MaskedArray, transform: Any) -> dict[str, Any]:
        """CoverageJSON Grid; axis values are cell centres, nodata cells are null."""
        height, width = data.shape
        x0 = transform.c + transform.a / 2
        y0 = transform.f + transform.e / 2
        values = np.round(data.astype(np.float64), 1).tolist(fill_value=None)
        name = self.band["name"]
        return {
            "type": "Coverage",
            "domain": {
                "type": "Domain",
                "domainType": "Grid",
                "axes": {
                    X_AXIS: {"start": x0, "stop": x0 + (width - 1) * transform.a,
                             "num": width},
                    Y_AXIS: {"start": y0, "stop": y0 + (height - 1) * transform.e,
                             "num": height},
                },
                "referencing": [{
                    "coordinates": [X_AXIS, Y_AXIS],
                    "system": {"type": "ProjectedCRS", "id": self.crs},
                }],
            },
            "parameters": {
                name: {
                    "type": "Parameter",
                    "description": self.band["description"],
                    "unit": {"label": {"id": "meter", "en": "metre"},
                             "symbol": {"value": self.band["unit"],
                                        "type": "http://www.opengis.net/def/uom/UCUM/"}},
                    "observedProperty": {"label": self.band["title"]},
                }
            },
            "ranges": {
                name: {
                    "type": "NdArray", "dataType": "float", "axisNames": [Y_AXIS, X_AXIS],
                    "shape": [height, width],
                    "values": [None if v is None or math.isnan(v) else v
                               for row in values for v in row],
                }
            },
        }
