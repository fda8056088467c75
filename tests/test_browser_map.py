"""The public map in headless Chromium (Debian's /usr/bin/chromium), against the
gunicorn test server. Only 127.0.0.1 is reachable: base map tiles (and any
CDN) are blocked, and the map must still draw every layer.

Screenshots are written to /tmp/taksi-map*.png for a human look.
"""

from __future__ import annotations

import os
import re
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

import pytest
import requests

from layers.models import FacilityCategory, ProjectStatus

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page, Route

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
    "--disable-background-networking", "--no-first-run",
]
EXPECTED_COUNTS = {"kecamatan": 6, "kelurahan": 51, "facilities": 67, "projects": 40}
READY = "body[data-map-ready=true]"
RUPIAH = re.compile(r"Rp \d{1,3}(\.\d{3})+")

if not CHROMIUM.exists() and not os.environ.get("CI"):
    pytest.skip(f"{CHROMIUM} is missing (apt-get install chromium); browser tests skipped "
                "outside CI", allow_module_level=True)


def _rupiah(value: int) -> str:
    return "Rp " + f"{value:,}".replace(",", ".")


@pytest.fixture
def browser(server_url: str) -> Iterator[Browser]:
    """One Chromium per test. Playwright's sync API runs an event loop in this
    thread, and Django refuses database calls (such as the per-test transaction
    of tests marked django_db) while it runs: so it starts after the database
    set-up (server_url, autouse fixtures) and stops before its teardown."""
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: CI must run the browser tests")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


class _Page:
    """A fresh page that can only reach 127.0.0.1, recording blocked hosts and JS errors."""

    def __init__(self, browser: Browser, width: int, height: int,
                 rewrite: Callable[[Route], bool] | None = None) -> None:
        self.context = browser.new_context(viewport={"width": width, "height": height},
                                           locale="id-ID")
        self.page = self.context.new_page()
        self.page.set_default_timeout(15_000)
        self.blocked: set[str] = set()
        self.errors: list[str] = []
        self.requests: list[str] = []
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))
        self.page.route("**/*", lambda route: self._route(route, rewrite))

    def _route(self, route: Route, rewrite: Callable[[Route], bool] | None) -> None:
        url = route.request.url
        host = urlsplit(url).hostname
        if host != "127.0.0.1":
            self.blocked.add(host or url)
            route.abort()
            return
        self.requests.append(url)
        if rewrite is None or not rewrite(route):
            route.continue_()

    def open_map(self, server_url: str) -> None:
        self.page.goto(f"{server_url}/")
        self.page.wait_for_selector(READY, state="attached", timeout=30_000)

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def api_projects(server_url: str, http: requests.Session) -> dict[str, dict]:
    response = http.get(f"{server_url}/ogc/collections/projects/items?f=json&limit=1000",
                        timeout=30)
    return {str(f["id"]): f for f in response.json()["features"]}


def _legend_counts(page: Page) -> dict[str, str]:
    return page.eval_on_selector_all(
        "#legend li[data-layer]",
        "rows => Object.fromEntries(rows.map(r => [r.dataset.layer, r.dataset.count]))",
    )


def test_map_draws_every_layer_from_the_ogc_api(
    browser: Browser, server_url: str, api_projects: dict[str, dict], http: requests.Session,
) -> None:
    tab = _Page(browser, 1280, 800)
    page = tab.page
    try:
        tab.open_map(server_url)
        assert tab.errors == []
        assert page.locator("html").get_attribute("lang") == "id"

        # Live counts in the legend, one row per declared layer.
        assert _legend_counts(page) == {k: str(v) for k, v in EXPECTED_COUNTS.items()}
        # Every feature is drawn (SVG paths in the overlay panes), tiles or not.
        for layer_id, count in EXPECTED_COUNTS.items():
            assert page.locator(f"path.leaflet-interactive.taksi-{layer_id}").count() == count
        assert page.locator(".leaflet-interactive").count() >= sum(EXPECTED_COUNTS.values())
        # Every request the page made went to our server.
        assert all(urlsplit(url).hostname == "127.0.0.1" for url in tab.requests)

        # Legend: facility categories and project statuses with live counts and labels.
        categories = page.eval_on_selector_all(
            "#legend li[data-layer=facilities] .legend-values li",
            "items => items.map(i => [i.dataset.value, i.dataset.count, i.innerText])",
        )
        assert [(value, count) for value, count, _ in categories] == [
            ("rumah_sakit", "12"), ("gereja", "55"),
        ]
        assert str(FacilityCategory("gereja").label) in categories[1][2]
        statuses = page.eval_on_selector_all(
            "#legend li[data-layer=projects] .legend-values li",
            "items => Object.fromEntries(items.map(i => [i.dataset.value, +i.dataset.count]))",
        )
        assert statuses == dict(Counter(f["properties"]["status"] for f in api_projects.values()))
        assert page.locator("#legend li[data-layer=projects] .badge-sample").inner_text() \
            == "Data contoh"

        # Layer control: declaration order, projects flagged as sample data.
        overlays = page.locator(".leaflet-control-layers-overlays label")
        assert overlays.count() == 4
        names = overlays.all_inner_texts()
        assert names[0].strip() == "Kecamatan Kota Kupang"
        assert "Lokasi proyek pembangunan" in names[3] and "Data contoh" in names[3]

        page.screenshot(path="/tmp/taksi-map.png")

        # Click a project point that nothing else covers.
        target = page.evaluate("""() => {
            for (const path of document.querySelectorAll("path.taksi-projects.taksi-point")) {
                const box = path.getBoundingClientRect();
                const x = box.left + box.width / 2, y = box.top + box.height / 2;
                if (document.elementFromPoint(x, y) === path) return {x, y};
            }
            return null;
        }""")
        assert target is not None, "no clickable project point"
        page.mouse.click(target["x"], target["y"])
        popup = page.locator(".leaflet-popup-content .taksi-popup[data-layer=projects]")
        popup.wait_for()
        # The popup links the feature in the OGC API: that tells which one it is.
        href = popup.locator("a.popup-link").get_attribute("href")
        match = re.fullmatch(r"/ogc/collections/projects/items/([^/]+)", href)
        assert match, href
        feature = api_projects[match.group(1)]["properties"]
        assert http.get(f"{server_url}{href}?f=json", timeout=30).json()["properties"] \
            == feature
        text = popup.inner_text()
        assert popup.locator(".popup-title").inner_text() == feature["nama"]
        assert RUPIAH.search(text), text
        assert _rupiah(feature["pagu"]) in text
        assert feature["opd"] in text
        assert str(ProjectStatus(feature["status"]).label) in text
        progress = f"{feature['progres']:g}".replace(".", ",") + "%"
        assert progress in text
        badge = popup.locator(".badge-sample")
        assert badge.is_visible()
        assert badge.inner_text() == "Data contoh"
        # Let the popup fade in and the map pan before the picture.
        page.wait_for_function(
            "getComputedStyle(document.querySelector('.leaflet-popup')).opacity === '1'")
        page.wait_for_timeout(300)
        page.screenshot(path="/tmp/taksi-map-popup.png")
        assert tab.errors == []
    finally:
        tab.close()


def test_map_fits_a_phone_screen(browser: Browser, server_url: str) -> None:
    tab = _Page(browser, 360, 740)
    page = tab.page
    try:
        tab.open_map(server_url)
        assert _legend_counts(page) == {k: str(v) for k, v in EXPECTED_COUNTS.items()}
        assert page.evaluate("document.documentElement.scrollWidth") <= 360
        # The legend starts collapsed on a phone and opens on demand, inside the screen.
        legend = page.locator("#legend")
        assert legend.evaluate("el => el.open") is False
        assert not page.locator("#legend li[data-layer=projects]").is_visible()
        page.locator("#legend > summary").click()
        assert legend.evaluate("el => el.open") is True
        assert page.locator("#legend li[data-layer=projects]").is_visible()
        box = legend.bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 360
        assert page.evaluate("document.documentElement.scrollWidth") <= 360
        page.screenshot(path="/tmp/taksi-map-360.png")
        assert tab.errors == []
    finally:
        tab.close()


def test_map_follows_next_links_and_escapes_feature_text(
    browser: Browser, server_url: str,
) -> None:
    """Pages of 10 features force the rel=next loop; a project name with markup
    must come out as text."""
    hostile = '<img src="x" onerror="document.body.dataset.xss = 1">Proyek <b>uji</b> & co'

    def rewrite(route: Route) -> bool:
        url = route.request.url
        if "/items?" not in url:
            return False
        url = url.replace("limit=1000", "limit=10")
        if "/collections/projects/items?" in url and "offset=" not in url:
            response = route.fetch(url=url)
            body = response.json()
            body["features"][0]["properties"]["nama"] = hostile
            route.fulfill(response=response, json=body)
        else:
            route.continue_(url=url)
        return True

    tab = _Page(browser, 1024, 768, rewrite=rewrite)
    page = tab.page
    try:
        tab.open_map(server_url)
        assert _legend_counts(page) == {k: str(v) for k, v in EXPECTED_COUNTS.items()}
        pages = Counter(re.search(r"/collections/(\w+)/items", url).group(1)
                        for url in tab.requests if "/items?" in url)
        # ceil(count / 10) pages each.
        assert pages == {k: -(-v // 10) for k, v in EXPECTED_COUNTS.items()}

        page.evaluate("""(name) => {
            const layer = document.getElementById("map").taksiLayers.projects;
            layer.getLayers().find(l => l.feature.properties.nama === name).openPopup();
        }""", hostile)
        popup = page.locator(".leaflet-popup-content .taksi-popup[data-layer=projects]")
        popup.wait_for()
        assert popup.locator(".popup-title").inner_text() == hostile
        assert popup.locator("img, b").count() == 0
        assert page.evaluate("document.body.dataset.xss") is None

        # The other layers' popups: name plus code, or the category label.
        expected = {
            "kecamatan": ("Alak", "53.71.01"),
            "kelurahan": ("Namosain", "53.71.01.1001"),
            "facilities": ("RSUP Dr. Ben Mboi", str(FacilityCategory("rumah_sakit").label)),
        }
        for layer_id, (name, detail) in expected.items():
            page.evaluate("""([layerId, name]) => {
                const layer = document.getElementById("map").taksiLayers[layerId];
                layer.getLayers().find(l => l.feature.properties.nama === name).openPopup();
            }""", [layer_id, name])
            popup = page.locator(f".leaflet-popup-content .taksi-popup[data-layer={layer_id}]")
            popup.wait_for()
            assert popup.locator(".popup-title").inner_text() == name
            assert detail in popup.inner_text()
            assert popup.locator(".badge-sample").count() == 0
        assert tab.errors == []
    finally:
        tab.close()


def test_map_shows_the_other_layers_when_one_fails(browser: Browser, server_url: str) -> None:
    def rewrite(route: Route) -> bool:
        if "/collections/facilities/items?" not in route.request.url:
            return False
        route.fulfill(status=503, json={"code": "Unavailable"})
        return True

    tab = _Page(browser, 1024, 768, rewrite=rewrite)
    page = tab.page
    try:
        page.goto(f"{server_url}/")
        page.wait_for_selector("body[data-map-error=facilities]", state="attached",
                               timeout=30_000)
        assert page.evaluate("document.body.dataset.mapReady") is None
        counts = _legend_counts(page)
        assert counts.pop("facilities") is None
        assert counts == {k: str(v) for k, v in EXPECTED_COUNTS.items() if k != "facilities"}
        row = page.locator("#legend li[data-layer=facilities]")
        assert row.get_attribute("data-error") == "true"
        assert "Gagal memuat lapisan" in row.inner_text()
        assert page.locator("path.taksi-projects").count() == EXPECTED_COUNTS["projects"]
        assert tab.errors == []
    finally:
        tab.close()
