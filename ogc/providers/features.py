"""pygeoapi feature provider over Taksi's GeoDjango models.

Referenced from the generated pygeoapi config by dotted path
(``ogc.providers.features.LayerProvider``) and loaded by pygeoapi's plugin
loader, so pygeoapi is extended, not forked. Queries go through Django's
PostGIS connection (psycopg 3, pooled, parameters always bound); the ORM
resolves the declared lookup paths into joins and PostGIS writes the GeoJSON
(``ogc.providers.sql``).

Errors are raised as pygeoapi's own provider errors so that its API maps them
to the OGC status codes: ``ProviderInvalidQueryError`` → 400,
``ProviderItemNotFoundError`` → 404.
"""

from __future__ import annotations

from typing import Any

from django.contrib.gis.geos import Polygon
from django.db.models import QuerySet
from pygeoapi.provider.base import (
    BaseProvider,
    ProviderInvalidQueryError,
    ProviderItemNotFoundError,
)

from layers.registry import LayerDeclaration, Property, get_layer
from ogc.providers.sql import GeometryAsGeoJSON, JsonBuildObject
from ogc.providers.values import coerce_value, parse_datetime_interval

JSON_SCHEMA_TYPES: dict[str, dict[str, str]] = {
    "string": {"type": "string"},
    "integer": {"type": "integer"},
    "number": {"type": "number"},
    "boolean": {"type": "boolean"},
    "date": {"type": "string", "format": "date"},
}


class LayerProvider(BaseProvider):
    """Features of one published layer; ``data`` in the config is the layer id."""

    def __init__(self, provider_def: dict[str, Any]) -> None:
        super().__init__(provider_def)
        try:
            self.layer: LayerDeclaration = get_layer(provider_def["data"])
        except KeyError as exc:
            raise RuntimeError(f"unknown layer {provider_def['data']!r}") from exc
        self.id_field = "id"
        self.title_field = self.layer.title_field
        self._fields = self.get_fields()

    # -- schema ------------------------------------------------------------

    def get_fields(self) -> dict[str, dict[str, Any]]:
        """JSON Schema of each published property (queryables, OGC API Features Part 3)."""
        fields: dict[str, dict[str, Any]] = {}
        for prop in self.layer.properties:
            schema: dict[str, Any] = dict(JSON_SCHEMA_TYPES[prop.type])
            schema["title"] = prop.title.id
            if prop.enum:
                schema["enum"] = list(prop.enum)
                schema["values"] = list(prop.enum)  # what pygeoapi's queryables read
            fields[prop.name] = schema
        return fields

    # -- queries -----------------------------------------------------------

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
        **kwargs: Any,
    ) -> dict[str, Any]:
        queryset = self._filtered(bbox or [], datetime_, properties or [])
        matched = queryset.count()
        collection: dict[str, Any] = {
            "type": "FeatureCollection",
            "features": [],
            "numberMatched": matched,
            "numberReturned": 0,
        }
        if resulttype == "hits":
            return collection
        ordered = queryset.order_by(*self._ordering(sortby or []))
        page = ordered[offset : offset + limit]
        collection["features"] = self._features(page, select_properties, skip_geometry)
        collection["numberReturned"] = len(collection["features"])
        return collection

    def get(self, identifier: str | int, **kwargs: Any) -> dict[str, Any]:
        """A single feature; anything that is not an existing integer id is a 404."""
        try:
            pk = int(identifier)
        except (TypeError, ValueError):
            raise ProviderItemNotFoundError(
                user_msg=f"feature {identifier!r} not found"
            ) from None
        if not -(2**63) <= pk < 2**63:
            raise ProviderItemNotFoundError(user_msg=f"feature {identifier!r} not found")
        features = self._features(self._base().filter(pk=pk), None, False)
        if not features:
            raise ProviderItemNotFoundError(user_msg=f"feature {identifier!r} not found")
        return features[0]

    # -- helpers -----------------------------------------------------------

    def _base(self) -> QuerySet:
        # Anonymous reads: published rows only (issue 7); staff reads come with the rewrite.
        return self.layer.public_queryset()

    def _property(self, name: str, parameter: str) -> Property:
        prop = self.layer.property_named(name)
        if prop is None:
            raise ProviderInvalidQueryError(
                user_msg=f"{parameter}: unknown property {name!r} in collection {self.layer.id}"
            )
        return prop

    def _filtered(
        self, bbox: list[float], datetime_: str | None, properties: list[tuple[str, str]]
    ) -> QuerySet:
        queryset = self._base()
        if bbox:
            # pygeoapi has validated the numbers and reprojected them to CRS84.
            queryset = queryset.filter(geometry__intersects=_bbox_polygon(bbox))
        if datetime_:
            queryset = self._filter_datetime(queryset, datetime_)
        for name, raw in properties:
            prop = self._property(name, name)
            try:
                value = coerce_value(prop.type, raw)
            except ValueError as exc:
                raise ProviderInvalidQueryError(user_msg=f"{name}: {exc}") from exc
            if prop.enum and value not in prop.enum:
                raise ProviderInvalidQueryError(
                    user_msg=f"{name}: {raw!r} is not one of {', '.join(prop.enum)}"
                )
            queryset = queryset.filter(**{prop.path: value})
        return queryset

    def _filter_datetime(self, queryset: QuerySet, datetime_: str) -> QuerySet:
        """OGC API Features /req/core/fc-time-response: the feature's period intersects."""
        if self.layer.time_fields is None:
            raise ProviderInvalidQueryError(
                user_msg=f"datetime: collection {self.layer.id} has no temporal property"
            )
        try:
            start, end = parse_datetime_interval(datetime_)
        except ValueError as exc:
            raise ProviderInvalidQueryError(user_msg=f"datetime: {exc}") from exc
        start_path = self._property(self.layer.time_fields[0], "datetime").path
        end_path = self._property(self.layer.time_fields[1], "datetime").path
        if end is not None:
            queryset = queryset.filter(**{f"{start_path}__lte": end})
        if start is not None:
            queryset = queryset.filter(**{f"{end_path}__gte": start})
        return queryset

    def _ordering(self, sortby: list[dict[str, str]]) -> list[str]:
        ordering = []
        for item in sortby:
            prop = self._property(item["property"], "sortby")
            ordering.append(("-" if item.get("order") == "-" else "") + prop.path)
        ordering.append("id")  # a stable order makes offset paging repeatable
        return ordering

    def _features(
        self, queryset: QuerySet, select_properties: list[str] | None, skip_geometry: bool
    ) -> list[dict[str, Any]]:
        props = [
            p for p in self.layer.properties
            if not select_properties or p.name in select_properties
        ]
        annotations: dict[str, Any] = {"_props": JsonBuildObject({p.name: p.path for p in props})}
        if not skip_geometry:
            annotations["_geom"] = GeometryAsGeoJSON("geometry")
        rows = queryset.annotate(**annotations).values("id", *annotations)
        return [
            {
                "type": "Feature",
                "id": row["id"],
                "geometry": row.get("_geom"),
                "properties": row["_props"],
            }
            for row in rows
        ]

    def __repr__(self) -> str:
        return f"<LayerProvider> {self.layer.id}"


def _bbox_polygon(bbox: list[float]) -> Polygon:
    minx, miny, maxx, maxy = (bbox[0], bbox[1], bbox[3], bbox[4]) if len(bbox) == 6 else bbox
    polygon = Polygon.from_bbox((minx, miny, maxx, maxy))
    polygon.srid = 4326
    return polygon
