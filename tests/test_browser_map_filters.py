"""The map's filters one by one in headless Chromium: kelurahan, fiscal year
(tahun), agency (opd) and funding source (sumber_dana) each change the legend
counts, the list and the address, and the counts equal what the OGC API
answers for the same query; an unknown value in the address is named in a
notice instead of silently showing nothing. The kecamatan and status filters
and back/forward are in test_browser_map_interaction.py.
"""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING
from urllib.parse import parse_qs, urlsplit

import pytest
import requests

from tests.map_browser_support import (
    EXPECTED_COUNTS,
    MapTab,
    api_features,
    legend_counts,
    skip_without_chromium,
    wait_for_counts,
)

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

skip_without_chromium()


@pytest.fixture(scope="module")
def projects(server_url: str, http: requests.Session) -> list[dict]:
    return api_features(http, server_url, "projects")


def _query(page: Page) -> dict[str, list[str]]:
    return parse_qs(urlsplit(page.url).query)


def _matched(http: requests.Session, server_url: str, layer: str, **params: str) -> int:
    """numberMatched of the OGC API for a property filter (resulttype=hits)."""
    response = http.get(f"{server_url}/ogc/collections/{layer}/items",
                        params={"f": "json", "resulttype": "hits", **params}, timeout=30)
    assert response.status_code == 200, response.text
    return response.json()["numberMatched"]


def _listed(page: Page, layer: str) -> int:
    return page.locator(f"#feature-list section[data-layer={layer}] li").count()


#: (map parameter, OGC property it filters on, layers that have that property).
PROJECT_FILTERS = [
    ("tahun", "tahun_anggaran", ("projects",)),
    ("opd", "kode_opd", ("facilities", "projects")),
    ("sumber_dana", "sumber_dana", ("projects",)),
]


@pytest.mark.parametrize(("param", "prop", "layers"), PROJECT_FILTERS,
                         ids=[p for p, _, _ in PROJECT_FILTERS])
def test_a_project_filter_changes_counts_list_and_address_as_the_api_counts(
    browser: Browser, server_url: str, http: requests.Session, projects: list[dict],
    param: str, prop: str, layers: tuple[str, ...],
) -> None:
    # A value that some but not all project sites have: the most frequent one.
    value, _ = Counter(str(f["properties"][prop]) for f in projects).most_common(1)[0]
    expected = {layer: (_matched(http, server_url, layer, **{prop: value})
                        if layer in layers else count)
                for layer, count in EXPECTED_COUNTS.items()}
    assert 0 < expected["projects"] < EXPECTED_COUNTS["projects"]
    tab = MapTab(browser, 1280, 800)
    page = tab.page
    try:
        tab.open_map(f"{server_url}/")
        page.locator(f"#filter-{param}").select_option(value)
        wait_for_counts(page, expected)
        assert legend_counts(page) == {k: str(v) for k, v in expected.items()}
        assert _query(page)[param] == [value]
        assert _listed(page, "projects") == expected["projects"]
        if "facilities" in layers:
            assert _listed(page, "facilities") == expected["facilities"]
        # The dashboard link carries the filter; back restores the whole city.
        assert page.locator("#dashboard-link").get_attribute("href") == f"/dasbor/?{param}={value}"
        page.go_back()
        wait_for_counts(page, EXPECTED_COUNTS)
        assert param not in _query(page)
        assert page.locator(f"#filter-{param}").input_value() == ""
        assert tab.errors == []
    finally:
        tab.close()


def test_the_kelurahan_filter_shows_that_kelurahan_and_what_lies_in_it(
    browser: Browser, server_url: str, http: requests.Session, projects: list[dict],
) -> None:
    # The kelurahan with the most project sites (it has facilities too).
    kode, _ = Counter(f["properties"]["kode_kelurahan"] for f in projects).most_common(1)[0]
    expected = {
        "kecamatan": _matched(http, server_url, "kecamatan", kode=kode.rsplit(".", 1)[0]),
        "kelurahan": _matched(http, server_url, "kelurahan", kode=kode),
        "facilities": _matched(http, server_url, "facilities", kode_kelurahan=kode),
        "projects": _matched(http, server_url, "projects", kode_kelurahan=kode),
    }
    assert expected["kecamatan"] == expected["kelurahan"] == 1
    assert expected["facilities"] > 0 and expected["projects"] > 1
    tab = MapTab(browser, 1280, 800)
    page = tab.page
    try:
        tab.open_map(f"{server_url}/")
        page.locator("#filter-kelurahan").select_option(kode)
        wait_for_counts(page, expected)
        assert legend_counts(page) == {k: str(v) for k, v in expected.items()}
        assert _query(page)["kelurahan"] == [kode] and "peta" in _query(page)
        assert _listed(page, "kelurahan") == 1
        assert _listed(page, "projects") == expected["projects"]
        assert _listed(page, "facilities") == expected["facilities"]
        # The map zoomed to the kelurahan (fetched as GeoJSON: the selected feature).
        assert page.evaluate("document.getElementById('map').taksiMap.getZoom()") >= 13
        assert any("/collections/kelurahan/items/" in url for url in tab.requests)
        # A permalink with the filter restores it.
        tab.open_map(page.url)
        wait_for_counts(page, expected)
        assert page.locator("#filter-kelurahan").input_value() == kode
        assert tab.errors == []
    finally:
        tab.close()


@pytest.mark.parametrize(("query", "param", "value"), [
    ("tahun=abc", "tahun", "abc"),
    ("kecamatan=zzz", "kecamatan", "zzz"),
    ("status=selesai&kategori=rumah_sakit", "status", "selesai"),
])
def test_an_unknown_filter_value_in_the_address_is_named_and_ignored(
    browser: Browser, server_url: str, http: requests.Session,
    query: str, param: str, value: str,
) -> None:
    tab = MapTab(browser, 1024, 768)
    page = tab.page
    try:
        tab.open_map(f"{server_url}/?{query}")
        notice = page.locator("#filter-notice")
        assert notice.is_visible()
        assert notice.get_attribute("role") == "alert"
        assert notice.get_attribute("data-params") == param
        assert notice.locator(".notice-text").inner_text() == (
            f"Nilai “{value}” untuk filter “{param}” tidak dikenal; filter itu diabaikan.")
        # The filter is dropped, from the counts and from the address; the others stay.
        expected = dict(EXPECTED_COUNTS)
        if "kategori=rumah_sakit" in query:
            expected["facilities"] = _matched(http, server_url, "facilities",
                                              kategori="rumah_sakit")
        wait_for_counts(page, expected)
        assert param not in _query(page)
        assert page.locator(f"#filter-{param}").input_value() == ""
        notice.locator(".notice-close").click()
        assert notice.is_hidden()
        assert tab.errors == []
    finally:
        tab.close()


@pytest.mark.parametrize("peta", ["99/999/-999", "abc", "14/-10.17", "-3/-10.17/123.60",
                                  "14//123.60"])
def test_a_map_view_in_the_address_that_is_no_view_is_named_and_dropped(
    browser: Browser, server_url: str, peta: str,
) -> None:
    tab = MapTab(browser, 1024, 768)
    page = tab.page
    try:
        tab.open_map(f"{server_url}/?kategori=gereja&peta={peta}")
        notice = page.locator("#filter-notice")
        assert notice.is_visible()
        assert notice.get_attribute("data-params") == "peta"
        assert notice.locator(".notice-text").inner_text() == (
            f"Tampilan peta “{peta}” tidak dikenal (harus zoom/lintang/bujur, "
            "mis. 14/-10.17/123.60); peta menampilkan seluruh kota.")
        # The whole city is in view, the valid filter stays, the bad view is gone.
        assert _query(page) == {"kategori": ["gereja"]}
        bounds = page.evaluate("(() => { const b = document.getElementById('map').taksiMap"
                               ".getBounds(); return [b.getWest(), b.getEast()]; })()")
        assert bounds[0] < 123.5 and bounds[1] > 123.65
        assert tab.errors == []
    finally:
        tab.close()


def test_two_map_views_in_the_address_become_the_first_one(
    browser: Browser, server_url: str,
) -> None:
    tab = MapTab(browser, 1024, 768)
    page = tab.page
    try:
        tab.open_map(f"{server_url}/?peta=14/-10.16/123.61&peta=3/0/0")
        assert _query(page) == {"peta": ["14/-10.16000/123.61000"]}
        assert page.evaluate("document.getElementById('map').taksiMap.getZoom()") == 14
        assert page.locator("#filter-notice").is_hidden()
        assert tab.errors == []
    finally:
        tab.close()
