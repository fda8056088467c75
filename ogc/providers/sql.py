"""SQL expressions that make PostGIS build the GeoJSON.

Geometry and properties are serialised by PostgreSQL (``ST_AsGeoJSON``,
``json_build_object``) in the same query that selects the rows, so Python never
touches a coordinate: the cost stays in the database, next to the data.
"""

from __future__ import annotations

from typing import Any

from django.db.models import F, Func, JSONField, Value

#: 7 decimals of a degree is about 1 cm on the ground: enough for any city data.
GEOJSON_DECIMALS = 7


class DecodedJSONField(JSONField):
    """A ``json`` result that psycopg 3 has already decoded: pass it through."""

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Any:
        return value


class GeometryAsGeoJSON(Func):
    """``ST_AsGeoJSON(geom, 7)::json`` for a geometry column."""

    function = "ST_AsGeoJSON"
    template = "%(function)s(%(expressions)s)::json"
    output_field = DecodedJSONField()

    def __init__(self, column: str) -> None:
        super().__init__(F(column), Value(GEOJSON_DECIMALS))


class JsonBuildObject(Func):
    """``json_build_object(k1, v1, ...)``; unlike jsonb it keeps declared key order."""

    function = "json_build_object"
    output_field = DecodedJSONField()

    def __init__(self, pairs: dict[str, str]) -> None:
        args: list[object] = []
        for key, path in pairs.items():
            args.extend([Value(key), F(path)])
        super().__init__(*args)
