"""The public map in headless Chromium (Debian's /usr/bin/chromium), against the
gunicorn test server. Only 127.0.0.1 is reachable: base map tiles (and any
CDN) are blocked, and the map must still draw every layer. Every test also
fails on a script error, a console error or a Content-Security-Policy
violation (``MapTab.errors``).

Filters, permalinks, search, language and "Lokasi saya" are in
test_browser_map_interaction.py; page weight in test_browser_map_weight.py.
Screenshots go to build/screenshots/ (copies in docs/screenshots/).
"""

from __future__ import annotations

import re
from collections import Counter
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

import mapbox_vector_tile
import pytest
import requests
from shapely.geometry import shape

from layers.models import FacilityCategory, FundingSource, ProjectStatus
from tests.map_browser_support import (
    EXPECTED_COUNTS,
    RUPIAH,
    TILED,
    MapTab,
    api_features,
    contrast_ratio,
    inside_viewport,
    legend_counts,
    normalise_spaces,
    rupiah,
    skip_without_chromium,
    wait_for_counts,
)

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Route

skip_without_chromium()


@pytest.fixture
def api_projects(server_url: str, http: requests.Session) -> dict[str, dict]:
    return {str(f["id"]): f for f in api_features(http, server_url, "projects")}


def test_map_draws_every_layer_from_the_ogc_api(
    browser: Browser, server_url: str, api_projects: dict[str, dict], http: requests.Session,
) -> None:
    tab = MapTab(browser, 1280, 800)
    page = tab.page
    try:
        tab.open_map(f"{server_url}/")
        assert tab.errors == []
        assert page.locator("html").get_attribute("lang") == "id"

        # Live counts in the legend, one row per declared layer: the whole city is in view.
        assert legend_counts(page) == {k: str(v) for k, v in EXPECTED_COUNTS.items()}
        # Every feature is drawn, base-map tiles or not. Boundaries come from the
        # OGC API's vector tiles (SVG paths, one per feature and tile it touches):
        # the tiles the page loaded hold every kelurahan and kecamatan, and their
        # geometry was never downloaded as GeoJSON.
        for layer_id in TILED:
            tiles = [url for url in tab.requests
                     if f"/collections/{layer_id}/tiles/WebMercatorQuad/" in url]
            assert tiles and all(url.endswith("?f=mvt") for url in tiles)
            drawn = set()
            for url in tiles:
                mvt = http.get(url, timeout=30)
                assert mvt.status_code in (200, 204), url
                if mvt.status_code == 200:
                    layer = mapbox_vector_tile.decode(mvt.content)[layer_id]
                    drawn |= {feature["id"] for feature in layer["features"]}
            assert drawn == {f["id"] for f in api_features(http, server_url, layer_id)}
            assert page.locator(f"path.leaflet-interactive.taksi-{layer_id}").count() \
                >= EXPECTED_COUNTS[layer_id]
            items = [url for url in tab.requests if f"/collections/{layer_id}/items?" in url]
            assert all("skipGeometry=true" in url or "resulttype=hits" in url for url in items)
        # Project sites as GeoJSON paths, facilities as their category icon.
        assert page.locator("path.leaflet-interactive.taksi-projects").count() \
            == EXPECTED_COUNTS["projects"]
        markers = page.locator(".taksi-marker.taksi-facilities")
        assert markers.count() == EXPECTED_COUNTS["facilities"]
        assert page.locator(".taksi-marker.category-rumah_sakit svg").count() == 12
        assert page.locator(".taksi-marker.category-gereja svg").count() == 55
        # Every request the page made went to our server.
        assert all(urlsplit(url).hostname == "127.0.0.1" for url in tab.requests)

        # Legend: facility categories (with icons) and project statuses with live counts.
        categories = page.eval_on_selector_all(
            "#legend li[data-layer=facilities] .legend-values li",
            "items => items.map(i => [i.dataset.value, i.dataset.count, i.innerText,"
            " !!i.querySelector('svg.category-icon')])",
        )
        assert [(value, count, icon) for value, count, _, icon in categories] == [
            ("rumah_sakit", "12", True), ("gereja", "55", True),
        ]
        assert str(FacilityCategory("gereja").label) in categories[1][2]
        statuses = page.eval_on_selector_all(
            "#legend li[data-layer=projects] .legend-values li",
            "items => Object.fromEntries(items.map(i => [i.dataset.value, +i.dataset.count]))",
        )
        assert statuses == dict(Counter(f["properties"]["status"] for f in api_projects.values()))
        assert page.locator("#legend li[data-layer=projects] .badge-sample").inner_text() \
            == "Data contoh"
        # Layer switches in declaration order; switching one off removes it from map and list.
        labels = page.locator("#legend .legend-row label").all_inner_texts()
        assert labels == ["Kecamatan Kota Kupang", "Kelurahan Kota Kupang", "Fasilitas umum",
                          "Lokasi proyek pembangunan"]
        assert page.locator("#feature-list section[data-layer=facilities] li").count() == 67
        page.locator("#layer-facilities").uncheck()
        assert markers.count() == 0
        assert page.locator("#feature-list section[data-layer=facilities]").count() == 0
        page.locator("#layer-facilities").check()
        assert markers.count() == EXPECTED_COUNTS["facilities"]
        tab.screenshot("map-desktop.png")

        # The list beside the map opens a project's popup, which shows its key facts.
        first = min(api_projects.values(), key=lambda f: f["properties"]["nama"])
        feature = first["properties"]
        page.locator("#feature-list section[data-layer=projects] button").first.click()
        popup = page.locator(".leaflet-popup-content .taksi-popup[data-layer=projects]")
        popup.wait_for()
        assert popup.locator(".popup-title").inner_text() == feature["nama"]
        # "Detail" opens the project's page; the API link names the same feature.
        assert popup.locator("a.popup-detail").get_attribute("href") == f"/proyek/{first['id']}/"
        detail = http.get(f"{server_url}/proyek/{first['id']}/", timeout=30)
        assert detail.status_code == 200 and feature["nama"] in detail.text
        href = popup.locator("a.popup-link").get_attribute("href")
        assert href == f"/ogc/collections/projects/items/{first['id']}"
        assert http.get(f"{server_url}{href}?f=json", timeout=30).json()["properties"] \
            == feature
        text = normalise_spaces(popup.inner_text())
        assert RUPIAH.search(text), text
        assert rupiah(feature["pagu"]) in text
        assert rupiah(feature["realisasi"]) in text
        assert feature["opd"] in text
        assert str(ProjectStatus(feature["status"]).label) in text
        assert str(FundingSource(feature["sumber_dana"]).label) in text
        assert f"{feature['progres']:g}".replace(".", ",") + "%" in text
        assert _indonesian_date(feature["mulai"]) in text
        badge = popup.locator(".badge-sample")
        assert badge.is_visible()
        assert badge.inner_text() == "Data contoh"
        # The list click zoomed in, so the counts follow the smaller view.
        page.wait_for_function(
            "() => +document.querySelector('#legend li[data-layer=kelurahan]').dataset.count < 51")
        page.wait_for_function(
            "() => getComputedStyle(document.querySelector('.leaflet-popup')).opacity === '1'")
        tab.screenshot("map-desktop-popup.png")

        # "Detail proyek" leads to the project's own page.
        with page.expect_navigation():
            popup.locator("a.popup-detail").click()
        assert urlsplit(page.url).path == f"/proyek/{first['id']}/"
        assert page.locator("h1#project-name").inner_text() == feature["nama"]
        page.wait_for_selector("#project-map[data-ready=true]", state="attached")
        assert tab.errors == []
    finally:
        tab.close()


MONTHS_ID = ("Januari Februari Maret April Mei Juni Juli Agustus September Oktober November "
             "Desember").split()


def _indonesian_date(iso: str) -> str:
    year, month, day = (int(part) for part in iso.split("-"))
    return f"{day} {MONTHS_ID[month - 1]} {year}"


def test_map_fits_a_phone_screen(browser: Browser, server_url: str) -> None:
    tab = MapTab(browser, 360, 740, is_mobile=True, has_touch=True)
    page = tab.page
    try:
        tab.open_map(f"{server_url}/")
        assert legend_counts(page) == {k: str(v) for k, v in EXPECTED_COUNTS.items()}
        assert page.evaluate("document.documentElement.scrollWidth") <= 360
        # The map takes the screen; search, "Lokasi saya" and the panel button fit above it.
        map_box = page.locator("#map").bounding_box()
        assert map_box["width"] == 360 and map_box["height"] > 450
        for selector in ("#search-input", "#locate-button", "#panel-toggle"):
            box = page.locator(selector).bounding_box()
            assert box["x"] >= 0 and box["x"] + box["width"] <= 360, selector
            assert box["height"] >= 32, f"{selector} is too small to tap"
        # Icon-only buttons on a phone keep their names for screen readers.
        assert page.get_by_role("button", name="Lokasi saya").is_visible()
        assert page.get_by_role("button", name="Filter & lapisan").is_visible()
        # Filters, legend and list live in a drawer, closed at first.
        panel = page.locator("#panel")
        assert not panel.is_visible()
        toggle = page.locator("#panel-toggle")
        assert toggle.get_attribute("aria-expanded") == "false"
        tab.screenshot("map-phone.png")
        toggle.click()
        panel.wait_for(state="visible")
        assert toggle.get_attribute("aria-expanded") == "true"
        # Focus moves into the drawer, onto its close button, which is readable.
        assert page.evaluate("document.activeElement.id") == "panel-close"
        page.wait_for_timeout(250)  # the slide-in transition
        box = panel.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 360
        assert inside_viewport(page, "#panel-close")
        assert contrast_ratio(page, "#panel-close") >= 4.5
        # The attribution: 12 px text over the map, which may be any colour.
        for selector in (".leaflet-control-attribution",
                         ".leaflet-control-attribution a[href='https://leafletjs.com']",
                         ".leaflet-control-attribution a[href='/sumber-data/']"):
            assert contrast_ratio(page, selector) >= 4.5, selector
        page.locator("#panel-close").click()
        panel.wait_for(state="hidden")
        assert page.evaluate("document.activeElement.id") == "panel-toggle"
        toggle.click()
        panel.wait_for(state="visible")
        assert page.locator("#legend li[data-layer=projects]").is_visible()
        page.locator("#filter-kecamatan").select_option(label="Alak")
        assert "kecamatan=53.71.01" in page.url
        # Alak: 1 kecamatan, its 12 kelurahan (counted by the API for the new view).
        wait_for_counts(page, {"kecamatan": 1, "kelurahan": 12})
        tab.screenshot("map-phone-panel.png")
        page.keyboard.press("Escape")
        panel.wait_for(state="hidden")
        assert page.evaluate("document.activeElement.id") == "panel-toggle"
        assert page.evaluate("document.documentElement.scrollWidth") <= 360
        assert tab.errors == []
    finally:
        tab.close()


def test_a_project_popup_fits_a_360_px_phone_screen(
    browser: Browser, server_url: str, http: requests.Session,
) -> None:
    kelurahan = api_features(http, server_url, "kelurahan", kode="53.71.05.1003")[0]
    inside = shape(kelurahan["geometry"]).representative_point()
    tab = MapTab(browser, 360, 740, is_mobile=True, has_touch=True,
                 geolocation={"latitude": inside.y, "longitude": inside.x},
                 permissions=["geolocation"])
    page = tab.page
    popup = page.locator(".leaflet-popup")
    try:
        tab.open_map(f"{server_url}/")
        # The easternmost project site, near the map's right edge: the map pans so
        # that the whole popup, its close button included, is on the screen.
        page.evaluate("""() => {
            const layers = document.getElementById("map").taksiLayers.projects.getLayers();
            const east = (l) => l.taksiBounds.getEast();
            layers.sort((a, b) => east(b) - east(a))[0].openPopup();
        }""")
        page.locator(".leaflet-popup-content .taksi-popup[data-layer=projects]").wait_for()
        page.wait_for_function(
            "() => getComputedStyle(document.querySelector('.leaflet-popup')).opacity === '1'")
        page.wait_for_timeout(300)  # the pan that brings the popup into view
        assert inside_viewport(page, ".leaflet-popup")
        assert inside_viewport(page, ".leaflet-popup-close-button")
        assert inside_viewport(page, ".leaflet-popup a.popup-detail")
        close = page.locator(".leaflet-popup-close-button").bounding_box()
        assert close["width"] >= 32 and close["height"] >= 32
        assert contrast_ratio(page, ".leaflet-popup-close-button") >= 4.5
        page.locator(".leaflet-popup-close-button").tap()
        popup.wait_for(state="detached")

        # The same from the list in the drawer (the map moves to the site first).
        page.locator("#panel-toggle").click()
        page.locator("#feature-list section[data-layer=projects] button").first.click()
        page.locator(".leaflet-popup-content .taksi-popup[data-layer=projects]").wait_for()
        page.wait_for_function(
            "() => getComputedStyle(document.querySelector('.leaflet-popup')).opacity === '1'")
        page.wait_for_timeout(300)
        assert inside_viewport(page, ".leaflet-popup")
        assert inside_viewport(page, ".leaflet-popup-close-button")
        tab.screenshot("map-phone-popup.png")
        page.locator(".leaflet-popup-close-button").tap()

        # "Lokasi saya": the answer box and its close button fit and can be read.
        page.get_by_role("button", name="Lokasi saya").click()
        page.locator("#locate-result .locate-answer").wait_for()
        assert inside_viewport(page, "#locate-result")
        assert inside_viewport(page, "#locate-result .locate-close")
        assert contrast_ratio(page, "#locate-result .locate-close") >= 4.5
        page.locator("#locate-result .locate-close").click()
        assert page.locator("#locate-result").is_hidden()
        assert tab.errors == []
    finally:
        tab.close()


def test_map_follows_next_links_and_escapes_feature_text(
    browser: Browser, server_url: str,
) -> None:
    """Pages of 10 features force the rel=next loop; a project name with markup
    must come out as text, in the popup, the list and the search results."""
    hostile = '<img src="x" onerror="document.body.dataset.xss = 1">Proyek <b>uji</b> & co'

    first_projects_page = []

    def rewrite(route: Route) -> bool:
        url = route.request.url
        if "/items?" not in url:
            return False
        url = url.replace("limit=1000", "limit=10")
        # Only the first page (next links may page by offset or by a cursor).
        if "/collections/projects/items?" in url and not first_projects_page:
            first_projects_page.append(url)
            response = route.fetch(url=url)
            body = response.json()
            body["features"][0]["properties"]["nama"] = hostile
            route.fulfill(response=response, json=body)
        else:
            route.continue_(url=url)
        return True

    tab = MapTab(browser, 1024, 768, rewrite=rewrite)
    page = tab.page
    try:
        tab.open_map(f"{server_url}/")
        assert legend_counts(page) == {k: str(v) for k, v in EXPECTED_COUNTS.items()}
        pages = Counter(re.search(r"/collections/(\w+)/items", url).group(1)
                        for url in tab.requests
                        if "/items?" in url and "resulttype=hits" not in url)
        # ceil(count / 10) pages each.
        assert pages == {k: -(-v // 10) for k, v in EXPECTED_COUNTS.items()}

        page.locator("#search-input").fill("proyek uji")
        option = page.locator("#search-results [role=option]").first
        assert option.locator(".search-name").inner_text() == hostile
        page.keyboard.press("Enter")
        popup = page.locator(".leaflet-popup-content .taksi-popup[data-layer=projects]")
        popup.wait_for()
        assert popup.locator(".popup-title").inner_text() == hostile
        assert page.locator("#feature-list button", has_text="Proyek <b>uji</b>").count() == 1
        markup = "#panel img, #panel b, .leaflet-popup img, .leaflet-popup b"
        assert page.locator(markup).count() == 0
        assert page.evaluate("document.body.dataset.xss") is None

        # The other layers' popups (found by search): name plus code, or the category label.
        expected = {
            "kecamatan": ("Alak", "53.71.01"),
            "kelurahan": ("Namosain", "53.71.01.1001"),
            "facilities": ("RSUP Dr. Ben Mboi", str(FacilityCategory("rumah_sakit").label)),
        }
        for layer_id, (name, detail) in expected.items():
            page.locator("#search-input").fill(name)
            page.locator(f"#search-results [role=option][data-layer={layer_id}]",
                         has_text=name).first.click()
            popup = page.locator(f".leaflet-popup-content .taksi-popup[data-layer={layer_id}]")
            popup.wait_for()
            assert popup.locator(".popup-title").inner_text() == name
            assert detail in popup.inner_text()
            assert popup.locator(".badge-sample, a.popup-detail").count() == 0
        assert tab.errors == []
    finally:
        tab.close()


def test_map_shows_the_other_layers_when_one_fails(browser: Browser, server_url: str) -> None:
    def rewrite(route: Route) -> bool:
        if "/collections/facilities/items?" not in route.request.url:
            return False
        route.fulfill(status=503, json={"code": "Unavailable"})
        return True

    tab = MapTab(browser, 1024, 768, rewrite=rewrite)
    page = tab.page
    try:
        page.goto(f"{server_url}/")
        page.wait_for_selector("body[data-map-error=facilities]", state="attached",
                               timeout=30_000)
        assert page.evaluate("document.body.dataset.mapReady") is None
        counts = legend_counts(page)
        assert counts.pop("facilities") is None
        assert counts == {k: str(v) for k, v in EXPECTED_COUNTS.items() if k != "facilities"}
        row = page.locator("#legend li[data-layer=facilities]")
        assert row.get_attribute("data-error") == "true"
        assert "Gagal memuat lapisan" in row.inner_text()
        assert page.locator("path.taksi-projects").count() == EXPECTED_COUNTS["projects"]
        # Search still finds what did load.
        page.locator("#search-input").fill("namosain")
        assert page.locator("#search-results [role=option] .search-name").first.inner_text() \
            == "Namosain"
        # Nothing went wrong but the 503 this test answered with (and its report).
        assert [e for e in tab.errors if "503" not in e] == []
    finally:
        tab.close()
