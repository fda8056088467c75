"""The SQL that makes PostGIS write each page of GeoJSON.

One ``LayerSql`` per published layer is built once per process from the
layer's declaration: each property's lookup path (``agency__nama``) becomes a
column of a LEFT JOIN (PostgreSQL drops the joins a query does not use), and
the quoted identifiers are kept as strings. A request then only concatenates
those strings with placeholders; every value it brings is a bound parameter.

PostGIS and PostgreSQL write the features as text (``ST_AsGeoJSON``,
``json_build_object``, ``string_agg``); the view splices that text into the
response without parsing it in Python (issue 6: JSON encoding was the cost).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from django.db.models import ForeignKey, Model
from psycopg import sql as pgsql

from layers.registry import LayerDeclaration
from ogc.cql_sql import Queryable, SqlCompiler
from ogc.crs import CRS84, Crs
from ogc.errors import InvalidParameterValue
from ogc.visibility import visible_sql

#: Above this many rows (PostgreSQL's pg_class.reltuples estimate) an
#: unfiltered request omits numberMatched instead of counting the table.
COUNT_ESTIMATE_ABOVE = 50_000
_KEY = re.compile(r"^[a-z_][a-z0-9_]*$")


def _quote(name: str) -> str:
    return pgsql.Identifier(name).as_string(None)


@dataclass
class ItemsQuery:
    """A validated items request (built by ``ogc.parameters``)."""

    limit: int = 10
    offset: int = 0
    after: int | None = None
    bbox: tuple[float, float, float, float] | None = None
    bbox_crs: Crs = CRS84
    period: tuple[dt.date | None, dt.date | None] | None = None
    equals: list[tuple[str, Any]] = field(default_factory=list)
    filter: Any = None
    filter_crs: Crs = CRS84
    sortby: list[tuple[str, bool]] = field(default_factory=list)  # (name, descending)
    properties: list[str] | None = None
    skip_geometry: bool = False
    crs: Crs = CRS84
    hits: bool = False

    @property
    def filtered(self) -> bool:
        return bool(self.bbox or self.period or self.equals or self.filter is not None)


@dataclass
class Page:
    features: str  # the comma-separated features, as PostGIS wrote them
    returned: int
    more: bool
    last_id: int | None
    matched: int | None


class LayerSql:
    """Identifiers, joins and expressions of one layer, resolved once."""

    def __init__(self, layer: LayerDeclaration) -> None:
        model = layer.model
        self.layer = layer
        self.table = f"{_quote(model._meta.db_table)} AS t"
        self.regclass = model._meta.db_table
        assert _KEY.match(self.regclass), self.regclass
        self.geometry = 't."geometry"'
        self.joins: dict[str, str] = {}
        self._from_cache: dict[frozenset[str], str] = {}
        self.columns: dict[str, str] = {}
        self.needs: dict[str, list[str]] = {}  # property -> join aliases it needs
        for prop in layer.properties:
            assert _KEY.match(prop.name), prop.name
            self.columns[prop.name], self.needs[prop.name] = self._resolve(model, prop.path)
        self.types = {p.name: p.type for p in layer.properties}
        self.queryables = {n: Queryable(c, self.types[n]) for n, c in self.columns.items()}
        self.queryables["geometry"] = Queryable(self.geometry, "geometry")

    def _resolve(self, model: type[Model], path: str) -> tuple[str, list[str]]:
        """``agency__nama`` → (``j_agency."nama"``, [``j_agency``]) with its LEFT JOIN."""
        alias, aliases, parts = "t", [], path.split("__")
        for index, part in enumerate(parts[:-1]):
            fk = model._meta.get_field(part)
            assert isinstance(fk, ForeignKey), path
            target = fk.related_model
            new_alias = "j_" + "_".join(parts[: index + 1])
            self.joins.setdefault(new_alias, (
                f"LEFT JOIN {_quote(target._meta.db_table)} AS {new_alias} ON "
                f"{new_alias}.{_quote(target._meta.pk.column)} = {alias}.{_quote(fk.column)}"
            ))
            aliases.append(new_alias)
            alias, model = new_alias, target
        column = model._meta.get_field(parts[-1]).column
        return f"{alias}.{_quote(column)}", aliases

    # -- pieces ---------------------------------------------------------------

    def from_clause(self, names: set[str]) -> str:
        """The table and the LEFT JOINs the named properties need (cached per name set)."""
        key = frozenset(names)
        clause = self._from_cache.get(key)
        if clause is None:
            aliases = {a for name in key for a in self.needs.get(name, ())}
            clause = " ".join([self.table, *(j for a, j in self.joins.items() if a in aliases)])
            self._from_cache[key] = clause
        return clause

    def geometry_sql(self, crs: Crs) -> str:
        """Reprojection at the edge; SRIDs are integers from ``ogc.crs``, never user text."""
        if crs.lat_first:
            return f"ST_FlipCoordinates({self.geometry})"
        if crs.is_storage:
            return self.geometry
        return f"ST_Transform({self.geometry}, {int(crs.srid)})"

    def feature_sql(self, names: list[str], crs: Crs, skip_geometry: bool) -> str:
        """One GeoJSON Feature as text, written by PostgreSQL (/req/geojson/content)."""
        pairs = ", ".join(f"'{name}', {self.columns[name]}" for name in names)
        geometry = "'null'" if skip_geometry else (
            f"COALESCE(ST_AsGeoJSON({self.geometry_sql(crs)}, {crs.decimals}, 0), 'null')"
        )
        return (
            f"""'{{"type":"Feature","id":' || t."id" || ',"geometry":' || {geometry} """
            f"""|| ',"properties":' || json_build_object({pairs})::text || '}}'"""
        )

    def where(self, query: ItemsQuery) -> tuple[list[str], list[Any], set[str]]:
        """Conditions, their bound values and the properties they read."""
        # Only published rows reach the public API (issue 7); boundaries: "TRUE".
        # Signed-in staff also see what ``ogc.visibility`` grants them.
        visible, visible_params = visible_sql(self.layer, "t")
        conditions: list[str] = [] if visible == "TRUE" else [visible]
        params: list[Any] = list(visible_params)
        used: set[str] = set()
        if query.bbox is not None:
            conditions.append(self._bbox_sql(query.bbox_crs))
            params.extend(query.bbox)
        if query.period is not None:
            if self.layer.time_fields is None:
                raise InvalidParameterValue(
                    f"datetime: collection {self.layer.id} has no temporal property"
                )
            start_name, end_name = self.layer.time_fields
            start, end = query.period
            if end is not None:
                conditions.append(f"{self.columns[start_name]} <= %s")
                params.append(end)
            if start is not None:
                conditions.append(f"{self.columns[end_name]} >= %s")
                params.append(start)
            used |= {start_name, end_name}
        for name, value in query.equals:
            conditions.append(f"{self.columns[name]} = %s")
            params.append(value)
            used.add(name)
        if query.filter is not None:
            compiled = SqlCompiler(self.queryables, query.filter_crs).compile(query.filter)
            conditions.append(compiled.sql)
            params.extend(compiled.params)
            used |= compiled.properties
        return conditions, params, used

    def page_statement(self, query: ItemsQuery, names: list[str]) -> tuple[str, list[Any]]:
        """(SQL, values) for one page: features text, rows fetched, last id, numberMatched.

        The ids of the page are chosen first (filters, order, keyset or offset,
        one row more than the limit to know whether a next page exists) and
        only those rows are joined back and written as GeoJSON: with OFFSET
        150000 PostgreSQL would otherwise build 150,000 features to skip them.
        """
        conditions, params, used = self.where(query)
        where = f" WHERE {' AND '.join(conditions)}" if conditions else ""
        count = self.count_sql(query, self.from_clause(used), where)
        if query.hits:
            return f"SELECT NULL, 0, NULL, {count}", params
        page_params = list(params)
        if query.after is not None:
            conditions = [*conditions, 't."id" > %s']
            page_params.append(query.after)
        page_where = f" WHERE {' AND '.join(conditions)}" if conditions else ""
        ids_from = self.from_clause(used | {name for name, _ in query.sortby})
        feature = self.feature_sql(names, query.crs, query.skip_geometry)
        features_from = self.from_clause(set(names))
        if features_from != self.table:  # joined tables go in parentheses, a lone table not
            features_from = f"({features_from})"
        statement = (
            "SELECT string_agg(f.feature, ',' ORDER BY f.n) FILTER (WHERE f.n <= %s), "
            f"count(*), max(f.id) FILTER (WHERE f.n = %s), {count} FROM ("
            f'SELECT k.n, t."id" AS id, {feature} AS feature FROM ('
            "SELECT row_number() OVER () AS n, s.id FROM ("
            f'SELECT t."id" AS id FROM {ids_from}{page_where} '
            f"ORDER BY {self.order_sql(query.sortby)} LIMIT %s OFFSET %s) AS s) AS k "
            f'JOIN {features_from} ON t."id" = k.id) AS f'
        )
        limit = query.limit
        return statement, [limit, limit, *params, *page_params, limit + 1, query.offset]

    def _bbox_sql(self, crs: Crs) -> str:
        """/req/core/fc-bbox-response, in ``bbox-crs`` (/req/crs/fc-bbox-crs-action)."""
        envelope = f"ST_MakeEnvelope(%s, %s, %s, %s, {int(crs.srid)})"
        if crs.lat_first:
            envelope = f"ST_FlipCoordinates({envelope})"
        if crs.srid != 4326:
            envelope = f"ST_Transform({envelope}, 4326)"
        return f"ST_Intersects({self.geometry}, {envelope})"

    def order_sql(self, sortby: list[tuple[str, bool]]) -> str:
        """Requested order, then ``id``: a total order is what makes paging stable."""
        terms = [f"{self.columns[n]} {'DESC' if d else 'ASC'} NULLS LAST" for n, d in sortby]
        return ", ".join([*terms, 't."id" ASC'])

    def count_sql(self, query: ItemsQuery, from_: str, where: str) -> str:
        """Exact ``count(*)`` when filtered or when the table is small; else NULL.

        The estimate is PostgreSQL's own (``pg_class.reltuples``, -1 before the
        first ANALYZE): reading it costs nothing, counting 200,000 rows costs
        more than the page itself. The CASE only evaluates the branch it takes.
        """
        exact = f"(SELECT count(*) FROM {from_}{where})"
        if query.filtered or query.hits:
            return exact
        return (
            f"CASE WHEN (SELECT reltuples FROM pg_class WHERE oid = '{self.regclass}'::regclass)"
            f" < {COUNT_ESTIMATE_ABOVE} THEN {exact} END"
        )
