"""Only published rows reach the public: the registry hook, and the OGC API over HTTP.

The HTTP tests need a draft that the gunicorn process can see, so it is
written and committed on a connection of its own (outside the test's
rolled-back transaction) and deleted again afterwards, leaving the shared
Kupang data as it was.
"""

from __future__ import annotations

from collections.abc import Iterator

import psycopg
import pytest
import requests
from django.db import connection

from layers.registry import get_layer

FACILITIES = get_layer("facilities")


def test_the_public_queryset_holds_the_published_rows_and_whole_boundaries(
        draft_of_a) -> None:
    assert FACILITIES.public_queryset().count() == 67
    assert not FACILITIES.public_queryset().filter(pk=draft_of_a.pk).exists()
    assert get_layer("projects").public_queryset().count() == 40
    assert get_layer("kelurahan").public_queryset().count() == 51
    assert get_layer("kelurahan").public_sql_predicate == "TRUE"


def test_the_sql_predicate_selects_what_the_public_queryset_does(draft_of_a) -> None:
    predicate = FACILITIES.public_sql_predicate
    assert predicate == "state = 'published'"
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM layers_facility WHERE {predicate}")
        assert cursor.fetchone()[0] == 67
        cursor.execute("SELECT count(*) FROM layers_facility")
        assert cursor.fetchone()[0] == 68
        qualified = FACILITIES.public_sql_predicate_on("t")
        cursor.execute("SELECT count(*) FROM layers_facility t JOIN layers_agency a"
                       f" ON a.id = t.agency_id WHERE {qualified} AND a.kode = 'DINKES'")
        assert cursor.fetchone()[0] == 12
    with pytest.raises(ValueError, match="not an SQL alias"):
        FACILITIES.public_sql_predicate_on("t; DROP TABLE x")


@pytest.mark.parametrize(("who", "count", "sees_draft"), [
    ("anonim", 67, False), ("editor-dinkes", 68, True), ("editor-pupr", 67, False),
    ("walidata-kominfo", 68, True), ("admin-taksi", 68, True),
])
def test_the_visible_queryset_adds_drafts_for_their_agency_and_the_stewards(
        personas, draft_of_a, who, count, sees_draft) -> None:
    from django.contrib.auth.models import AnonymousUser

    user = personas[who].user or AnonymousUser()
    visible = FACILITIES.visible_queryset(user)
    assert visible.count() == count
    assert visible.filter(pk=draft_of_a.pk).exists() is sees_draft
    assert get_layer("kecamatan").visible_queryset(user).count() == 6


def _conninfo() -> str:
    s = connection.settings_dict
    return psycopg.conninfo.make_conninfo(
        dbname=s["NAME"], user=s["USER"], password=s["PASSWORD"],
        host=s["HOST"] or "127.0.0.1", port=s["PORT"] or 5432)


@pytest.fixture
def committed_draft(server_url: str) -> Iterator[tuple[int, psycopg.Connection]]:
    """A draft puskesmas, committed so that the server sees it; removed afterwards."""
    with psycopg.connect(_conninfo(), autocommit=True) as conn:
        fid = conn.execute(
            "INSERT INTO layers_facility (name, category, address, source, state, geometry)"
            " VALUES ('Puskesmas Rahasia', 'puskesmas', '', 'uji', 'draft',"
            " ST_SetSRID(ST_MakePoint(123.5858, -10.1681), 4326)) RETURNING id"
        ).fetchone()[0]
        try:
            yield fid, conn
        finally:
            conn.execute("DELETE FROM layers_facility WHERE id = %s", [fid])


def test_anonymous_ogc_reads_do_not_show_a_draft(
        http: requests.Session, server_url: str, committed_draft) -> None:
    fid, conn = committed_draft
    items = f"{server_url}/ogc/collections/facilities/items"
    page = http.get(items, params={"f": "json", "limit": 1000}).json()
    assert page["numberMatched"] == 67
    assert fid not in {feature["id"] for feature in page["features"]}
    assert http.get(f"{items}/{fid}", params={"f": "json"}).status_code == 404
    hits = http.get(items, params={"f": "json", "kategori": "puskesmas"}).json()
    assert hits["numberMatched"] == 0
    # The same row, once published, is there: the test sees what the server sees.
    conn.execute("UPDATE layers_facility SET state = 'published' WHERE id = %s", [fid])
    assert http.get(items, params={"f": "json", "resulttype": "hits"}).json()[
        "numberMatched"] == 68
    single = http.get(f"{items}/{fid}", params={"f": "json"})
    assert single.status_code == 200
    assert single.json()["properties"]["nama"] == "Puskesmas Rahasia"


def _public_views_of_the_draft(http: requests.Session, server_url: str, fid: int) -> dict:
    """What the anonymous public gets from every read path but items, for the draft."""
    import mapbox_vector_tile
    import morecantile

    tile = morecantile.tms.get("WebMercatorQuad").tile(123.5858, -10.1681, 14)
    mvt = http.get(f"{server_url}/ogc/collections/facilities/tiles/WebMercatorQuad/"
                   f"{tile.z}/{tile.y}/{tile.x}", params={"f": "mvt"})
    decoded = mapbox_vector_tile.decode(mvt.content) if mvt.status_code == 200 else {}
    tile_ids = {f["id"] for f in decoded.get("facilities", {}).get("features", [])}
    download = http.get(f"{server_url}/download/facilities.geojson",
                        params={"kategori": "puskesmas"}).json()
    nearest = http.post(f"{server_url}/ogc/processes/nearest-facilities/execution", json={
        "inputs": {"lon": 123.5858, "lat": -10.1681, "category": "puskesmas", "n": 1}}).json()
    return {
        "in_tile": fid in tile_ids,
        "downloaded": len(download["features"]),
        "nearest": [f["id"] for f in nearest["facilities"]],
    }


def test_a_draft_stays_out_of_tiles_downloads_and_processes_until_published(
        http: requests.Session, server_url: str, committed_draft) -> None:
    fid, conn = committed_draft
    assert _public_views_of_the_draft(http, server_url, fid) == {
        "in_tile": False, "downloaded": 0, "nearest": []}
    conn.execute("UPDATE layers_facility SET state = 'published' WHERE id = %s", [fid])
    assert _public_views_of_the_draft(http, server_url, fid) == {
        "in_tile": True, "downloaded": 1, "nearest": [fid]}


@pytest.mark.django_db
def test_a_draft_project_has_no_public_page_and_is_not_on_the_dashboard(client) -> None:
    from layers.models import ProjectSite

    project = ProjectSite.objects.order_by("id").first()
    assert client.get(f"/proyek/{project.pk}/").status_code == 200
    before = client.get("/dasbor/data.json").json()["totals"]
    ProjectSite.objects.filter(pk=project.pk).update(state="draft")
    assert client.get(f"/proyek/{project.pk}/").status_code == 404
    after = client.get("/dasbor/data.json").json()["totals"]
    assert after["jumlah_proyek"] == before["jumlah_proyek"] - 1 == 39
    assert after["pagu"] == before["pagu"] - project.budget
