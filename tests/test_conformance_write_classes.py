"""Evidence for the OGC API Features Part 4 classes /ogc/conformance declares.

Kept apart from ``test_conformance_classes`` because writing needs committed
personas with API tokens (``tests.write_api_support``); that module's
exact-declaration test counts these classes too (``WRITE_EVIDENCE``). Each
check is the least a class needs to be claimed; the details are in the
``test_write_api_*`` modules.
"""

from __future__ import annotations

from collections.abc import Callable

import psycopg
import pytest

from tests.write_api_support import (
    Api,
    committed_facility,
    facility_row,
    items_path,
    point_feature,
)

PART4 = "http://www.opengis.net/spec/ogcapi-features-4/1.0/conf"
WriteCheck = Callable[[Api, psycopg.Connection], None]
WRITE_EVIDENCE: dict[str, WriteCheck] = {}
EPSG_32751 = "http://www.opengis.net/def/crs/EPSG/0/32751"


def evidence(uri: str) -> Callable[[WriteCheck], WriteCheck]:
    def register(check: WriteCheck) -> WriteCheck:
        WRITE_EVIDENCE[uri] = check
        return check
    return register


def _etag(api: Api, who: str, fid: int) -> str:
    response = api.get(who, items_path(fid=fid))
    assert response.status_code == 200, response.text
    return response.headers["ETag"]


@evidence(f"{PART4}/create-replace-delete")
def _create_replace_delete(api: Api, conn: psycopg.Connection) -> None:
    """/req/create-replace-delete: POST → 201 + Location; PUT replaces; DELETE → 204."""
    created = api.call("editor-a", "POST", items_path(),
                       json=point_feature("Klinik Bukti Bagian 4", "klinik"))
    assert created.status_code == 201, created.text
    fid = int(created.headers["Location"].rstrip("/").rsplit("/", 1)[-1])
    assert facility_row(conn, fid)["name"] == "Klinik Bukti Bagian 4"
    replaced = api.call("editor-a", "PUT", items_path(fid=fid),
                        headers={"If-Match": _etag(api, "editor-a", fid)},
                        json=point_feature("Klinik Diganti", "klinik"))
    assert replaced.status_code == 200, replaced.text
    assert facility_row(conn, fid)["name"] == "Klinik Diganti"
    deleted = api.call("editor-a", "DELETE", items_path(fid=fid),
                       headers={"If-Match": _etag(api, "editor-a", fid)})
    assert deleted.status_code == 204
    assert facility_row(conn, fid) is None
    assert api.get("editor-a", items_path(fid=fid)).status_code == 404


@evidence(f"{PART4}/update")
def _update(api: Api, conn: psycopg.Connection) -> None:
    """/req/update: PATCH changes what the body names and keeps the rest."""
    fid = committed_facility(conn, "Puskesmas Bukti Patch", "draft")
    response = api.call("editor-a", "PATCH", items_path(fid=fid),
                        headers={"If-Match": _etag(api, "editor-a", fid),
                                 "Content-Type": "application/merge-patch+json"},
                        data='{"properties": {"alamat": "Jl. Bukti 4"}}')
    assert response.status_code == 200, response.text
    row = facility_row(conn, fid)
    assert (row["name"], row["address"], row["category"]) == (
        "Puskesmas Bukti Patch", "Jl. Bukti 4", "puskesmas")


@evidence(f"{PART4}/optimistic-locking-etags")
def _optimistic_locking(api: Api, conn: psycopg.Connection) -> None:
    """/req/optimistic-locking-etags: a strong ETag on GET; a stale If-Match is a 412."""
    fid = committed_facility(conn, "Puskesmas Bukti Versi", "draft")
    before = _etag(api, "editor-a", fid)
    assert before.startswith('"')
    conn.execute("UPDATE layers_facility SET address = 'Jl. Lain' WHERE id = %s", [fid])
    stale = api.call("editor-a", "PATCH", items_path(fid=fid), headers={"If-Match": before},
                     json={"properties": {"alamat": "Jl. Basi"}})
    assert stale.status_code == 412
    assert facility_row(conn, fid)["address"] == "Jl. Lain"


@evidence(f"{PART4}/features")
def _features(api: Api, conn: psycopg.Connection) -> None:
    """/req/features: the bodies are GeoJSON Features, in CRS84 or the Content-Crs given."""
    body = point_feature("Klinik Bukti UTM", "klinik")
    body["geometry"]["coordinates"] = [564140.0, 8875690.0]  # EPSG:32751, central Kupang
    created = api.call("editor-a", "POST", items_path(), json=body,
                       headers={"Content-Crs": f"<{EPSG_32751}>",
                                "Content-Type": "application/geo+json"})
    assert created.status_code == 201, created.text
    assert created.headers["Content-Type"].startswith("application/geo+json")
    fid = int(created.headers["Location"].rstrip("/").rsplit("/", 1)[-1])
    row = facility_row(conn, fid)
    assert row["lon"] == pytest.approx(123.585541, abs=1e-6)  # pyproj: 123.5855410
    assert row["lat"] == pytest.approx(-10.170396, abs=1e-6)  # pyproj: -10.1703956


@pytest.mark.parametrize("conformance_class", sorted(WRITE_EVIDENCE),
                         ids=lambda uri: uri.removeprefix(f"{PART4}/"))
def test_each_declared_write_class_holds_for_the_requests_it_is_about(
        write_api: Api, committed: psycopg.Connection, conformance_class: str) -> None:
    WRITE_EVIDENCE[conformance_class](write_api, committed)
