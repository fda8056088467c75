"""An import is all or nothing, re-imports update, dry runs write nothing, reports are exact."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from layers.errors import BadOption, ImportRejected, UnreadableFile
from layers.importing import ImportOptions, import_file
from layers.models import Facility

pytestmark = pytest.mark.django_db

DATA = Path(__file__).parent / "data" / "import"
KUPANG_FACILITIES = 67


def test_one_bad_row_among_good_ones_writes_nothing_and_names_row_field_and_value() -> None:
    with pytest.raises(ImportRejected) as caught:
        import_file("facilities", DATA / "facilities_one_bad_row.geojson")
    report = caught.value.report
    assert [(r.row, r.field, r.code, r.value) for r in report.rejected] == [
        (3, "category (kategori)", "unmatched_value", "Toko"),
    ]
    assert report.rejected[0].message.startswith(
        "'Toko' bukan nilai yang dikenal; pilihan: rumah_sakit, puskesmas, klinik,"
    )
    assert dict(report.unmatched) == {"Toko": 1}
    assert (report.read, report.created, report.rejected_rows) == (4, 0, 1)
    assert Facility.objects.count() == KUPANG_FACILITIES
    assert not Facility.objects.filter(external_id__startswith="bad-").exists()


def test_a_point_in_the_sea_is_outside_the_city_and_nothing_is_written() -> None:
    with pytest.raises(ImportRejected) as caught:
        import_file("facilities", DATA / "facilities_point_in_sea.geojson")
    [rejection] = caught.value.report.rejected
    assert (rejection.row, rejection.field, rejection.code) == (2, "geometry", "outside_city")
    assert rejection.message == (
        "di luar Kota Kupang: tidak ada kelurahan dalam 50 m dari (123.6000000 -10.1100000)"
    )
    assert Facility.objects.count() == KUPANG_FACILITIES


def test_a_dry_run_reports_what_would_happen_and_writes_nothing() -> None:
    report = import_file("facilities", DATA / "facilities_reimport_v1.geojson",
                         ImportOptions(dry_run=True))
    assert (report.read, report.created, report.updated, report.unchanged) == (3, 3, 0, 0)
    assert report.summary().endswith(
        "(uji coba, tidak ada yang ditulis): dibaca 3, baru 3, diperbarui 0, tetap 0, ditolak 0"
    )
    assert Facility.objects.count() == KUPANG_FACILITIES


def test_a_reimport_updates_by_external_id_instead_of_duplicating() -> None:
    first = import_file("facilities", DATA / "facilities_reimport_v1.geojson")
    assert (first.created, first.updated, first.unchanged) == (3, 0, 0)
    again = import_file("facilities", DATA / "facilities_reimport_v1.geojson")
    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)
    second = import_file("facilities", DATA / "facilities_reimport_v2.geojson")
    assert (second.read, second.created, second.updated, second.unchanged) == (4, 1, 1, 2)
    assert Facility.objects.count() == KUPANG_FACILITIES + 4
    renamed = Facility.objects.select_related("agency").get(external_id="ri-2")
    assert (renamed.name, renamed.agency.kode) == ("Puskesmas Pembantu Airnona", "DINKES")
    assert Facility.objects.get(external_id="ri-4").kelurahan.nama == "Oesapa Selatan"


def test_the_same_key_twice_in_one_file_is_rejected(tmp_path: Path) -> None:
    path = tmp_path / "dup.csv"
    path.write_text("id,nama,kategori,lon,lat\n"
                    "d-1,A,sd,123.6088393,-10.1639144\nd-1,B,sd,123.6088393,-10.1639144\n")
    with pytest.raises(ImportRejected) as caught:
        import_file("facilities", path)
    assert [(r.row, r.field, r.code, r.message) for r in caught.value.report.rejected] == [
        (3, "external_id (id)", "duplicate_key", "external_id 'd-1' sudah dipakai di baris 2"),
    ]


def test_map_option_reads_unusual_column_names(tmp_path: Path) -> None:
    path = tmp_path / "odd.csv"
    path.write_text("Kode,Nama Tempat,Jenis Layanan,Garis Bujur,Garis Lintang\n"
                    "m-1,Klinik Pratama,klinik,123.5823321,-10.167895\n")
    options = ImportOptions.with_map(
        "external_id=Kode,nama=Nama Tempat,category=JENIS LAYANAN,lon=Garis Bujur,"
        "lat=Garis Lintang")
    report = import_file("facilities", path, options)
    assert report.created == 1
    klinik = Facility.objects.get(external_id="m-1")
    assert (klinik.name, klinik.category, klinik.kelurahan.nama) == (
        "Klinik Pratama", "klinik", "Fontein")
    assert (klinik.geometry.x, klinik.geometry.y) == pytest.approx((123.5823321, -10.167895),
                                                                    abs=1e-7)


def test_map_option_names_unknown_fields_and_missing_columns() -> None:
    with pytest.raises(BadOption, match=r"^--map: field 'warna' tidak dikenal \(field: "):
        import_file("facilities", DATA / "facilities_reimport_v1.geojson",
                    ImportOptions.with_map("warna=nama"))
    with pytest.raises(BadOption) as caught:
        import_file("facilities", DATA / "facilities_reimport_v1.geojson",
                    ImportOptions.with_map("name=NAMA_FASKES"))
    assert str(caught.value) == (
        "--map name=NAMA_FASKES: berkas tidak punya kolom 'NAMA_FASKES' "
        "(kolom: id, nama, kategori, kode_opd)"
    )


def test_report_file_lists_the_rejected_rows_as_csv(tmp_path: Path) -> None:
    report_path = tmp_path / "rejected.csv"
    with pytest.raises(ImportRejected):
        import_file("facilities", DATA / "facilities_decimal_comma_swapped.csv",
                    ImportOptions(report_path=report_path))
    with report_path.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    # The value column holds the coordinates as given (the bujur and lintang cells).
    assert [(r["row"], r["field"], r["code"], r["value"]) for r in rows] == [
        ("2", "geometry", "swapped", "-10,1792228 123,5871137"),
        ("3", "geometry", "swapped", "-10,1579843 123,5853806"),
    ]


def test_the_command_prints_the_report_and_fails_on_rejected_rows() -> None:
    out = io.StringIO()
    call_command("import_layer", "facilities", str(DATA / "facilities_cp1252.shp"), "--dry-run",
                 stdout=out)
    assert out.getvalue().strip() == (
        "facilities_cp1252.shp → facilities (uji coba, tidak ada yang ditulis): "
        "dibaca 3, baru 3, diperbarui 0, tetap 0, ditolak 0"
    )
    err = io.StringIO()
    with pytest.raises(CommandError) as caught:
        call_command("import_layer", "facilities", str(DATA / "facilities_point_in_sea.geojson"),
                     stderr=err)
    assert "DITOLAK, tidak ada yang ditulis" in str(caught.value)
    assert err.getvalue().startswith("baris 2, geometry: di luar Kota Kupang")
    with pytest.raises(CommandError, match="layer 'sekolah' tidak dikenal; layer: kecamatan, "):
        call_command("import_layer", "sekolah", str(DATA / "facilities_cp1252.shp"))
    assert Facility.objects.count() == KUPANG_FACILITIES


def test_files_over_1000_rows_get_a_progress_bar_on_stderr(tmp_path: Path) -> None:
    path = tmp_path / "many.csv"
    lines = ["id,nama,kategori,lon,lat"]
    lines += [f"n-{i},Titik {i},lainnya,123.6088393,-10.1639144" for i in range(1001)]
    path.write_text("\n".join(lines) + "\n")
    out, err = io.StringIO(), io.StringIO()
    call_command("import_layer", "facilities", str(path), "--dry-run", stdout=out, stderr=err)
    assert "dibaca 1001, baru 1001" in out.getvalue()
    # Not a terminal: a line every 10 % instead of a hundred \r redraws.
    lines = err.getvalue().splitlines()
    assert lines[-1].endswith("] 1001/1001 baris (100%)")
    assert "\r" not in err.getvalue()
    assert [line.rsplit("(", 1)[1] for line in lines] == [
        f"{p}%)" for p in range(0, 101, 10)]


def test_a_file_without_any_geometry_or_coordinate_columns_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "names.csv"
    path.write_text("id,nama,kategori\nx-1,Pasar Inpres,pasar\n")
    with pytest.raises(UnreadableFile) as caught:
        import_file("facilities", path)
    assert str(caught.value) == (
        "names.csv: tidak ada geometri dan tidak ada kolom koordinat (lon/lat, bujur/lintang, "
        "x/y, koordinat atau wkt; atau --map lon=...,lat=...); kolom: id, nama, kategori"
    )


def test_a_file_that_is_not_what_its_name_says_is_refused_by_name(tmp_path: Path) -> None:
    path = tmp_path / "laporan.xlsx"
    path.write_text("bukan excel")
    with pytest.raises(UnreadableFile) as caught:
        import_file("facilities", path)
    assert str(caught.value) == "laporan.xlsx: bukan buku kerja XLSX yang dapat dibaca"
    path = tmp_path / "peta.gpkg"
    path.write_bytes(b"\x00" * 100)
    with pytest.raises(UnreadableFile) as caught:
        import_file("facilities", path)
    # No server path, no "<DRIVER>:" hint: just what is wrong with which file.
    assert str(caught.value) == (
        "peta.gpkg: GDAL tidak dapat membukanya (isinya tidak dikenali sebagai format GPKG)")
