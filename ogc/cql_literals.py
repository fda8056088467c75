"""CQL2 literals checked before they reach SQL: typed values, dates, geometries.

A literal that does not fit its property, a date that does not exist or a
geometry PostGIS could not use is a 400 naming it here, instead of a database
error (a 500) later.
"""

from __future__ import annotations

import datetime as dt
import math
import operator
from typing import Any

import shapely.errors
import shapely.geometry
import shapely.validation
from pygeofilter import ast, values

from ogc.crs import Crs, area_bounds
from ogc.errors import InvalidParameterValue


def check_text(text: str, where: str) -> None:
    """A string PostgreSQL can take: no NUL (``\\u0000``), no lone surrogate (``\\ud800``).

    CQL2 JSON can escape both, and neither has a UTF-8 encoding PostgreSQL
    accepts: psycopg would fail on them (a 500) once the literal is bound.
    """
    if "\x00" in text:
        raise InvalidParameterValue(f"{where}: text contains a NUL character (\\u0000)")
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise InvalidParameterValue(
            f"{where}: text contains a lone surrogate ({text[exc.start]!r}), "
            "not a Unicode character") from None


def coerce_literal(value: Any, prop_type: str, name: str) -> Any:
    """A CQL2 literal as the Python value of the property's type, or a 400."""
    ok = {
        "string": isinstance(value, str),
        "integer": isinstance(value, int) and not isinstance(value, bool),
        "number": isinstance(value, int | float) and not isinstance(value, bool),
        "boolean": isinstance(value, bool),
        "date": isinstance(value, dt.date | str),
    }.get(prop_type, False)
    if not ok:
        raise InvalidParameterValue(
            f"filter: {name} holds {prop_type} values; {value!r} does not fit"
        )
    if prop_type == "integer" and not -(2**63) <= value < 2**63:
        raise InvalidParameterValue(f"filter: {value} is out of range for {name}")
    if prop_type == "number" and value != value:  # NaN
        raise InvalidParameterValue(f"filter: {name} must be compared with a finite number")
    return as_date(value, f"filter: {name}") if prop_type == "date" else value


_OPERATORS = {"=": operator.eq, "<>": operator.ne, "<": operator.lt, "<=": operator.le,
              ">": operator.gt, ">=": operator.ge}


def _kind(value: Any) -> str | None:
    """The CQL2 literal type of a parsed value, or None for anything else (a node)."""
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, dt.datetime):
        return "timestamp"
    if isinstance(value, dt.date):
        return "date"
    return None


def is_literal(value: Any) -> bool:
    return _kind(value) is not None


def compare_literals(lhs: Any, rhs: Any, symbol: str) -> bool:
    """``1 = 1``, ``'a' < 'b'``: CQL2 allows two literals; both must be of one type."""
    if _kind(lhs) != _kind(rhs):
        raise InvalidParameterValue(
            f"filter: {lhs!r} ({_kind(lhs)}) and {rhs!r} ({_kind(rhs)}) cannot be compared; "
            "CQL2 compares values of the same type"
        )
    if isinstance(lhs, dt.datetime) and (lhs.tzinfo is None) != (rhs.tzinfo is None):
        raise InvalidParameterValue("filter: compare timestamps that both have a time zone")
    return bool(_OPERATORS[symbol](lhs, rhs))


def as_date(value: Any, where: str) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value[:10])
        except ValueError:
            pass
    raise InvalidParameterValue(f"{where}: {value!r} is not a date")


#: RFC 7946 §1.4: the geometry types of GeoJSON, spelt as GeoJSON spells them.
#: shapely also reads "LinearRing" and any capitalisation, PostGIS's
#: ST_GeomFromGeoJSON does not: such a literal would fail in the database.
GEOJSON_TYPES = frozenset({"Point", "MultiPoint", "LineString", "MultiLineString", "Polygon",
                           "MultiPolygon", "GeometryCollection"})


def _check_geojson_type(geojson: Any, path: str = "geometry") -> None:
    """Every (nested) member is a GeoJSON geometry of one of the seven types."""
    kind = geojson.get("type") if isinstance(geojson, dict) else None
    if not isinstance(kind, str) or kind not in GEOJSON_TYPES:
        raise InvalidParameterValue(
            f"filter: invalid geometry literal at {path}: type {kind!r} is not one of "
            f"{', '.join(sorted(GEOJSON_TYPES))}")
    if kind == "GeometryCollection":
        members = geojson.get("geometries")
        if not isinstance(members, list):
            raise InvalidParameterValue(
                f"filter: invalid geometry literal at {path}: a GeometryCollection needs "
                "'geometries', an array of geometries")
        for i, member in enumerate(members):
            _check_geojson_type(member, f"{path}.geometries[{i}]")


def checked_geometry(geojson: dict[str, Any], crs: Crs) -> dict[str, Any]:
    """Reject a malformed literal here rather than as a PostGIS error (a 500)."""
    _check_geojson_type(geojson)
    try:
        geometry = shapely.geometry.shape(geojson)
        valid = not geometry.is_empty and geometry.is_valid
    except (ValueError, TypeError, KeyError, AttributeError, IndexError,
            shapely.errors.ShapelyError) as exc:  # GEOSException, GeometryTypeError, ...
        raise InvalidParameterValue(f"filter: invalid geometry literal: {exc}") from exc
    if not valid:
        raise InvalidParameterValue(
            f"filter: invalid geometry literal: {shapely.validation.explain_validity(geometry)}"
        )
    if geometry.is_empty or not all(math.isfinite(c) for c in geometry.bounds):
        raise InvalidParameterValue("filter: the geometry literal is empty or not finite")
    if crs.srid != 4326:
        minx, miny, maxx, maxy = geometry.bounds
        low_x, low_y, high_x, high_y = area_bounds(crs)
        if minx < low_x or miny < low_y or maxx > high_x or maxy > high_y:
            raise InvalidParameterValue(
                f"filter: the geometry lies outside the area where {crs.uri} (filter-crs) "
                "is defined"
            )
    return geojson


def geojson_of(operand: Any) -> dict[str, Any]:
    if isinstance(operand, values.Geometry | values.Envelope):
        return operand.geometry
    if isinstance(operand, ast.Function) and operand.name.lower() == "bbox":
        numbers = operand.arguments
        if len(numbers) == 6:
            numbers = [numbers[0], numbers[1], numbers[3], numbers[4]]
        if len(numbers) != 4 or not all(isinstance(n, int | float) for n in numbers):
            raise InvalidParameterValue("filter: BBOX takes 4 or 6 numbers")
        return values.Envelope(numbers[0], numbers[2], numbers[1], numbers[3]).geometry
    if isinstance(operand, dict) and "type" in operand:
        return operand
    raise InvalidParameterValue(f"filter: {operand!r} is not a geometry")
