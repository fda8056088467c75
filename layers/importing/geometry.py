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

import re
from typing import Any

import numpy as np
import shapely
from django.utils.translation import gettext as _
from pyproj import CRS, Transformer
from pyproj.exceptions import CRSError

from layers.errors import BadOption, UnreadableFile
from layers.importing.coordinates import degrees_either_way
from layers.importing.declarations import quoted
from layers.importing.numbers import DmsRangeError, parse_coordinate, parse_pair
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
#: Curve types GEOS cannot hold (shapely refuses them, or keeps one nested in a
#: collection it cannot compute with): linearised by GDAL instead (``curves``).
CURVED_WKT = re.compile(
    r"(?i)\b(CIRCULARSTRING|COMPOUNDCURVE|CURVEPOLYGON|MULTICURVE|MULTISURFACE)\b")
WGS84 = CRS.from_epsg(4326)


def source_crs(declared: str | None, srid: int | None, file_name: str,
               geometries: list[Any], unreadable: tuple[str, str] | None = None) -> CRS | None:
    """The CRS to reproject from: the file's own, or ``--srid`` when it declares none.

    ``--srid`` never silently overrides a CRS the file declares (README: "when
    the file has none"): that is refused, except for a file that declares
    degrees while most of its coordinates are not (a GeoJSON without a
    ``crs`` member is EPSG:4326 by RFC 7946, whatever its numbers are), whose
    declaration is evidently wrong. A declaration PROJ cannot read at all
    (``unreadable``: a garbage ``.prj``, a GeoJSON ``crs`` of ``EPSG::999999``,
    which GDAL would quietly drop or read as EPSG:4326) is refused naming its
    text unless ``--srid`` says what it should have been.
    """
    if unreadable is not None:
        if srid is None:
            where, text = unreadable
            raise UnreadableFile(
                _("%(file)s: CRS yang dinyatakan berkas (%(where)s: %(text)r) tidak dikenali "
                  "PROJ; perbaiki atau hapus, atau beri kode EPSG yang benar dengan --srid "
                  "(mis. --srid 4326 atau --srid 32751)")
                % {"file": file_name, "where": where, "text": quoted(text)})
        declared = None
    crs = _declared_crs(declared, file_name)
    if srid is None:
        return crs
    try:
        wanted = CRS.from_epsg(srid)
    except CRSError as exc:
        raise BadOption(_("--srid %(srid)s: bukan kode EPSG yang dikenal PROJ") % {"srid": srid}
                        ) from exc
    if not (wanted.is_geographic or wanted.is_projected):
        raise BadOption(_("--srid %(srid)s: %(name)s bukan CRS horizontal (geografis atau "
                          "terproyeksi)") % {"srid": srid, "name": wanted.name})
    if crs is None or crs.equals(wanted, ignore_axis_order=True):
        return wanted
    if crs.is_geographic and mostly_not_degrees(geometries):
        return wanted
    raise BadOption(
        _("--srid %(srid)s: %(file)s sudah menyatakan CRS-nya (%(declared)s); --srid hanya "
          "untuk berkas tanpa CRS. Perbaiki atau hapus .prj/CRS berkas bila memang salah.")
        % {"srid": srid, "file": file_name, "declared": _name(crs)}
    )


def _declared_crs(declared: str | None, file_name: str) -> CRS | None:
    if not declared:
        return None
    try:
        return CRS.from_user_input(declared)
    except CRSError as exc:
        raise UnreadableFile(
            _("%(file)s: CRS yang dinyatakan berkas (.prj) tidak dapat dibaca PROJ; perbaiki "
              "atau hapus, lalu beri --srid") % {"file": file_name}
        ) from exc


def _name(crs: CRS) -> str:
    code = crs.to_epsg()
    return f"EPSG:{code}" if code else crs.name


def mostly_not_degrees(geometries: list[Any]) -> bool:
    """True when most of a file's geometries have a coordinate that is no degree value.

    One mistyped number (``1236088393``, ``1e400``) among good rows is that
    row's problem, reported with its number; a file of UTM metres is the
    file's (its CRS is missing or wrong).
    """
    # Non-numbers (nan, 1e400 read as inf) say nothing about the CRS: they are left
    # out of the count, and rejected row by row.
    finite = [g for g in geometries if g is not None and not g.is_empty
              and np.isfinite(shapely.get_coordinates(g)).all()]
    bad = sum(1 for g in finite if not degrees_either_way(g))
    return bad * 2 > len(finite) > 0


def geometry_from_cells(values: dict[str, Any], columns: dict[str, str],
                        notes: list[str] | None = None) -> Any:
    """A shapely geometry from a WKT column, lon/lat columns or one coordinates column.

    Raises ``ValueProblem`` whose message names the column. Curved WKT is
    linearised (``curves``), with a note appended to ``notes``.
    """
    if "geometry" in columns and not is_empty(values.get(columns["geometry"])):
        text = str(values[columns["geometry"]])
        if CURVED_WKT.search(text):
            from layers.importing.curves import linearise

            geometry, note = linearise(text)
            if notes is not None:
                notes.append(note)
            return geometry
        try:
            # 1e400 in WKT overflows to inf (rejected later by row, as typed); NumPy's
            # warning about it would reach stderr with a site-packages path.
            with np.errstate(over="ignore", invalid="ignore"):
                return shapely.force_2d(shapely.from_wkt(text))
        except shapely.errors.ShapelyError as exc:
            raise ValueProblem("invalid_geometry", _("WKT tidak sah: %s") % exc) from exc
    if "lon" in columns and "lat" in columns:
        cells = {"lon": values.get(columns["lon"]), "lat": values.get(columns["lat"])}
        parsed = {}
        for axis, cell in cells.items():  # the report names the cell at fault
            if is_empty(cell):
                raise ValueProblem("missing_geometry", _("koordinat kosong"),
                                   column=columns[axis])
            try:
                parsed[axis] = parse_coordinate(cell, axis)
            except ValueError as exc:
                reason = f"; {exc}" if isinstance(exc, DmsRangeError) else ""
                raise ValueProblem(
                    "invalid_coordinate", _("koordinat tidak terbaca: %(lon)r, %(lat)r")
                    % {"lon": cells["lon"], "lat": cells["lat"]} + reason,
                    column=columns[axis], value=str(cell),
                ) from exc
        return shapely.Point(parsed["lon"], parsed["lat"])
    if "coordinates" in columns and not is_empty(values.get(columns["coordinates"])):
        try:
            return shapely.Point(*parse_pair(values[columns["coordinates"]]))
        except ValueError as exc:
            raise ValueProblem("invalid_coordinate", _("koordinat tidak terbaca: %r")
                               % values[columns["coordinates"]]) from exc
    raise ValueProblem("missing_geometry", _("geometri kosong (null)"))


def to_wgs84(geometries: list[Any], crs: CRS | None, path_name: str) -> list[Any]:
    """Reproject all geometries of a file to EPSG:4326 in one vectorised PROJ call.

    A file without a CRS (or declaring degrees) is taken as EPSG:4326 unless
    most of its geometries are not in degrees: then the user must say
    ``--srid``. Single rows out of range are left for ``fit_geometries`` to
    reject by row number.
    """
    if crs is None or crs.is_geographic:
        if mostly_not_degrees(geometries):
            declared = (_("tidak menyatakan CRS") if crs is None else
                        _("menyatakan %s") % _name(crs))
            raise UnreadableFile(
                _("%(file)s: berkas %(declared)s, tetapi sebagian besar koordinatnya bukan "
                  "derajat; beri kode EPSG dengan --srid (mis. --srid 32751)")
                % {"file": path_name, "declared": declared}
            )
    if crs is None or crs.equals(WGS84, ignore_axis_order=True):
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
