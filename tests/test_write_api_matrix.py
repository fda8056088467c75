"""The authorization matrix of the write API, over real HTTP against gunicorn.

Personas: anonymous, an editor of agency A (DINKES), an editor of agency B
(PUPR), the walidata, an admin; each with an API token. Every cell asserts
the status code, what the database holds afterwards, and for every change
the history entry (who, origin "api", what changed). Reading a draft is in
``test_write_api_reads``; session writes and CSRF at the end of this module.
"""

from __future__ import annotations

import pytest

from tests.write_api_support import (
    AGENCY_A,
    AGENCY_B,
    Api,
    committed_facility,
    facility_row,
    history_rows,
    items_path,
    point_feature,
)

ANY = {"If-Match": "*"}


def _latest(conn, fid: int) -> dict:
    return history_rows(conn, fid)[-1]


@pytest.mark.parametrize(("who", "status", "agency"), [
    ("anonim", 401, None), ("editor-a", 201, AGENCY_A), ("editor-b", 201, AGENCY_B),
    ("walidata", 201, AGENCY_A), ("admin", 201, AGENCY_A),
])
def test_creating_a_facility_takes_a_write_role_and_lands_as_a_draft(
        write_api: Api, committed, who: str, status: int, agency: str | None) -> None:
    # Editors give no agency (theirs is taken); the stewards give agency A's code.
    extra = {} if who.startswith("editor") else {"kode_opd": AGENCY_A}
    response = write_api.call(who, "POST", items_path(),
                        json=point_feature(f"Puskesmas Baru {who}", **extra))
    assert response.status_code == status, response.text
    count = committed.execute("SELECT count(*) FROM layers_facility WHERE name = %s",
                              [f"Puskesmas Baru {who}"]).fetchone()[0]
    if status == 401:
        assert response.headers["WWW-Authenticate"] == 'Bearer realm="taksi"'
        assert count == 0
        return
    fid = int(response.headers["Location"].rsplit("/items/", 1)[1])
    assert response.json()["id"] == fid
    assert facility_row(committed, fid) | {"lon": None, "lat": None} == {
        "name": f"Puskesmas Baru {who}", "category": "puskesmas", "address": "",
        "state": "draft", "agency": agency, "lon": None, "lat": None}
    [created] = history_rows(committed, fid)
    assert (created["type"], created["user"], created["origin"], created["state"]) == (
        "+", f"api-{who}", "api", "draft")


def test_an_editor_cannot_create_for_another_agency(write_api: Api, committed) -> None:
    response = write_api.call("editor-a", "POST", items_path(),
                        json=point_feature("Puskesmas Milik PUPR", kode_opd=AGENCY_B))
    assert response.status_code == 403
    assert "own agency" in response.json()["description"]
    assert committed.execute("SELECT count(*) FROM layers_facility WHERE name = %s",
                             ["Puskesmas Milik PUPR"]).fetchone()[0] == 0


def test_a_signed_in_user_without_a_role_cannot_write(write_api: Api, committed) -> None:
    response = write_api.call("staf", "POST", items_path(), json=point_feature("Puskesmas Staf"))
    assert response.status_code == 403
    assert "Role 'staff' may not change data" in response.json()["description"]


@pytest.mark.parametrize(("who", "owner", "status"), [
    ("anonim", AGENCY_A, 401), ("editor-a", AGENCY_A, 200), ("editor-b", AGENCY_B, 200),
    ("walidata", AGENCY_A, 200), ("admin", AGENCY_B, 200),
])
def test_editing_a_draft_of_ones_own_agency(write_api: Api, committed, who: str, owner: str,
                                            status: int) -> None:
    # Made through the API (by the admin), so its history starts with "created".
    fid = write_api.call("admin", "POST", items_path(), json=point_feature(
        f"Draf {owner}", kode_opd=owner, alamat="Jl. Uji")).json()["id"]
    response = write_api.call(who, "PATCH", items_path(fid=fid), headers=ANY,
                              json={"properties": {"alamat": "Jl. Diubah"}})
    assert response.status_code == status, response.text
    row = facility_row(committed, fid)
    if status != 200:
        assert row["address"] == "Jl. Uji"
        assert [e["type"] for e in history_rows(committed, fid)] == ["+"]
        return
    assert (row["address"], row["state"], row["agency"]) == ("Jl. Diubah", "draft", owner)
    assert response.json()["properties"]["alamat"] == "Jl. Diubah"
    entry, created = write_api.get(who, f"{items_path(fid=fid)}/history").json()["versions"]
    assert (created["type"], created["user"]) == ("created", "api-admin")
    assert (entry["user"], entry["origin"], entry["type"]) == (f"api-{who}", "api", "changed")
    assert entry["changes"] == [{"field": "address", "old": "Jl. Uji", "new": "Jl. Diubah",
                                 "property": "alamat"}]


@pytest.mark.parametrize(("who", "owner", "state", "status", "reason"), [
    ("anonim", AGENCY_B, "published", 401, "Sign in"),
    ("editor-a", AGENCY_B, "published", 403, "another agency"),
    ("editor-b", AGENCY_A, "published", 403, "another agency"),
    # Another agency's draft is not even visible to an editor: the same 404 as no row.
    ("editor-b", AGENCY_A, "draft", 404, "not found"),
    ("editor-a", AGENCY_A, "published", 403, "editors change only draft, unpublished rows"),
    ("walidata", AGENCY_B, "published", 200, None),
    ("admin", AGENCY_A, "published", 200, None),
])
def test_editing_another_agencys_feature_or_a_published_one(
        write_api: Api, committed, who: str, owner: str, state: str, status: int,
        reason: str | None) -> None:
    fid = committed_facility(committed, f"Milik {owner}", state, owner)
    response = write_api.call(who, "PUT", items_path(fid=fid), headers=ANY,
                        json=point_feature("Diganti", kode_opd=owner))
    assert response.status_code == status, response.text
    row = facility_row(committed, fid)
    if reason:
        assert reason in response.json()["description"]
        assert row["name"] == f"Milik {owner}"
        assert history_rows(committed, fid) == []
    else:
        assert (row["name"], row["state"], row["agency"]) == ("Diganti", state, owner)
        entry = _latest(committed, fid)
        assert (entry["type"], entry["user"], entry["origin"]) == ("~", f"api-{who}", "api")


@pytest.mark.parametrize(("who", "status", "state"), [
    ("anonim", 401, "draft"), ("editor-a", 403, "draft"), ("editor-b", 404, "draft"),
    ("walidata", 200, "published"), ("admin", 200, "published"),
])
def test_only_the_stewards_publish(write_api: Api, committed, who: str, status: int,
                                   state: str) -> None:
    fid = committed_facility(committed, "Draf Untuk Terbit", "draft")
    response = write_api.call(who, "PATCH", items_path(fid=fid), headers=ANY,
                        json={"properties": {"state": "published"}})
    assert response.status_code == status, response.text
    assert facility_row(committed, fid)["state"] == state
    public = write_api.get("anonim", items_path(fid=fid))
    assert public.status_code == (200 if state == "published" else 404)
    if status == 200:
        assert response.headers["Taksi-State"] == "published"
        entry = _latest(committed, fid)
        assert (entry["user"], entry["origin"], entry["reason"]) == (
            f"api-{who}", "api", "draft → published")
    if status == 403:
        assert response.json()["code"] == "TransitionNotAllowed"
        assert "may not move state 'draft' to 'published'" in response.json()["description"]


def test_an_editor_submits_and_withdraws_their_draft_but_cannot_edit_it_while_submitted(
        write_api: Api, committed) -> None:
    fid = committed_facility(committed, "Draf Diajukan", "draft")
    submit = write_api.call("editor-a", "PATCH", items_path(fid=fid), headers=ANY,
                      json={"properties": {"state": "submitted"}})
    assert submit.status_code == 200 and facility_row(committed, fid)["state"] == "submitted"
    frozen = write_api.call("editor-a", "PATCH", items_path(fid=fid), headers=ANY,
                      json={"properties": {"alamat": "Jl. Terlambat"}})
    assert frozen.status_code == 403 and "is 'submitted'" in frozen.json()["description"]
    withdraw = write_api.call("editor-a", "PATCH", items_path(fid=fid), headers=ANY,
                        json={"properties": {"state": "draft"}})
    assert withdraw.status_code == 200
    assert facility_row(committed, fid) | {"lon": 0, "lat": 0} == {
        "name": "Draf Diajukan", "category": "puskesmas", "address": "Jl. Uji",
        "state": "draft", "agency": AGENCY_A, "lon": 0, "lat": 0}
    assert [e["reason"] for e in history_rows(committed, fid)] == [
        "draft → submitted", "submitted → draft"]


def test_a_refused_state_move_also_undoes_the_data_change_of_the_same_request(
        write_api: Api, committed) -> None:
    fid = committed_facility(committed, "Draf Atomik", "draft")
    response = write_api.call("editor-a", "PATCH", items_path(fid=fid), headers=ANY,
                        json={"properties": {"alamat": "Jl. Tidak Jadi", "state": "verified"}})
    assert response.status_code == 403
    assert facility_row(committed, fid)["address"] == "Jl. Uji"
    assert history_rows(committed, fid) == []


@pytest.mark.parametrize(("who", "state", "status"), [
    ("anonim", "draft", 401), ("editor-a", "draft", 204), ("editor-b", "draft", 404),
    ("editor-a", "published", 403), ("walidata", "published", 204), ("admin", "draft", 204),
])
def test_deleting(write_api: Api, committed, who: str, state: str, status: int) -> None:
    fid = committed_facility(committed, "Untuk Dihapus", state)
    response = write_api.call(who, "DELETE", items_path(fid=fid), headers=ANY)
    assert response.status_code == status, response.text
    if status != 204:
        assert facility_row(committed, fid) is not None
        return
    assert response.content == b""
    assert facility_row(committed, fid) is None
    assert write_api.get("walidata", items_path(fid=fid)).status_code == 404
    entry = _latest(committed, fid)
    assert (entry["type"], entry["user"], entry["origin"]) == ("-", f"api-{who}", "api")


@pytest.mark.parametrize(("who", "status"), [
    ("anonim", 401), ("editor-a", 200), ("editor-b", 404), ("walidata", 200), ("admin", 200),
])
def test_restoring_a_version(write_api: Api, committed, who: str, status: int) -> None:
    created = write_api.call("editor-a", "POST", items_path(), json=point_feature("Nama Pertama"))
    fid = created.json()["id"]
    renamed = write_api.call("editor-a", "PATCH", items_path(fid=fid), headers=ANY,
                       json={"properties": {"nama": "Nama Kedua"}})
    assert renamed.status_code == 200
    first = history_rows(committed, fid)[0]["version"]
    response = write_api.call(who, "POST", f"{items_path(fid=fid)}/history/{first}/restore",
                        headers=ANY)
    assert response.status_code == status, response.text
    row = facility_row(committed, fid)
    if status != 200:
        assert row["name"] == "Nama Kedua" and len(history_rows(committed, fid)) == 2
        return
    assert (row["name"], row["state"]) == ("Nama Pertama", "draft")
    assert response.json()["properties"]["nama"] == "Nama Pertama"
    entry = _latest(committed, fid)
    assert (entry["user"], entry["origin"], entry["reason"]) == (
        f"api-{who}", "api", f"pulihkan versi {first} / restored version {first}")


def test_a_session_write_needs_the_csrf_token_and_a_token_write_does_not(
        write_api: Api, committed) -> None:
    body = point_feature("Puskesmas Sesi")
    forged = write_api.call("editor-a", "POST", items_path(), json=body, via="session", csrf=False)
    assert forged.status_code == 403
    assert "CSRF" in forged.json()["description"]
    assert committed.execute("SELECT count(*) FROM layers_facility WHERE name = %s",
                             ["Puskesmas Sesi"]).fetchone()[0] == 0
    signed = write_api.call("editor-a", "POST", items_path(), json=body, via="session")
    assert signed.status_code == 201, signed.text
    by_token = write_api.call("editor-a", "POST", items_path(),
                              json=point_feature("Puskesmas Token"))
    assert by_token.status_code == 201
    users = {row["user"] for name in ("Puskesmas Sesi", "Puskesmas Token") for row in
             history_rows(committed, committed.execute(
                 "SELECT id FROM layers_facility WHERE name = %s", [name]).fetchone()[0])}
    assert users == {"api-editor-a"}
