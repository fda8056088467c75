"""What the map's browser tests share: Chromium, a page that can only reach
127.0.0.1, the API's own answers to compare with, and where screenshots go.

Debian's /usr/bin/chromium is driven by Playwright (no browser download).
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import pytest
import requests

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page, Route

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
    "--disable-background-networking", "--no-first-run",
]
#: Screenshots for people (README, CI artifacts); build/ is not committed.
SCREENSHOTS = Path(__file__).resolve().parent.parent / "build" / "screenshots"
EXPECTED_COUNTS = {"kecamatan": 6, "kelurahan": 51, "facilities": 67, "projects": 40}
READY = "body[data-map-ready=true]"
RUPIAH = re.compile(r"Rp\s\d{1,3}(\.\d{3})+")
HEALTH = ("rumah_sakit", "puskesmas", "klinik")
#: Layers the map draws from OGC API - Tiles vector tiles (frontend.views.TILED_GEOMETRY_TYPES).
TILED = ("kecamatan", "kelurahan")
#: Reports every Content-Security-Policy violation of the page to the test.
CSP_LISTENER = """document.addEventListener("securitypolicyviolation", (e) =>
    window.taksiCspViolation(`${e.violatedDirective} blocked ${e.blockedURI || "inline"}`
                             + ` in ${e.sourceFile}:${e.lineNumber}`));"""


def is_blocked_host_noise(text: str) -> bool:
    """Chromium's console line for a request the test itself blocked (base-map tiles)."""
    return "net::ERR_FAILED" in text or "net::ERR_NAME_NOT_RESOLVED" in text


def watch_page(page: Page, errors: list[str]) -> None:
    """Script errors, console errors and CSP violations of a page go into ``errors``."""
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda m: m.type == "error" and not is_blocked_host_noise(m.text)
            and errors.append(f"console: {m.text}"))
    page.expose_function("taksiCspViolation", lambda text: errors.append(f"CSP: {text}"))
    page.add_init_script(CSP_LISTENER)


def skip_without_chromium() -> None:
    if not CHROMIUM.exists() and not os.environ.get("CI"):
        pytest.skip(f"{CHROMIUM} is missing (apt-get install chromium); browser tests skipped "
                    "outside CI", allow_module_level=True)


def launch_browser(extra_args: tuple[str, ...] = ()) -> Iterator[Browser]:
    """One Chromium for a whole test module (starting one costs seconds).

    Playwright's sync API keeps an asyncio loop current in this thread, and
    Django refuses database calls while one is (SynchronousOnlyOperation) —
    here, pytest-django opening and rolling back each test's transaction.
    Nothing async touches the database in these tests (the server under test
    is a separate gunicorn process), so Django's documented escape hatch
    DJANGO_ALLOW_ASYNC_UNSAFE is set for the browser's lifetime only.
    """
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: CI must run the browser tests")
    from playwright.sync_api import sync_playwright

    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=str(CHROMIUM), args=[*CHROMIUM_ARGS, *extra_args],
            )
            yield browser
            browser.close()
    finally:
        if previous is None:
            del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


def rupiah(value: int) -> str:
    return "Rp " + f"{value:,}".replace(",", ".")


def normalise_spaces(text: str) -> str:
    """Intl formats may put no-break or narrow spaces where a test types a space."""
    return re.sub(r"[\u00a0\u202f]", " ", text)


class MapTab:
    """A fresh page that can only reach 127.0.0.1, recording blocked hosts and, in
    ``errors``, script errors, console errors and Content-Security-Policy violations."""

    def __init__(self, browser: Browser, width: int, height: int,
                 rewrite: Callable[[Route], bool] | None = None, locale: str = "id-ID",
                 **context: Any) -> None:
        self.context = browser.new_context(
            viewport={"width": width, "height": height}, locale=locale, **context,
        )
        self.page = self.context.new_page()
        self.page.set_default_timeout(15_000)
        self.blocked: set[str] = set()
        self.errors: list[str] = []
        self.requests: list[str] = []
        watch_page(self.page, self.errors)
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

    def open_map(self, url: str) -> None:
        self.page.goto(url)
        self.page.wait_for_selector(READY, state="attached", timeout=30_000)

    def screenshot(self, name: str) -> None:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=str(SCREENSHOTS / name))

    def close(self) -> None:
        self.context.close()


def legend_counts(page: Page) -> dict[str, str]:
    return page.eval_on_selector_all(
        "#legend li[data-layer]",
        "rows => Object.fromEntries(rows.map(r => [r.dataset.layer, r.dataset.count]))",
    )


def wait_for_counts(page: Page, expected: dict[str, int]) -> None:
    """Counts update on map events; wait until they show what is expected."""
    page.wait_for_function(
        """(expected) => Object.entries(expected).every(([layer, n]) =>
            document.querySelector(`#legend li[data-layer="${layer}"]`)?.dataset.count
            === String(n))""",
        arg=expected, timeout=10_000,
    )


def api_features(http: requests.Session, server_url: str, layer: str,
                 **params: str) -> list[dict]:
    response = http.get(f"{server_url}/ogc/collections/{layer}/items",
                        params={"f": "json", "limit": "1000", **params}, timeout=30)
    assert response.status_code == 200
    body = response.json()
    assert body["numberMatched"] == len(body["features"])
    return body["features"]


def contrast_ratio(page: Page, selector: str) -> float:
    """WCAG 2 contrast of an element's text colour against its background, as the
    browser computes them (the first non-transparent background up the tree).

    A translucent background (Leaflet's attribution is white at 80 %) lets the
    map show through, and the map may be any colour: it is composed over black
    and over white, the two extremes, and the lower contrast counts.
    """
    return page.evaluate(r"""(selector) => {
        const rgba = (css) => {
            const [r, g, b, a = 1] = css.match(/[\d.]+/g).map(Number);
            return [r, g, b, a];
        };
        const element = document.querySelector(selector);
        const fg = rgba(getComputedStyle(element).color);
        let node = element, bg = null;
        while (node && node.nodeType === 1) {
            const c = rgba(getComputedStyle(node).backgroundColor);
            if (c[3] > 0) { bg = c; break; }
            node = node.parentElement;
        }
        bg = bg || [255, 255, 255, 1];
        const over = (top, base) => top.slice(0, 3)
            .map((v, i) => v * top[3] + base[i] * (1 - top[3]));
        const lum = ([r, g, b]) => [r, g, b].map((v) => {
            v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
        }).reduce((sum, v, i) => sum + v * [0.2126, 0.7152, 0.0722][i], 0);
        const ratio = (a, b) => {
            const [hi, lo] = [lum(a), lum(b)].sort((x, y) => y - x);
            return (hi + 0.05) / (lo + 0.05);
        };
        return Math.min(...[[0, 0, 0], [255, 255, 255]].map((behind) => {
            const back = over(bg, behind);
            return ratio(over(fg, back), back);
        }));
    }""", selector)


def inside_viewport(page: Page, selector: str) -> bool:
    box = page.locator(selector).bounding_box()
    view = page.viewport_size
    return (box is not None and box["x"] >= 0 and box["y"] >= 0
            and box["x"] + box["width"] <= view["width"]
            and box["y"] + box["height"] <= view["height"])
