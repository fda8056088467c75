"""Options that choose what is read (--sheet, --source-layer, --encoding) and what a row
matches (--key): used where they mean something, refused by name where they do not.

- an XLSX whose first sheet holds no data names that sheet and the sheets
  that do, with their data rows, and the ``--sheet`` to type;
- ``--sheet`` on anything but an XLSX, and ``--source-layer`` or
  ``--encoding`` on an XLSX, are refused naming the option (they were
  silently ignored); ``--source-layer`` on single-layer formats is not
  ignored: a wrong name is refused listing the one layer there is;
- ``--key`` decides which existing row a file row updates: boundaries by
  ``kode`` whatever their names say, facilities by ``external_id`` whatever
  their names are.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from layers.errors import BadOption, ImportRejected, NoFeatures, UnreadableFile
from layers.importing import ImportOptions, import_file
from layers.models import Facility, Kelurahan

pytestmark = pytest.mark.django_db

DATA = Path(__file__).parent / "data" / "import"
KUPANG_FACILITIES = 67


def test_an_xlsx_whose_first_sheet_is_empty_names_the_sheets_with_data_and_the_option(
) -> None:
    with pytest.raises(NoFeatures) as caught:
        import_file("projects", DATA / "projects_dms.xlsx")
    assert str(caught.value) == (
        "projects_dms.xlsx: sheet pertama 'Catatan' tidak memuat satu baris data pun; sheet "
        "lain: 'Lokasi' (baris data: 2). Pilih sheet dengan --sheet, mis. --sheet Lokasi")


def test_the_command_says_so_too_and_quotes_a_sheet_name_with_spaces(tmp_path: Path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    book.active.title = "Petunjuk"
    book.active.append(["Isi sheet 'Data Lokasi'"])
    book.create_sheet("Kosong")
    data = book.create_sheet("Data Lokasi")
    data.append(["id", "nama", "kategori", "lon", "lat"])
    data.append(["sp-1", "Klinik Spasi", "klinik", 123.5823321, -10.167895])
    path = tmp_path / "faskes.xlsx"
    book.save(path)
    with pytest.raises(CommandError) as caught:
        call_command("import_layer", "facilities", str(path), stdout=io.StringIO(),
                     stderr=io.StringIO())
    assert str(caught.value) == (
        "faskes.xlsx: sheet pertama 'Petunjuk' tidak memuat satu baris data pun; sheet lain: "
        "'Kosong' (baris data: 0), 'Data Lokasi' (baris data: 1). Pilih sheet dengan --sheet, "
        "mis. --sheet 'Data Lokasi'")
    report = import_file("facilities", path, ImportOptions(sheet="Data Lokasi"))
    assert (report.read, report.created) == (1, 1)


def test_an_xlsx_with_no_data_on_any_sheet_says_that(tmp_path: Path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    book.active.title = "Catatan"
    book.create_sheet("Lokasi").append(["id", "nama", "lon", "lat"])
    path = tmp_path / "kosong.xlsx"
    book.save(path)
    with pytest.raises(NoFeatures) as caught:
        import_file("facilities", path)
    assert str(caught.value) == (
        "kosong.xlsx: sheet pertama 'Catatan' tidak memuat satu baris data pun, sheet lain "
        "juga tidak ('Lokasi' (baris data: 0)); tidak ada yang diimpor")


@pytest.mark.parametrize("name", ["facilities_utm51s.gpkg", "facilities_reimport_v1.geojson",
                                  "facilities_one_typo_coordinate.csv"])
def test_sheet_on_a_file_that_is_not_an_xlsx_is_refused_naming_the_option(name: str) -> None:
    with pytest.raises(BadOption) as caught:
        import_file("facilities", DATA / name, ImportOptions(sheet="faskes"))
    assert str(caught.value) == (
        f"--sheet faskes: hanya untuk berkas XLSX, dan {name} bukan XLSX; pilih tabel atau "
        "layer dengan --source-layer")
    assert Facility.objects.count() == KUPANG_FACILITIES


def test_source_layer_and_encoding_on_an_xlsx_are_refused_naming_the_option() -> None:
    with pytest.raises(BadOption) as caught:
        import_file("projects", DATA / "projects_dms.xlsx", ImportOptions(source_layer="Lokasi"))
    assert str(caught.value) == (
        "--source-layer Lokasi: projects_dms.xlsx adalah XLSX, yang tidak memiliki layer; "
        "pilih sheet dengan --sheet")
    with pytest.raises(BadOption) as caught:
        import_file("projects", DATA / "projects_dms.xlsx",
                    ImportOptions(sheet="Lokasi", encoding="cp1252"))
    assert str(caught.value) == (
        "--encoding cp1252: projects_dms.xlsx adalah XLSX, yang selalu menyatakan encoding-nya "
        "sendiri; --encoding hanya untuk Shapefile dan CSV")


@pytest.mark.parametrize(("name", "layer"), [
    ("facilities_reimport_v1.geojson", "facilities_reimport_v1"),
    ("facilities_cp1252.shp", "facilities_cp1252"),
    ("facilities_one_typo_coordinate.csv", "facilities_one_typo_coordinate"),
])
def test_source_layer_on_a_single_layer_file_is_checked_not_ignored(name: str,
                                                                    layer: str) -> None:
    with pytest.raises(UnreadableFile) as caught:
        import_file("facilities", DATA / name, ImportOptions(source_layer="faskes"))
    assert str(caught.value) == (
        f"{name}: tidak ada layer 'faskes' (--source-layer); layer: {layer}")
    # Its own name is accepted: the option is honoured, not skipped.
    options = ImportOptions(source_layer=layer, dry_run=True)
    if name.endswith(".csv"):  # two mistyped rows of five: read, and rejected by row
        with pytest.raises(ImportRejected) as rejected:
            import_file("facilities", DATA / name, options)
        assert (rejected.value.report.read, rejected.value.report.rejected_rows) == (5, 2)
    else:
        assert import_file("facilities", DATA / name, options).read == 3


def _kelurahan_file(tmp_path: Path, kodes: tuple[str, str]) -> Path:
    """Two kelurahan as they are, but each carrying the other's name."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT kode, nama, ST_AsGeoJSON(geometry, 15) FROM layers_kelurahan "
                       "WHERE kode = ANY(%s) ORDER BY kode", [list(kodes)])
        (kode_a, nama_a, geom_a), (kode_b, nama_b, geom_b) = cursor.fetchall()
    features = [
        {"type": "Feature", "properties": {"kode": kode_a, "nama": nama_b},
         "geometry": json.loads(geom_a)},
        {"type": "Feature", "properties": {"kode": kode_b, "nama": nama_a},
         "geometry": json.loads(geom_b)},
    ]
    path = tmp_path / "ganti-nama.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}))
    return path


def test_a_boundary_reimport_keyed_on_kode_updates_the_rows_of_those_codes(
        tmp_path: Path) -> None:
    """Matched by kode, not by name: Oetete's row takes the name the file gives its kode."""
    oetete, fontein = "53.71.04.1008", "53.71.05.1008"
    names = dict(Kelurahan.objects.values_list("kode", "nama"))
    path = _kelurahan_file(tmp_path, (oetete, fontein))
    out = io.StringIO()
    call_command("import_layer", "kelurahan", str(path), "--key", "kode", stdout=out,
                 stderr=io.StringIO())
    assert out.getvalue().splitlines()[-1] == (
        "ganti-nama.geojson → kelurahan (tersimpan): dibaca 2, baru 0, diperbarui 2, tetap 0, "
        "ditolak 0")
    after = dict(Kelurahan.objects.values_list("kode", "nama"))
    assert (after[oetete], after[fontein]) == (names[fontein], names[oetete])
    assert len(after) == 51
    assert {k: v for k, v in after.items() if k not in (oetete, fontein)} == {
        k: v for k, v in names.items() if k not in (oetete, fontein)}


def test_a_facility_reimport_keyed_on_external_id_matches_by_id_not_by_name(
        tmp_path: Path) -> None:
    import_file("facilities", DATA / "facilities_reimport_v1.geojson")
    first = Facility.objects.get(external_id="ri-1")
    path = tmp_path / "register.csv"
    path.write_text(
        "id_sumber,nama,kategori,lon,lat\n"
        f"ri-1,Nama Baru Puskesmas,puskesmas,{first.geometry.x!r},{first.geometry.y!r}\n"
        f"ri-9,{first.name},puskesmas,{first.geometry.x!r},{first.geometry.y!r}\n")
    out = io.StringIO()
    call_command("import_layer", "facilities", str(path), "--key", "external_id", stdout=out,
                 stderr=io.StringIO())
    assert out.getvalue().splitlines()[-1] == (
        "register.csv → facilities (tersimpan): dibaca 2, baru 1, diperbarui 1, tetap 0, "
        "ditolak 0")
    assert Facility.objects.get(pk=first.pk).name == "Nama Baru Puskesmas"
    assert Facility.objects.get(external_id="ri-9").name == first.name
    assert Facility.objects.count() == KUPANG_FACILITIES + 4
