"""The site's icon: linked from every page and answering at /favicon.ico, which
browsers ask for whatever a page links (before, a 404 on every visit)."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
import requests

from tests.html_tree import parse

ICON = "/static/frontend/favicon.svg"


def test_favicon_ico_leads_to_the_sites_svg_icon(server_url: str, http: requests.Session) -> None:
    response = http.get(f"{server_url}/favicon.ico", allow_redirects=False, timeout=30)
    assert response.status_code == 302
    assert response.headers["Location"] == ICON
    assert response.headers["Cache-Control"] == "public, max-age=86400"
    icon = http.get(f"{server_url}/favicon.ico", timeout=30)
    assert icon.status_code == 200
    assert icon.url == f"{server_url}{ICON}"
    assert icon.headers["Content-Type"].startswith("image/svg+xml")
    root = ET.fromstring(icon.content)
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert root.attrib["viewBox"] == "0 0 32 32"
    assert len(icon.content) < 1024  # small: it comes with every first visit


@pytest.mark.parametrize("path", ["/", "/dasbor/", "/sumber-data/", "/proyek/{project}/",
                                  "/tidak-ada/"])
def test_every_page_links_the_icon(server_url: str, http: requests.Session, path: str) -> None:
    project = http.get(f"{server_url}/ogc/collections/projects/items?f=json&limit=1",
                       timeout=30).json()["features"][0]["id"]
    response = http.get(server_url + path.format(project=project), timeout=30)
    assert response.status_code == (404 if path == "/tidak-ada/" else 200)
    links = parse(response.text).find_all("link", rel="icon")
    assert [(link.attrs["href"], link.attrs["type"]) for link in links] == [
        (ICON, "image/svg+xml")]
