"""``/collections/{id}/items/{fid}/history`` and restoring a version, over real HTTP.

Every API change is one recorded version with who, when, origin "api", the
state and the changed fields; restores are versions too.
"""

from __future__ import annotations

import pytest

from tests.write_api_support import (
    AGENCY_A,
    Api,
    committed_facility,
    facility_row,
    history_rows,
    items_path,
    point_feature,
)

ANY = {"If-Match": "*"}


def _history(write_api: Api, who: str, fid: int, collection: str = "facilities"):
    return write_api.get(who, f"{items_path(collection, fid)}/history")


def test_every_api_change_is_a_version_with_who_origin_state_and_the_changed_fields(
        write_api: Api, committed) -> None:
    fid = write_api.call("editor-a", "POST", items_path(), json=point_feature(
        "Klinik Riwayat", category="klinik", alamat="Jl. Satu")).json()["id"]
    steps = [
        ("editor-a", {"properties": {"alamat": "Jl. Dua"}}),
        ("editor-a", {"geometry": {"type": "Point", "coordinates": [123.5900, -10.1700]}}),
        ("editor-a", {"properties": {"state": "submitted"}}),
        ("walidata", {"properties": {"state": "published"}}),
    ]
    for who, patch in steps:
        response = write_api.call(who, "PATCH", items_path(fid=fid), headers=ANY, json=patch)
        assert response.status_code == 200, response.text
    history = _history(write_api, "walidata", fid)
    assert history.status_code == 200
    assert history.headers["Content-Type"] == "application/json"
    assert history.headers["Cache-Control"] == "private, no-cache"
    body = history.json()
    assert (body["collection"], body["id"]) == ("facilities", fid)
    versions = body["versions"]
    assert [(v["type"], v["user"], v["origin"], v["state"]) for v in versions] == [
        ("changed", "api-walidata", "api", "published"),
        ("changed", "api-editor-a", "api", "submitted"),
        ("changed", "api-editor-a", "api", "draft"),
        ("changed", "api-editor-a", "api", "draft"),
        ("created", "api-editor-a", "api", "draft"),
    ]
    assert versions[0]["reason"] == "submitted → published"
    assert versions[0]["changes"] == [{"field": "state", "old": "submitted", "new": "published"}]
    assert versions[3]["changes"] == [
        {"field": "address", "old": "Jl. Satu", "new": "Jl. Dua", "property": "alamat"}]
    # The point moved; the kelurahan tags follow it where it crossed a boundary.
    moved = {c["field"]: c for c in versions[2]["changes"]}
    assert set(moved) <= {"geometry", "kelurahan_id", "kecamatan_id"}
    moved = moved["geometry"]
    assert moved["new"]["coordinates"] == [123.59, -10.17]
    assert moved["old"]["coordinates"] == pytest.approx([123.5858, -10.1681])
    created = {c["field"]: c["new"] for c in versions[4]["changes"]}
    assert (created["name"], created["category"], created["state"]) == (
        "Klinik Riwayat", "klinik", "draft")
    versions_in_db = [row["version"] for row in history_rows(committed, fid)]
    assert [v["version"] for v in versions] == versions_in_db[::-1]


@pytest.mark.parametrize(("who", "state", "status"), [
    ("anonim", "draft", 401), ("staf", "published", 403), ("editor-b", "draft", 404),
    ("editor-b", "published", 200), ("editor-a", "draft", 200), ("admin", "draft", 200),
])
def test_history_is_for_staff_who_may_read_the_feature(write_api: Api, committed, who: str,
                                                       state: str, status: int) -> None:
    fid = committed_facility(committed, "Puskesmas Riwayat", state)
    write_api.call("walidata", "PATCH", items_path(fid=fid), headers=ANY,
                   json={"properties": {"alamat": "Jl. Tercatat"}})
    response = _history(write_api, who, fid)
    assert response.status_code == status, response.text
    if status == 401:
        assert response.headers["WWW-Authenticate"] == 'Bearer realm="taksi"'
    if status == 200:
        # The row was written by SQL, so this change is its first recorded version.
        [entry] = response.json()["versions"]
        assert (entry["user"], entry["origin"]) == ("api-walidata", "api")
        assert {"field": "address", "old": None, "new": "Jl. Tercatat",
                "property": "alamat"} in entry["changes"]


@pytest.mark.parametrize("fid", ["999999999", "abc", "0"])
def test_an_unknown_feature_has_no_history(write_api: Api, fid: str) -> None:
    response = write_api.get("walidata", f"{items_path()}/{fid}/history")
    assert response.status_code == 404
    assert response.json()["code"] == "NotFound"


def test_a_kupang_row_shows_its_import_and_boundaries_have_a_history_too(
        write_api: Api) -> None:
    hospital = write_api.get("anonim", items_path(), params={"limit": 1}).json()["features"][0]
    [entry] = _history(write_api, "editor-b", hospital["id"]).json()["versions"]
    assert (entry["type"], entry["origin"], entry["user"]) == ("created", "import", None)
    assert _history(write_api, "editor-a", 1, "kelurahan").status_code == 200


def test_a_deleted_feature_keeps_its_history_and_comes_back_as_a_draft_with_its_id(
        write_api: Api, committed) -> None:
    fid = write_api.call("editor-a", "POST", items_path(),
                         json=point_feature("Puskesmas Terhapus")).json()["id"]
    first = history_rows(committed, fid)[0]["version"]
    assert write_api.call("editor-a", "DELETE", items_path(fid=fid),
                          headers=ANY).status_code == 204
    versions = _history(write_api, "editor-a", fid).json()["versions"]
    assert [v["type"] for v in versions] == ["deleted", "created"]
    # Another agency's editor may not bring it back (nor see that it existed).
    assert write_api.call("editor-b", "POST", f"{items_path(fid=fid)}/history/{first}/restore"
                          ).status_code == 404
    restored = write_api.call("editor-a", "POST", f"{items_path(fid=fid)}/history/{first}/restore")
    assert restored.status_code == 201, restored.text
    assert restored.headers["Location"].endswith(f"/items/{fid}")
    assert facility_row(committed, fid) | {"lon": 0, "lat": 0} == {
        "name": "Puskesmas Terhapus", "category": "puskesmas", "address": "", "state": "draft",
        "agency": AGENCY_A, "lon": 0, "lat": 0}
    assert [(r["type"], r["reason"]) for r in history_rows(committed, fid)][-1] == (
        "+", f"pulihkan versi {first} / restored version {first}")


def test_a_restore_is_locked_like_any_change_and_keeps_the_state(write_api: Api,
                                                                 committed) -> None:
    fid = write_api.call("walidata", "POST", items_path(), json=point_feature(
        "Nama Lama", kode_opd=AGENCY_A, state="published")).json()["id"]
    first = history_rows(committed, fid)[0]["version"]
    read = write_api.get("walidata", items_path(fid=fid)).headers["ETag"]
    write_api.call("walidata", "PATCH", items_path(fid=fid), headers=ANY,
                   json={"properties": {"nama": "Nama Baru"}})
    path = f"{items_path(fid=fid)}/history/{first}/restore"
    assert write_api.call("walidata", "POST", path).status_code == 428
    assert write_api.call("walidata", "POST", path, headers={"If-Match": read}).status_code == 412
    assert write_api.call("walidata", "POST", f"{items_path(fid=fid)}/history/1/restore",
                          headers=ANY).status_code == 404  # a version of another feature
    for version in ("abc", "99999999999999999999"):
        missing = write_api.call("walidata", "POST",
                                 f"{items_path(fid=fid)}/history/{version}/restore", headers=ANY)
        assert (missing.status_code, missing.json()["description"]) == (
            404, f"facilities/{fid}: versi '{version}' tidak ada. / "
                 f"facilities/{fid}: version '{version}' not found.")
    current = write_api.get("walidata", items_path(fid=fid)).headers["ETag"]
    restored = write_api.call("walidata", "POST", path, headers={"If-Match": current})
    assert restored.status_code == 200
    assert restored.headers["ETag"] != current
    # The first version was a draft; the restore brings back its data, not its state.
    assert (facility_row(committed, fid)["name"], facility_row(committed, fid)["state"]) == (
        "Nama Lama", "published")
    # An editor may not restore into a published row (only the stewards change those).
    assert write_api.call("editor-a", "POST", path, headers=ANY).status_code == 403


def test_a_restore_the_database_refuses_is_a_409_naming_the_constraint(write_api: Api,
                                                                       committed) -> None:
    fid = write_api.call("editor-a", "POST", items_path(),
                         json=point_feature("Puskesmas Kembar")).json()["id"]
    committed.execute("UPDATE layers_facility SET external_id = 'uji-kembar' WHERE id = %s",
                      [fid])
    assert write_api.call("editor-a", "DELETE", items_path(fid=fid),
                          headers=ANY).status_code == 204
    deleted = history_rows(committed, fid)[-1]["version"]
    # Meanwhile another row took the same source id.
    twin = committed_facility(committed, "Puskesmas Kembar Lain", "draft")
    committed.execute("UPDATE layers_facility SET external_id = 'uji-kembar' WHERE id = %s",
                      [twin])
    response = write_api.call("editor-a", "POST",
                              f"{items_path(fid=fid)}/history/{deleted}/restore")
    assert response.status_code == 409
    assert response.json()["description"].count("layers_facility_external_id_key") == 2
    assert "INSERT" not in response.text and "DETAIL" not in response.text
    assert facility_row(committed, fid) is None
