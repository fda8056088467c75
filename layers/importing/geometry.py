"""Geometries from files: coordinate columns, reprojection at the edge, repair and promotion.

Everything is stored in EPSG:4326 (see ``layers.models``), so reprojection
happens here, once, with PROJ through pyproj (``always_xy`` so that
longitude/easting comes first whatever the CRS's axis order). Repairs use
GEOS MakeValid (``shapely.make_valid``) and are accepted only when they keep
the stored type and change the area by at most 1 %: a bow-tie "repaired"
into two triangles of a different area is a digitising error the agency must
fix, not something to guess.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import shapely
from django.utils.translation import gettext as _
from pyproj import CRS, Transformer
from pyproj.exceptions import CRSError

from layers.errors import BadOption, UnreadableFile
from layers.importing.numbers import parse_coordinate, parse_pair
from layers.importing.values import ValueProblem, is_empty

#: Pseudo-fields that may be named in ``--map`` for coordinates.
GEOMETRY_COLUMNS: dict[str, tuple[str, ...]] = {
    "geometry": ("wkt", "geometry", "geom", "the_geom", "wkt_geom", "geometri"),
    "lon": ("lon", "lng", "long", "longitude", "bujur", "x", "koordinat_x", "x_koordinat"),
    "lat": ("lat", "latitude", "lintang", "y", "koordinat_y", "y_koordinat"),
    "coordinates": ("koordinat", "coordinates", "coordinate", "titik_koordinat", "latlon",
                    "lat_lon", "lokasi_koordinat"),
}
MAX_AREA_CHANGE = 0.01
WGS84 = CRS.from_epsg(4326)


def source_crs(declared: str | None, srid: int | None) -> CRS | None:
    """The CRS to reproject from: ``--srid`` wins over what the file declares."""
    try:
        if srid is not None:
            return CRS.from_epsg(srid)
        return CRS.from_user_input(declared) if declared else None
    except CRSError as exc:
        raise BadOption(f"--srid {srid}: unknown EPSG code" if srid else str(exc)) from exc


def geometry_from_cells(values: dict[str, Any], columns: dict[str, str]) -> Any:
    """A shapely geometry from a WKT column, lon/lat columns or one coordinates column.

    Raises ``ValueProblem`` whose message names the column.
    """
    if "geometry" in columns and not is_empty(values.get(columns["geometry"])):
        try:
            return shapely.force_2d(shapely.from_wkt(str(values[columns["geometry"]])))
        except shapely.errors.ShapelyError as exc:
            raise ValueProblem("invalid_geometry", _("WKT tidak sah: %s") % exc) from exc
    if "lon" in columns and "lat" in columns:
        lon, lat = values.get(columns["lon"]), values.get(columns["lat"])
        if is_empty(lon) or is_empty(lat):
            raise ValueProblem("missing_geometry", _("koordinat kosong"))
        try:
            return shapely.Point(parse_coordinate(lon, "lon"), parse_coordinate(lat, "lat"))
        except ValueError as exc:
            raise ValueProblem(
                "invalid_coordinate", _("koordinat tidak terbaca: %(lon)r, %(lat)r")
                % {"lon": lon, "lat": lat},
            ) from exc
    if "coordinates" in columns and not is_empty(values.get(columns["coordinates"])):
        try:
            return shapely.Point(*parse_pair(values[columns["coordinates"]]))
        except ValueError as exc:
            raise ValueProblem("invalid_coordinate", _("koordinat tidak terbaca: %r")
                               % values[columns["coordinates"]]) from exc
    raise ValueProblem("missing_geometry", _("geometri kosong (null)"))


def to_wgs84(geometries: list[Any], crs: CRS | None, path_name: str) -> list[Any]:
    """Reproject all geometries of a file to EPSG:4326 in one vectorised PROJ call.

    A file without a CRS is taken as EPSG:4326 only when every coordinate is a
    plausible degree value; otherwise the user must say ``--srid``.
    """
    present = [g for g in geometries if g is not None and not g.is_empty]
    if crs is None:
        coords = shapely.get_coordinates(present) if present else np.empty((0, 2))
        if len(coords) and (np.abs(coords) > 180).any():
            raise UnreadableFile(
                f"{path_name}: the file declares no CRS and its coordinates are not degrees; "
                "give the EPSG code with --srid (e.g. --srid 32751)"
            )
        return geometries
    if crs.equals(WGS84, ignore_axis_order=True):
        return geometries
    transformer = Transformer.from_crs(crs, WGS84, always_xy=True)

    def project(coords: np.ndarray) -> np.ndarray:
        x, y = transformer.transform(coords[:, 0], coords[:, 1])
        return np.column_stack([x, y])

    return [g if g is None else shapely.transform(g, project) for g in geometries]


def swap_xy(geometry: Any) -> Any:
    return shapely.transform(geometry, lambda c: c[:, ::-1])


def in_degree_ranges(geometries: np.ndarray) -> np.ndarray:
    """Per geometry: every longitude within ±180° and latitude within ±90°.

    From the bounds, in one vectorised call for a whole file; an empty
    geometry has no coordinate out of range.
    """
    bounds = shapely.bounds(geometries)
    inside = ((bounds[:, 0] >= -180) & (bounds[:, 2] <= 180)
              & (bounds[:, 1] >= -90) & (bounds[:, 3] <= 90))
    return inside | shapely.is_empty(geometries)


def in_degree_range(geometry: Any) -> bool:
    return bool(in_degree_ranges(np.array([geometry], dtype=object))[0])


def _promote(geometry: Any, allowed: tuple[str, ...]) -> Any | None:
    kind = geometry.geom_type
    if kind in allowed:
        return geometry
    if kind.startswith("Multi") and kind[5:] in allowed and len(geometry.geoms) == 1:
        return geometry.geoms[0]
    if kind == "MultiLineString" and "LineString" in allowed:
        merged = shapely.line_merge(geometry)
        return merged if merged.geom_type == "LineString" else None
    if f"Multi{kind}" in allowed:
        return getattr(shapely, f"Multi{kind}")([geometry])
    return None


def fit(geometry: Any, allowed: tuple[str, ...]) -> tuple[Any, str | None]:
    """``(geometry to store, note)``: repaired if needed and promoted to an allowed type.

    Raises ``ValueProblem`` for null, empty, unrepairable or wrongly typed geometries.
    """
    if geometry is None:
        raise ValueProblem("missing_geometry", _("geometri kosong (null)"))
    if geometry.is_empty:
        raise ValueProblem("empty_geometry", _("geometri kosong (empty)"))
    note = None
    if not geometry.is_valid:
        reason = shapely.is_valid_reason(geometry)
        repaired = _promote(shapely.make_valid(geometry), allowed)
        before, after = geometry.area, repaired.area if repaired is not None else 0.0
        if repaired is None or before <= 0 or abs(after - before) > MAX_AREA_CHANGE * before:
            raise ValueProblem(
                "invalid_geometry",
                _("geometri tidak sah (%(reason)s) dan tidak dapat diperbaiki tanpa mengubah "
                  "jenis atau luas lebih dari 1%%") % {"reason": reason},
            )
        geometry, note = repaired, _("geometri diperbaiki (%s)") % reason
    promoted = _promote(geometry, allowed)
    if promoted is None:
        raise ValueProblem(
            "wrong_geometry_type",
            _("jenis geometri %(kind)s tidak diterima; layer ini menyimpan %(allowed)s")
            % {"kind": geometry.geom_type, "allowed": "/".join(allowed)},
        )
    return promoted, note
