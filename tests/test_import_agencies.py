"""An editor's admin import writes only what the admin form would let them write (issue 7).

Agency A is DINKES (the 12 hospitals, published), agency B is PUPR. Every
upload goes through the admin over HTTP (Django's test client): check, then
confirm. Every import that writes leaves one history version per written
row, with origin "import" and the user who imported.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.contrib.gis.geos import Point
from django.test import Client

from layers.exporting import export_layer, get_format
from layers.importing import import_file
from layers.models import Agency, Facility, PublicationState
from layers.registry import get_layer
from tests.personas import AGENCY_A, AGENCY_B

pytestmark = pytest.mark.django_db

DATA = Path(__file__).parent / "data" / "import"
URL = "/admin/layers/facility/import/"
KUPANG_FACILITIES = 67
#: RSUD W. Z. Johannes: one of agency A's published hospitals.
HOSPITAL = "rs-2"


def _upload(client: Client, path: Path, **fields: str):
    with path.open("rb") as handle:
        return client.post(URL, {"file": handle, **fields})


def _confirm(client: Client, checked) -> int:
    assert 'name="confirm"' in checked.content.decode(), checked.content.decode()[-3000:]
    return client.post(URL, {"token": checked.context["token"], "confirm": "1"}).status_code


def _rejections(response) -> list[tuple[int, str, str]]:
    report = response.context["report"]
    assert 'name="confirm"' not in response.content.decode()
    return [(r.row, r.code, r.message) for r in sorted(report.rejected, key=lambda r: r.row)]


def _geojson(tmp_path: Path, name: str, rows: list[dict]) -> Path:
    """Features at RSUD W. Z. Johannes' place in Oetete, with the given properties."""
    path = tmp_path / name
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": props,
         "geometry": {"type": "Point", "coordinates": [123.58578843996008, -10.168121004087805]}}
        for props in rows]}))
    return path


def test_an_editor_of_b_cannot_create_rows_for_agency_a(editor_b) -> None:
    response = _upload(editor_b.client, DATA / "facilities_reimport_v1.geojson")
    assert _rejections(response) == [
        (row, "not_permitted",
         "milik OPD DINKES: editor OPD PUPR hanya boleh membuat data OPD-nya sendiri")
        for row in (1, 2, 3)
    ]
    assert Facility.objects.count() == KUPANG_FACILITIES


def test_an_editor_of_b_cannot_overwrite_agency_as_published_row(editor_b, tmp_path) -> None:
    path = _geojson(tmp_path, "ambil-alih.geojson", [
        {"id": HOSPITAL, "nama": "RSUD milik PUPR", "kategori": "rumah_sakit"}])
    response = _upload(editor_b.client, path)
    assert _rejections(response) == [
        (1, "not_permitted", "milik OPD DINKES: editor OPD PUPR hanya boleh mengubah data "
                             "OPD-nya sendiri")]
    assert Facility.objects.get(external_id=HOSPITAL).name == "RSUD W. Z. Johannes"
    # Naming their own agency in the file does not help: the stored row is A's.
    path = _geojson(tmp_path, "ambil-alih-2.geojson", [
        {"id": HOSPITAL, "nama": "RSUD milik PUPR", "kategori": "rumah_sakit",
         "kode_opd": AGENCY_B}])
    assert _rejections(_upload(editor_b.client, path)) == [
        (1, "not_permitted", "baris tersimpan milik OPD DINKES: editor hanya mengubah data "
                             "OPD-nya sendiri")]
    assert Facility.objects.get(external_id=HOSPITAL).agency.kode == AGENCY_A


def test_another_agencys_draft_is_not_described_to_an_editor_whose_file_hits_its_key(
        editor_b, tmp_path) -> None:
    """The write API answers 404 for a draft the editor may not see; the import must not
    tell its agency or state either: only that the key is taken."""
    secret = Facility.objects.create(
        name="Rencana Puskesmas", category="puskesmas", external_id="dinkes-rahasia",
        agency=Agency.objects.get(kode=AGENCY_A), state="draft",
        geometry=Point(123.58578843996008, -10.168121004087805, srid=4326))
    path = _geojson(tmp_path, "tebak.geojson", [
        {"id": "dinkes-rahasia", "nama": "Tebakan", "kategori": "puskesmas"}])
    response = _upload(editor_b.client, path)
    assert _rejections(response) == [
        (1, "not_permitted", "kunci baris ini sudah dipakai data lain yang tidak dapat Anda "
                             "lihat atau ubah; pakai id_sumber lain")]
    (rejection,) = response.context["report"].rejected
    assert rejection.value == ""
    page = response.content.decode()
    assert AGENCY_A not in page and "Draf" not in page and "Rencana Puskesmas" not in page
    secret.refresh_from_db()
    assert (secret.name, secret.state) == ("Rencana Puskesmas", "draft")


def test_an_editor_of_a_cannot_change_their_published_row_by_import(editor_a, tmp_path) -> None:
    path = _geojson(tmp_path, "ganti-nama.geojson", [
        {"id": HOSPITAL, "nama": "RSUD Prof. W. Z. Johannes", "kategori": "rumah_sakit"}])
    assert _rejections(_upload(editor_a.client, path)) == [
        (1, "not_permitted", "berstatus Terbit / Published: editor hanya mengubah data "
                             "berstatus draf atau ditarik; minta walidata mengembalikannya ke "
                             "draf")]
    assert Facility.objects.get(external_id=HOSPITAL).name == "RSUD W. Z. Johannes"


def test_an_editor_creates_drafts_of_their_agency_recorded_as_an_import(editor_a) -> None:
    checked = _upload(editor_a.client, DATA / "facilities_reimport_v1.geojson")
    assert _confirm(editor_a.client, checked) == 302
    created = Facility.objects.filter(external_id__startswith="ri-").order_by("external_id")
    assert [(f.agency.kode, f.state) for f in created] == [(AGENCY_A, "draft")] * 3
    versions = Facility.history.filter(external_id__startswith="ri-")
    assert sorted((v.external_id, v.history_type, v.origin, v.history_user_id) for v in versions
                  ) == [(f"ri-{i}", "+", "import", editor_a.user.pk) for i in (1, 2, 3)]
    assert versions.first().history_change_reason == (
        "impor / import: facilities_reimport_v1.geojson")


def test_a_file_without_agency_creates_rows_for_the_editors_agency(editor_b, tmp_path) -> None:
    path = _geojson(tmp_path, "pupr.geojson", [
        {"id": "pupr-1", "nama": "Kantor UPT Jalan", "kategori": "kantor_pemerintah"}])
    assert _confirm(editor_b.client, _upload(editor_b.client, path)) == 302
    row = Facility.objects.get(external_id="pupr-1")
    assert (row.agency.kode, row.state, row.kelurahan.nama) == (AGENCY_B, "draft", "Oetete")


def test_an_editor_updates_their_own_draft_and_the_history_shows_the_change(
        editor_a, tmp_path) -> None:
    v1 = _geojson(tmp_path, "v1.geojson", [{"id": "d-1", "nama": "Pustu Oetete",
                                            "kategori": "puskesmas"}])
    _confirm(editor_a.client, _upload(editor_a.client, v1))
    v2 = _geojson(tmp_path, "v2.geojson", [{"id": "d-1", "nama": "Puskesmas Pembantu Oetete",
                                            "kategori": "puskesmas"}])
    checked = _upload(editor_a.client, v2)
    assert "diperbarui 1" in checked.content.decode()
    assert _confirm(editor_a.client, checked) == 302
    draft = Facility.objects.get(external_id="d-1")
    assert (draft.name, draft.state) == ("Puskesmas Pembantu Oetete", PublicationState.DRAFT)
    history = draft.history.order_by("history_date")
    assert [(v.history_type, v.name, v.origin) for v in history] == [
        ("+", "Pustu Oetete", "import"), ("~", "Puskesmas Pembantu Oetete", "import")]


def test_an_editor_may_reimport_a_download_of_every_agency_when_nothing_changes(
        editor_b, tmp_path) -> None:
    """Unchanged rows are not writes: B re-importing the city's file touches nothing."""
    layer = get_layer("facilities")
    path = export_layer(layer, layer.public_queryset(), get_format("geojson"), tmp_path)
    checked = _upload(editor_b.client, path)
    assert ("facilities.geojson → facilities (uji coba, tidak ada yang ditulis): dibaca 67, "
            "baru 0, diperbarui 0, tetap 67, ditolak 0") in checked.content.decode()
    history = Facility.history.count()
    assert _confirm(editor_b.client, checked) == 302
    assert Facility.history.count() == history


def test_the_walidata_updates_any_agencys_published_row_and_it_stays_published(
        walidata, tmp_path) -> None:
    path = _geojson(tmp_path, "koreksi.geojson", [
        {"id": HOSPITAL, "nama": "RSUD Prof. Dr. W. Z. Johannes", "kategori": "rumah_sakit"}])
    assert _confirm(walidata.client, _upload(walidata.client, path)) == 302
    hospital = Facility.objects.get(external_id=HOSPITAL)
    assert (hospital.name, hospital.state, hospital.agency.kode) == (
        "RSUD Prof. Dr. W. Z. Johannes", "published", AGENCY_A)
    latest = hospital.history.latest("history_date")
    assert (latest.history_type, latest.origin, latest.history_user_id) == (
        "~", "import", walidata.user.pk)


def test_command_line_imports_are_recorded_as_imports_without_a_user() -> None:
    import_file("facilities", DATA / "facilities_reimport_v1.geojson")
    versions = Facility.history.filter(external_id__startswith="ri-")
    assert {(v.history_type, v.origin, v.history_user_id) for v in versions} == {
        ("+", "import", None)}
    assert versions.count() == 3


def test_boundary_imports_record_versions_with_the_computed_area() -> None:
    from layers.models import Kelurahan

    import_file("kelurahan", DATA / "kelurahan_self_intersecting.geojson")
    namosain = Kelurahan.objects.get(kode="53.71.01.1001")
    latest = namosain.history.latest("history_date")
    assert (latest.history_type, latest.origin) == ("~", "import")
    assert latest.luas_km2 == namosain.luas_km2 is not None


def test_staff_without_an_agency_cannot_import_owned_data(db) -> None:
    from django.contrib.auth.models import Group, User

    user = User.objects.create_user("editor-tanpa-opd", is_staff=True)
    user.groups.add(Group.objects.get(name="editor"))
    client = Client()
    client.force_login(user)
    assert client.get(URL).status_code == 403
