"""The coordinate reference systems Taksi serves (OGC API Features Part 2).

Geometries are stored in EPSG:4326 (``layers.models``) and reprojected at the
edge, in PostGIS, with integer SRIDs (``ST_Transform(geom, 32751)``): PROJ in
the database does the work once per row instead of Python per coordinate.

Axis order follows each CRS's definition (/req/crs/ogc-crs-uri):
``CRS84`` is longitude/latitude, ``EPSG:4326`` is latitude/longitude, the
projected CRSs are easting/northing. PostGIS stores lon/lat, so only EPSG:4326
needs its axes swapped (``ST_FlipCoordinates``) on output and on input
(``bbox``, ``filter`` geometries).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from pyproj import CRS, Transformer

from ogc.errors import InvalidParameterValue

CRS84_URI = "http://www.opengis.net/def/crs/OGC/1.3/CRS84"
_EPSG = "http://www.opengis.net/def/crs/EPSG/0/"


@dataclass(frozen=True)
class Crs:
    uri: str
    srid: int
    #: True when the CRS's first axis is latitude (EPSG:4326).
    lat_first: bool
    #: Decimals worth writing: 7 for degrees (~1 cm), 3 for metres (1 mm).
    decimals: int
    title: str

    @property
    def is_storage(self) -> bool:
        """Geometries come straight from the column, without ST_Transform."""
        return self.srid == 4326


#: CRS84 first: it is the default of every request (/req/core/crs84).
SUPPORTED: tuple[Crs, ...] = (
    Crs(CRS84_URI, 4326, False, 7, "WGS 84 longitude/latitude (CRS84)"),
    Crs(f"{_EPSG}4326", 4326, True, 7, "WGS 84 latitude/longitude (EPSG:4326)"),
    Crs(f"{_EPSG}3857", 3857, False, 3, "WGS 84 / Pseudo-Mercator (EPSG:3857)"),
    Crs(f"{_EPSG}32751", 32751, False, 3, "WGS 84 / UTM zone 51S (EPSG:32751)"),
    Crs(f"{_EPSG}23881", 23881, False, 3, "DGN95 / UTM zone 51S (EPSG:23881)"),
    Crs(f"{_EPSG}23840", 23840, False, 3, "DGN95 / Indonesia TM-3 zone 51.2 (EPSG:23840)"),
)
CRS84 = SUPPORTED[0]
_BY_URI = {crs.uri: crs for crs in SUPPORTED}
#: Safe CURIE and short spellings some clients send.
_ALIASES = {
    "[OGC:CRS84]": CRS84,
    "OGC:CRS84": CRS84,
    **{f"[EPSG:{c.srid}]": c for c in SUPPORTED[1:]},
    **{f"EPSG:{c.srid}": c for c in SUPPORTED[1:]},
}
URIS: tuple[str, ...] = tuple(crs.uri for crs in SUPPORTED)


def parse_crs(value: str | None, parameter: str) -> Crs:
    """The CRS a parameter names, CRS84 when absent; anything else is a 400."""
    if value is None or value == "":
        return CRS84
    crs = _BY_URI.get(value.strip()) or _ALIASES.get(value.strip())
    if crs is None:
        raise InvalidParameterValue(
            f"{parameter}: unsupported CRS {value!r}; supported: {', '.join(URIS)}"
        )
    return crs


@functools.cache
def area_bounds(crs: Crs) -> tuple[float, float, float, float]:
    """Where the CRS is defined, in its own axis order (EPSG area of use via PROJ).

    PostGIS cannot reproject coordinates far outside it (``ST_Transform``
    fails), so boxes are clipped to it and filter geometries checked against it.
    """
    if crs.srid == 4326:
        return (-90.0, -180.0, 90.0, 180.0) if crs.lat_first else (-180.0, -90.0, 180.0, 90.0)
    area = CRS.from_epsg(crs.srid).area_of_use
    assert area is not None, crs
    transformer = Transformer.from_crs(4326, crs.srid, always_xy=True)
    return transformer.transform_bounds(*area.bounds)


def content_crs_header(crs: Crs) -> str:
    """``Content-Crs: <uri>`` (/req/crs/ogc-crs-header)."""
    return f"<{crs.uri}>"
