"""Files that are wrong as a whole get one clear sentence naming the file, never GDAL's.

Each fixture is in tests/data/import (its README says why it exists). The
messages carry no server path, no upload folder, no "<DRIVER>:" hint.
"""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from layers.errors import ImportRejected, NoFeatures, UnreadableFile
from layers.importing import ImportOptions, import_file
from layers.models import Facility

pytestmark = pytest.mark.django_db

DATA = Path(__file__).parent / "data" / "import"
KUPANG_FACILITIES = 67


def _refusal(name: str, **options: object) -> str:
    with pytest.raises(UnreadableFile) as caught:
        import_file("facilities", DATA / name, ImportOptions(**options))
    assert Facility.objects.count() == KUPANG_FACILITIES
    return str(caught.value)


def test_an_empty_file_is_called_empty() -> None:
    assert _refusal("facilities_empty.csv") == "facilities_empty.csv: berkas kosong (0 bait)"


@pytest.mark.parametrize("name", ["facilities_header_only.csv", "facilities_no_features.geojson"])
def test_a_file_without_rows_is_refused_as_having_no_features(name: str) -> None:
    with pytest.raises(NoFeatures) as caught:
        import_file("facilities", DATA / name)
    assert str(caught.value) == (
        f"{name}: berkas tidak memuat satu baris atau fitur pun; tidak ada yang diimpor")


def test_the_command_exits_non_zero_on_a_file_without_rows() -> None:
    with pytest.raises(CommandError, match=r"^facilities_header_only\.csv: berkas tidak memuat"):
        call_command("import_layer", "facilities", str(DATA / "facilities_header_only.csv"),
                     stdout=io.StringIO())


def test_a_zip_without_a_shapefile_says_so_and_lists_what_it_holds() -> None:
    assert _refusal("shapefile_without_shp.zip") == (
        "shapefile_without_shp.zip: zip tidak memuat berkas .shp (isinya: fasilitas.csv); "
        "unggah Shapefile yang di-zip (.shp, .shx, .dbf, .prj)")


def test_a_zipped_shapefile_without_its_dbf_names_the_missing_part() -> None:
    assert _refusal("shapefile_without_dbf.zip") == (
        "shapefile_without_dbf.zip: zip tidak memuat .dbf di samping jalan.shp")


def test_a_zip_that_is_no_zip_is_named_so(tmp_path: Path) -> None:
    path = tmp_path / "kiriman.zip"
    path.write_bytes(b"PK\x03\x04 but then nothing")
    with pytest.raises(UnreadableFile) as caught:
        import_file("facilities", path)
    assert str(caught.value) == "kiriman.zip: bukan arsip zip yang sah"


def test_gdal_messages_lose_the_server_path_and_the_driver_hint(tmp_path: Path) -> None:
    folder = tmp_path / "rahasia-token-123"
    folder.mkdir()
    path = folder / "survei.kmz"
    path.write_bytes(b"bukan kmz sama sekali")
    with pytest.raises(UnreadableFile) as caught:
        import_file("facilities", path)
    message = str(caught.value)
    assert message == "survei.kmz: GDAL tidak dapat membukanya (isinya tidak dikenali sebagai " \
                      "format KMZ)"
    assert "rahasia-token" not in message and "<DRIVER>" not in message


def test_the_display_name_replaces_the_stored_name_in_every_message(tmp_path: Path) -> None:
    """The admin stores uploads under a random folder; users see their own file name."""
    stored = tmp_path / "x7f3" / "upload.zip"
    stored.parent.mkdir()
    shutil.copy(DATA / "shapefile_without_dbf.zip", stored)
    with pytest.raises(UnreadableFile) as caught:
        import_file("facilities", stored, ImportOptions(display_name="Jalan Kota.zip"))
    assert str(caught.value) == "Jalan Kota.zip: zip tidak memuat .dbf di samping jalan.shp"


def test_gdals_own_text_names_the_uploaded_file_not_the_stored_one(tmp_path: Path) -> None:
    """GDAL's parse error quotes the file it opened: the admin's ``unggahan.kml``."""
    stored = tmp_path / "unggahan.kml"
    stored.write_text('<?xml version="1.0"?><kml xmlns="http://www.opengis.net/kml/2.2">'
                      "<Document><Placemark><name>x</name>", encoding="utf-8")
    with pytest.raises(UnreadableFile) as caught:
        import_file("facilities", stored, ImportOptions(display_name="titik klinik.kml"))
    message = str(caught.value)
    assert message.startswith("titik klinik.kml: ")
    assert "unggahan" not in message and str(tmp_path) not in message


def test_a_utf16_csv_from_excel_is_read_as_text() -> None:
    report = import_file("facilities", DATA / "facilities_utf16.csv")
    assert (report.read, report.created) == (1, 1)
    pasar = Facility.objects.get(external_id="u16-1")
    assert (pasar.name, pasar.category, pasar.kelurahan.nama) == (
        "Pasar Ñ – Fontein", "pasar", "Fontein")


def test_z_and_m_coordinates_are_dropped() -> None:
    report = import_file("facilities", DATA / "facilities_zm.gpkg")
    assert (report.read, report.created, report.rejected) == (2, 2, [])
    klinik = Facility.objects.get(external_id="zm-1")
    assert not klinik.geometry.hasz
    assert klinik.geometry.wkt.startswith("POINT (")
    assert (klinik.geometry.x, klinik.geometry.y) == pytest.approx(
        (123.5853806, -10.1579843), abs=1e-7)
    assert klinik.kelurahan.nama == "Tode Kisar"


def test_an_m_coordinate_in_a_wkt_column_is_dropped_too(tmp_path: Path) -> None:
    path = tmp_path / "gps.csv"
    path.write_text('id,nama,kategori,wkt\nm-1,Klinik,klinik,"POINT ZM (123.6028135 -10.1564841 '
                    '40 3)"\nm-2,Klinik 2,klinik,"POINT M (123.5823321 -10.167895 9)"\n')
    assert import_file("facilities", path).created == 2
    for key, (lon, lat) in (("m-1", (123.6028135, -10.1564841)),
                            ("m-2", (123.5823321, -10.167895))):
        point = Facility.objects.get(external_id=key).geometry
        assert not point.hasz and (point.x, point.y) == pytest.approx((lon, lat), abs=1e-7)


def test_an_xlsx_is_read_from_its_first_sheet_by_default() -> None:
    report = import_file("facilities", DATA / "facilities_first_sheet.xlsx")
    assert (report.read, report.created) == (2, 2)
    first = Facility.objects.get(external_id="xl-1")
    assert (first.name, first.category, first.kelurahan.nama) == (
        "Puskesmas Manutapen", "puskesmas", "Manutapen")
    assert (first.geometry.x, first.geometry.y) == pytest.approx((123.5755403, -10.1810416),
                                                                 abs=1e-7)


def test_a_broken_geojson_keeps_gdals_reason_but_not_its_path(tmp_path: Path) -> None:
    path = tmp_path / "rusak.geojson"
    path.write_text('{"type": "FeatureCollection", "features": [')
    with pytest.raises(UnreadableFile) as caught:
        import_file("facilities", path)
    assert str(caught.value).startswith("rusak.geojson: GDAL tidak dapat membukanya (")
    assert str(tmp_path) not in str(caught.value)


def test_one_mistyped_coordinate_among_good_rows_is_that_rows_rejection() -> None:
    """1236088393 (the decimal point lost) and 1e400 are rejected by row, not the whole file,
    each shown as typed in the file (not as ``inf``), also in the report's value column."""
    with pytest.raises(ImportRejected) as caught:
        import_file("facilities", DATA / "facilities_one_typo_coordinate.csv")
    report = caught.value.report
    assert [(r.row, r.field, r.code, r.message, r.value) for r in report.rejected] == [
        (3, "geometry", "invalid_coordinate",
         "koordinat (1236088393 -10.1639144) bukan bujur/lintang yang sah (bujur -180..180, "
         "lintang -90..90)", "1236088393 -10.1639144"),
        (5, "geometry", "invalid_coordinate",
         "koordinat (1e400 -10.1639144) bukan bujur/lintang yang sah (bujur -180..180, "
         "lintang -90..90)", "1e400 -10.1639144"),
    ]
    assert (report.read, report.rejected_rows) == (5, 2)
    assert Facility.objects.count() == KUPANG_FACILITIES


def test_a_file_of_projected_coordinates_is_still_refused_as_a_whole() -> None:
    """Most rows out of degree range: the file's CRS is missing, so --srid is asked for."""
    assert _refusal("facilities_dgn95_tm3.csv") == (
        "facilities_dgn95_tm3.csv: berkas tidak menyatakan CRS, tetapi sebagian besar "
        "koordinatnya bukan derajat; beri kode EPSG dengan --srid (mis. --srid 32751)")
