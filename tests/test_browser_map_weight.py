"""Page weight: the first load of the map with every layer on, as a phone on a
slow connection pays for it — bytes on the wire (gzip), from Chromium's own
network events (CDP Network.loadingFinished.encodedDataLength: headers and
the encoded body of each response).

External hosts are made unresolvable (--host-resolver-rules) rather than
intercepted, so Chromium's network stack reports the real transfer sizes.
That means the base-map tiles (TAKSI_BASEMAP_URL, OpenStreetMap by default)
are never fetched and so not in the total: the test counts how many the page
asked for and writes that next to the total (build/page-weight.txt), and the
README says so. Their size depends on the tile server, not on Taksi.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

from tests.map_browser_support import (
    EXPECTED_COUNTS,
    READY,
    SCREENSHOTS,
    TILED,
    launch_browser,
    legend_counts,
    skip_without_chromium,
)

if TYPE_CHECKING:
    from playwright.sync_api import Browser

skip_without_chromium()

BUDGET_BYTES = 600_000


@pytest.fixture(scope="module")
def browser(server_url: str) -> Iterator[Browser]:
    yield from launch_browser(("--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",))


def test_first_load_of_the_map_with_every_layer_stays_under_600_kb(
    browser: Browser, server_url: str,
) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="id-ID")
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
    responses: dict[str, dict] = {}
    sizes: dict[str, int] = {}
    asked: list[str] = []
    cdp.on("Network.requestWillBeSent", lambda event: asked.append(event["request"]["url"]))
    cdp.on("Network.responseReceived", lambda event: responses.__setitem__(
        event["requestId"], event["response"]))
    cdp.on("Network.loadingFinished", lambda event: sizes.__setitem__(
        event["requestId"], int(event["encodedDataLength"])))
    try:
        page.goto(f"{server_url}/")
        page.wait_for_selector(READY, state="attached", timeout=30_000)
        page.wait_for_load_state("networkidle")
        assert legend_counts(page) == {k: str(v) for k, v in EXPECTED_COUNTS.items()}
        ours = {rid: r for rid, r in responses.items() if r["url"].startswith(server_url)}
        total = sum(sizes.get(rid, 0) for rid in ours)
        report = sorted(((sizes.get(rid, 0), r["url"].removeprefix(server_url))
                         for rid, r in ours.items()), reverse=True)
        vector_tiles = [url for _, url in report if "/tiles/WebMercatorQuad/" in url]
        basemap = [url for url in asked if url.startswith("https://tile.openstreetmap.org/")]
        SCREENSHOTS.parent.mkdir(parents=True, exist_ok=True)
        (SCREENSHOTS.parent / "page-weight.txt").write_text(
            f"{total} bytes transferred from Taksi for the first load of / "
            f"({len(ours)} responses, {len(vector_tiles)} of them vector tiles)\n"
            f"not counted: {len(basemap)} base-map tile requests to tile.openstreetmap.org "
            "(external hosts unreachable in the test)\n"
            + "".join(f"{size:>8}  {url}\n" for size, url in report), encoding="utf-8")
        print(f"\nmap page weight: {total} bytes (+ {len(basemap)} base-map tiles not counted)")
        assert 0 < total < BUDGET_BYTES, report
        # The base map was asked for (so it is really left out, not missing).
        assert basemap
        # Facilities and projects came as one gzip-compressed GeoJSON response
        # each; the boundaries as attributes without geometry plus vector tiles.
        items = {url: r for url, r in ((r["url"], r) for r in ours.values()) if "/items?" in url}
        geojson = [url for url in items if "skipGeometry" not in url and "resulttype" not in url]
        assert sorted(url.split("/collections/")[1].split("/")[0] for url in geojson) \
            == ["facilities", "projects"]
        for layer in TILED:
            assert any(f"/collections/{layer}/items?" in url and "skipGeometry=true" in url
                       for url in items)
            assert any(f"/collections/{layer}/tiles/" in url for url in vector_tiles)
        for url, response in {**items, **{r["url"]: r for r in ours.values()
                                          if r["url"].endswith((".js", ".css"))}}.items():
            headers = {k.lower(): v for k, v in response["headers"].items()}
            assert headers.get("content-encoding") in {"gzip", "br"}, url
    finally:
        context.close()
