"""Clicking features on the rendered map, as a citizen does: a mouse click at
the screen position of a facility's marker and inside a kelurahan drawn from
the OGC API's vector tiles (Leaflet.VectorGrid), not ``openPopup()`` from
script or a click in the list. The popups must show the feature's key facts
as the API has them.

The screen position is computed from the feature's coordinates in the API
(Leaflet's ``latLngToContainerPoint``), so the test also shows that the
feature is drawn where the API says it is.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
import requests
from shapely.geometry import shape

from layers.models import FacilityCategory
from tests.map_browser_support import MapTab, api_features, skip_without_chromium

if TYPE_CHECKING:
    from playwright.sync_api import Page

skip_without_chromium()

#: RSUD W. Z. Johannes, in Kelurahan Oetete (Kecamatan Oebobo).
FACILITY = "RSUD W. Z. Johannes"
KELURAHAN = "53.71.04.1008"

#: Where a longitude/latitude is on the screen, and what the browser would click there.
SCREEN_POINT = """([lon, lat]) => {
    const map = document.getElementById("map").taksiMap;
    const point = map.latLngToContainerPoint([lat, lon]);
    const box = map.getContainer().getBoundingClientRect();
    const x = box.left + point.x, y = box.top + point.y;
    const hit = document.elementFromPoint(x, y);
    return {
        x, y,
        marker: hit?.closest(".leaflet-marker-icon")?.getAttribute("title") ?? null,
        path: hit?.matches("path.leaflet-interactive")
            ? [...hit.classList].find((c) => c.startsWith("taksi-") && c !== "taksi-feature")
            : null,
    };
}"""


def _screen_point(page: Page, lon: float, lat: float) -> dict:
    return page.evaluate(SCREEN_POINT, [lon, lat])


def _popup_facts(page: Page, layer: str, feature_id: int) -> dict[str, str]:
    popup = page.locator(
        f".leaflet-popup-content .taksi-popup[data-layer={layer}][data-id='{feature_id}']")
    popup.wait_for()
    return {"title": popup.locator(".popup-title").inner_text(), **dict(zip(
        popup.locator("dt").all_inner_texts(), popup.locator("dd").all_inner_texts(),
        strict=True))}


@pytest.fixture(scope="module")
def known(server_url: str, http: requests.Session) -> dict[str, dict]:
    facility = next(f for f in api_features(http, server_url, "facilities")
                    if f["properties"]["nama"] == FACILITY)
    kelurahan = api_features(http, server_url, "kelurahan", kode=KELURAHAN)[0]
    return {"facility": facility, "kelurahan": kelurahan}


def test_clicking_a_marker_and_a_kelurahan_on_the_map_opens_their_popups(
    browser, server_url: str, known: dict[str, dict],
) -> None:
    facility, kelurahan = known["facility"], known["kelurahan"]
    lon, lat = facility["geometry"]["coordinates"]
    tab = MapTab(browser, 1280, 800)
    page = tab.page
    try:
        # Zoom 16 on the hospital: its marker stands clear of the others.
        tab.open_map(f"{server_url}/?peta=16/{lat}/{lon}")
        assert page.locator(".leaflet-popup").count() == 0

        # The facility: its marker is drawn at the API's coordinates; click there.
        spot = _screen_point(page, lon, lat)
        assert spot["marker"] == FACILITY
        page.mouse.click(spot["x"], spot["y"])
        facts = _popup_facts(page, "facilities", facility["id"])
        props = facility["properties"]
        assert facts == {
            "title": FACILITY,
            "Kategori": str(FacilityCategory(props["kategori"]).label),
            "Alamat": "—",  # none in the source data set
            "Kelurahan": "Oetete",
        }
        assert props["kelurahan"] == "Oetete"
        page.locator(".leaflet-popup-close-button").click()
        page.locator(".leaflet-popup").wait_for(state="detached")

        # The kelurahan: a point inside it, away from markers and project sites,
        # lands on its vector-tile path.
        inside = shape(kelurahan["geometry"]).representative_point()
        spot = _screen_point(page, inside.x, inside.y)
        assert (spot["marker"], spot["path"]) == (None, "taksi-kelurahan")
        asked = len(tab.requests)
        page.mouse.click(spot["x"], spot["y"])
        facts = _popup_facts(page, "kelurahan", kelurahan["id"])
        assert facts == {"title": "Oetete", "Kode Kemendagri": KELURAHAN,
                         "Kecamatan": "Oebobo"}
        assert kelurahan["properties"]["kecamatan"] == "Oebobo"
        # The tile feature was matched by its id: its outline came from the API for
        # the highlight, drawn over the tiles.
        item = f"/ogc/collections/kelurahan/items/{kelurahan['id']}"
        assert any(item in url for url in tab.requests[asked:])
        page.wait_for_function(
            "() => getComputedStyle(document.querySelector('.leaflet-popup')).opacity === '1'")
        tab.screenshot("map-click-kelurahan.png")
        assert tab.errors == []
    finally:
        tab.close()
