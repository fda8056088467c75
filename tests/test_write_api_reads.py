"""Staff read their drafts through the API; the public never does, and caches keep them apart.

The read column of the authorization matrix: a draft of agency A through
items, a single item, a vector tile, a download, the catalogue and the map's
own data request (the map page's items URL with the session cookie, as the
browser sends it). Then the HTTP caching rules that keep a staff view from
ever reaching the public: ``Vary: Authorization, Cookie``, ``private`` for
staff, and tile cache entries and ETags per view.
"""

from __future__ import annotations

import json
import re
from urllib.parse import urljoin

import mapbox_vector_tile
import morecantile
import pytest

from tests.write_api_support import SITE, Api, committed_facility, items_path

DRAFT = "Puskesmas Rahasia Draf"
TILE = morecantile.tms.get("WebMercatorQuad").tile(*SITE, 14)
TILE_PATH = f"/ogc/collections/facilities/tiles/WebMercatorQuad/{TILE.z}/{TILE.y}/{TILE.x}"
#: A draft far outside the published extent: it would stretch the catalogue's bbox.
FAR = (124.2, -9.9)


def _tile_ids(response) -> set[int]:
    if response.status_code == 204:
        return set()
    assert response.status_code == 200, response.text
    layers = mapbox_vector_tile.decode(response.content)
    return {f["id"] for f in layers.get("facilities", {}).get("features", [])}


def _map_items(write_api: Api, who: str) -> list[dict]:
    """What the map page loads: its configured items URL and the next pages, with the
    browser's session cookie and no token (``fetchAllFeatures`` in map/ogc.js)."""
    page = write_api.get(who, "/", via="session")
    config = json.loads(re.search(
        r'<script id="taksi-map-config" type="application/json">(.*?)</script>',
        page.text, re.S).group(1))
    [layer] = [layer for layer in config["layers"] if layer["id"] == "facilities"]
    features, url = [], urljoin(f"{write_api.server_url}/", layer["itemsUrl"])
    while url:
        response = write_api.get(who, url, via="session",
                                 headers={"Accept": "application/geo+json"})
        assert response.status_code == 200, response.text
        features += response.json()["features"]
        url = next((link["href"] for link in response.json()["links"]
                    if link["rel"] == "next" and response.json()["features"]), None)
    return features


@pytest.mark.parametrize(("who", "sees"), [
    ("anonim", False), ("editor-a", True), ("editor-b", False), ("walidata", True),
    ("admin", True), ("staf", False),
])
def test_a_draft_is_read_by_its_agency_and_the_stewards_only(
        write_api: Api, committed, who: str, sees: bool) -> None:
    fid = committed_facility(committed, DRAFT, "draft")
    page = write_api.get(who, items_path(), params={"limit": 1000})
    assert page.status_code == 200
    assert page.json()["numberMatched"] == 67 + sees
    assert (fid in {f["id"] for f in page.json()["features"]}) is sees
    single = write_api.get(who, items_path(fid=fid))
    assert single.status_code == (200 if sees else 404)
    if sees:
        assert single.json()["properties"]["nama"] == DRAFT
        assert single.headers["Taksi-State"] == "draft"
    assert (fid in _tile_ids(write_api.get(who, TILE_PATH))) is sees
    download = write_api.get(who, "/download/facilities.geojson", params={"kategori": "puskesmas"})
    assert [f["properties"]["nama"] for f in download.json()["features"]] == (
        [DRAFT] if sees else [])
    csv = write_api.get(who, items_path(), params={"f": "csv", "limit": 1000})
    assert (DRAFT in csv.text) is sees
    # The same through the session cookie: what the map itself requests.
    assert (fid in {f["id"] for f in _map_items(write_api, who)}) is sees


@pytest.mark.parametrize("who", ["editor-a", "editor-b", "walidata", "admin", "staf"])
def test_the_catalogue_describes_the_published_data_to_everyone(write_api: Api, committed,
                                                                who: str) -> None:
    """A catalogue record is public metadata: the same for every persona, whatever
    drafts their role lets them read elsewhere (a draft of agency A far out of town
    would stretch the extent for editor-a, the walidata and admins if it counted)."""
    committed_facility(committed, DRAFT, "draft", point=FAR)
    path = "/ogc/collections/catalog/items/facilities"
    public = write_api.get("anonim", path, params={"f": "json"})
    staff = write_api.get(who, path, params={"f": "json"})
    assert (public.status_code, staff.status_code) == (200, 200)
    assert staff.json()["geometry"] == public.json()["geometry"]
    assert staff.json()["properties"] == public.json()["properties"]
    xs = [x for x, _y in public.json()["geometry"]["coordinates"][0]]
    assert max(xs) < FAR[0]
    assert DRAFT not in staff.text
    listed = write_api.get(who, "/ogc/collections/catalog/items", params={"f": "json"})
    assert listed.status_code == 200
    assert DRAFT not in listed.text


def test_public_answers_vary_on_credentials_and_staff_answers_are_private(
        write_api: Api, committed) -> None:
    fid = committed_facility(committed, "Terbit", "published")
    for path in (items_path(), items_path(fid=fid), "/download/facilities.geojson"):
        public = write_api.get("anonim", path)
        staff = write_api.get("walidata", path)
        assert public.status_code == staff.status_code == 200
        for response in (public, staff):
            assert {"Authorization", "Cookie"} <= {
                v.strip() for v in response.headers["Vary"].split(",")}
        assert "private" not in public.headers.get("Cache-Control", "")
        assert staff.headers["Cache-Control"] == "private, no-cache"


def test_a_tile_built_for_staff_is_never_served_to_the_public(write_api: Api,
                                                               committed) -> None:
    fid = committed_facility(committed, DRAFT, "draft")
    staff = write_api.get("editor-a", TILE_PATH)  # first: the staff tile is cached first
    public = write_api.get("anonim", TILE_PATH)
    other_agency = write_api.get("editor-b", TILE_PATH)
    steward = write_api.get("walidata", TILE_PATH)
    assert fid in _tile_ids(staff) and fid in _tile_ids(steward)
    assert fid not in _tile_ids(public) and fid not in _tile_ids(other_agency)
    assert public.headers["Cache-Control"].startswith("public")
    assert staff.headers["Cache-Control"] == "private, no-cache"
    tags = {r.headers["ETag"] for r in (staff, public, steward)}
    assert len(tags) == 3  # three views, three tags
    # The public's tag does not revalidate the staff tile, nor the staff tag the public's.
    assert write_api.get("anonim", TILE_PATH,
                         headers={"If-None-Match": staff.headers["ETag"]}).status_code == 200
    assert write_api.get("editor-a", TILE_PATH,
                         headers={"If-None-Match": public.headers["ETag"]}).status_code == 200
    again = write_api.get("editor-a", TILE_PATH, headers={"If-None-Match": staff.headers["ETag"]})
    assert again.status_code == 304 and again.headers["Cache-Control"] == "private, no-cache"
