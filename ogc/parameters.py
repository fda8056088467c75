"""Query parameters each endpoint declares, and the values they accept.

OGC API Features Part 1 (/rec/core/query-param-unknown) lets a server reject
parameters it does not know, and GIS clients are better served by an error
than by a silently unfiltered answer (a misspelt ``bbox`` would otherwise
return the whole city). Values pygeoapi would pass on unchecked (NaN in a
bbox, an offset past PostgreSQL's bigint, a NUL byte) are refused here with a
message naming the parameter, instead of failing in the database.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping

from layers.registry import get_layer
from ogc.errors import InvalidParameterValue

COMMON = frozenset({"f", "lang"})
ITEMS = COMMON | {
    "limit", "offset", "bbox", "bbox-crs", "crs", "datetime", "sortby", "properties",
    "skipGeometry", "resulttype",
}
ITEM = COMMON | {"crs"}
#: Larger offsets cannot address a row in PostgreSQL (bigint) anyway.
MAX_OFFSET = 2**53
CHOICES = {"skipGeometry": ("true", "false"), "resulttype": ("results", "hits")}


def _reject_unknown(given: Iterable[str], allowed: frozenset[str] | set[str]) -> None:
    unknown = sorted(set(given) - set(allowed))
    if unknown:
        raise InvalidParameterValue(
            f"unknown query parameter(s): {', '.join(unknown)}; "
            f"accepted: {', '.join(sorted(allowed))}"
        )


def _reject_nul(params: Mapping[str, str]) -> None:
    for name, value in params.items():
        if "\x00" in value:
            raise InvalidParameterValue(f"{name}: contains a NUL character")


def check_parameters(params: Mapping[str, str], allowed: frozenset[str] = COMMON) -> None:
    """For endpoints that take only ``f`` and ``lang`` (landing, collections, ...)."""
    _reject_unknown(params, allowed)
    _reject_nul(params)


def check_items_parameters(params: Mapping[str, str], collection_id: str) -> None:
    layer = get_layer(collection_id)
    names = {p.name for p in layer.properties}
    check_parameters(params, ITEMS | names)
    _check_sortby(params.get("sortby"), names)
    _check_bbox(params.get("bbox"), params.get("bbox-crs"))
    _check_offset(params.get("offset"))
    for name, choices in CHOICES.items():
        if name in params and params[name] not in choices:
            raise InvalidParameterValue(f"{name}: must be one of {', '.join(choices)}")
    _check_datetime(params.get("datetime"))


def check_download_parameters(params: Mapping[str, str], collection_id: str) -> None:
    """``/download/<layer>.<ext>``: the filters of items (bbox, datetime where the
    layer has time fields, one parameter per property) and nothing else; paging,
    sorting and ``f`` mean nothing for a whole-file download."""
    layer = get_layer(collection_id)
    allowed = {"bbox", *(p.name for p in layer.properties)}
    if layer.time_fields:
        allowed.add("datetime")
    _reject_unknown(params, allowed)
    _reject_nul(params)
    _check_bbox(params.get("bbox"), None)
    _check_datetime(params.get("datetime"))


def _check_datetime(value: str | None) -> None:
    if (value or "").strip() in ("/", "../..", "../", "/.."):
        raise InvalidParameterValue("datetime: an interval needs at least one bounded end")


def check_item_parameters(params: Mapping[str, str]) -> None:
    check_parameters(params, ITEM)


def _check_sortby(value: str | None, names: set[str]) -> None:
    """OGC API Features Part 8 ``sortby``: comma-separated names, each with optional +/-.

    A raw ``+`` in a query string decodes to a space, so leading spaces are
    read as the ``+`` the client meant.
    """
    if value is None:
        return
    for term in value.split(","):
        name = term.strip().lstrip("+-")
        if name not in names:
            raise InvalidParameterValue(
                f"sortby: unknown property {name!r}; sortable: {', '.join(sorted(names))}"
            )


def _check_bbox(value: str | None, bbox_crs: str | None) -> None:
    """Finite numbers, min ≤ max; CRS84 boxes also within ±180/±90.

    Boxes crossing the antimeridian (minx > maxx) are refused: Kota Kupang is
    nowhere near it, and such a box is almost always swapped coordinates.
    """
    if value is None:
        return
    try:
        numbers = [float(part) for part in value.split(",")]
    except ValueError:
        return  # pygeoapi answers the malformed cases with its own 400
    if not all(math.isfinite(n) for n in numbers):
        raise InvalidParameterValue("bbox: every value must be a finite number")
    if len(numbers) not in (4, 6):
        return
    half = len(numbers) // 2
    mins, maxs = numbers[:half], numbers[half:]
    if any(low > high for low, high in zip(mins, maxs, strict=True)):
        raise InvalidParameterValue("bbox: each minimum must not exceed its maximum")
    if bbox_crs in (None, "http://www.opengis.net/def/crs/OGC/1.3/CRS84") and (
        mins[0] < -180 or maxs[0] > 180 or mins[1] < -90 or maxs[1] > 90
    ):
        raise InvalidParameterValue("bbox: longitude must be within ±180 and latitude ±90")


def _check_offset(value: str | None) -> None:
    if value is None:
        return
    try:
        offset = int(value)
    except ValueError:
        return  # pygeoapi: "offset value should be an integer"
    if offset > MAX_OFFSET:
        raise InvalidParameterValue(f"offset: must not exceed {MAX_OFFSET}")
