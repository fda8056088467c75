"""Query parameters each endpoint declares, and the values they accept.

OGC API Features Part 1 (/rec/core/query-param-unknown) lets a server reject
parameters it does not know, and GIS clients are better served by an error
than by a silently unfiltered answer (a misspelt ``bbox`` would otherwise
return the whole city). Every value is checked here, with a message naming the
parameter, before any SQL runs: NaN in a bbox, an offset past PostgreSQL's
bigint, a NUL byte, a limit above the maximum the OpenAPI document advertises.
The names accepted are the ones ``ogc.openapi`` declares.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Mapping

from django.http import QueryDict

from layers.registry import LayerDeclaration, get_layer
from ogc.cql import parse_filter
from ogc.crs import CRS84, Crs, area_bounds, parse_crs
from ogc.errors import InvalidParameterValue
from ogc.openapi import DEFAULT_ITEMS, MAX_ITEMS
from ogc.providers.sql import ItemsQuery
from ogc.providers.values import coerce_value, parse_datetime_interval

COMMON = frozenset({"f", "lang"})
ITEMS = COMMON | {
    "limit", "offset", "after", "bbox", "bbox-crs", "crs", "datetime", "sortby", "properties",
    "skipGeometry", "resulttype", "filter", "filter-lang", "filter-crs",
}
ITEM = COMMON | {"crs"}
#: ``GET /processes`` (OGC API Processes 1.0 /req/core/pl-limit-definition).
PROCESS_LIST_PARAMETERS = COMMON | {"limit"}
#: Larger offsets cannot address a row in PostgreSQL (bigint) anyway.
MAX_OFFSET = 2**53
CHOICES = {"skipGeometry": ("true", "false"), "resulttype": ("results", "hits")}


def _reject_unknown(given: Iterable[str], allowed: frozenset[str] | set[str]) -> None:
    unknown = sorted(set(given) - set(allowed))
    if unknown:
        accepted = f"accepted: {', '.join(sorted(allowed))}" if allowed else "this takes none"
        raise InvalidParameterValue(f"unknown query parameter(s): {', '.join(unknown)}; {accepted}")


#: OGC API - Coverages Part 1 (subsetting) lets ``subset`` repeat, once per axis.
REPEATABLE = frozenset({"subset"})


def reject_repeated(query: QueryDict) -> None:
    """``kategori=klinik&kategori=pasar`` is a 400, not the last value silently.

    OGC API - Features gives each parameter one value (a list is one
    comma-separated value: ``bbox``, ``properties``, ``sortby``); Django's
    ``QueryDict`` would keep only the last, answering another question than
    the one asked.
    """
    for name, values in query.lists():
        if len(values) > 1 and name not in REPEATABLE:
            raise InvalidParameterValue(
                f"{name}: given {len(values)} times; give it once (several values of "
                "one property: a CQL2 filter, e.g. kategori IN ('klinik','pasar'))")


def _reject_nul(params: Mapping[str, str]) -> None:
    for name, value in params.items():
        if "\x00" in value:
            raise InvalidParameterValue(f"{name}: contains a NUL character")


def check_parameters(params: Mapping[str, str], allowed: frozenset[str] = COMMON) -> None:
    """For endpoints that take only ``f`` and ``lang`` (landing, collections, ...)."""
    _reject_unknown(params, allowed)
    _reject_nul(params)


def check_item_parameters(params: Mapping[str, str]) -> None:
    check_parameters(params, ITEM)
    parse_crs(params.get("crs"), "crs")


def parse_items_query(params: Mapping[str, str], collection_id: str) -> ItemsQuery:
    """The whole items request, validated, as the provider's ``ItemsQuery``."""
    layer = get_layer(collection_id)
    names = {p.name for p in layer.properties}
    check_parameters(params, ITEMS | names)
    for name, choices in CHOICES.items():
        if name in params and params[name] not in choices:
            raise InvalidParameterValue(f"{name}: must be one of {', '.join(choices)}")
    bbox_crs = parse_crs(params.get("bbox-crs"), "bbox-crs")
    query = ItemsQuery(
        limit=_integer(params, "limit", DEFAULT_ITEMS, 1, MAX_ITEMS),
        offset=_integer(params, "offset", 0, 0, MAX_OFFSET),
        after=_integer(params, "after", None, -(2**63), 2**63 - 1),
        bbox=_bbox(params.get("bbox"), bbox_crs),
        bbox_crs=bbox_crs,
        period=_period(params.get("datetime"), layer),
        equals=_equals(params, layer),
        filter_crs=parse_crs(params.get("filter-crs"), "filter-crs"),
        sortby=_sortby(params.get("sortby"), names),
        properties=_properties(params.get("properties"), layer),
        skip_geometry=params.get("skipGeometry") == "true",
        crs=parse_crs(params.get("crs"), "crs"),
        hits=params.get("resulttype") == "hits",
    )
    if "filter" in params:
        query.filter = parse_filter(params["filter"], params.get("filter-lang"))
    elif "filter-lang" in params:
        parse_filter("1=1", params["filter-lang"])  # an unknown language is still a 400
    if query.after is not None and query.sortby:
        raise InvalidParameterValue("after: pages by id; with sortby use offset")
    return query


#: A download takes the filters of items and nothing else: paging, sorting,
#: ``crs`` and ``f`` mean nothing for a whole file in its own format.
DOWNLOAD = frozenset({"bbox", "bbox-crs", "datetime", "filter", "filter-lang", "filter-crs"})


def parse_download_query(params: Mapping[str, str], collection_id: str) -> ItemsQuery:
    """``/download/<layer>.<ext>``: the same filters as items, parsed the same way."""
    layer = get_layer(collection_id)
    check_parameters(params, DOWNLOAD | {p.name for p in layer.properties})
    bbox_crs = parse_crs(params.get("bbox-crs"), "bbox-crs")
    query = ItemsQuery(
        bbox=_bbox(params.get("bbox"), bbox_crs),
        bbox_crs=bbox_crs,
        period=_period(params.get("datetime"), layer),
        equals=_equals(params, layer),
        filter_crs=parse_crs(params.get("filter-crs"), "filter-crs"),
    )
    if "filter" in params:
        query.filter = parse_filter(params["filter"], params.get("filter-lang"))
    return query


def _integer(params: Mapping[str, str], name: str, default: int | None, low: int,
             high: int) -> int | None:
    raw = params.get(name)
    if raw is None:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise InvalidParameterValue(f"{name}: {raw!r} is not an integer") from None
    if not low <= value <= high:
        raise InvalidParameterValue(f"{name}: must be between {low} and {high}, not {value}")
    return value


def _bbox(value: str | None, crs: Crs) -> tuple[float, float, float, float] | None:
    """/req/core/fc-bbox-definition: 4 or 6 finite numbers, each minimum ≤ its maximum.

    Boxes crossing the antimeridian (minx > maxx) are refused: Kota Kupang is
    nowhere near it, and such a box is almost always swapped coordinates.
    """
    if value is None:
        return None
    try:
        numbers = [float(part) for part in value.split(",")]
    except ValueError:
        raise InvalidParameterValue(f"bbox: {value!r} is not a list of numbers") from None
    if len(numbers) not in (4, 6):
        raise InvalidParameterValue("bbox: needs 4 numbers (or 6 with heights)")
    if not all(math.isfinite(n) for n in numbers):
        raise InvalidParameterValue("bbox: every value must be a finite number")
    half = len(numbers) // 2
    mins, maxs = numbers[:half], numbers[half:]
    if any(low > high for low, high in zip(mins, maxs, strict=True)):
        raise InvalidParameterValue("bbox: each minimum must not exceed its maximum")
    if crs is CRS84 and (mins[0] < -180 or maxs[0] > 180 or mins[1] < -90 or maxs[1] > 90):
        raise InvalidParameterValue("bbox: longitude must be within ±180 and latitude ±90")
    # Clipped to where the CRS is defined: PostGIS cannot reproject beyond it.
    low_x, low_y, high_x, high_y = area_bounds(crs)
    box = (max(mins[0], low_x), max(mins[1], low_y), min(maxs[0], high_x), min(maxs[1], high_y))
    if box[0] > box[2] or box[1] > box[3]:
        raise InvalidParameterValue(f"bbox: lies outside the area where {crs.uri} is defined")
    return box


def _period(
    value: str | None, layer: LayerDeclaration
) -> tuple[dt.date | None, dt.date | None] | None:
    if value is None:
        return None
    if layer.time_fields is None:
        raise InvalidParameterValue(
            f"datetime: collection {layer.id} has no temporal property, so it cannot be "
            "filtered by time"
        )
    try:
        return parse_datetime_interval(value)
    except ValueError as exc:
        raise InvalidParameterValue(f"datetime: {exc}") from exc


def _equals(params: Mapping[str, str], layer: LayerDeclaration) -> list[tuple[str, object]]:
    """/req/core/fc-filters: one equality filter per published property."""
    equals = []
    for prop in layer.properties:
        if prop.name not in params:
            continue
        raw = params[prop.name]
        try:
            value = coerce_value(prop.type, raw)
        except ValueError as exc:
            raise InvalidParameterValue(f"{prop.name}: {exc}") from exc
        if prop.enum and value not in prop.enum:
            raise InvalidParameterValue(
                f"{prop.name}: {raw!r} is not one of {', '.join(prop.enum)}"
            )
        equals.append((prop.name, value))
    return equals


def _sortby(value: str | None, names: set[str]) -> list[tuple[str, bool]]:
    """``sortby``: comma-separated names, each with optional +/-.

    A raw ``+`` in a query string decodes to a space, so leading spaces are
    read as the ``+`` the client meant.
    """
    if value is None:
        return []
    terms = []
    for term in value.split(","):
        stripped = term.strip()
        name = stripped.lstrip("+-")
        if name not in names:
            raise InvalidParameterValue(
                f"sortby: unknown property {name!r}; sortable: {', '.join(sorted(names))}"
            )
        terms.append((name, stripped.startswith("-")))
    return terms


def _properties(value: str | None, layer: LayerDeclaration) -> list[str] | None:
    if value is None:
        return None
    wanted = [name.strip() for name in value.split(",") if name.strip()]
    unknown = [name for name in wanted if layer.property_named(name) is None]
    if unknown:
        raise InvalidParameterValue(
            f"properties: unknown {', '.join(unknown)}; published: "
            f"{', '.join(p.name for p in layer.properties)}"
        )
    return wanted
