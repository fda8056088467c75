"""The write API as clients see it: conformance, OpenAPI, and whole editing sessions
the way QGIS and OWSLib run them, plus Content-Crs and project sites (OPTIONS:
``test_write_api_options``)."""

from __future__ import annotations

import json

import jsonschema
import pytest
from pyproj import Transformer

from tests.write_api_support import (
    AGENCY_A,
    SITE,
    Api,
    facility_row,
    items_path,
    point_feature,
)

PART4 = "http://www.opengis.net/spec/ogcapi-features-4/1.0/conf/"
UTM = "http://www.opengis.net/def/crs/EPSG/0/32751"


@pytest.fixture(scope="module")
def oas(write_api: Api) -> dict:
    return write_api.get("anonim", "/ogc/openapi", params={"f": "json"}).json()


def test_part_4_is_declared_in_the_conformance_classes(write_api: Api) -> None:
    conforms = write_api.get("anonim", "/ogc/conformance", params={"f": "json"}).json()
    assert {f"{PART4}{c}" for c in ("create-replace-delete", "update",
                                    "optimistic-locking-etags", "features")} <= set(
        conforms["conformsTo"])


def test_openapi_offers_create_on_the_writable_collections_instead_of_a_cql2_post(
        oas: dict) -> None:
    paths = oas["paths"]
    for layer in ("facilities", "projects"):
        post = paths[f"/collections/{layer}/items"]["post"]
        assert post["operationId"] == f"create{layer.capitalize()}Feature"
        assert set(post["requestBody"]["content"]) == {"application/geo+json",
                                                       "application/json"}
        assert set(post["responses"]) >= {"201", "401", "403", "422"}
        assert post["responses"]["201"]["headers"].keys() == {"ETag", "Location"}
        item = paths[f"/collections/{layer}/items/{{featureId}}"]
        assert {"put", "patch", "delete"} <= set(item)
        assert "application/merge-patch+json" in item["patch"]["requestBody"]["content"]
        for method in ("put", "patch", "delete"):
            [if_match] = [p for p in item[method]["parameters"] if p["name"] == "If-Match"]
            assert if_match["required"] is True
            assert {"412", "428"} <= set(item[method]["responses"])
        assert "ETag" in item["get"]["responses"]["200"]["headers"]
        assert "get" in paths[f"/collections/{layer}/items/{{featureId}}/history"]
        assert "post" in paths[f"/collections/{layer}/items/{{featureId}}/history/{{version}}"
                               "/restore"]
    for read_only in ("kecamatan", "kelurahan", "catalog"):
        assert "post" not in paths[f"/collections/{read_only}/items"]
        assert "put" not in paths.get(f"/collections/{read_only}/items/{{featureId}}", {})
    assert set(oas["components"]["securitySchemes"]) == {"bearerToken", "sessionCookie"}
    assert post["security"] == [{"bearerToken": []}, {"sessionCookie": []}]


def test_the_documented_request_body_is_what_the_api_accepts(write_api: Api, oas: dict,
                                                            committed) -> None:
    schema = oas["paths"]["/collections/facilities/items"]["post"]["requestBody"][
        "content"]["application/geo+json"]["schema"]
    good = point_feature("Klinik Skema", category="klinik", kelurahan="dikirim balik")
    jsonschema.validate(good, schema)
    assert schema["properties"]["properties"]["properties"]["kelurahan"]["readOnly"] is True
    assert write_api.call("editor-a", "POST", items_path(), json=good).status_code == 201
    for bad in (point_feature("Kolom Asing", kolom_baru=1),
                {**good, "geometry": {"type": "LineString", "coordinates": [[1, 2], [3, 4]]}}):
        with pytest.raises(jsonschema.ValidationError):
            jsonschema.validate(bad, schema)
        assert write_api.call("editor-a", "POST", items_path(), json=bad).status_code == 422


def test_a_qgis_editing_session_with_a_token_and_if_match_star(write_api: Api,
                                                               committed) -> None:
    """What QGIS's OAPIF provider sends, with an "API Header" authentication holding
    Authorization and If-Match: * (QGIS sends no ETags): every request carries both."""
    headers = {"If-Match": "*", "Accept": "application/geo+json"}
    call = write_api.call
    assert "POST" in call("editor-a", "OPTIONS", items_path(), headers=headers).headers["Allow"]
    page = call("editor-a", "GET", items_path(), headers=headers, params={"limit": 10})
    # A published row is frozen for an editor: QGIS offers no editing of it.
    first = page.json()["features"][0]["id"]
    allow = call("editor-a", "OPTIONS", items_path(fid=first), headers=headers).headers["Allow"]
    assert allow == "GET, HEAD, OPTIONS"
    # Add a feature: its JSON without id and bbox; the id is read back from Location.
    feature = point_feature("Klinik dari QGIS", category="klinik", alamat=None)
    created = call("editor-a", "POST", items_path(), data=json.dumps(feature),
                   headers={**headers, "Content-Type": "application/geo+json"})
    assert created.status_code == 201, created.text
    fid = int(created.headers["Location"].rpartition("/items/")[2])
    allow = call("editor-a", "OPTIONS", items_path(fid=fid), headers=headers).headers["Allow"]
    assert {"PUT", "PATCH", "DELETE"} <= {m.strip() for m in allow.split(",")}
    merge = {**headers, "Content-Type": "application/merge-patch+json"}
    attributes = call("editor-a", "PATCH", items_path(fid=fid), headers=merge,
                      data=json.dumps({"properties": {"alamat": "Jl. QGIS"}}))
    assert attributes.status_code == 200, attributes.text
    geometry = call("editor-a", "PATCH", items_path(fid=fid), headers=merge, data=json.dumps(
        {"geometry": {"type": "Point", "coordinates": [123.5901, -10.1702]}}))
    assert geometry.status_code == 200, geometry.text
    row = facility_row(committed, fid)
    assert (row["name"], row["address"], row["state"], row["agency"]) == (
        "Klinik dari QGIS", "Jl. QGIS", "draft", AGENCY_A)
    assert (row["lon"], row["lat"]) == pytest.approx((123.5901, -10.1702))
    assert call("editor-a", "DELETE", items_path(fid=fid), headers=headers).status_code == 204
    assert facility_row(committed, fid) is None


def test_owslib_creates_replaces_and_deletes_with_a_token(write_api: Api, committed) -> None:
    features = pytest.importorskip("owslib.ogcapi.features")
    token = write_api.personas["walidata"].token
    client = features.Features(f"{write_api.server_url}/ogc/",
                               headers={"Authorization": f"Bearer {token}", "If-Match": "*"})
    body = point_feature("Klinik OWSLib", category="klinik", kode_opd=AGENCY_A)
    assert client.collection_item_create("facilities", body) is True
    [found] = client.collection_items("facilities", nama="Klinik OWSLib")["features"]
    body["properties"]["alamat"] = "Jl. OWSLib"
    assert client.collection_item_update("facilities", str(found["id"]), json.dumps(body))
    assert facility_row(committed, found["id"])["address"] == "Jl. OWSLib"
    assert client.collection_item_delete("facilities", str(found["id"]))
    assert facility_row(committed, found["id"]) is None


@pytest.mark.parametrize("crs", [UTM, f"<{UTM}>", "http://www.opengis.net/def/crs/EPSG/0/4326"])
def test_a_geometry_in_another_crs_says_so_in_content_crs(write_api: Api, committed,
                                                          crs: str) -> None:
    if "32751" in crs:
        x, y = Transformer.from_crs(4326, 32751, always_xy=True).transform(*SITE)
    else:
        x, y = SITE[1], SITE[0]  # EPSG:4326 is latitude first
    feature = point_feature("Klinik Proyeksi", category="klinik", point=(x, y))
    created = write_api.call("editor-a", "POST", items_path(), json=feature,
                             headers={"Content-Crs": crs})
    assert created.status_code == 201, created.text
    row = facility_row(committed, created.json()["id"])
    assert (row["lon"], row["lat"]) == pytest.approx(SITE, abs=1e-7)


def test_an_unknown_content_crs_is_a_400_naming_the_header(write_api: Api, committed) -> None:
    response = write_api.call("editor-a", "POST", items_path(), json=point_feature("CRS"),
                              headers={"Content-Crs": "EPSG:9999"})
    assert response.status_code == 400
    assert "Content-Crs" in response.json()["description"]


def test_a_project_site_is_written_through_the_same_rules(write_api: Api, committed) -> None:
    polygon = {"type": "Polygon", "coordinates": [[
        [123.585, -10.168], [123.586, -10.168], [123.586, -10.169], [123.585, -10.168]]]}
    missing = write_api.call("editor-b", "POST", items_path("projects"), json={
        "type": "Feature", "geometry": polygon, "properties": {"nama": "Taman Baru"}})
    assert missing.status_code == 422
    assert {"tahun_anggaran", "sumber_dana", "pagu", "status"} <= {
        e["property"] for e in missing.json()["errors"]}
    created = write_api.call("editor-b", "POST", items_path("projects"), json={
        "type": "Feature", "geometry": polygon, "properties": {
            "nama": "Taman Baru", "tahun_anggaran": 2026, "sumber_dana": "apbd",
            "pagu": "1.500.000.000", "progres": "12,5", "status": "Pelaksanaan",
            "mulai": "01/03/2026", "selesai": "2026-12-31"}})
    assert created.status_code == 201, created.text
    properties = created.json()["properties"]
    assert (properties["kode_opd"], properties["pagu"], properties["progres"],
            properties["status"], properties["mulai"]) == (
        "PUPR", 1_500_000_000, 12.5, "implementation", "2026-03-01")
    assert created.headers["Taksi-State"] == "draft"
    backwards = write_api.call("editor-b", "PATCH", f"{created.headers['Location']}",
                               headers={"If-Match": "*"},
                               json={"properties": {"selesai": "2025-01-01"}})
    assert backwards.status_code == 422  # the model's check constraint: end after start
    assert [e["property"] for e in backwards.json()["errors"]] == ["selesai, mulai"]
