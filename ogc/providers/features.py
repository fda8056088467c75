"""pygeoapi feature provider over Taksi's PostGIS tables.

Referenced from the generated pygeoapi config by dotted path
(``ogc.providers.features.LayerProvider``) and loaded by pygeoapi's plugin
loader, so pygeoapi is extended, not forked. Queries run on a psycopg 3
connection pool with Django's connection settings (``ogc.providers.pool``);
every value is a bound parameter.

Two entrances to the same SQL (``ogc.providers.sql``):

- ``page()``/``feature_text()`` return the GeoJSON text PostGIS wrote; Taksi's
  own items views splice it into the response bytes (the fast path).
- ``query()``/``get()`` are pygeoapi's provider interface, used for HTML and
  the other formats pygeoapi renders; they parse that same text.

Errors are pygeoapi's own provider errors so its API maps them to OGC status
codes: ``ProviderInvalidQueryError`` → 400, ``ProviderItemNotFoundError`` → 404.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import replace
from typing import Any

from pygeoapi.provider.base import (
    BaseProvider,
    ProviderInvalidQueryError,
    ProviderItemNotFoundError,
)

from layers.errors import feature_not_found_text
from layers.registry import LayerDeclaration, get_layer
from ogc.crs import CRS84, Crs
from ogc.errors import InvalidParameterValue
from ogc.providers.pool import fetchone
from ogc.providers.sql import ItemsQuery, LayerSql, Page
from ogc.providers.values import coerce_value, parse_datetime_interval
from ogc.visibility import visible_sql

JSON_SCHEMA_TYPES: dict[str, dict[str, str]] = {
    "string": {"type": "string"},
    "integer": {"type": "integer"},
    "number": {"type": "number"},
    "boolean": {"type": "boolean"},
    "date": {"type": "string", "format": "date"},
}
_SQL: dict[str, LayerSql] = {}
#: The items request Taksi has already parsed and validated, for pygeoapi's
#: renderers (HTML, JSON-LD, CSV) to use instead of re-parsing the parameters
#: with rules of their own (pygeoapi refuses a datetime outside the extent, and
#: its CQL2 parsing lacks what ``ogc.cql`` adds).
_PARSED: ContextVar[ItemsQuery | None] = ContextVar("taksi_items_query", default=None)


@contextmanager
def parsed_items_query(query: ItemsQuery) -> Iterator[None]:
    """While pygeoapi renders a page, ``LayerProvider.query`` answers ``query``."""
    token = _PARSED.set(query)
    try:
        yield
    finally:
        _PARSED.reset(token)


def layer_sql(layer_id: str) -> LayerSql:
    """The resolved SQL pieces of a layer, built once per process."""
    if layer_id not in _SQL:
        _SQL[layer_id] = LayerSql(get_layer(layer_id))
    return _SQL[layer_id]


class LayerProvider(BaseProvider):
    """Features of one published layer; ``data`` in the config is the layer id."""

    def __init__(self, provider_def: dict[str, Any]) -> None:
        super().__init__(provider_def)
        try:
            self.layer: LayerDeclaration = get_layer(provider_def["data"])
        except KeyError as exc:
            raise RuntimeError(f"unknown layer {provider_def['data']!r}") from exc
        self.sql = layer_sql(self.layer.id)
        self.id_field = "id"
        self.title_field = self.layer.title_field
        self._fields = self.get_fields()

    def get_fields(self) -> dict[str, dict[str, Any]]:
        """JSON Schema of each published property (queryables, OGC API Features Part 3)."""
        fields: dict[str, dict[str, Any]] = {}
        for prop in self.layer.properties:
            schema: dict[str, Any] = dict(JSON_SCHEMA_TYPES[prop.type])
            schema["title"] = prop.title.id
            if prop.enum:
                schema["enum"] = list(prop.enum)
            fields[prop.name] = schema
        return fields

    # -- the fast path ------------------------------------------------------------

    def page(self, query: ItemsQuery) -> Page:
        """One page of features as GeoJSON text, with numberMatched in the same statement."""
        names = query.properties if query.properties is not None else list(self.sql.columns)
        statement, params = self.sql.page_statement(query, names)
        features, fetched, last_id, matched = _fetchone(statement, params)
        if query.hits:
            return Page("", 0, False, None, matched)
        limit = query.limit
        return Page(features or "", min(fetched, limit), fetched > limit, last_id, matched)

    def feature_text(self, identifier: str, crs: Crs = CRS84) -> str:
        """One feature as GeoJSON text; anything but an existing integer id is a 404."""
        try:
            pk = int(identifier)
        except (TypeError, ValueError):
            raise ProviderItemNotFoundError(
                user_msg=feature_not_found_text(self.layer.id, identifier)) from None
        if not -(2**63) <= pk < 2**63:
            raise ProviderItemNotFoundError(
                user_msg=feature_not_found_text(self.layer.id, identifier))
        names = list(self.sql.columns)
        feature = self.sql.feature_sql(names, crs, False)
        visible, params = visible_sql(self.sql.layer, "t")
        row = _fetchone(
            f"SELECT {feature} FROM {self.sql.from_clause(set(names))} "
            f'WHERE t."id" = %s AND {visible}', [pk, *params]
        )
        if row is None:
            raise ProviderItemNotFoundError(
                user_msg=feature_not_found_text(self.layer.id, identifier))
        return row[0]

    # -- pygeoapi's provider interface ---------------------------------------------

    def query(
        self,
        offset: int = 0,
        limit: int = 10,
        resulttype: str = "results",
        bbox: list[float] | None = None,
        datetime_: str | None = None,
        properties: list[tuple[str, str]] | None = None,
        sortby: list[dict[str, str]] | None = None,
        select_properties: list[str] | None = None,
        skip_geometry: bool = False,
        filterq: Any = None,
        **kwargs: Any,
    ) -> dict[str, Any]:
        """What pygeoapi's HTML/CSV rendering asks for (it has converted bbox to CRS84)."""
        parsed = _PARSED.get()
        if parsed is not None:
            page = self.page(replace(parsed, limit=limit, offset=offset,
                                     hits=resulttype == "hits"))
            return {
                "type": "FeatureCollection",
                "features": json.loads(f"[{page.features}]"),
                "numberMatched": page.matched,
                "numberReturned": page.returned,
            }
        try:
            query = self._pygeoapi_query(
                offset, limit, resulttype, bbox, datetime_, properties or [], sortby or [],
                select_properties, skip_geometry, filterq,
            )
        except InvalidParameterValue as exc:
            raise ProviderInvalidQueryError(user_msg=exc.description) from exc
        page = self.page(query)
        return {
            "type": "FeatureCollection",
            "features": json.loads(f"[{page.features}]"),
            "numberMatched": page.matched,
            "numberReturned": page.returned,
        }

    def _pygeoapi_query(
        self, offset: int, limit: int, resulttype: str, bbox: list[float] | None,
        datetime_: str | None, properties: list[tuple[str, str]],
        sortby: list[dict[str, str]], select_properties: list[str] | None,
        skip_geometry: bool, filterq: Any,
    ) -> ItemsQuery:
        equals = []
        for name, raw in properties:
            prop = self.layer.property_named(name)
            if prop is None:
                raise InvalidParameterValue(f"{name}: unknown property")
            try:
                equals.append((name, coerce_value(prop.type, raw)))
            except ValueError as exc:
                raise InvalidParameterValue(f"{name}: {exc}") from exc
        period = None
        if datetime_:
            try:
                period = parse_datetime_interval(datetime_)
            except ValueError as exc:
                raise InvalidParameterValue(f"datetime: {exc}") from exc
        box = None
        if bbox:
            box = (bbox[0], bbox[1], bbox[3], bbox[4]) if len(bbox) == 6 else tuple(bbox)
        return ItemsQuery(
            limit=limit, offset=offset, bbox=box, period=period, equals=equals, filter=filterq,
            sortby=[(s["property"], s.get("order") == "-") for s in sortby
                    if s["property"] in self.sql.columns],
            properties=[p for p in select_properties or [] if p in self.sql.columns] or None,
            skip_geometry=skip_geometry, hits=resulttype == "hits",
        )

    def get(self, identifier: str | int, **kwargs: Any) -> dict[str, Any]:
        return json.loads(self.feature_text(str(identifier)))

    def __repr__(self) -> str:
        return f"<LayerProvider> {self.layer.id}"


def _fetchone(statement: str, params: list[Any]) -> tuple[Any, ...] | None:
    return fetchone(statement, params)
