"""The public map page and the sources page, over real HTTP (gunicorn, DEBUG off).

The browser side (layers drawn, legend counts, popups) is in test_browser_map.py.
"""

from __future__ import annotations

import ast
import gettext
import json
import os
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
import requests
from django.urls import reverse
from django.utils import translation

from layers.models import FacilityCategory, ProjectStatus
from layers.registry import published_layers

EXPECTED_COUNTS = {"kecamatan": 6, "kelurahan": 51, "facilities": 67, "projects": 40}


class _PageParser(HTMLParser):
    """Collects script/link URLs, anchors, json_script blocks and <pre> text."""

    def __init__(self) -> None:
        super().__init__()
        self.script_srcs: list[str] = []
        self.link_hrefs: list[str] = []
        self.anchors: list[str] = []
        self.json_scripts: dict[str, str] = {}
        self.pre_blocks: list[str] = []
        self.html_lang: str | None = None
        self._json_id: str | None = None
        self._in_pre = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "html":
            self.html_lang = a.get("lang")
        elif tag == "script":
            if a.get("src"):
                self.script_srcs.append(a["src"] or "")
            if a.get("type") == "application/json" and a.get("id"):
                self._json_id = a["id"]
                self.json_scripts[self._json_id] = ""
        elif tag == "link" and a.get("href"):
            self.link_hrefs.append(a["href"] or "")
        elif tag == "a" and a.get("href"):
            self.anchors.append(a["href"] or "")
        elif tag == "pre":
            self._in_pre = True
            self.pre_blocks.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._json_id = None
        elif tag == "pre":
            self._in_pre = False

    def handle_data(self, data: str) -> None:
        if self._json_id:
            self.json_scripts[self._json_id] += data
        if self._in_pre:
            self.pre_blocks[-1] += data


def _parse(html: str) -> _PageParser:
    parser = _PageParser()
    parser.feed(html)
    parser.close()
    return parser


@pytest.fixture(scope="module")
def map_response(server_url: str, http: requests.Session) -> requests.Response:
    return http.get(f"{server_url}/", timeout=30)


@pytest.fixture(scope="module")
def map_page(map_response: requests.Response) -> _PageParser:
    return _parse(map_response.text)


@pytest.fixture(scope="module")
def map_config(map_page: _PageParser) -> dict:
    return json.loads(map_page.json_scripts["taksi-map-config"])


def test_map_page_is_served_in_indonesian(map_response: requests.Response,
                                          map_page: _PageParser) -> None:
    assert map_response.status_code == 200
    assert map_response.headers["Content-Type"].startswith("text/html")
    assert map_page.html_lang == "id"
    assert "Taksi — Data Kota Kupang Terintegrasi" in map_response.text
    # Header links: the OGC API and the sources page.
    assert "/ogc/" in map_page.anchors
    assert "/sumber-data/" in map_page.anchors


def test_map_page_links_the_items_endpoint_of_every_layer(
    map_response: requests.Response, map_config: dict, server_url: str, http: requests.Session,
) -> None:
    for layer_id in EXPECTED_COUNTS:
        assert f"/ogc/collections/{layer_id}/items" in map_response.text
    by_id = {layer["id"]: layer for layer in map_config["layers"]}
    for layer_id, count in EXPECTED_COUNTS.items():
        items_url = by_id[layer_id]["itemsUrl"]
        assert urlsplit(items_url).path == reverse("ogc-items", kwargs={"collection_id": layer_id})
        # The embedded URL really answers with the whole layer in GeoJSON.
        response = http.get(urljoin(f"{server_url}/", items_url), timeout=30)
        assert response.status_code == 200
        body = response.json()
        assert body["type"] == "FeatureCollection"
        assert body["numberMatched"] == count
        assert body["numberReturned"] == count


def test_map_page_loads_scripts_and_styles_from_our_static_files(
    map_page: _PageParser, server_url: str, http: requests.Session,
) -> None:
    urls = map_page.script_srcs + map_page.link_hrefs
    assert any(url.endswith("/leaflet.js") for url in map_page.script_srcs)
    assert "/static/frontend/map.js" in map_page.script_srcs
    for url in urls:
        assert url.startswith("/static/"), f"not a same-origin static file: {url}"
        assert "//" not in url
        assert http.get(f"{server_url}{url}", timeout=30).status_code == 200, url


def test_map_config_is_generated_from_the_layer_declarations(
    map_response: requests.Response, map_config: dict,
) -> None:
    declarations = published_layers()
    assert [layer["id"] for layer in map_config["layers"]] == [d.id for d in declarations]
    for layer, declaration in zip(map_config["layers"], declarations, strict=True):
        assert layer["title"] == declaration.title.id
        assert layer["color"] == declaration.color
        assert layer["titleField"] == declaration.title_field
        assert layer["sampleField"] == declaration.sample_field
        assert set(layer["properties"]) == {p.name for p in declaration.properties}
        # The legend row the browser test reads is rendered for every layer.
        assert f'data-layer="{declaration.id}"' in map_response.text
    by_id = {layer["id"]: layer for layer in map_config["layers"]}
    assert by_id["projects"]["sampleField"] == "data_contoh"
    assert by_id["projects"]["properties"]["pagu"]["format"] == "rupiah"
    # Label maps come from the model choices.
    assert map_config["labels"]["kategori"] == {
        str(value): str(label) for value, label in FacilityCategory.choices
    }
    assert map_config["labels"]["status"] == {
        str(value): str(label) for value, label in ProjectStatus.choices
    }
    assert set(map_config["colors"]["status"]) == set(ProjectStatus.values)
    assert map_config["sourcesUrl"] == "/sumber-data/"


def test_sources_page_shows_sources_and_mit_notice(server_url: str,
                                                   http: requests.Session) -> None:
    response = http.get(f"{server_url}/sumber-data/", timeout=30)
    assert response.status_code == 200
    page = _parse(response.text)
    assert page.html_lang == "id"
    for text in ("MIT", "Cahya DSN", "OpenStreetMap", "Data contoh"):
        assert text in response.text, text
    assert len(page.pre_blocks) == 2
    sources_md, licence = page.pre_blocks
    assert sources_md.startswith("# Kota Kupang geodata")
    assert "© OpenStreetMap contributors" in sources_md
    assert licence.startswith("MIT License")
    assert "Copyright (c) 2024 Cahya DSN" in licence
    assert "Permission is hereby granted, free of charge" in licence
    assert "/ogc/" in page.anchors


# ---- languages --------------------------------------------------------------

LOCALE = Path(__file__).resolve().parent.parent / "locale" / "en" / "LC_MESSAGES"
TEMPLATES = Path(__file__).resolve().parent.parent / "frontend" / "templates" / "frontend"


def _po_entries(path: Path) -> dict[str, str]:
    """msgid -> msgstr of a .po file (enough of the format for Django's makemessages output)."""
    entries: dict[str, str] = {}
    current: dict[str, str] = {}
    key = None
    for line in [*path.read_text(encoding="utf-8").splitlines(), ""]:
        if line.startswith(("msgid ", "msgstr ")):
            key, _, rest = line.partition(" ")
            current[key] = ast.literal_eval(rest)
        elif line.startswith('"') and key:
            current[key] += ast.literal_eval(line)
        elif not line.strip():
            if current.get("msgid"):
                entries[current["msgid"]] = current.get("msgstr", "")
            current, key = {}, None
    return entries


def test_compiled_english_catalogue_is_the_po_file() -> None:
    """The .mo is committed (no gettext tools at run time); it must not lag the .po."""
    entries = _po_entries(LOCALE / "django.po")
    with (LOCALE / "django.mo").open("rb") as mo:
        catalogue = gettext.GNUTranslations(mo)
    translated = {msgid: msgstr for msgid, msgstr in entries.items() if msgstr}
    assert len(translated) > 100
    for msgid, msgstr in translated.items():
        assert catalogue.gettext(msgid) == msgstr, msgid


def _template_texts(path: Path) -> list[str]:
    """Every translatable text of a template, as makemessages sees it (Django's
    ``templatize``: translate, blocktranslate with its placeholders, _("…") in filters)."""
    from django.utils.translation.template import templatize

    code = templatize(path.read_text(encoding="utf-8"), origin=str(path))
    quoted = re.findall(r"""gettext\(u('(?:[^'\\]|\\.)*')\)|\b_\(("(?:[^"\\]|\\.)*")\)""", code)
    return [ast.literal_eval(single or double) for single, double in quoted]


def _python_texts(path: Path) -> list[str]:
    """String literals passed to _(), gettext() or gettext_lazy() in a module."""
    names = {"_", "gettext", "gettext_lazy"}
    return [node.args[0].value for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
            and node.func.id in names and node.args
            and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str)]


FRONTEND = TEMPLATES.parent.parent


@pytest.mark.parametrize("source", [
    *(f"templates/frontend/{path.name}" for path in sorted(TEMPLATES.glob("*.html"))),
    *(str(path.relative_to(FRONTEND)) for path in sorted(FRONTEND.glob("*.py"))
      if _python_texts(path)),
    *(str(path.relative_to(FRONTEND)) for path in sorted((FRONTEND / "dashboard").glob("*.py"))
      if _python_texts(path)),
])
def test_every_visible_text_of_the_public_pages_has_an_english_translation(source: str) -> None:
    """Templates (map, project page, dashboard, sources, errors) and the Python
    modules that give the pages their texts (frontend/*.py, frontend/dashboard/*.py)."""
    entries = _po_entries(LOCALE / "django.po")
    path = FRONTEND / source
    texts = _template_texts(path) if path.suffix == ".html" else _python_texts(path)
    assert texts, source
    missing = [text for text in texts if not entries.get(text)]
    assert missing == [], f"{source}: no English for {missing}"


def test_every_message_of_the_map_script_is_translated() -> None:
    from frontend.views import map_config

    with translation.override("id"):
        indonesian = map_config()
    with translation.override("en"):
        english = map_config()
    assert (indonesian["language"], english["language"]) == ("id", "en")
    same = {key for key, text in indonesian["messages"].items()
            if english["messages"][key] == text}
    assert same == {"noValue"}  # the dash
    assert english["labels"]["kategori"]["rumah_sakit"] == "Hospital"
    assert english["labels"]["status"]["completed"] == "Completed"
    assert [layer["title"] for layer in english["layers"]][-1] == "Development project sites"


@pytest.mark.parametrize("path", ["/", "/dasbor/", "/sumber-data/"])
@pytest.mark.parametrize("accept", ["en-GB,en;q=0.9", "en-US", "en", "*"])
def test_pages_are_in_bahasa_indonesia_whatever_language_the_browser_asks_for(
    server_url: str, http: requests.Session, path: str, accept: str,
) -> None:
    """The issue: Bahasa Indonesia by default, English by a switch (not by the
    browser's settings, which on many phones in Kupang say English)."""
    page = http.get(f"{server_url}{path}", headers={"Accept-Language": accept}, timeout=30)
    assert page.status_code == 200
    assert _parse(page.text).html_lang == "id"
    assert page.headers["Content-Language"] == "id"
    # The answer depends on the language cookie, not on Accept-Language.
    vary = {v.strip().lower() for v in page.headers["Vary"].split(",")}
    assert "cookie" in vary and "accept-language" not in vary


def test_the_switchs_cookie_gives_english_whatever_the_browser_asks_for(
    server_url: str, http: requests.Session,
) -> None:
    english = http.get(f"{server_url}/", headers={"Accept-Language": "id-ID,id"},
                       cookies={"django_language": "en"}, timeout=30)
    assert _parse(english.text).html_lang == "en"
    assert "Locate me" in english.text
    assert english.headers["Content-Language"] == "en"
    # A regional variant in the cookie is the language it belongs to.
    british = http.get(f"{server_url}/", cookies={"django_language": "en-gb"}, timeout=30)
    assert _parse(british.text).html_lang == "en"


def test_language_switch_sets_english_and_returns_to_the_same_address(
    server_url: str,
) -> None:
    session = requests.Session()
    page = session.get(f"{server_url}/?kategori=rumah_sakit", timeout=30)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    assert '<button type="submit" name="language" value="en"' in page.text
    response = session.post(
        f"{server_url}/i18n/setlang/",
        data={"language": "en", "next": "/?kategori=rumah_sakit&peta=14/-10.16/123.61",
              "csrfmiddlewaretoken": token},
        headers={"Referer": f"{server_url}/"}, allow_redirects=False, timeout=30,
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "/?kategori=rumah_sakit&peta=14/-10.16/123.61"
    english = session.get(f"{server_url}{response.headers['Location']}", timeout=30)
    assert _parse(english.text).html_lang == "en"
    assert english.headers["Content-Language"] == "en"
    for text in ("Locate me", "Clear filters", "Fiscal year", "Development project sites",
                 '"Hospital"', "Bahasa Indonesia</button>"):
        assert text in english.text, text
    # The switch back is offered, and a stale cookie value falls back to Indonesian.
    session.cookies.set("django_language", "xx")
    assert _parse(session.get(f"{server_url}/", timeout=30).text).html_lang == "id"
    session.close()


# ---- controls and transfer ---------------------------------------------------


def test_map_page_has_the_filters_search_and_locate_controls(
    map_response: requests.Response,
) -> None:
    html = map_response.text
    names = re.findall(r'<select id="filter-(\w+)" name="(\w+)"', html)
    assert [name for _, name in names] == [
        "kecamatan", "kelurahan", "kategori", "status", "tahun", "opd", "sumber_dana",
    ]
    assert all(select_id == name for select_id, name in names)
    assert 'role="combobox"' in html and 'aria-controls="search-results"' in html
    assert 'id="search-results" class="search-results" role="listbox"' in html
    assert 'id="locate-button"' in html and "Lokasi saya" in html
    assert 'aria-controls="panel" aria-expanded="false"' in html


@pytest.mark.parametrize("path", [
    "/ogc/collections/kelurahan/items?f=json&limit=1000",
    "/static/frontend/map.js",
    "/static/leaflet/leaflet.js",
    "/",
])
def test_map_data_scripts_and_page_are_sent_gzip_compressed(
    server_url: str, http: requests.Session, path: str,
) -> None:
    response = http.get(f"{server_url}{path}", headers={"Accept-Encoding": "gzip"},
                        timeout=30, stream=True)
    assert response.status_code == 200
    assert response.headers["Content-Encoding"] == "gzip"
    wire = len(response.raw.read(decode_content=False))
    response.close()
    plain = len(http.get(f"{server_url}{path}", headers={"Accept-Encoding": "identity"},
                         timeout=30).content)
    assert wire < plain / 2, (wire, plain)


def test_map_page_without_a_base_map_url_has_no_tile_layer() -> None:
    """TAKSI_BASEMAP_URL="" switches the base map off (settings are read at start-up,
    so a fresh interpreter renders the page)."""
    script = (
        "import django, os; django.setup()\n"
        "from django.test import Client\n"
        "html = Client().get('/', HTTP_HOST='127.0.0.1').content.decode()\n"
        "from django.conf import settings\n"
        "print(settings.LEAFLET_CONFIG['TILES'], 'tile.openstreetmap.org' in html,"
        " 'taksi-map-config' in html)\n"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "spatial.settings", "TAKSI_BASEMAP_URL": ""}
    result = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True,
                            text=True, timeout=60, cwd=Path(__file__).resolve().parent.parent)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["[]", "False", "True"]


def test_downloads_keep_their_length_and_bytes_uncompressed(
    server_url: str, http: requests.Session,
) -> None:
    """pygeoapi drops an enclosure link whose HEAD answer has no Content-Length."""
    response = http.head(f"{server_url}/download/kelurahan.geojson",
                         headers={"Accept-Encoding": "gzip"}, timeout=60)
    assert response.status_code == 200
    assert "Content-Encoding" not in response.headers
    assert int(response.headers["Content-Length"]) > 0
