"""Hostile and broken write requests: refused with a message naming the problem, or stored
as harmless text, and never a 500. Each test also checks that nothing else was stored."""

from __future__ import annotations

import json

import pytest

from tests.write_api_support import (
    SITE,
    Api,
    committed_facility,
    facility_row,
    items_path,
    point_feature,
)

GEOJSON = {"Content-Type": "application/geo+json"}
#: In the Sawu Sea, 5 km off the coast of Kota Kupang.
SEA = (123.50, -10.05)


def _count(committed) -> int:
    return committed.execute("SELECT count(*) FROM layers_facility").fetchone()[0]


def _post_raw(write_api: Api, data: bytes | str, headers: dict[str, str] | None = None):
    return write_api.call("editor-a", "POST", items_path(), data=data,
                          headers={**GEOJSON, **(headers or {})})


def test_a_body_over_the_limit_is_refused_with_413_naming_the_limit(write_api: Api,
                                                                     committed) -> None:
    from django.conf import settings

    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    before = _count(committed)
    padding = "x" * (limit + 10)
    # The server answers without reading the body and closes the connection:
    # ask for that, so the client does not reuse the closed connection.
    response = _post_raw(write_api, json.dumps(point_feature("Besar", alamat=padding)),
                         headers={"Connection": "close"})
    assert response.status_code == 413
    assert response.json()["code"] == "ContentTooLarge"
    assert f"{limit} bytes" in response.json()["description"]
    assert _count(committed) == before


def test_a_chunked_body_without_content_length_is_refused_with_411(write_api: Api,
                                                                  committed) -> None:
    """Never read without a bound: Django reads a body without Content-Length as empty."""
    before = _count(committed)
    chunks = (part.encode() for part in ('{"type": "Feature", "x": "', "x" * 100, '"}'))
    chunked = write_api.call("editor-a", "POST", items_path(), data=chunks,
                             headers={**GEOJSON, "Connection": "close"})
    assert chunked.status_code == 411
    assert "Content-Length" in chunked.json()["description"]
    assert _count(committed) == before


@pytest.mark.parametrize(("data", "content_type", "status", "says"), [
    ("nama=Puskesmas", "application/x-www-form-urlencoded", 415, "application/geo+json"),
    ("<Feature/>", "application/xml", 415, "application/json"),
    ("", "application/geo+json", 400, "empty"),
    ("{not json", "application/geo+json", 400, "not valid JSON"),
    ('{"type": "Feature", "geometry": NaN}', "application/json", 400, "NaN is not JSON"),
    ('{"type": "Feature", "properties": {"progres": 1e400}}', "application/json", 400,
     "out of range"),
    ('"\\ud800"', "application/json", 400, "not valid Unicode"),
    ("[" * 100_000 + "]" * 100_000, "application/json", 400, "nested"),
    (b"\xff\xfe{}", "application/json", 400, "not UTF-8"),
    ('{"type": "FeatureCollection", "features": []}', "application/json", 400,
     "one feature per request"),
    ('[{"type": "Feature"}]', "application/json", 400, "must be a GeoJSON Feature object"),
    ('{"type": "Feature", "properties": "nama", "geometry": null}', "application/json", 400,
     "properties must be an object"),
    ('{"type": "Feature", "properties": {}, "geometry": {"type": "Point", '
     '"coordinates": "123,-10"}}', "application/json", 400, "does not fit the layout of a Point"),
])
def test_what_is_not_a_geojson_feature_is_refused_before_any_database_work(
        write_api: Api, committed, data, content_type: str, status: int, says: str) -> None:
    before = _count(committed)
    response = _post_raw(write_api, data, {"Content-Type": content_type})
    assert response.status_code == status, response.text
    assert says in response.json()["description"]
    assert _count(committed) == before


@pytest.mark.parametrize(("feature", "prop", "code"), [
    ({"type": "Feature", "geometry": {"type": "LineString",
                                      "coordinates": [[123.58, -10.16], [123.59, -10.17]]},
      "properties": {"nama": "Garis", "kategori": "klinik"}}, "geometry", "wrong_geometry_type"),
    (point_feature("Di Laut", point=SEA), "geometry", "outside_city"),
    (point_feature("Tertukar", point=(SITE[1], SITE[0])), "geometry", "swapped"),
    (point_feature("Bukan Kategori", category="rumah_sakit' OR '1'='1"), "kategori",
     "unmatched_value"),
    (point_feature("OPD Injeksi", kode_opd="DINKES' OR 1=1 --"), "kode_opd", "unmatched_value"),
    (point_feature("Tanpa Kategori", category=""), "kategori", "invalid_value"),
    (point_feature("", category="klinik"), "nama", "invalid_value"),
    (point_feature("Huruf NUL\x00", category="klinik"), "nama", "invalid_value"),
    (point_feature("Objek", category={"$ne": 1}), "kategori", "invalid_value"),
    (point_feature("Properti Asing", kolom_baru="x"), "kolom_baru", "unknown_property"),
    (point_feature("Status Aneh", state="deleted"), "state", "unknown_state"),
    (point_feature("Nama Terlalu Panjang " + "x" * 300, category="klinik"), "nama",
     "invalid_value"),
    ({"type": "Feature", "geometry": None, "properties": {"nama": "Tanpa Lokasi",
                                                          "kategori": "klinik"}},
     "geometry", "missing_geometry"),
    ({"type": "Feature", "geometry": {"type": "Point", "coordinates": []},
      "properties": {"nama": "Kosong", "kategori": "klinik"}}, "geometry", "empty_geometry"),
])
def test_a_feature_that_breaks_the_import_rules_is_refused_with_422_naming_the_property(
        write_api: Api, committed, feature: dict, prop: str, code: str) -> None:
    before = _count(committed)
    response = write_api.call("editor-a", "POST", items_path(), json=feature)
    assert response.status_code == 422, response.text
    body = response.json()
    assert body["code"] == "InvalidFeature"
    assert {"property": prop, "code": code} in [
        {"property": e["property"], "code": e["code"]} for e in body["errors"]]
    assert f"{prop}: " in body["description"]
    assert _count(committed) == before


def test_every_problem_of_a_feature_is_listed_at_once(write_api: Api, committed) -> None:
    feature = point_feature("Banyak Salah", category="bioskop", point=SEA, kode_opd="XYZ")
    response = write_api.call("editor-a", "POST", items_path(), json=feature)
    assert response.status_code == 422
    assert sorted(e["property"] for e in response.json()["errors"]) == [
        "geometry", "kategori", "kode_opd"]


def test_script_and_sql_in_a_name_are_stored_as_text_and_escaped_where_shown(
        write_api: Api, committed) -> None:
    name = "<script>alert('x')</script>'); DROP TABLE layers_facility; --"
    created = write_api.call("editor-a", "POST", items_path(), json=point_feature(name))
    assert created.status_code == 201
    fid = created.json()["id"]
    assert facility_row(committed, fid)["name"] == name
    assert write_api.get("editor-a", items_path(fid=fid)).json()["properties"]["nama"] == name
    page = write_api.get("editor-a", items_path(fid=fid), params={"f": "html"})
    assert page.status_code == 200
    assert "<script>alert(" not in page.text
    assert "&lt;script&gt;alert(" in page.text
    assert _count(committed) >= 68  # the table is still there


def test_query_parameters_and_unknown_ids_on_writes_are_refused(write_api: Api,
                                                                committed) -> None:
    before = _count(committed)
    with_filter = write_api.call("editor-a", "POST", items_path(), json=point_feature("Filter"),
                                 params={"filter": "1=1; DELETE FROM layers_facility"})
    assert with_filter.status_code == 400 and "filter" in with_filter.json()["description"]
    for fid in ("abc", "1.5", "-1", "99999999999999999999", "1%27%20OR%201=1"):
        response = write_api.call("editor-a", "PATCH", f"{items_path()}/{fid}",
                                  headers={"If-Match": "*"}, json={"properties": {}})
        assert response.status_code == 404, (fid, response.text)
    assert write_api.call("editor-a", "DELETE", items_path(fid=2**40),
                          headers={"If-Match": "*"}).status_code == 404
    assert _count(committed) == before


def test_read_only_collections_and_methods_answer_405_with_allow(write_api: Api,
                                                                 committed) -> None:
    kelurahan = write_api.call("walidata", "POST", items_path("kelurahan"),
                               json=point_feature("Kelurahan Baru"))
    assert kelurahan.status_code == 405
    assert kelurahan.headers["Allow"] == "GET, HEAD, OPTIONS"
    fid = committed_facility(committed, "Puskesmas Metode", "draft")
    wrong = write_api.call("walidata", "POST", items_path(fid=fid), json={})
    assert wrong.status_code == 405
    assert wrong.headers["Allow"] == "GET, HEAD, OPTIONS, PUT, PATCH, DELETE"
    assert write_api.call("walidata", "PUT", items_path("tidak-ada", 1),
                          json={}).status_code == 404
