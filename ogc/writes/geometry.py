"""The geometry of a written Feature: GeoJSON structure, CRS, then the import's rules.

The structure is checked first (RFC 7946 §3.1: a known ``type``, and
``coordinates`` that are arrays of numbers), so a client hears
``geometry.coordinates[0]: "a" is not a number`` rather than what shapely
says inside (``could not convert string to float: np.str_('a')``): a 400,
like any body that is no GeoJSON Feature. Then the import's rules, with the
import's codes and words (``layers.importing``): coordinates that are no
longitude/latitude are ``invalid_coordinate`` (``coordinates``), the type is
promoted or refused (``fit``), the location must be in Kota Kupang with
swapped lat/lon named (``check_locations``), each a 422 problem on
``geometry`` in the request's language. Only the hint for a swapped point is
the API's own: a client fixes its axis order, it has no ``--fix-swapped``.
"""

from __future__ import annotations

import json
from typing import Any, Protocol

import shapely
import shapely.geometry
from django.contrib.gis.geos import GEOSGeometry
from django.utils.translation import gettext as _
from pyproj import CRS

from layers.importing.coordinates import coordinate_problem, format_pair
from layers.importing.geometry import fit, swap_xy, to_wgs84
from layers.importing.location import check_locations
from layers.importing.prepare import PreparedRow
from layers.importing.report import ImportReport
from layers.importing.values import ValueProblem
from layers.registry import LayerDeclaration
from ogc.crs import CRS84, Crs
from ogc.errors import InvalidRequestBody

GEOJSON_TYPES = ("Point", "MultiPoint", "LineString", "MultiLineString", "Polygon",
                 "MultiPolygon", "GeometryCollection")


class Problems(Protocol):
    def add(self, prop: str, code: str, message: str) -> None: ...


def _shown(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)[:40]


#: How deep the arrays of positions nest in each type (RFC 7946 §3.1.2–3.1.7).
_DEPTH = {"Point": 0, "MultiPoint": 1, "LineString": 1, "MultiLineString": 2, "Polygon": 2,
          "MultiPolygon": 3}
_EXAMPLE = {"Point": "[123.5858, -10.1681]", "MultiPoint": "[[x, y], …]",
            "LineString": "[[x, y], [x, y], …]", "MultiLineString": "[[[x, y], …], …]",
            "Polygon": "[[[x, y], …, [x, y]]]", "MultiPolygon": "[[[[x, y], …]]]"}


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _positions(value: Any, depth: int, kind: str, where: str) -> None:
    """Arrays nested ``depth`` deep around positions of 2 or 3 numbers (RFC 7946 §3.1.1)."""
    if depth == 0 and isinstance(value, list) and 2 <= len(value) <= 3:
        for index, number in enumerate(value):
            if not _is_number(number):
                raise InvalidRequestBody(
                    f"{where}[{index}]: {_shown(number)} bukan angka; koordinat GeoJSON adalah "
                    f"angka, mis. [123.5858, -10.1681]. / {where}[{index}]: {_shown(number)} "
                    "is not a number; GeoJSON coordinates are numbers, e.g. [123.5858, -10.1681].")
        return
    if depth > 0 and isinstance(value, list):
        for index, item in enumerate(value):
            _positions(item, depth - 1, kind, f"{where}[{index}]")
        return
    raise InvalidRequestBody(
        f"{where}: {_shown(value)} tidak sesuai susunan {kind} (RFC 7946 §3.1), mis. "
        f"{_EXAMPLE[kind]}. / {where}: {_shown(value)} does not fit the layout of a {kind} "
        f"(RFC 7946 §3.1), e.g. {_EXAMPLE[kind]}.")


def check_structure(value: Any, where: str = "geometry") -> None:
    """RFC 7946 §3.1 as far as a client can get it wrong: a 400 naming the member."""
    if not isinstance(value, dict):
        raise InvalidRequestBody(f"{where} harus objek geometri GeoJSON. / "
                                 f"{where} must be a GeoJSON geometry object.")
    kind = value.get("type")
    if kind not in GEOJSON_TYPES:
        listed = ", ".join(GEOJSON_TYPES)
        raise InvalidRequestBody(
            f"{where}.type: {_shown(kind)} bukan jenis geometri GeoJSON; pilihan: {listed}. / "
            f"{where}.type: {_shown(kind)} is not a GeoJSON geometry type; one of: {listed}.")
    if kind == "GeometryCollection":
        members = value.get("geometries")
        if not isinstance(members, list):
            raise InvalidRequestBody(f"{where}.geometries harus sebuah daftar geometri. / "
                                     f"{where}.geometries must be an array of geometries.")
        for index, member in enumerate(members):
            check_structure(member, f"{where}.geometries[{index}]")
        return
    coordinates = value.get("coordinates")
    if coordinates == []:  # an empty geometry (RFC 7946 §3.1): refused later as empty
        return
    _positions(coordinates, _DEPTH[kind], kind, f"{where}.coordinates")


def _shape(value: dict[str, Any]) -> Any:
    kind = value["type"]
    try:
        return shapely.force_2d(shapely.geometry.shape(value))
    except (shapely.errors.ShapelyError, ValueError, TypeError, KeyError, IndexError,
            AttributeError) as exc:
        raise InvalidRequestBody(
            f"geometry.coordinates tidak sesuai jenis {kind} (RFC 7946 §3.1: mis. Point "
            f"[x, y], LineString [[x, y], …]). / geometry.coordinates do not fit the type "
            f"{kind} (RFC 7946 §3.1: e.g. Point [x, y], LineString [[x, y], …]).") from exc


def to_storage_crs(geometry: Any, crs: Crs) -> Any:
    """EPSG:4326 lon/lat, reprojected as the import does (``to_wgs84``: PROJ, always_xy)."""
    if geometry.is_empty or crs.srid == 4326:
        return swap_xy(geometry) if crs.lat_first and not geometry.is_empty else geometry
    return to_wgs84([geometry], CRS.from_epsg(crs.srid), "Content-Crs")[0]


def _swapped_hint(crs: Crs) -> str:
    if crs == CRS84:
        return _("kirim koordinat sebagai [bujur, lintang], urutan GeoJSON (RFC 7946)")
    return _("kirim koordinat dalam urutan sumbu %(crs)s") % {"crs": crs.uri}


def _not_projectable(given: Any, crs: Crs) -> ValueProblem:
    return ValueProblem(
        "invalid_coordinate",
        _("koordinat (%(at)s) di luar jangkauan %(crs)s: tidak dapat diubah ke bujur/lintang")
        % {"at": format_pair(shapely.get_coordinates(given)[0]), "crs": crs.uri})


def request_geometry(value: Any, layer: LayerDeclaration, crs: Crs, problems: Problems
                     ) -> GEOSGeometry | None:
    """The geometry to store (EPSG:4326, the layer's type), or None with its problems added."""
    if value is None:
        problems.add("geometry", "missing_geometry", _("geometri wajib"))
        return None
    check_structure(value)
    given = _shape(value)
    geometry = to_storage_crs(given, crs)
    problem = coordinate_problem(geometry, source=given)
    if problem is not None and crs.srid != 4326:
        problem = _not_projectable(given, crs)
    spec = layer.import_spec
    assert spec is not None
    if problem is None:
        try:
            geometry, _note = fit(geometry, spec.geometry_types)
        except ValueProblem as refused:
            problem = refused
    if problem is not None:
        problems.add("geometry", problem.code, str(problem))
        return None
    report = ImportReport(layer.id, "API")
    check_locations([PreparedRow(1, {}, geometry, source=given)], spec.is_boundary, False,
                    report, swapped_hint=_swapped_hint(crs))
    for rejection in report.rejected:
        problems.add("geometry", rejection.code, rejection.message)
    if report.rejected:
        return None
    return GEOSGeometry(shapely.to_wkb(geometry, hex=True), srid=4326)
