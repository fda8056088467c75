"""Every page works under the Content Security Policy, in headless Chromium:
no CSP violation, no console error and no script error while the page does
its job (map drawn, charts drawn, pygeoapi's map, the admin's geometry map).
The header itself is checked in test_csp.py.
"""

from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import urlsplit

import pytest
from django.contrib.auth import get_user_model

from layers.models import Kelurahan, ProjectSite
from tests.map_browser_support import skip_without_chromium, watch_page

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

skip_without_chromium()

ADMIN = ("csp-browser-admin", "Taksi-CSP-test-8271")


@pytest.fixture(scope="module")
def ids(django_db_setup, django_db_blocker) -> dict[str, int]:
    """A published project and a kelurahan; and a superuser, committed so the
    test server sees it (deleted afterwards)."""
    with django_db_blocker.unblock():
        user = get_user_model().objects.create_superuser(ADMIN[0], "csp@example.org", ADMIN[1])
        try:
            yield {
                "project": ProjectSite.objects.filter(state="published").order_by("pk").first().pk,
                "kelurahan": Kelurahan.objects.order_by("pk").first().pk,
            }
        finally:
            user.delete()


def _page(browser: Browser, errors: list[str]) -> Page:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="id-ID")
    page = context.new_page()
    page.set_default_timeout(20_000)
    watch_page(page, errors)
    page.route("**/*", lambda route: route.abort()
               if urlsplit(route.request.url).hostname != "127.0.0.1" else route.continue_())
    return page


#: Page, and what shows it has done its job.
PUBLIC_PAGES = [
    ("/", "body[data-map-ready=true]"),
    ("/dasbor/", "#density-map[data-ready=true]"),
    ("/proyek/{project}/", "#project-map[data-ready=true]"),
    ("/sumber-data/", "main h1"),
    ("/ogc/?f=html", "main"),
    ("/ogc/collections/kelurahan/items?f=html", "#items-map path.leaflet-interactive"),
    ("/ogc/collections/kelurahan/items/{kelurahan}?f=html", "#items-map path.leaflet-interactive"),
    ("/admin/login/", "#id_username"),
]


@pytest.mark.parametrize(("path", "ready"), PUBLIC_PAGES, ids=[p for p, _ in PUBLIC_PAGES])
def test_the_page_works_without_any_content_security_policy_violation(
    browser: Browser, server_url: str, ids: dict[str, int], path: str, ready: str,
) -> None:
    errors: list[str] = []
    page = _page(browser, errors)
    try:
        page.goto(server_url + path.format(**ids))
        page.wait_for_selector(ready, state="attached")
        page.wait_for_load_state("networkidle")
        assert errors == []
    finally:
        page.context.close()


def test_the_admin_and_its_geometry_map_work_under_the_policy(
    browser: Browser, server_url: str, ids: dict[str, int],
) -> None:
    errors: list[str] = []
    page = _page(browser, errors)
    try:
        page.goto(f"{server_url}/admin/login/")
        page.fill("#id_username", ADMIN[0])
        page.fill("#id_password", ADMIN[1])
        with page.expect_navigation():
            page.click("input[type=submit]")
        page.goto(f"{server_url}/admin/layers/kelurahan/{ids['kelurahan']}/change/")
        # django-leaflet's widget (inline script with the nonce) draws the geometry.
        page.wait_for_selector(".leaflet-container path.leaflet-interactive", state="attached")
        page.goto(f"{server_url}/admin/layers/projectsite/")
        page.wait_for_selector("#result_list")
        page.wait_for_load_state("networkidle")
        assert errors == []
    finally:
        page.context.close()


def test_swagger_ui_renders_under_the_policy(browser: Browser, server_url: str) -> None:
    """pygeoapi's Swagger page also links two favicons on unpkg.com that
    ogc/offline_assets.py does not map to local copies; the policy blocks them
    (as it should: no CDN), and nothing else is blocked."""
    errors: list[str] = []
    page = _page(browser, errors)
    try:
        page.goto(f"{server_url}/ogc/openapi?f=html")
        page.wait_for_selector(".swagger-ui .opblock-summary-path", state="attached")
        page.wait_for_load_state("networkidle")
        assert page.locator(".swagger-ui .opblock").count() > 10
        others = [e for e in errors if "unpkg.com/swagger-ui-dist/favicon" not in e]
        assert others == []
    finally:
        page.context.close()


#: Chromium's console line for the page's own status; the page answered it on purpose.
_OWN_STATUS = "Failed to load resource: the server responded with a status of 404"


@pytest.mark.parametrize(("path", "language", "heading"), [
    ("/tidak-ada/", "id", "Halaman tidak ditemukan"),
    ("/proyek/999999/", "en", "Page not found"),
])
def test_the_404_page_works_under_the_policy_with_the_sites_styles(
    browser: Browser, server_url: str, path: str, language: str, heading: str,
) -> None:
    errors: list[str] = []
    page = _page(browser, errors)
    try:
        page.context.add_cookies([{"name": "django_language", "value": language,
                                   "url": server_url}])
        response = page.goto(server_url + path)
        assert response.status == 404
        page.wait_for_load_state("networkidle")
        assert page.locator("html").get_attribute("lang") == language
        assert page.locator("main h1").inner_text() == heading
        # taksi.css and the icon loaded under the policy: the header has the brand colour.
        assert page.evaluate(
            "getComputedStyle(document.querySelector('.site-header')).backgroundColor"
        ) == "rgb(11, 61, 92)"
        assert page.evaluate("""async () => (await fetch(
            document.querySelector('link[rel=icon]').href)).status""") == 200
        assert [e for e in errors if _OWN_STATUS not in e] == []
        page.get_by_role("link", name="Kembali ke peta" if language == "id"
                         else "Back to the map").click()
        page.wait_for_selector("body[data-map-ready=true]", state="attached")
        assert [e for e in errors if _OWN_STATUS not in e] == []
    finally:
        page.context.close()
