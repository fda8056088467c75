"""Optimistic locking (OGC API Features Part 4, ETags): every item GET names its version,
a change must say which version it edits (428 without, 412 for a stale one)."""

from __future__ import annotations

import pytest

from tests.write_api_support import Api, committed_facility, facility_row, items_path

EPSG_32751 = "http://www.opengis.net/def/crs/EPSG/0/32751"


def _tag(write_api: Api, who: str, fid: int, **kwargs) -> str:
    response = write_api.get(who, items_path(fid=fid), **kwargs)
    assert response.status_code == 200, response.text
    return response.headers["ETag"]


def test_every_item_get_has_a_strong_etag_that_changes_when_the_row_changes(
        write_api: Api, committed) -> None:
    fid = committed_facility(committed, "Puskesmas Versi", "published")
    first = _tag(write_api, "anonim", fid)
    assert first.startswith('"') and first.endswith('"')  # strong: no W/ even gzipped
    assert write_api.get("anonim", items_path(fid=fid)).headers["Content-Encoding"] == "gzip"
    assert _tag(write_api, "anonim", fid) == first
    # Whatever writes the row (here plain SQL), the tag follows.
    committed.execute("UPDATE layers_facility SET address = 'Jl. Lain' WHERE id = %s", [fid])
    second = _tag(write_api, "anonim", fid)
    assert second != first
    committed.execute("UPDATE layers_facility SET state = 'unpublished' WHERE id = %s", [fid])
    assert _tag(write_api, "walidata", fid) not in (first, second)
    # A boundary has ETags too (every single-item GET).
    kelurahan = write_api.get("anonim", items_path("kelurahan", 1))
    assert kelurahan.headers["ETag"].startswith('"')


def test_each_representation_has_its_own_tag_and_any_of_them_may_be_sent_back(
        write_api: Api, committed) -> None:
    fid = committed_facility(committed, "Puskesmas Varian", "draft")
    tags = {_tag(write_api, "editor-a", fid),
            _tag(write_api, "editor-a", fid, params={"crs": EPSG_32751}),
            _tag(write_api, "editor-a", fid, params={"f": "html"}),
            _tag(write_api, "editor-a", fid, headers={"Accept-Encoding": "identity"})}
    assert len(tags) == 4
    utm = _tag(write_api, "editor-a", fid, params={"crs": EPSG_32751})
    response = write_api.call("editor-a", "PATCH", items_path(fid=fid),
                              headers={"If-Match": utm}, json={"properties": {"alamat": "Jl. UTM"}})
    assert response.status_code == 200
    assert facility_row(committed, fid)["address"] == "Jl. UTM"


@pytest.mark.parametrize("method", ["PUT", "PATCH", "DELETE"])
def test_a_change_without_if_match_is_refused_with_428(write_api: Api, committed,
                                                       method: str) -> None:
    fid = committed_facility(committed, "Puskesmas Tanpa Versi", "draft")
    body = None if method == "DELETE" else {
        "type": "Feature", "geometry": {"type": "Point", "coordinates": [123.5858, -10.1681]},
        "properties": {"nama": "Diganti", "kategori": "klinik"}}
    response = write_api.call("editor-a", method, items_path(fid=fid), json=body)
    assert response.status_code == 428
    assert response.json()["code"] == "PreconditionRequired"
    assert "If-Match" in response.json()["description"]
    assert facility_row(committed, fid)["name"] == "Puskesmas Tanpa Versi"


def test_the_second_of_two_editors_working_from_the_same_version_gets_412(
        write_api: Api, committed) -> None:
    fid = committed_facility(committed, "Puskesmas Rebutan", "draft")
    read_by_editor = _tag(write_api, "editor-a", fid)
    read_by_walidata = _tag(write_api, "walidata", fid)
    assert read_by_editor == read_by_walidata
    first = write_api.call("editor-a", "PATCH", items_path(fid=fid),
                           headers={"If-Match": read_by_editor},
                           json={"properties": {"alamat": "Jl. Editor"}})
    assert first.status_code == 200
    assert first.headers["ETag"] == _tag(write_api, "editor-a", fid)  # the new version
    stale = write_api.call("walidata", "PATCH", items_path(fid=fid),
                           headers={"If-Match": read_by_walidata},
                           json={"properties": {"alamat": "Jl. Walidata"}})
    assert stale.status_code == 412
    assert stale.json()["code"] == "PreconditionFailed"
    assert facility_row(committed, fid)["address"] == "Jl. Editor"
    # Read again, retry: it goes through.
    retry = write_api.call("walidata", "PATCH", items_path(fid=fid),
                           headers={"If-Match": _tag(write_api, "walidata", fid)},
                           json={"properties": {"alamat": "Jl. Walidata"}})
    assert retry.status_code == 200
    assert facility_row(committed, fid)["address"] == "Jl. Walidata"


@pytest.mark.parametrize(("if_match", "status"), [
    ("*", 204), ('W/"{version}"', 412), ('"00000000000000000000000000000000-abcdef12"', 412),
    ("tidak-ada-tanda-kutip", 412), ('"{version}", "lain"', 204),
])
def test_if_match_is_compared_strongly_and_star_means_any_version(
        write_api: Api, committed, if_match: str, status: int) -> None:
    fid = committed_facility(committed, "Puskesmas Bintang", "draft")
    version = _tag(write_api, "editor-a", fid).strip('"')
    response = write_api.call("editor-a", "DELETE", items_path(fid=fid),
                              headers={"If-Match": if_match.format(version=version)})
    assert response.status_code == status, response.text
    assert (facility_row(committed, fid) is None) is (status == 204)


def test_a_current_if_none_match_is_answered_304_without_a_body(write_api: Api,
                                                                committed) -> None:
    fid = committed_facility(committed, "Puskesmas Tetap", "published")
    tag = _tag(write_api, "anonim", fid)
    again = write_api.get("anonim", items_path(fid=fid), headers={"If-None-Match": tag})
    assert again.status_code == 304 and again.content == b"" and again.headers["ETag"] == tag
    # A draft's tag tells the public nothing: the draft stays a 404 for them.
    draft = committed_facility(committed, "Puskesmas Draf Rahasia", "draft")
    staff_tag = _tag(write_api, "editor-a", draft)
    assert write_api.get("anonim", items_path(fid=draft),
                         headers={"If-None-Match": staff_tag}).status_code == 404
