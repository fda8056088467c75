"""The project page and the dashboard in headless Chromium (Debian's
/usr/bin/chromium), against the gunicorn test server. Only 127.0.0.1 is
reachable: base map tiles and any CDN are blocked, and every chart and map
must still draw. Screenshots go to build/screenshots/ (copies of the desktop
ones are kept in docs/screenshots/ for the README).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

import pytest
from django.db import connection
from django.db.models import Count

from layers.models import ProjectSite
from tests.map_browser_support import (
    CHROMIUM,
    CHROMIUM_ARGS,
    SCREENSHOTS,
    watch_page,
)

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page, Route

#: Charts drawn on canvas (the density chart is the Leaflet map).
CANVAS_CHARTS = 8

if not CHROMIUM.exists() and not os.environ.get("CI"):
    pytest.skip(f"{CHROMIUM} is missing (apt-get install chromium); browser tests skipped "
                "outside CI", allow_module_level=True)


@pytest.fixture
def browser(server_url: str) -> Iterator[Browser]:
    """One Chromium per test, started after the database set-up (see test_browser_map)."""
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: CI must run the browser tests")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def project(django_db_setup, django_db_blocker) -> ProjectSite:
    """A sample project with a line geometry (roads, drains) and several reports."""
    with django_db_blocker.unblock():
        return (ProjectSite.objects.filter(geometry__geom_type="LINESTRING")
                .annotate(reports=Count("progress_updates")).filter(reports__gte=3)
                .select_related("kelurahan")
                .order_by("pk").first())


@pytest.fixture(scope="module")
def budget_rows(django_db_setup, django_db_blocker) -> list[tuple[str, int, int]]:
    """Budget and spending per kecamatan, summed here in SQL (before Playwright starts:
    Django refuses database calls while its event loop runs)."""
    with django_db_blocker.unblock(), connection.cursor() as cursor:
        cursor.execute("SELECT kc.nama, sum(p.budget), sum(p.spent) FROM layers_projectsite p"
                       " JOIN layers_kecamatan kc ON kc.id = p.kecamatan_id"
                       " GROUP BY kc.kode, kc.nama ORDER BY kc.kode")
        return [(name, int(b), int(s)) for name, b, s in cursor.fetchall()]


class Tab:
    """A page that only reaches 127.0.0.1 and records script errors, console errors,
    Content-Security-Policy violations and failed responses."""

    def __init__(self, browser: Browser, width: int, height: int, locale: str = "id-ID") -> None:
        self.context = browser.new_context(viewport={"width": width, "height": height},
                                           locale=locale)
        self.page: Page = self.context.new_page()
        self.page.set_default_timeout(20_000)
        self.errors: list[str] = []
        self.blocked: set[str] = set()
        watch_page(self.page, self.errors)
        self.page.on("response", lambda r: r.status >= 400 and self.errors.append(
            f"{r.status} {r.url}"))
        self.page.route("**/*", self._route)

    def _route(self, route: Route) -> None:
        host = urlsplit(route.request.url).hostname
        if host != "127.0.0.1":
            self.blocked.add(host or route.request.url)
            route.abort()
        else:
            route.continue_()

    def screenshot(self, name: str, full_page: bool = True) -> None:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=str(SCREENSHOTS / name), full_page=full_page)

    def close(self) -> None:
        self.context.close()


def _open_dashboard(tab: Tab, url: str) -> None:
    tab.page.goto(url)
    tab.page.wait_for_selector("body[data-charts-ready=true]", state="attached")
    tab.page.wait_for_selector("#density-map[data-ready=true]", state="attached")


def _city_share_of_the_density_map(page: Page) -> float:
    """How much of the density map's width or height the kelurahan fill (the larger)."""
    return page.evaluate("""() => {
        const frame = document.getElementById("density-map").getBoundingClientRect();
        const boxes = [...document.querySelectorAll("#density-map path.taksi-density")]
            .map((p) => p.getBoundingClientRect());
        const w = Math.max(...boxes.map((b) => b.right)) - Math.min(...boxes.map((b) => b.left));
        const h = Math.max(...boxes.map((b) => b.bottom)) - Math.min(...boxes.map((b) => b.top));
        return Math.max(w / frame.width, h / frame.height);
    }""")


def _agency_labels_fit(page: Page, chart_id: str) -> dict:
    """The widest agency label of a horizontal chart against the room Chart.js gave it."""
    return page.evaluate("""(id) => {
        const chart = Chart.getChart(document.querySelector(`[data-chart="${id}"] canvas`));
        const axis = chart.scales.y;
        chart.ctx.font = Chart.helpers.toFont(axis.options.ticks.font).string;
        const lines = axis.ticks.flatMap((tick) => [].concat(tick.label));
        return {widest: Math.max(...lines.map((l) => chart.ctx.measureText(l).width)),
                room: axis.width, left: axis.left, lines};
    }""", chart_id)


def test_the_dashboard_draws_every_chart_and_the_density_map(
    budget_rows: list[tuple[str, int, int]], browser: Browser, server_url: str,
) -> None:
    tab = Tab(browser, 1280, 900)
    page = tab.page
    try:
        _open_dashboard(tab, f"{server_url}/dasbor/")
        assert page.locator("canvas[data-ready=true]").count() == CANVAS_CHARTS
        drawn = page.evaluate("""() => {
            const canvas = document.querySelector('[data-chart="anggaran-per-kecamatan"] canvas');
            const chart = Chart.getChart(canvas);
            return {labels: chart.data.labels,
                    data: chart.data.datasets.map(d => d.data),
                    width: canvas.clientWidth, height: canvas.clientHeight};
        }""")
        assert drawn["labels"] == [name for name, _, _ in budget_rows]
        assert drawn["data"] == [[b for _, b, _ in budget_rows], [s for _, _, s in budget_rows]]
        assert drawn["width"] > 300 and drawn["height"] > 200
        # One outline per kelurahan from the OGC API, each filled by its density class.
        assert page.locator("#density-map path.taksi-density").count() == 51
        assert page.locator("#density-map path.kelas-none").count() == 0
        # The table view opens on demand and is a real table.
        section = page.locator('[data-chart="status-per-kecamatan"]')
        assert not section.locator("table").is_visible()
        section.locator("summary").click()
        assert section.locator("table tbody tr").count() == 6
        assert page.locator(".sample-note .badge-sample").first.is_visible()
        # The filter form is compact: its seven selects in at most two rows.
        tops = {round(box["y"]) for box in (s.bounding_box() for s in
                                            page.locator(".dash-filters select").all())}
        assert len(tops) <= 2
        # The city fills its frame (fitted with fractional zoom).
        assert _city_share_of_the_density_map(page) >= 0.85
        tab.screenshot("dashboard.png")
        assert tab.errors == []
    finally:
        tab.close()


def test_dashboard_filters_reach_the_charts_and_the_map(browser: Browser, server_url: str) -> None:
    tab = Tab(browser, 1024, 800)
    page = tab.page
    try:
        _open_dashboard(tab, f"{server_url}/dasbor/")
        page.select_option("select[name=kecamatan]", "53.71.01")
        page.click(".dash-filters button[type=submit]")
        page.wait_for_url("**/dasbor/?*kecamatan=53.71.01*")
        page.wait_for_selector("#density-map[data-ready=true]", state="attached")
        labels = page.evaluate("""() => Chart.getChart(document.querySelector(
            '[data-chart="anggaran-per-kecamatan"] canvas')).data.labels""")
        assert labels == ["Alak"]
        # The 12 kelurahan of Alak are coloured, the other 39 only outlined.
        assert page.locator("#density-map path.taksi-density").count() == 51
        assert page.locator("#density-map path.kelas-none").count() == 51 - 12
        assert tab.errors == []
    finally:
        tab.close()


def test_the_project_page_draws_its_site_from_the_ogc_api(
    browser: Browser, server_url: str, project: ProjectSite,
) -> None:
    tab = Tab(browser, 1280, 900)
    page = tab.page
    try:
        page.goto(f"{server_url}/proyek/{project.pk}/")
        page.wait_for_selector("#project-map[data-ready=true]", state="attached")
        assert page.locator("#project-map path.leaflet-interactive").count() == 1
        # The kelurahan around the site, outlined and named, for context.
        assert page.locator("#project-map path.project-kelurahan").count() == 1
        assert page.locator("#project-map .kelurahan-label").inner_text() \
            == f"Kelurahan {project.kelurahan.nama}"
        assert page.locator("#project-map-status").inner_text() == "Lokasi proyek dari API OGC"
        bar = page.get_by_role("progressbar", name="Progres fisik")
        assert bar.get_attribute("aria-valuenow") == str(project.progress)
        assert page.locator("#timeline tbody tr").count() == project.reports
        page.click("#copy-link")
        # The clipboard answers asynchronously: wait for the status to be written.
        page.wait_for_selector("#copy-status:not(:empty)")
        assert page.locator("#copy-status").inner_text() in {
            "Tautan disalin", "Salin tautan secara manual"}
        tab.screenshot("project.png")
        assert tab.errors == []
    finally:
        tab.close()


def test_both_pages_fit_a_phone_screen(
    browser: Browser, server_url: str, project: ProjectSite,
) -> None:
    tab = Tab(browser, 360, 740)
    page = tab.page
    try:
        page.goto(f"{server_url}/proyek/{project.pk}/")
        page.wait_for_selector("#project-map[data-ready=true]", state="attached")
        assert page.evaluate("document.documentElement.scrollWidth") <= 360
        box = page.locator("#project-map").bounding_box()
        assert box is not None and box["width"] >= 300 and box["height"] >= 200
        assert page.locator("#copy-link").is_visible()
        # The timeline: one card per report, nothing wider than its box.
        timeline = page.evaluate("""() => {
            const box = document.querySelector(".table-scroll");
            return {scroll: box.scrollWidth, width: box.clientWidth,
                    rows: [...document.querySelectorAll("#timeline tbody tr")].map(
                        (tr) => tr.getBoundingClientRect().height)};
        }""")
        assert timeline["scroll"] <= timeline["width"]
        assert len(timeline["rows"]) == project.reports
        assert max(timeline["rows"]) < 140, timeline  # date, figures, a short note
        # Each figure is labelled in the card (the column heads are hidden).
        first_row = page.locator("#timeline tbody tr").first
        assert first_row.evaluate("tr => getComputedStyle(tr).display") == "flex"
        assert first_row.locator("td[data-label]").evaluate_all(
            "cells => cells.map(c => c.dataset.label)") == ["Progres fisik", "Realisasi", "Catatan"]
        assert first_row.locator("td[data-label]").first.evaluate(
            "td => getComputedStyle(td, '::before').content") != "none"
        tab.screenshot("project-360.png")

        _open_dashboard(tab, f"{server_url}/dasbor/")
        assert page.evaluate("document.documentElement.scrollWidth") <= 360
        assert page.locator("canvas[data-ready=true]").count() == CANVAS_CHARTS
        for canvas in page.locator("canvas").all():
            box = canvas.bounding_box()
            assert box is not None and 250 <= box["width"] <= 360
        # Agency names wrap beside the bars instead of being cut at the edge.
        for chart_id in ("anggaran-per-opd", "status-per-opd", "progres-per-opd"):
            fit = _agency_labels_fit(page, chart_id)
            assert fit["left"] >= 0 and fit["widest"] <= fit["room"], (chart_id, fit)
            assert "Penanggulangan" in fit["lines"], fit["lines"]
        # The filters: one full-width select per row.
        for select in page.locator(".dash-filters select").all():
            assert select.bounding_box()["width"] >= 280
        assert _city_share_of_the_density_map(page) >= 0.85
        page.locator("select[name=status]").select_option("completed")
        tab.screenshot("dashboard-360.png")
        assert tab.errors == []
    finally:
        tab.close()
