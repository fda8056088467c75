"""What each scenario requests from each server.

Every scenario asks the three servers for the same data: the same page size,
the same bbox, the same filter. A server without the capability (the floor
has no tiles) is ``None`` and left out of that row's ratios.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import requests

#: Central Kupang (Kota Raja / Oebobo): dense in the synthetic data.
CENTRAL_BBOX = "123.575,-10.180,123.610,-10.155"
CENTRAL_POINT = (123.595, -10.165)
KUPANG_BBOX = (123.52, -10.30, 123.70, -10.12)
DEEP_FEATURE = 150_000

TAKSI_ITEMS = "/ogc/collections/{c}/items"
TIPG_ITEMS = "/collections/public.layers_{t}/items"

UrlFor = Callable[[str], list[str]]


@dataclass(frozen=True)
class Scenario:
    name: str
    title: str
    #: "wrk": fixed-duration load on the first URL; "list": each URL once (cold).
    kind: Literal["wrk", "list"]
    taksi: UrlFor | None
    tipg: UrlFor | None
    floor: UrlFor | None


def _with_limit(url: str, limit: int) -> str:
    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query) if k != "limit"] + [("limit", str(limit))]
    return urlunsplit(parts._replace(query=urlencode(query)))


def taksi_deep_page(base: str) -> list[str]:
    """Follow ``next`` links with the largest page until feature DEEP_FEATURE, as a client does."""
    url = f"{base}{TAKSI_ITEMS.format(c='facilities')}?limit=1000&f=json"
    seen = 0
    session = requests.Session()
    while seen < DEEP_FEATURE:
        page = session.get(url, timeout=120).json()
        seen += page["numberReturned"]
        url = next(link["href"] for link in page["links"] if link["rel"] == "next")
    return [_with_limit(url, 100)]


def tiles(z: int) -> list[tuple[int, int, int]]:
    """Every WebMercatorQuad tile over Kota Kupang at zoom z (morecantile's tile math)."""
    import morecantile

    tms = morecantile.tms.get("WebMercatorQuad")
    return [(t.z, t.x, t.y) for t in tms.tiles(*KUPANG_BBOX, zooms=[z])]


def central_tile(z: int) -> tuple[int, int, int]:
    import morecantile

    t = morecantile.tms.get("WebMercatorQuad").tile(*CENTRAL_POINT, z)
    return t.z, t.x, t.y


def _taksi_tile(base: str, t: tuple[int, int, int]) -> str:
    z, x, y = t
    return f"{base}/ogc/collections/facilities/tiles/WebMercatorQuad/{z}/{y}/{x}?f=mvt"


def _tipg_tile(base: str, t: tuple[int, int, int]) -> str:
    """The same features with the same properties as Taksi's tile (its declared
    ``tile_properties``: name and category); tipg's default is every column."""
    z, x, y = t
    return (f"{base}/collections/public.layers_facility/tiles/WebMercatorQuad/{z}/{x}/{y}"
            "?properties=name,category")


def central_tile_urls(server: str, base: str) -> dict[str, str]:
    """The repeated-tile URLs of a server by zoom, to compare what each one sends."""
    url = {"taksi": _taksi_tile, "tipg": _tipg_tile}.get(server)
    return {} if url is None else {f"z{z}": url(base, central_tile(z)) for z in (12, 14)}


def tile_content(server: str, base: str) -> dict[str, dict[str, int]]:
    """Features and bytes of the central tiles: the servers must send the same data."""
    import mapbox_vector_tile

    found = {}
    for zoom, url in central_tile_urls(server, base).items():
        body = requests.get(url, timeout=120).content
        layers = mapbox_vector_tile.decode(body) if body else {}
        found[zoom] = {"features": sum(len(layer["features"]) for layer in layers.values()),
                       "bytes": len(body)}
    return found


FILTER_TAKSI = urlencode({"filter": "status='completed' AND tahun_anggaran=2024",
                          "filter-lang": "cql2-text"})
FILTER_TIPG = urlencode({"filter": "status='completed' AND fiscal_year=2024",
                         "filter-lang": "cql2-text"})

SCENARIOS: list[Scenario] = [
    Scenario("items", "items limit=100, first page", "wrk",
             lambda b: [f"{b}{TAKSI_ITEMS.format(c='facilities')}?limit=100&f=json"],
             lambda b: [f"{b}{TIPG_ITEMS.format(t='facility')}?limit=100&f=geojson"],
             lambda b: [f"{b}/items?limit=100"]),
    Scenario("deep", f"items limit=100 around feature {DEEP_FEATURE:,} (via next)", "wrk",
             taksi_deep_page,
             lambda b: [f"{b}{TIPG_ITEMS.format(t='facility')}?limit=100&offset={DEEP_FEATURE}"
                        "&f=geojson"],
             lambda b: [f"{b}/items?limit=100&after={DEEP_FEATURE}"]),
    Scenario("bbox", "items limit=100 in a bbox over central Kupang", "wrk",
             lambda b: [f"{b}{TAKSI_ITEMS.format(c='facilities')}?limit=100&bbox={CENTRAL_BBOX}"
                        "&f=json"],
             lambda b: [f"{b}{TIPG_ITEMS.format(t='facility')}?limit=100&bbox={CENTRAL_BBOX}"
                        "&f=geojson"],
             lambda b: [f"{b}/items?limit=100&bbox={CENTRAL_BBOX}"]),
    Scenario("filter", "projects, CQL2 filter on status and fiscal year", "wrk",
             lambda b: [f"{b}{TAKSI_ITEMS.format(c='projects')}?limit=100&{FILTER_TAKSI}&f=json"],
             lambda b: [f"{b}{TIPG_ITEMS.format(t='projectsite')}?limit=100&{FILTER_TIPG}"
                        "&f=geojson"],
             None),
    Scenario("item", "a single item", "wrk",
             lambda b: [f"{b}{TAKSI_ITEMS.format(c='facilities')}/123456?f=json"],
             lambda b: [f"{b}{TIPG_ITEMS.format(t='facility')}/123456?f=geojson"],
             None),
    Scenario("tile12_cold", "MVT z12 over Kupang, each tile once", "list",
             lambda b: [_taksi_tile(b, t) for t in tiles(12)],
             lambda b: [_tipg_tile(b, t) for t in tiles(12)], None),
    Scenario("tile14_cold", "MVT z14 over Kupang, each tile once", "list",
             lambda b: [_taksi_tile(b, t) for t in tiles(14)],
             lambda b: [_tipg_tile(b, t) for t in tiles(14)], None),
    Scenario("tile12_repeat", "MVT z12 central tile, repeated", "wrk",
             lambda b: [_taksi_tile(b, central_tile(12))],
             lambda b: [_tipg_tile(b, central_tile(12))], None),
    Scenario("tile14_repeat", "MVT z14 central tile, repeated", "wrk",
             lambda b: [_taksi_tile(b, central_tile(14))],
             lambda b: [_tipg_tile(b, central_tile(14))], None),
]
