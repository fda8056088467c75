"""``OPTIONS`` says what this user may do to this row (QGIS makes a layer editable from it).

Every persona × rows of agency A (DINKES) and agency B (PUPR) in the states
that decide: a draft (editable, deletable by its agency), a submitted row
(frozen for the editor, who may still withdraw it: a state-only PATCH) and a
published row (frozen; only the walidata moves it). A row the user may not
read answers like a row that does not exist. Every ``Allow`` is checked
against what the write itself answers, so the header never offers a 403.
"""

from __future__ import annotations

import pytest

from tests.write_api_support import AGENCY_A, AGENCY_B, Api, committed_facility, items_path

READ = "GET, HEAD, OPTIONS"
ALL = f"{READ}, PUT, PATCH, DELETE"
#: Row → agency and state.
ROWS = {
    "draft-a": (AGENCY_A, "draft"), "submitted-a": (AGENCY_A, "submitted"),
    "published-a": (AGENCY_A, "published"),
    "draft-b": (AGENCY_B, "draft"), "submitted-b": (AGENCY_B, "submitted"),
    "published-b": (AGENCY_B, "published"),
}
_EDITOR_OF_A = {"draft-a": ALL, "submitted-a": f"{READ}, PATCH", "published-a": READ,
                "draft-b": READ, "submitted-b": READ, "published-b": READ}
_EDITOR_OF_B = {"draft-b": ALL, "submitted-b": f"{READ}, PATCH", "published-b": READ,
                "draft-a": READ, "submitted-a": READ, "published-a": READ}
#: persona → (Allow on the items, Allow on each row).
EXPECTED = {
    "anonim": (READ, dict.fromkeys(ROWS, READ)),
    "staf": (READ, dict.fromkeys(ROWS, READ)),
    "editor-a": (f"{READ}, POST", _EDITOR_OF_A),
    "editor-b": (f"{READ}, POST", _EDITOR_OF_B),
    "walidata": (f"{READ}, POST", dict.fromkeys(ROWS, ALL)),
    "admin": (f"{READ}, POST", dict.fromkeys(ROWS, ALL)),
}


@pytest.fixture
def rows(committed) -> dict[str, int]:
    return {name: committed_facility(committed, f"Puskesmas {name}", state, agency)
            for name, (agency, state) in ROWS.items()}


@pytest.mark.parametrize("who", list(EXPECTED))
def test_options_offers_each_user_only_the_methods_they_may_use_on_that_row(
        write_api: Api, rows: dict[str, int], who: str) -> None:
    items_allow, row_allow = EXPECTED[who]
    answers = {name: write_api.call(who, "OPTIONS", items_path(fid=fid))
               for name, fid in rows.items()}
    assert {name: r.status_code for name, r in answers.items()} == dict.fromkeys(ROWS, 200)
    assert {name: r.headers["Allow"] for name, r in answers.items()} == row_allow
    assert write_api.call(who, "OPTIONS", items_path()).headers["Allow"] == items_allow
    # A row that does not exist, and a read-only collection: reads only.
    assert write_api.call(who, "OPTIONS", items_path(fid=2**40)).headers["Allow"] == READ
    assert write_api.call(who, "OPTIONS", items_path("kelurahan")).headers["Allow"] == READ


@pytest.mark.parametrize("who", ["editor-a", "editor-b", "walidata"])
def test_what_options_offers_on_a_row_is_what_the_write_allows(
        write_api: Api, rows: dict[str, int], who: str) -> None:
    """PUT and DELETE refused with 403/404 exactly where ``Allow`` leaves them out
    (PATCH with data too; the offered PATCH of a submitted row is its withdrawal)."""
    _items, row_allow = EXPECTED[who]
    headers = {"If-Match": "*"}
    for name, fid in rows.items():
        offered = set(row_allow[name].split(", "))
        replace = write_api.call(who, "PUT", items_path(fid=fid), headers=headers, json={
            "type": "Feature", "geometry": {"type": "Point", "coordinates": [123.5858, -10.1681]},
            "properties": {"nama": f"Ganti {name}", "kategori": "puskesmas"}})
        assert (replace.status_code == 200) is ("PUT" in offered), (name, replace.text)
        if "PATCH" in offered and "PUT" not in offered:
            withdraw = write_api.call(who, "PATCH", items_path(fid=fid), headers=headers,
                                      json={"properties": {"state": "draft"}})
            assert withdraw.status_code == 200, (name, withdraw.text)
            continue
        delete = write_api.call(who, "DELETE", items_path(fid=fid), headers=headers)
        assert (delete.status_code == 204) is ("DELETE" in offered), (name, delete.text)
        if "DELETE" not in offered:
            assert delete.status_code in (403, 404), (name, delete.text)
