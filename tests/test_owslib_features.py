"""OWSLib's OGC API - Features client (what Python notebooks and QGIS plugins
use) reads collections, items, single features, queryables and conformance
from the running server."""

from __future__ import annotations

import pytest

owslib_features = pytest.importorskip("owslib.ogcapi.features")

COUNTS = {"kecamatan": 6, "kelurahan": 51, "facilities": 67, "projects": 40}


@pytest.fixture(scope="module")
def client(server_url: str) -> owslib_features.Features:
    return owslib_features.Features(f"{server_url}/ogc/")


def test_owslib_lists_the_four_feature_collections(client: owslib_features.Features) -> None:
    assert sorted(client.feature_collections()) == sorted(COUNTS)
    assert client.collection("kelurahan")["title"] == "Kelurahan Kota Kupang"


def test_owslib_reads_items_with_bbox_filter_and_sortby(client: owslib_features.Features) -> None:
    page = client.collection_items("facilities", limit=5, kategori="rumah_sakit")
    assert page["numberMatched"] == 12 and len(page["features"]) == 5
    boxed = client.collection_items("kelurahan", bbox=[123.52, -10.30, 123.70, -10.12], limit=100)
    assert boxed["numberMatched"] == 51
    filtered = client.collection_items("projects", filter="pagu > 1000000000",
                                       sortby=("pagu", "desc"), limit=100)
    budgets = [f["properties"]["pagu"] for f in filtered["features"]]
    assert budgets == sorted(budgets, reverse=True) and all(b > 1_000_000_000 for b in budgets)
    assert filtered["numberMatched"] == len(budgets)


def test_owslib_reads_a_single_feature_and_the_queryables(
    client: owslib_features.Features,
) -> None:
    first = client.collection_items("kecamatan", limit=1, sortby=("kode", "asc"))["features"][0]
    single = client.collection_item("kecamatan", str(first["id"]))
    assert single["properties"]["nama"] == "Alak"
    queryables = client.collection_queryables("projects")
    assert queryables["properties"]["pagu"]["type"] == "integer"
    assert "geometry" in queryables["properties"]


def test_owslib_reads_the_conformance_declaration(client: owslib_features.Features) -> None:
    conforms = client.conformance()["conformsTo"]
    assert "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/filter" in conforms
