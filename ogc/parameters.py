"""Query parameters each endpoint declares; anything else is a 400.

OGC API Features Part 1 (/rec/core/query-param-unknown) lets a server reject
parameters it does not know, and GIS clients are better served by an error
than by a silently unfiltered answer (a misspelt ``bbox`` would otherwise
return the whole city).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from layers.registry import get_layer
from ogc.errors import InvalidParameterValue

COMMON = frozenset({"f", "lang"})
ITEMS = COMMON | {
    "limit", "offset", "bbox", "bbox-crs", "crs", "datetime", "sortby", "properties",
    "skipGeometry", "resulttype",
}
ITEM = COMMON | {"crs"}


def _reject_unknown(given: Iterable[str], allowed: frozenset[str] | set[str]) -> None:
    unknown = sorted(set(given) - set(allowed))
    if unknown:
        raise InvalidParameterValue(
            f"unknown query parameter(s): {', '.join(unknown)}; "
            f"accepted: {', '.join(sorted(allowed))}"
        )


def check_items_parameters(params: Mapping[str, str], collection_id: str) -> None:
    layer = get_layer(collection_id)
    names = {p.name for p in layer.properties}
    _reject_unknown(params, ITEMS | names)
    _check_sortby(params.get("sortby"), names)


def _check_sortby(value: str | None, names: set[str]) -> None:
    """OGC API Features Part 8 ``sortby``: comma-separated names, each with optional +/-."""
    if value is None:
        return
    for term in value.split(","):
        name = term.strip().lstrip("+-")
        if name not in names:
            raise InvalidParameterValue(
                f"sortby: unknown property {name!r}; sortable: {', '.join(sorted(names))}"
            )


def check_item_parameters(params: Iterable[str]) -> None:
    _reject_unknown(params, ITEM)
