"""Keys, parents and options: what a re-import matches on, and options that name what is wrong.

A file without the layer's key column would duplicate every row on the next
import, so it is refused unless ``--no-key``; a kelurahan whose code names a
kecamatan that does not exist is a row rejection; ``--report`` and ``--srid``
are checked and named before anything is written.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from pyproj import Transformer

from layers.errors import BadOption, ImportRejected, NoKeyColumn, UnreadableFile
from layers.exporting import export_layer, get_format
from layers.importing import ImportOptions, import_file
from layers.models import Facility, Kelurahan
from layers.registry import get_layer

pytestmark = pytest.mark.django_db

DATA = Path(__file__).parent / "data" / "import"
KUPANG_FACILITIES = 67


def test_a_file_without_the_key_column_is_refused_and_says_where_the_key_was_looked_for(
) -> None:
    with pytest.raises(NoKeyColumn) as caught:
        import_file("facilities", DATA / "facilities_no_key.csv")
    assert str(caught.value) == (
        "facilities_no_key.csv: tidak ada kolom kunci external_id (dicari: id_sumber, id, "
        "kode_aset, fid_sumber, external_id; kolom berkas: nama, kategori, lon, lat). Tanpa "
        "kunci, setiap impor ulang menggandakan baris. Tambahkan kolom itu, tunjuk kolomnya "
        "dengan --map external_id=KOLOM atau --key, atau pakai --no-key bila semua baris "
        "memang baru."
    )
    assert Facility.objects.count() == KUPANG_FACILITIES


def test_no_key_creates_rows_with_generated_source_ids_that_the_next_export_carries(
    tmp_path: Path,
) -> None:
    report = import_file("facilities", DATA / "facilities_no_key.csv", ImportOptions(no_key=True))
    assert (report.created, report.notes) == (
        2, ["2 baris tanpa kunci external_id dibuat sebagai baris baru (--no-key)"])
    created = Facility.objects.filter(name__in=["Pasar Oebobo", "SD Inpres Airnona"])
    assert all(f.external_id.startswith("taksi-") and len(f.external_id) == 18 for f in created)
    # The steward's next round: export those rows, import the file back.
    layer = get_layer("facilities")
    exported = export_layer(layer, created, get_format("gpkg"), tmp_path)
    again = import_file("facilities", exported)
    assert (again.read, again.created, again.updated, again.unchanged) == (2, 0, 0, 2)
    assert Facility.objects.count() == KUPANG_FACILITIES + 2


def test_an_empty_key_cell_is_rejected_unless_no_key(tmp_path: Path) -> None:
    path = tmp_path / "sebagian.csv"
    path.write_text("id,nama,kategori,lon,lat\nk-1,Pasar A,pasar,123.6088393,-10.1639144\n"
                    ",Pasar B,pasar,123.5871137,-10.1792228\n")
    with pytest.raises(ImportRejected) as caught:
        import_file("facilities", path)
    assert [(r.row, r.field, r.code) for r in caught.value.report.rejected] == [
        (3, "external_id (id)", "missing_key")]
    assert caught.value.report.rejected[0].message.startswith("kunci external_id kosong: ")
    report = import_file("facilities", path, ImportOptions(no_key=True))
    assert (report.created, Facility.objects.filter(name="Pasar B").count()) == (2, 1)


def test_the_command_takes_no_key(tmp_path: Path) -> None:
    out = io.StringIO()
    with pytest.raises(CommandError, match="tidak ada kolom kunci external_id"):
        call_command("import_layer", "facilities", str(DATA / "facilities_no_key.csv"))
    call_command("import_layer", "facilities", str(DATA / "facilities_no_key.csv"), "--no-key",
                 stdout=out)
    assert "baru 2" in out.getvalue()


def test_a_kelurahan_of_an_unknown_kecamatan_is_a_row_rejection_naming_the_code() -> None:
    with pytest.raises(ImportRejected) as caught:
        import_file("kelurahan", DATA / "kelurahan_unknown_kecamatan.geojson")
    [rejection] = caught.value.report.rejected
    assert (rejection.row, rejection.field, rejection.code, rejection.value) == (
        1, "kecamatan (kode)", "unknown_parent", "53.71.09")
    assert rejection.message == (
        "kecamatan 53.71.09 (dari kode 53.71.09.1001) tidak ada; impor kecamatan itu dulu. "
        "Yang ada: 53.71.01, 53.71.02, 53.71.03, 53.71.04, 53.71.05, 53.71.06")
    assert not Kelurahan.objects.filter(kode="53.71.09.1001").exists()


def test_a_project_without_any_agency_is_a_row_rejection_not_a_database_error(
    tmp_path: Path,
) -> None:
    path = tmp_path / "tanpa-opd.csv"
    path.write_text("kode_proyek,nama_paket,tahun,sumber_dana,pagu,status,lon,lat\n"
                    "P-1,Drainase,2025,APBD,1000000,preparation,123.6088393,-10.1639144\n")
    with pytest.raises(ImportRejected) as caught:
        import_file("projects", path)
    assert [(r.row, r.field, r.code, r.message) for r in caught.value.report.rejected] == [
        (2, "agency", "missing_value", "wajib diisi: berkas tidak memberi agency untuk baris ini"),
    ]


def test_an_unwritable_report_is_refused_before_the_import_starts(tmp_path: Path) -> None:
    missing = tmp_path / "tidak-ada" / "laporan.csv"
    with pytest.raises(BadOption) as caught:
        # The file does not exist either: --report is checked first.
        import_file("facilities", tmp_path / "belum-ada.csv", ImportOptions(report_path=missing))
    assert str(caught.value) == (
        f"--report {missing}: berkas laporan tidak dapat ditulis (folder {missing.parent} "
        "tidak ada)")
    with pytest.raises(CommandError) as caught:
        call_command("import_layer", "facilities", str(DATA / "facilities_point_in_sea.geojson"),
                     "--report", str(tmp_path))
    assert str(caught.value) == (
        f"--report {tmp_path}: berkas laporan tidak dapat ditulis (itu folder, bukan berkas)")
    assert Facility.objects.count() == KUPANG_FACILITIES


def test_srid_does_not_override_a_crs_the_file_declares() -> None:
    with pytest.raises(BadOption) as caught:
        import_file("facilities", DATA / "facilities_dgn95_utm51s.zip", ImportOptions(srid=32750))
    assert str(caught.value) == (
        "--srid 32750: facilities_dgn95_utm51s.zip sudah menyatakan CRS-nya (EPSG:23881); "
        "--srid hanya untuk berkas tanpa CRS. Perbaiki atau hapus .prj/CRS berkas bila memang "
        "salah.")
    # The same CRS as declared is harmless.
    report = import_file("facilities", DATA / "facilities_dgn95_utm51s.zip",
                         ImportOptions(srid=23881))
    assert report.created == 2


@pytest.mark.parametrize(("srid", "message"), [
    (0, "--srid 0: bukan kode EPSG yang dikenal PROJ"),
    (999999, "--srid 999999: bukan kode EPSG yang dikenal PROJ"),
    (5773, "--srid 5773: EGM96 height bukan CRS horizontal (geografis atau terproyeksi)"),
])
def test_a_meaningless_srid_is_named(srid: int, message: str) -> None:
    with pytest.raises(BadOption) as caught:
        import_file("facilities", DATA / "facilities_dgn95_tm3.csv", ImportOptions(srid=srid))
    assert str(caught.value) == message


def test_the_command_names_srid_0() -> None:
    with pytest.raises(CommandError, match=r"^--srid 0: bukan kode EPSG yang dikenal PROJ$"):
        call_command("import_layer", "facilities", str(DATA / "facilities_dgn95_tm3.csv"),
                     "--srid", "0")


def test_srid_corrects_a_geojson_that_declares_degrees_but_holds_metres(tmp_path: Path) -> None:
    """RFC 7946 GeoJSON is always EPSG:4326; an old export in UTM metres says so wrongly."""
    x, y = Transformer.from_crs(4326, 32751, always_xy=True).transform(123.6088393, -10.1639144)
    path = tmp_path / "utm-lama.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [{
        "type": "Feature", "properties": {"id": "u-1", "nama": "Pasar", "kategori": "pasar"},
        "geometry": {"type": "Point", "coordinates": [x, y]}}]}))
    with pytest.raises(UnreadableFile, match="berkas menyatakan EPSG:4326, tetapi sebagian besar"):
        import_file("facilities", path)
    assert import_file("facilities", path, ImportOptions(srid=32751)).created == 1
    point = Facility.objects.get(external_id="u-1").geometry
    assert (point.x, point.y) == pytest.approx((123.6088393, -10.1639144), abs=1e-7)
