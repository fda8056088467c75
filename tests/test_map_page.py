"""The public map page and the sources page, over real HTTP (gunicorn, DEBUG off).

The browser side (layers drawn, legend counts, popups) is in test_browser_map.py.
"""

from __future__ import annotations

import json
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest
import requests
from django.urls import reverse

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
