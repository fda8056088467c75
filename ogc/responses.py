"""GeoJSON responses assembled around the text PostGIS wrote.

The features arrive as one string from ``LayerProvider.page``; the
FeatureCollection is that string with a few members written around it, so the
bytes of the coordinates are never parsed or re-encoded in Python.

Links follow OGC API Features Part 1 (/req/core/fc-links: self, alternate,
next; /req/core/f-links: self, alternate, collection). ``next`` carries the
keyset position (``after=<last id>``) when the order is by id, so following
next links costs the same on every page; with ``sortby`` it carries ``offset``.
"""

from __future__ import annotations

import json
import time
from collections.abc import Mapping
from urllib.parse import urlencode

from django.http import HttpResponse

from ogc.crs import Crs, content_crs_header
from ogc.providers.sql import ItemsQuery, Page

GEOJSON = "application/geo+json"
#: Every other format of the same items (/req/core/fc-links: alternate), all working.
_POSITION = frozenset({"f", "offset", "after"})
_ALTERNATES = (
    ("html", "text/html"), ("jsonld", "application/ld+json"), ("csv", "text/csv; charset=utf-8"),
)


def _href(base: str, params: Mapping[str, str], **changes: str | None) -> str:
    merged = {k: v for k, v in params.items() if k not in changes}
    merged.update({k: v for k, v in changes.items() if v is not None})
    return f"{base}?{urlencode(merged)}"


def _prefix(base: str, params: Mapping[str, str]) -> str:
    encoded = urlencode(params)
    return f"{base}?{encoded}&" if encoded else f"{base}?"


def items_links(base: str, params: Mapping[str, str], query: ItemsQuery,
                page: Page) -> list[dict[str, str]]:
    """self, alternates, next (and prev when paging by offset).

    The query string is encoded once and the few varying members appended:
    ``urlencode`` per link was a visible share of the request's Python time.
    """
    kept = _prefix(base, {k: v for k, v in params.items() if k not in _POSITION})
    # The other formats are in CRS84 only (ogc.views._crs84_unless_geojson).
    in_crs84 = kept if "crs" not in params else _prefix(
        base, {k: v for k, v in params.items() if k not in _POSITION and k != "crs"})
    here = (f"&offset={query.offset}" if "offset" in params else "") + (
        f"&after={query.after}" if query.after is not None else "")
    links = [{"rel": "self", "type": GEOJSON, "title": "Halaman ini / This document",
              "href": f"{kept}f=json{here}"}]
    links += [{"rel": "alternate", "type": mime, "title": fmt.upper(),
               "href": f"{in_crs84}f={fmt}{here}"} for fmt, mime in _ALTERNATES]
    if page.more:
        position = (f"offset={query.offset + query.limit}" if query.sortby
                    else f"after={page.last_id}")
        links.append({"rel": "next", "type": GEOJSON, "title": "Berikutnya / Next",
                      "href": f"{kept}f=json&{position}"})
    if query.offset > 0 and query.after is None:
        links.append({"rel": "prev", "type": GEOJSON, "title": "Sebelumnya / Previous",
                      "href": f"{kept}f=json&offset={max(0, query.offset - query.limit)}"})
    links.append({"rel": "collection", "type": "application/json",
                  "title": "Koleksi / Collection",
                  "href": base.rsplit("/items", 1)[0] + "?f=json"})
    return links


def geojson_response(body: str, crs: Crs) -> HttpResponse:
    response = HttpResponse(body.encode(), content_type=GEOJSON)
    response["Content-Crs"] = content_crs_header(crs)
    return response


def feature_collection(page: Page, links: list[dict[str, str]], query: ItemsQuery) -> str:
    """/req/core/fc-response; numberMatched only when exact (see ``LayerSql.count_sql``)."""
    matched = f',"numberMatched":{page.matched}' if page.matched is not None else ""
    stamp = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    features = "" if query.hits else page.features
    return (
        f'{{"type":"FeatureCollection","features":[{features}]{matched},'
        f'"numberReturned":{page.returned},"timeStamp":"{stamp}",'
        f'"links":{json.dumps(links, ensure_ascii=False)}}}'
    )


def feature_links(collection_url: str, item_id: str,
                  params: Mapping[str, str]) -> list[dict[str, str]]:
    base = f"{collection_url}/items/{item_id}"
    return [
        {"rel": "self", "type": GEOJSON, "title": "Fitur ini / This feature",
         "href": _href(base, params, f="json")},
        {"rel": "alternate", "type": "text/html", "title": "HTML",
         "href": _href(base, params, f="html", crs=None)},  # CRS84 only
        {"rel": "alternate", "type": "application/ld+json", "title": "JSON-LD",
         "href": _href(base, params, f="jsonld", crs=None)},
        {"rel": "collection", "type": "application/json", "title": "Koleksi / Collection",
         "href": f"{collection_url}?f=json"},
    ]


def with_links(feature: str, links: list[dict[str, str]]) -> str:
    """The feature text PostGIS wrote, with ``links`` added before its closing brace."""
    return f'{feature[:-1]},"links":{json.dumps(links, ensure_ascii=False)}}}'
