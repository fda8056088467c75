"""Content Security Policy (issue 7, "Hardening"): the header Django's built-in
support writes on every page, and the nonce on each inline script, over real
HTTP (gunicorn). The browser side (no violation on any page) is in
test_browser_csp.py.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
import requests
from django.contrib.auth import get_user_model
from django.test import Client

from layers.models import Kelurahan, ProjectSite
from spatial.csp import basemap_sources, content_security_policy, source_hash

ROOT = Path(__file__).resolve().parent.parent


def _policy(response: requests.Response) -> dict[str, list[str]]:
    header = response.headers["Content-Security-Policy"]
    directives = (part.split() for part in header.split(";") if part.strip())
    return {name: values for name, *values in directives}


class _Scripts(HTMLParser):
    """(attributes) of every <script> and <style> element of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.elements: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self.elements.append((tag, dict(attrs)))


def _inline_elements(html: str) -> list[tuple[str, dict[str, str | None]]]:
    """Inline scripts and styles that the browser runs (JSON data blocks are not run)."""
    parser = _Scripts()
    parser.feed(html)
    return [(tag, attrs) for tag, attrs in parser.elements
            if "src" not in attrs and attrs.get("type") not in ("application/json",
                                                                 "application/ld+json")]


@pytest.fixture(scope="module")
def project_id(django_db_setup, django_db_blocker) -> int:
    with django_db_blocker.unblock():
        return ProjectSite.objects.filter(state="published").order_by("pk").first().pk


PAGES = ["/", "/dasbor/", "/proyek/{project}/", "/ogc/?f=html",
         "/ogc/collections/kelurahan/items?f=html", "/admin/login/", "/sumber-data/"]


@pytest.mark.parametrize("path", PAGES)
def test_every_page_carries_a_strict_content_security_policy(
    server_url: str, http: requests.Session, project_id: int, path: str,
) -> None:
    response = http.get(server_url + path.format(project=project_id), timeout=30)
    assert response.status_code == 200
    policy = _policy(response)
    assert policy["default-src"] == ["'self'"]
    # 'self' and, on a page with inline scripts, that response's nonce.
    scripts = policy["script-src"]
    assert scripts[0] == "'self'" and len(scripts) <= 2
    assert all(re.fullmatch(r"'nonce-[A-Za-z0-9_-]{20,}'", s) for s in scripts[1:]), scripts
    for directive, values in policy.items():
        assert "'unsafe-eval'" not in values, directive
        if directive.startswith("script-src") or directive.startswith("style-src-elem"):
            assert "'unsafe-inline'" not in values, directive
    # The base-map host of TAKSI_BASEMAP_URL (the default: OpenStreetMap's tiles).
    assert policy["img-src"] == ["'self'", "data:", "https://tile.openstreetmap.org"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["base-uri"] == ["'self'"]
    assert policy["form-action"] == ["'self'"]


@pytest.mark.parametrize("path", PAGES)
def test_each_inline_script_and_style_carries_that_responses_nonce(
    server_url: str, http: requests.Session, project_id: int, path: str,
) -> None:
    """django-leaflet's map set-up, pygeoapi's inline scripts, the admin's styles."""
    url = server_url + path.format(project=project_id)
    first, second = (http.get(url, timeout=30) for _ in range(2))
    inline = _inline_elements(first.text)
    if path == "/sumber-data/":
        # No inline script or style: no nonce is made, none is allowed.
        assert inline == [] and _policy(first)["script-src"] == ["'self'"]
        return
    nonce = _policy(first)["script-src"][1].removeprefix("'nonce-").removesuffix("'")
    if path == "/admin/login/":
        # The admin marks even its script files with the nonce (Django 6.1's admin).
        assert re.findall(r'<script src="[^"]+"[^>]* nonce="([^"]+)"', first.text) == [nonce] * 2
        return
    assert inline, "the page has an inline script (Leaflet's or pygeoapi's set-up)"
    for tag, attrs in inline:
        assert attrs.get("nonce") == nonce, (tag, attrs)
    # A fresh nonce for every response.
    assert _policy(second)["script-src"][1] != _policy(first)["script-src"][1]


def test_pygeoapi_pages_allow_only_their_own_inline_handlers(
    server_url: str, http: requests.Session,
) -> None:
    """The catalogue's search form (onclick="submitForm();") runs; nothing else inline does."""
    page = http.get(f"{server_url}/ogc/collections/catalog/items?f=html", timeout=30)
    policy = _policy(page)
    assert policy["script-src-attr"] == ["'unsafe-hashes'", source_hash("checkSpatialFilter()"),
                                         source_hash("submitForm();"),
                                         source_hash("document.getElementById('searchForm')"
                                                     ".reset();")]
    for handler in re.findall(r'\son[a-z]+="([^"]*)"', page.text):
        assert source_hash(handler) in policy["script-src-attr"], handler
    # Our own pages allow no inline handler at all.
    assert "script-src-attr" not in _policy(http.get(f"{server_url}/", timeout=30))


def test_the_admin_geometry_map_gets_the_nonce_too(db) -> None:
    """django-leaflet's admin widget reads request.csp_nonce (django-csp's name)."""
    admin = get_user_model().objects.create_superuser("csp-admin", "csp@example.org", None)
    client = Client()
    client.force_login(admin)
    kelurahan = Kelurahan.objects.order_by("pk").first()
    response = client.get(f"/admin/layers/kelurahan/{kelurahan.pk}/change/",
                          HTTP_HOST="127.0.0.1")
    assert response.status_code == 200
    header = response.headers["Content-Security-Policy"]
    nonce = re.search(r"'nonce-([^']+)'", header).group(1)
    inline = _inline_elements(response.content.decode())
    assert len(inline) >= 2  # the widget's script and the map's set-up
    assert all(attrs.get("nonce") == nonce for _, attrs in inline), inline


@pytest.mark.parametrize(("url", "sources"), [
    ("https://tile.openstreetmap.org/{z}/{x}/{y}.png", ["https://tile.openstreetmap.org"]),
    ("https://{s}.tile.openstreetmap.fr/hot/{z}/{x}/{y}.png", ["https://*.tile.openstreetmap.fr"]),
    ("https://tiles.{s}.example.org:8443/{z}/{x}/{y}.png", ["https://*.example.org:8443"]),
    ("http://peta.kupangkota.go.id/tiles/{z}/{x}/{y}.png", ["http://peta.kupangkota.go.id"]),
    ("/tiles/{z}/{x}/{y}.png", []),  # our own server: 'self' covers it
    ("", []),  # no base map
])
def test_the_base_map_host_is_derived_from_the_tile_url(url: str, sources: list[str]) -> None:
    assert basemap_sources(url) == sources
    assert content_security_policy(url)["img-src"] == ["'self'", "data:", *sources]


def test_settings_take_the_image_host_from_taksi_basemap_url() -> None:
    """Settings are read at start-up: a fresh interpreter with another base map."""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "spatial.settings",
           "TAKSI_BASEMAP_URL": "https://{s}.basemaps.example.net/light/{z}/{x}/{y}.png"}
    script = ("import django; django.setup(); from django.conf import settings; "
              "print(' '.join(settings.SECURE_CSP['img-src']))")
    done = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True,
                          text=True, timeout=60, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["'self'", "data:", "https://*.basemaps.example.net"]


@pytest.mark.parametrize("path", [
    "/ogc/collections/kelurahan/items?f=json&limit=1",
    "/ogc/collections/kelurahan/tiles/WebMercatorQuad/12/2164/3454?f=mvt",
    "/static/frontend/map.js",
    "/dasbor/data.json",
])
def test_responses_that_are_not_documents_carry_the_short_api_policy(
    server_url: str, http: requests.Session, path: str,
) -> None:
    """A browser applies a policy to documents only; data and scripts get
    OWASP's API policy instead of ~500 bytes of page policy on each response."""
    response = http.get(server_url + path, timeout=30)
    assert response.status_code == 200
    assert response.headers["Content-Security-Policy"] \
        == "default-src 'none'; frame-ancestors 'none'"
