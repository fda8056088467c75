"""The public map's controls in headless Chromium: filters and the address
bar (permalinks, back/forward), search, the language switch and "Lokasi saya".
Expected values come from the OGC API over HTTP and are computed here.
"""

from __future__ import annotations

import math
import re
from typing import TYPE_CHECKING
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from shapely.geometry import box, shape

from tests.map_browser_support import (
    EXPECTED_COUNTS,
    HEALTH,
    TILED,
    MapTab,
    api_features,
    legend_counts,
    normalise_spaces,
    rupiah,
    skip_without_chromium,
    wait_for_counts,
)

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

skip_without_chromium()

KOTA_RAJA = "53.71.05"
OEBOBO = "53.71.04"


@pytest.fixture(scope="module")
def features(server_url: str, http: requests.Session) -> dict[str, list[dict]]:
    return {layer: api_features(http, server_url, layer) for layer in EXPECTED_COUNTS}


def _in_kecamatan(layer: str, feature: dict, kode: str) -> bool:
    props = feature["properties"]
    return props["kode"] == kode if layer == "kecamatan" else props["kode_kecamatan"] == kode


def _query(page: Page) -> dict[str, list[str]]:
    return parse_qs(urlsplit(page.url).query)


def _counts(expected: dict[str, int]) -> dict[str, str]:
    return {layer: str(n) for layer, n in expected.items()}


def test_filters_change_counts_list_and_url_and_history_replays_them(
    browser: Browser, server_url: str, features: dict[str, list[dict]],
) -> None:
    in_kota_raja = {layer: [f for f in items if _in_kecamatan(layer, f, KOTA_RAJA)]
                    for layer, items in features.items()}
    kota_raja = {layer: len(items) for layer, items in in_kota_raja.items()}
    completed = sum(f["properties"]["status"] == "completed" for f in in_kota_raja["projects"])
    assert kota_raja["kelurahan"] == 8 and 0 < completed < kota_raja["projects"]
    tab = MapTab(browser, 1280, 800)
    page = tab.page
    try:
        tab.open_map(f"{server_url}/")
        page.locator("#filter-kecamatan").select_option(label="Kota Raja")
        wait_for_counts(page, kota_raja)
        assert legend_counts(page) == _counts(kota_raja)
        query = _query(page)
        assert query["kecamatan"] == [KOTA_RAJA] and "peta" in query
        # The dashboard link carries the same filters (not the map view).
        assert page.locator("#dashboard-link").get_attribute("href") \
            == f"/dasbor/?kecamatan={KOTA_RAJA}"
        # Only Kota Raja's kelurahan are offered once the kecamatan is chosen.
        offered = page.eval_on_selector_all(
            "#filter-kelurahan option:not([hidden]):not([disabled])",
            "options => options.map(o => o.value)")
        assert sorted(offered[1:]) == sorted(f["properties"]["kode"]
                                             for f in in_kota_raja["kelurahan"])
        # The list beside the map follows the filter.
        listed = page.locator("#feature-list section[data-layer=projects] button").all_inner_texts()
        assert sorted(listed) == sorted(f["properties"]["nama"] for f in in_kota_raja["projects"])

        page.locator("#filter-status").select_option("completed")
        wait_for_counts(page, {**kota_raja, "projects": completed})
        assert _query(page)["status"] == ["completed"]
        assert page.locator("#feature-list section[data-layer=projects] li").count() == completed

        # Back: Kota Raja without the status filter; back again: the whole city.
        page.go_back()
        wait_for_counts(page, kota_raja)
        assert "status" not in _query(page)
        assert page.locator("#filter-status").input_value() == ""
        page.go_back()
        wait_for_counts(page, EXPECTED_COUNTS)
        assert page.locator("#filter-kecamatan").input_value() == ""
        page.go_forward()
        wait_for_counts(page, kota_raja)
        assert page.locator("#filter-kecamatan").input_value() == KOTA_RAJA

        # Clearing the filters is one more history entry.
        page.locator("#filters-reset").click()
        wait_for_counts(page, EXPECTED_COUNTS)
        assert set(_query(page)) == {"peta"}
        assert tab.errors == []
    finally:
        tab.close()


def test_a_permalink_restores_filters_and_view(
    browser: Browser, server_url: str, features: dict[str, list[dict]],
) -> None:
    tab = MapTab(browser, 1024, 700)
    page = tab.page
    try:
        tab.open_map(f"{server_url}/?kecamatan={OEBOBO}&kategori=rumah_sakit"
                     "&peta=14/-10.16/123.61")
        view = page.evaluate("""() => {
            const map = document.getElementById("map").taksiMap, b = map.getBounds();
            return {zoom: map.getZoom(), lat: map.getCenter().lat, lon: map.getCenter().lng,
                    bbox: [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()]};
        }""")
        assert view["zoom"] == 14
        assert math.isclose(view["lat"], -10.16, abs_tol=1e-4)
        assert math.isclose(view["lon"], 123.61, abs_tol=1e-4)
        assert page.locator("#filter-kecamatan").input_value() == OEBOBO
        assert page.locator("#filter-kategori").input_value() == "rumah_sakit"
        # Counts: features passing both filters that meet the view. Boundaries
        # (vector tiles) are counted by the API, exactly (ST_Intersects); the
        # GeoJSON layers in the page, by their extent.
        frame = box(*view["bbox"])
        expected = {}
        for layer, items in features.items():
            expected[layer] = sum(
                _in_kecamatan(layer, f, OEBOBO)
                and (layer != "facilities" or f["properties"]["kategori"] == "rumah_sakit")
                and frame.intersects(shape(f["geometry"]) if layer in TILED
                                     else box(*shape(f["geometry"]).bounds))
                for f in items
            )
        assert expected["facilities"] > 0 and expected["kelurahan"] < 11
        assert legend_counts(page) == _counts(expected)
        # The list holds every filtered feature, not only those in view.
        hospitals = [f for f in features["facilities"]
                     if _in_kecamatan("facilities", f, OEBOBO)
                     and f["properties"]["kategori"] == "rumah_sakit"]
        assert page.locator("#feature-list section[data-layer=facilities] li").count() \
            == len(hospitals)
        assert tab.errors == []
    finally:
        tab.close()


def test_search_tolerates_spelling_variants_and_jumps_to_the_result(
    browser: Browser, server_url: str,
) -> None:
    tab = MapTab(browser, 1280, 800)
    page = tab.page
    search = page.locator("#search-input")
    first = page.locator("#search-results [role=option]").first
    try:
        # Start filtered to Alak: a result elsewhere clears the filters to show it.
        tab.open_map(f"{server_url}/?kecamatan=53.71.01")
        variants = {
            "naikoten 1": "Naikoten Satu", "Naikoten I": "Naikoten Satu",
            "NAIKOTÉN SATU": "Naikoten Satu", "naikoten ii": "Naikoten Dua",
            "air nona": "Airnona", "Airnona": "Airnona", "batuplat": "Batu Plat",
            "belo": "Bello", "sikumanna": "Sikumana", "sikumama": "Sikumana",
            "ben mboi": "RSUP Dr. Ben Mboi",
        }
        for typed, found in variants.items():
            search.fill(typed)
            assert first.locator(".search-name").inner_text() == found, typed
        search.fill("naikoten 1")
        assert search.get_attribute("aria-expanded") == "true"
        page.keyboard.press("ArrowDown")
        assert search.get_attribute("aria-activedescendant") == "search-option-0"
        assert first.get_attribute("aria-selected") == "true"
        page.keyboard.press("Enter")
        popup = page.locator(".leaflet-popup-content .taksi-popup[data-layer=kelurahan]")
        popup.wait_for()
        assert popup.locator(".popup-title").inner_text() == "Naikoten Satu"
        assert search.get_attribute("aria-expanded") == "false"
        assert page.locator("#filter-kecamatan").input_value() == ""
        assert "kecamatan" not in _query(page)
        assert page.evaluate("document.getElementById('map').taksiMap.getZoom()") >= 14

        search.fill("air nona")
        page.keyboard.press("Enter")
        popup.locator(".popup-title", has_text="Airnona").wait_for()
        search.fill("zzzz qqqq")
        assert page.locator("#search-results .search-empty").inner_text() == "Tidak ditemukan"
        page.keyboard.press("Escape")
        assert page.locator("#search-results").is_hidden()
        assert tab.errors == []
    finally:
        tab.close()


ENGLISH_MONTHS = ("January February March April May June July August September October "
                  "November December").split()


def test_the_language_switch_changes_the_texts_and_keeps_the_filters(
    browser: Browser, server_url: str, features: dict[str, list[dict]],
) -> None:
    project = min(features["projects"], key=lambda f: f["properties"]["nama"])
    tab = MapTab(browser, 1280, 800)
    page = tab.page
    try:
        tab.open_map(f"{server_url}/?kategori=rumah_sakit")
        assert page.locator("label[for=filter-tahun]").inner_text() == "Tahun anggaran"
        with page.expect_navigation():
            page.get_by_role("button", name="English").click()
        page.wait_for_selector("body[data-map-ready=true]", state="attached")
        assert page.locator("html").get_attribute("lang") == "en"
        assert _query(page)["kategori"] == ["rumah_sakit"]
        assert page.locator("#filter-kategori option:checked").inner_text() == "Hospital"
        assert legend_counts(page)["facilities"] == "12"
        texts = {
            "label[for=filter-tahun]": "Fiscal year",
            "label[for=layer-facilities]": "Public facilities",
            "#legend-heading": "Layers and legend",
            "#locate-button": "Locate me",
            "#filters-reset": "Clear filters",
            "#legend li[data-layer=facilities] .legend-values li .legend-title": "Hospital",
            "#legend li[data-layer=projects] .badge-sample": "Sample data",
        }
        for selector, text in texts.items():
            assert page.locator(selector).first.inner_text().strip() == text, selector
        assert page.locator("#search-input").get_attribute("placeholder") \
            == "Search kelurahan, facilities, projects…"
        assert "Tahun anggaran" not in page.locator("body").inner_text()

        # Popups in English; Rupiah stays Indonesian; dates read "22 May 2024".
        page.locator("#layer-projects").check()
        page.locator("#feature-list section[data-layer=projects] button").first.click()
        popup = page.locator(".leaflet-popup-content .taksi-popup[data-layer=projects]")
        popup.wait_for()
        text = normalise_spaces(popup.inner_text())
        props = project["properties"]
        year, month, day = (int(p) for p in props["selesai"].split("-"))
        assert f"{day} {ENGLISH_MONTHS[month - 1]} {year}" in text
        assert rupiah(props["pagu"]) in text
        assert "Planned end" in text and "Budget (IDR)" in text
        assert popup.locator("a.popup-detail").inner_text() == "Project details"
        with page.expect_navigation():
            page.get_by_role("button", name="Bahasa Indonesia").click()
        assert page.locator("html").get_attribute("lang") == "id"
        assert page.locator("#locate-button").inner_text().strip() == "Lokasi saya"
        assert tab.errors == []
    finally:
        tab.close()


def _haversine(lon1: float, lat1: float, lon2: float, lat2: float) -> float:
    rad = math.radians
    a = (math.sin(rad(lat2 - lat1) / 2) ** 2
         + math.cos(rad(lat1)) * math.cos(rad(lat2)) * math.sin(rad(lon2 - lon1) / 2) ** 2)
    return 2 * 6371008.8 * math.asin(math.sqrt(a))


def test_locate_me_names_the_kelurahan_and_the_nearest_health_facilities(
    browser: Browser, server_url: str, features: dict[str, list[dict]],
) -> None:
    naikoten = next(f for f in features["kelurahan"] if f["properties"]["nama"] == "Naikoten Satu")
    point = shape(naikoten["geometry"]).representative_point()
    health = sorted(
        (f for f in features["facilities"] if f["properties"]["kategori"] in HEALTH),
        key=lambda f: _haversine(point.x, point.y, *f["geometry"]["coordinates"]),
    )
    tab = MapTab(browser, 1280, 800, geolocation={"latitude": point.y, "longitude": point.x},
                 permissions=["geolocation"])
    page = tab.page
    try:
        tab.open_map(f"{server_url}/")
        page.get_by_role("button", name="Lokasi saya").click()
        answer = page.locator("#locate-result .locate-answer")
        answer.wait_for()
        assert answer.inner_text() == "Anda berada di Kelurahan Naikoten Satu, Kecamatan Kota Raja."
        assert answer.get_attribute("data-kelurahan") == naikoten["properties"]["kode"]
        # Answered by the OGC API processes (PostGIS), not by the page.
        assert answer.get_attribute("data-source") == "process"
        assert any(url.endswith("/ogc/processes/locate/execution") for url in tab.requests)
        assert any(url.endswith("/ogc/processes/nearest-facilities/execution")
                   for url in tab.requests)
        nearest = page.locator("#locate-result .nearest li")
        assert nearest.locator("button").all_inner_texts() \
            == [f["properties"]["nama"] for f in health[:3]]
        distances = [float(d) for d in nearest.locator("[data-distance]").evaluate_all(
            "spans => spans.map(s => s.dataset.distance)")]
        for metres, facility in zip(distances, health[:3], strict=True):
            sphere = _haversine(point.x, point.y, *facility["geometry"]["coordinates"])
            assert abs(metres - sphere) <= 0.005 * sphere + 1  # spheroid vs sphere
        assert re.search(r", \d[\d.,]* (km|m)$", nearest.first.inner_text())
        tab.screenshot("map-locate.png")
        nearest.locator("button").first.click()
        popup = page.locator(".leaflet-popup-content .taksi-popup[data-layer=facilities]")
        popup.wait_for()
        assert popup.locator(".popup-title").inner_text() == health[0]["properties"]["nama"]

        # In the Savu Sea, north of the city: no kelurahan.
        tab.context.set_geolocation({"latitude": -10.05, "longitude": 123.6})
        page.get_by_role("button", name="Lokasi saya").click()
        page.locator("#locate-result .locate-answer",
                     has_text="Lokasi Anda di luar kelurahan Kota Kupang.").wait_for()

        # Without the processes the page answers the same from the layers it has.
        page.route("**/ogc/processes/**", lambda route: route.fulfill(status=503, json={}))
        tab.context.set_geolocation({"latitude": point.y, "longitude": point.x})
        page.get_by_role("button", name="Lokasi saya").click()
        page.locator("#locate-result .locate-answer[data-source=page]").wait_for()
        assert answer.inner_text() == "Anda berada di Kelurahan Naikoten Satu, Kecamatan Kota Raja."
        assert nearest.locator("button").all_inner_texts() \
            == [f["properties"]["nama"] for f in health[:3]]
        # Nothing went wrong but the 503s this test answered the processes with.
        assert [e for e in tab.errors if "status of 503" not in e] == []
    finally:
        tab.close()


def test_a_refused_location_is_explained_in_the_pages_language(
    browser: Browser, server_url: str,
) -> None:
    """Without the permission the browser answers PERMISSION_DENIED with English
    developer text ("User denied Geolocation"); the page says it in its own words."""
    tab = MapTab(browser, 1280, 800)
    page = tab.page
    try:
        tab.open_map(f"{server_url}/")
        page.get_by_role("button", name="Lokasi saya").click()
        error = page.locator("#locate-result .locate-error")
        error.wait_for()
        assert error.get_attribute("data-code") == "1"
        assert error.inner_text() == ("Izin lokasi ditolak. Izinkan akses lokasi untuk situs ini "
                                      "di pengaturan peramban, lalu coba lagi.")
        assert "denied" not in page.locator("#locate-result").inner_text().lower()
        assert page.get_by_role("button", name="Lokasi saya").is_enabled()
        with page.expect_navigation():
            page.get_by_role("button", name="English").click()
        page.wait_for_selector("body[data-map-ready=true]", state="attached")
        page.get_by_role("button", name="Locate me").click()
        page.locator("#locate-result .locate-error", has_text="Location permission was denied.") \
            .wait_for()
        assert tab.errors == []
    finally:
        tab.close()


def test_a_browser_asking_for_english_still_gets_bahasa_indonesia_first(
    browser: Browser, server_url: str,
) -> None:
    tab = MapTab(browser, 1280, 800, locale="en-GB")
    page = tab.page
    try:
        with page.expect_response(lambda r: urlsplit(r.url).path == "/") as first:
            tab.open_map(f"{server_url}/")
        assert first.value.request.headers["accept-language"].startswith("en-GB")
        assert page.locator("html").get_attribute("lang") == "id"
        assert page.locator("#locate-button").inner_text().strip() == "Lokasi saya"
        assert tab.errors == []
    finally:
        tab.close()
