"""CQL2 filters (OGC API Features Part 3) compiled to SQL with bound parameters.

pygeofilter parses CQL2 text and CQL2 JSON into one AST; this module walks that
AST and writes a PostgreSQL condition whose values are all placeholders
(``%s``), never text formatted into SQL. Property names are looked up in the
layer's declaration: an unknown name is a 400 that names it, and every literal
is checked against the property's declared type so that ``pagu = 'abc'`` is a
client error, not a database error.

Supported (the conformance classes in ``ogc.conformance``): comparison,
LIKE, IN, BETWEEN, IS NULL, AND/OR/NOT, the spatial predicates S_INTERSECTS,
S_WITHIN, S_CONTAINS, S_DISJOINT, S_EQUALS, S_TOUCHES, S_CROSSES, S_OVERLAPS
on ``geometry`` with WKT/GeoJSON/BBOX literals in ``filter-crs``, and
T_INTERSECTS/T_BEFORE/T_AFTER on the date properties.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from pygeofilter import ast, values

from ogc.cql_literals import (
    as_date,
    check_text,
    checked_geometry,
    coerce_literal,
    compare_literals,
    geojson_of,
    is_literal,
)
from ogc.crs import Crs
from ogc.errors import InvalidParameterValue

GEOMETRY = "geometry"

_COMPARISON = {
    ast.Equal: "=", ast.NotEqual: "<>", ast.LessThan: "<", ast.LessEqual: "<=",
    ast.GreaterThan: ">", ast.GreaterEqual: ">=",
}
_SPATIAL = {
    ast.GeometryIntersects: "ST_Intersects", ast.GeometryWithin: "ST_Within",
    ast.GeometryContains: "ST_Contains", ast.GeometryDisjoint: "ST_Disjoint",
    ast.GeometryEquals: "ST_Equals", ast.GeometryTouches: "ST_Touches",
    ast.GeometryCrosses: "ST_Crosses", ast.GeometryOverlaps: "ST_Overlaps",
}


@dataclass
class Queryable:
    """What the compiler needs to know about a property: its SQL and its type."""

    sql: str
    type: str  # "string" | "integer" | "number" | "boolean" | "date" | "geometry"


@dataclass
class CompiledFilter:
    sql: str
    params: list[Any] = field(default_factory=list)
    properties: set[str] = field(default_factory=set)


class SqlCompiler:
    """Turns an AST into ``(sql, params)`` for one layer's queryables."""

    def __init__(self, queryables: dict[str, Queryable], filter_crs: Crs) -> None:
        self.queryables = queryables
        self.filter_crs = filter_crs
        self.params: list[Any] = []
        self.used: set[str] = set()

    def compile(self, node: ast.Node) -> CompiledFilter:
        sql = self._node(node)
        return CompiledFilter(sql, self.params, self.used)

    # -- conditions ----------------------------------------------------------

    def _node(self, node: Any) -> str:
        handler = self._handlers().get(type(node))
        if handler is None:
            if isinstance(node, ast.SpatialComparisonPredicate):
                return self._spatial(node)
            raise InvalidParameterValue(
                f"filter: {type(node).__name__} is not supported by this server"
            )
        return handler(node)

    def _handlers(self) -> dict[type, Callable[[Any], str]]:
        return {
            ast.And: lambda n: self._chain(n, "AND"),
            ast.Or: lambda n: self._chain(n, "OR"),
            ast.Not: lambda n: f"(NOT {self._node(n.sub_node)})",
            **{cls: self._comparison for cls in _COMPARISON},
            ast.Like: self._like,
            ast.In: self._in,
            ast.Between: self._between,
            ast.IsNull: self._is_null,
            ast.TimeOverlaps: self._t_intersects,  # pygeofilter reads T_INTERSECTS so
            ast.TimeBefore: lambda n: self._t_order(n, "<"),
            ast.TimeAfter: lambda n: self._t_order(n, ">"),
            ast.Include: lambda n: "TRUE" if not n.not_ else "FALSE",
            bool: lambda n: "TRUE" if n else "FALSE",  # CQL2 JSON's true/false
        }

    def _chain(self, node: ast.Combination, keyword: str) -> str:
        """``a AND b AND c`` as one flat condition.

        pygeofilter nests a chain to the left (``((a AND b) AND c)``, also for a
        CQL2 JSON ``and`` of many arguments); walked without recursion, a
        chain of hundreds of terms cannot exhaust Python's stack.
        """
        parts, pending = [], [node]
        while pending:
            current = pending.pop()
            if type(current) is type(node):
                pending.extend((current.rhs, current.lhs))  # lhs comes out first
            else:
                parts.append(self._node(current))
        return f"({f' {keyword} '.join(parts)})"

    def _comparison(self, node: ast.Comparison) -> str:
        """/req/basic-cql2/binary-comparison-predicate: two scalars of one type.

        Two literals are compared here (``1 = 1`` is TRUE), anything with a
        property in SQL.
        """
        operator = _COMPARISON[type(node)]
        if is_literal(node.lhs) and is_literal(node.rhs):
            return "TRUE" if compare_literals(node.lhs, node.rhs, operator) else "FALSE"
        lhs, rhs = self._operands(node.lhs, node.rhs)
        return f"({lhs} {operator} {rhs})"

    def _like(self, node: ast.Like) -> str:
        column, prop_type = self._attribute(node.lhs)
        if prop_type != "string":
            raise InvalidParameterValue(f"filter: LIKE needs a text property, not {node.lhs.name}")
        if not isinstance(node.pattern, str):
            raise InvalidParameterValue(
                f"filter: {node.lhs.name} holds string values; LIKE needs a quoted pattern, "
                f"not {node.pattern!r}"
            )
        if (len(node.pattern) - len(node.pattern.rstrip("\\"))) % 2:
            raise InvalidParameterValue("filter: a LIKE pattern must not end with a lone \\")
        operator = "ILIKE" if node.nocase else "LIKE"
        negation = "NOT " if node.not_ else ""
        return f"({column} {negation}{operator} {self._param(str(node.pattern))})"

    def _in(self, node: ast.In) -> str:
        column, prop_type = self._attribute(node.lhs)
        items = ", ".join(self._literal(v, prop_type, node.lhs.name) for v in node.sub_nodes)
        return f"({column} {'NOT IN' if node.not_ else 'IN'} ({items}))"

    def _between(self, node: ast.Between) -> str:
        column, prop_type = self._attribute(node.lhs)
        low = self._literal(node.low, prop_type, node.lhs.name)
        high = self._literal(node.high, prop_type, node.lhs.name)
        return f"({column} {'NOT ' if node.not_ else ''}BETWEEN {low} AND {high})"

    def _is_null(self, node: ast.IsNull) -> str:
        if is_literal(node.lhs):  # a literal is never NULL (/req/basic-cql2/null-predicate)
            return "TRUE" if node.not_ else "FALSE"
        column, _ = self._attribute(node.lhs)
        return f"({column} IS {'NOT ' if node.not_ else ''}NULL)"

    # -- spatial and temporal -----------------------------------------------------

    def _spatial(self, node: ast.SpatialComparisonPredicate) -> str:
        function = _SPATIAL.get(type(node))
        if function is None:
            raise InvalidParameterValue(f"filter: {type(node).__name__} is not supported")
        return f"{function}({self._geometry(node.lhs)}, {self._geometry(node.rhs)})"

    def _geometry(self, operand: Any) -> str:
        if isinstance(operand, ast.Attribute):
            column, prop_type = self._attribute(operand)
            if prop_type != "geometry":
                raise InvalidParameterValue(
                    f"filter: {operand.name} is not a geometry; spatial predicates take "
                    f"{GEOMETRY!r}"
                )
            return column
        crs = self.filter_crs
        geojson = checked_geometry(geojson_of(operand), crs)
        sql = f"ST_SetSRID(ST_GeomFromGeoJSON({self._param(json.dumps(geojson))}), {crs.srid})"
        if crs.lat_first:
            sql = f"ST_FlipCoordinates({sql})"
        return sql if crs.srid == 4326 else f"ST_Transform({sql}, 4326)"

    def _t_intersects(self, node: ast.TemporalPredicate) -> str:
        if isinstance(node.lhs, values.Interval):
            return self._period_intersects(node.lhs, node.rhs)
        column, value = self._temporal_operands(node)
        if isinstance(value, values.Interval):
            parts = []
            if value.start is not None:
                parts.append(f"{column} >= {self._param(as_date(value.start, 'filter'))}")
            if value.end is not None:
                parts.append(f"{column} <= {self._param(as_date(value.end, 'filter'))}")
            return f"({' AND '.join(parts) or 'TRUE'})"
        return f"({column} = {self._param(as_date(value, 'filter'))})"

    def _period_intersects(self, period: values.Interval, value: Any) -> str:
        """``T_INTERSECTS(INTERVAL(mulai, selesai), ...)``: the feature's period."""
        start, start_type = self._attribute(period.start)
        end, end_type = self._attribute(period.end)
        if start_type != "date" or end_type != "date":
            raise InvalidParameterValue("filter: INTERVAL(...) of properties needs date properties")
        low = value.start if isinstance(value, values.Interval) else value
        high = value.end if isinstance(value, values.Interval) else value
        parts = []
        if high is not None:
            parts.append(f"{start} <= {self._param(as_date(high, 'filter'))}")
        if low is not None:
            parts.append(f"{end} >= {self._param(as_date(low, 'filter'))}")
        return f"({' AND '.join(parts) or 'TRUE'})"

    def _t_order(self, node: ast.TemporalPredicate, operator: str) -> str:
        column, value = self._temporal_operands(node)
        if isinstance(value, values.Interval):
            bound = value.start if operator == ">" else value.end
            bound = bound if bound is not None else (value.end or value.start)
        else:
            bound = value
        return f"({column} {operator} {self._param(as_date(bound, 'filter'))})"

    def _temporal_operands(self, node: ast.TemporalPredicate) -> tuple[str, Any]:
        if not isinstance(node.lhs, ast.Attribute):
            raise InvalidParameterValue(
                "filter: temporal predicates take a date property first, e.g. "
                "T_INTERSECTS(mulai, INTERVAL('2025-01-01T00:00:00Z','2025-12-31T00:00:00Z'))"
            )
        column, prop_type = self._attribute(node.lhs)
        if prop_type != "date":
            raise InvalidParameterValue(f"filter: {node.lhs.name} is not a date property")
        return column, node.rhs

    # -- operands ---------------------------------------------------------------

    def _operands(self, lhs: Any, rhs: Any) -> tuple[str, str]:
        if isinstance(lhs, ast.Attribute) and isinstance(rhs, ast.Attribute):
            return self._two_properties(lhs, rhs)
        if isinstance(lhs, ast.Attribute):
            column, prop_type = self._scalar_attribute(lhs)
            return column, self._literal(rhs, prop_type, lhs.name)
        if isinstance(rhs, ast.Attribute):
            column, prop_type = self._scalar_attribute(rhs)
            return self._literal(lhs, prop_type, rhs.name), column
        raise InvalidParameterValue(
            "filter: a comparison takes properties and literals (no functions or arithmetic)"
        )

    def _two_properties(self, lhs: ast.Attribute, rhs: ast.Attribute) -> tuple[str, str]:
        """Both sides must hold the same type (/req/basic-cql2/binary-comparison-predicate D):
        PostgreSQL has no ``bigint = varchar`` and would answer with an error."""
        (left, left_type), (right, right_type) = (
            self._scalar_attribute(lhs), self._scalar_attribute(rhs))
        numeric = {"integer", "number"}
        if left_type != right_type and not {left_type, right_type} <= numeric:
            raise InvalidParameterValue(
                f"filter: {lhs.name} ({left_type}) and {rhs.name} ({right_type}) cannot be "
                "compared; CQL2 compares values of the same type"
            )
        return left, right

    def _scalar_attribute(self, node: ast.Attribute) -> tuple[str, str]:
        column, prop_type = self._attribute(node)
        if prop_type == GEOMETRY:
            raise InvalidParameterValue(
                f"filter: {node.name} is a geometry; compare geometries with S_EQUALS, "
                "S_INTERSECTS, ..."
            )
        return column, prop_type

    def _attribute(self, node: Any) -> tuple[str, str]:
        if not isinstance(node, ast.Attribute):
            raise InvalidParameterValue(f"filter: expected a property name, got {node!r}")
        queryable = self.queryables.get(node.name)
        if queryable is None:
            raise InvalidParameterValue(
                f"filter: unknown property {node.name!r}; queryables: "
                f"{', '.join(sorted(self.queryables))}"
            )
        self.used.add(node.name)
        return queryable.sql, queryable.type

    def _literal(self, value: Any, prop_type: str, name: str) -> str:
        return self._param(coerce_literal(value, prop_type, name))

    def _param(self, value: Any) -> str:
        if isinstance(value, str):  # the last check before PostgreSQL, for text and JSON alike
            check_text(value, "filter")
        self.params.append(value)
        return "%s"
