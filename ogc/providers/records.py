"""pygeoapi record provider: the ``catalog`` collection, built from the layer registry.

Referenced by dotted path (``ogc.providers.records.CatalogueProvider``) like
the feature provider; there is no TinyDB or Elasticsearch file to keep in
step, the records are made per request from the declarations and PostGIS
extents (``ogc.catalog``). With one record per layer the filtering below is
done on a handful of dicts in Python; the database work (extents) is SQL.

Query semantics follow OGC API Records Part 1 "Records core query
parameters": ``q`` (comma = OR, white space = the words in that order,
case-insensitive), ``bbox`` (the record's extent intersects), ``datetime``
(the record's time span intersects; records without one do not match),
``type``, ``ids`` and ``externalIds`` (comma-separated lists), all combined
with AND. Errors are pygeoapi's provider errors, so the API answers 400/404.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from dateutil.parser import isoparse
from pygeoapi.provider.base import (
    BaseProvider,
    ProviderInvalidQueryError,
    ProviderItemNotFoundError,
)

from ogc.catalog import RECORD_FIELDS, layer_facts, record

#: Record properties that ``q`` searches.
SEARCHED = ("title", "titleEn", "description", "producerName", "lineage", "rights")


class CatalogueProvider(BaseProvider):
    """One OGC API Records record per published layer."""

    def __init__(self, provider_def: dict[str, Any]) -> None:
        super().__init__(provider_def)
        self.id_field = "id"
        self.title_field = "title"
        self._fields = self.get_fields()

    def get_fields(self) -> dict[str, dict[str, Any]]:
        """Queryables: string properties a client may filter (``license=MIT``) or sort on."""
        return {name: {"type": "string", "title": title} for name, title in RECORD_FIELDS.items()}

    def query(
        self,
        offset: int = 0,
        limit: int = 10,
        resulttype: str = "results",
        bbox: list[float] | None = None,
        datetime_: str | None = None,
        properties: list[tuple[str, str]] | None = None,
        sortby: list[dict[str, str]] | None = None,
        q: str | None = None,
        **kwargs: Any,
    ) -> dict[str, Any]:
        records = [record(facts) for facts in layer_facts()]
        records = [r for r in records if _matches(r, bbox, datetime_, properties or [], q)]
        for key in reversed(sortby or []):
            records.sort(key=lambda r, k=key["property"]: str(r["properties"].get(k) or ""),
                         reverse=key.get("order") == "-")
        page = [] if resulttype == "hits" else records[offset : offset + limit]
        return {
            "type": "FeatureCollection",
            "features": page,
            "numberMatched": len(records),
            "numberReturned": len(page),
        }

    def get(self, identifier: str, **kwargs: Any) -> dict[str, Any]:
        """A single record; an id that is not a published layer is a 404."""
        for facts in layer_facts():
            if facts.layer.id == identifier:
                return record(facts, in_list=False)
        raise ProviderItemNotFoundError(user_msg=f"record {identifier!r} not found")

    def __repr__(self) -> str:
        return "<CatalogueProvider>"


def _matches(rec: dict[str, Any], bbox: list[float] | None, datetime_: str | None,
             properties: list[tuple[str, str]], q: str | None) -> bool:
    """OGC API Records /req/records-api/query-params: every given predicate holds (AND)."""
    return (
        (not bbox or _intersects_bbox(rec, bbox))
        and (not datetime_ or _intersects_time(rec, datetime_))
        and all(_property_matches(rec, name, value) for name, value in properties)
        and (q is None or _matches_text(rec, q))
    )


def _intersects_bbox(rec: dict[str, Any], bbox: list[float]) -> bool:
    if rec["geometry"] is None:
        return False
    minx, miny, maxx, maxy = (bbox[0], bbox[1], bbox[3], bbox[4]) if len(bbox) == 6 else bbox
    ring = rec["geometry"]["coordinates"][0]
    xs, ys = [p[0] for p in ring], [p[1] for p in ring]
    return min(xs) <= maxx and minx <= max(xs) and min(ys) <= maxy and miny <= max(ys)


def _day(raw: str) -> dt.date | None:
    if raw in ("", ".."):
        return None
    try:
        return isoparse(raw).date()
    except ValueError:
        raise ProviderInvalidQueryError(
            user_msg=f"datetime: {raw!r} is not an RFC 3339 date or date-time"
        ) from None


def _intersects_time(rec: dict[str, Any], datetime_: str) -> bool:
    start_raw, _, end_raw = datetime_.partition("/") if "/" in datetime_ else (
        datetime_, "", datetime_)
    start, end = _day(start_raw), _day(end_raw)
    if rec["time"] is None:
        return False
    begin, finish = (_day(v) for v in rec["time"]["interval"])
    return (end is None or begin is None or begin <= end) and (
        start is None or finish is None or start <= finish)


def _property_matches(rec: dict[str, Any], name: str, value: str) -> bool:
    """``ids``/``externalIds``/``type``: comma-separated lists (an empty list matches none)."""
    wanted = [v.strip() for v in value.split(",") if v.strip()]
    if name == "ids":
        return rec["id"] in wanted
    if name == "externalIds":
        external = {e.get("value") for e in rec["properties"].get("externalIds", [])}
        return bool(external.intersection(wanted))
    if name in RECORD_FIELDS:
        return str(rec["properties"].get(name)) in wanted
    raise ProviderInvalidQueryError(user_msg=f"unknown query parameter {name!r}")


def _matches_text(rec: dict[str, Any], q: str) -> bool:
    props = rec["properties"]
    texts = [str(props.get(name) or "") for name in SEARCHED]
    texts += [rec["id"], *props["keywords"]]
    texts += [c["title"] for theme in props["themes"] for c in theme["concepts"]]
    for term in (t for t in q.split(",") if t.strip()):
        pattern = re.compile(r"\s+".join(re.escape(word) for word in term.split()), re.I)
        if any(pattern.search(text) for text in texts):
            return True
    return False
