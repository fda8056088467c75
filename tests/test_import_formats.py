"""Every awkward agency file format imports with the right names, categories and coordinates.

The files are in tests/data/import (README there says why each exists); the
points are interior points of real kelurahan, so the spatial join must tag
each with that kelurahan, and coordinates must survive to 1e-7 degrees.
"""

from __future__ import annotations

import shutil
from decimal import Decimal
from pathlib import Path

import pytest

from layers.errors import ImportRejected, UnreadableFile
from layers.importing import ImportOptions, import_file
from layers.models import Facility, ProjectSite

pytestmark = pytest.mark.django_db

DATA = Path(__file__).parent / "data" / "import"


def _facility(external_id: str) -> Facility:
    return Facility.objects.select_related("kelurahan", "kecamatan").get(external_id=external_id)


def _assert_at(feature: Facility | ProjectSite, lon: float, lat: float) -> None:
    assert feature.geometry.geom_type == "Point"
    assert feature.geometry.srid == 4326
    assert feature.geometry.x == pytest.approx(lon, abs=1e-7)
    assert feature.geometry.y == pytest.approx(lat, abs=1e-7)


def test_cp1252_shapefile_without_cpg_keeps_dashes_and_accents() -> None:
    report = import_file("facilities", DATA / "facilities_cp1252.shp")
    assert (report.read, report.created, report.updated, report.rejected) == (3, 3, 0, [])
    pasar = _facility("shp-1")
    assert pasar.name == "Pasar Oebobo – Kios Ñ"
    assert pasar.category == "pasar"
    assert pasar.kelurahan.nama == "Fatululi"
    assert pasar.kecamatan.nama == "Oebobo"
    _assert_at(pasar, 123.6088393, -10.1639144)
    assert _facility("shp-2").name == "Gereja Sion – Fontein"
    assert _facility("shp-2").category == "gereja"
    assert _facility("shp-3").name == "Kantor Lurah Naimata «Baru»"
    assert _facility("shp-3").category == "kantor_pemerintah"


def test_forcing_latin1_shows_the_mojibake_that_detection_avoids() -> None:
    import_file("facilities", DATA / "facilities_cp1252.shp", ImportOptions(encoding="latin-1"))
    assert _facility("shp-1").name == "Pasar Oebobo \x96 Kios Ñ"


CP850_NAMES = {"cpg-1": "Kios Ñ Fatululi", "cpg-2": "Café Fontein",
               "cpg-3": "Gereja «Baru» Naimata"}


def test_a_cpg_that_names_another_code_page_than_detection_would_guess_wins() -> None:
    """facilities_cp850.shp: CP850 bytes with a .cpg "850"; no UTF-8, so detection alone
    would read cp1252 ("Kios ¥ Fatululi")."""
    report = import_file("facilities", DATA / "facilities_cp850.shp")
    assert (report.read, report.created, report.rejected) == (3, 3, [])
    assert {key: _facility(key).name for key in CP850_NAMES} == CP850_NAMES
    assert _facility("cpg-1").kelurahan.nama == "Fatululi"


def test_without_its_cpg_the_cp850_file_reads_as_detection_guesses(tmp_path: Path) -> None:
    """The fixture's bytes really decode differently: the test above can fail."""
    for suffix in (".shp", ".shx", ".dbf", ".prj"):
        shutil.copy(DATA / f"facilities_cp850{suffix}", tmp_path / f"dos{suffix}")
    import_file("facilities", tmp_path / "dos.shp")
    assert {key: _facility(key).name for key in CP850_NAMES} == {
        "cpg-1": "Kios ¥ Fatululi", "cpg-2": "Caf‚ Fontein", "cpg-3": "Gereja ®Baru¯ Naimata"}


def test_swapped_columns_with_decimal_commas_are_rejected_as_swapped() -> None:
    with pytest.raises(ImportRejected) as caught:
        import_file("facilities", DATA / "facilities_decimal_comma_swapped.csv")
    report = caught.value.report
    assert [(r.row, r.field, r.code) for r in report.rejected] == [
        (2, "geometry", "swapped"), (3, "geometry", "swapped"),
    ]
    assert report.rejected[0].message == (
        "lintang dan bujur tertukar (swapped): (-10.1792228 123.5871137) di luar Kota Kupang, "
        "setelah ditukar di dalamnya; perbaiki berkas atau pakai --fix-swapped"
    )
    assert not Facility.objects.filter(external_id__startswith="csv-").exists()


def test_fix_swapped_imports_the_decimal_comma_csv_at_the_right_places() -> None:
    report = import_file("facilities", DATA / "facilities_decimal_comma_swapped.csv",
                         ImportOptions(fix_swapped=True))
    assert (report.read, report.created) == (2, 2)
    assert report.notes == [
        "baris 2: lintang/bujur ditukar (-10.1792228 123.5871137) → (123.5871137 -10.1792228)",
        "baris 3: lintang/bujur ditukar (-10.1579843 123.5853806) → (123.5853806 -10.1579843)",
    ]
    klinik = _facility("csv-1")
    assert (klinik.name, klinik.category, klinik.kelurahan.nama) == (
        "Klinik Airnona", "klinik", "Airnona")
    _assert_at(klinik, 123.5871137, -10.1792228)
    _assert_at(_facility("csv-2"), 123.5853806, -10.1579843)
    assert _facility("csv-2").kelurahan.nama == "Tode Kisar"


def test_xlsx_with_dms_text_and_indonesian_numbers_imports_projects() -> None:
    report = import_file("projects", DATA / "projects_dms.xlsx", ImportOptions(sheet="Lokasi"))
    assert (report.read, report.created, report.rejected) == (2, 2, [])
    drain = ProjectSite.objects.select_related("agency", "kelurahan").get(
        external_id="PUPR-2025-01")
    assert drain.name == "Rehabilitasi drainase Jl. Timor Raya"
    assert (drain.agency.kode, drain.fiscal_year, drain.funding_source) == ("PUPR", 2025, "APBD")
    assert (drain.budget, drain.status, drain.progress) == (
        1_250_000_000, "implementation", Decimal("45.5"))
    assert drain.is_sample is False
    _assert_at(drain, 123 + 35 / 60 + 40 / 3600, -(10 + 10 / 60 + 12 / 3600))
    road = ProjectSite.objects.get(external_id="PUPR-2025-02")
    assert (road.budget, road.status, road.funding_source) == (875_000_000, "preparation", "DAK")
    # DMS to 0.1" is 3 m: the Naimata point within 1e-5 degrees, in Naimata.
    assert road.geometry.x == pytest.approx(123.6393346, abs=1e-5)
    assert road.geometry.y == pytest.approx(-10.1845486, abs=1e-5)
    assert road.kelurahan.nama == "Naimata"


def test_an_unknown_xlsx_sheet_is_named_with_the_sheets_there_are() -> None:
    with pytest.raises(UnreadableFile) as caught:
        import_file("projects", DATA / "projects_dms.xlsx", ImportOptions(sheet="Data"))
    assert str(caught.value) == (
        "projects_dms.xlsx: tidak ada sheet 'Data' (--sheet); sheet: Catatan, Lokasi"
    )


def test_geopackage_in_utm_51s_needs_a_source_layer_and_is_reprojected() -> None:
    with pytest.raises(UnreadableFile) as caught:
        import_file("facilities", DATA / "facilities_utm51s.gpkg")
    assert str(caught.value) == (
        "facilities_utm51s.gpkg memuat 2 layer; pilih satu dengan --source-layer: faskes, "
        "survei"
    )
    report = import_file("facilities", DATA / "facilities_utm51s.gpkg",
                         ImportOptions(source_layer="faskes"))
    assert (report.read, report.created) == (2, 2)
    puskesmas = _facility("gpkg-1")
    assert (puskesmas.name, puskesmas.category, puskesmas.kelurahan.nama) == (
        "Puskesmas Oesapa", "puskesmas", "Oesapa Selatan")
    _assert_at(puskesmas, 123.653577, -10.1597425)
    _assert_at(_facility("gpkg-2"), 123.6028135, -10.1564841)
    assert _facility("gpkg-2").category == "sd"


@pytest.mark.parametrize("name", ["facilities_phone.kml", "facilities_phone.kmz"])
def test_kml_and_kmz_from_a_phone_drop_the_altitude(name: str) -> None:
    report = import_file("facilities", DATA / name)
    assert (report.read, report.created) == (2, 2)
    masjid = _facility("kml-1")
    assert (masjid.name, masjid.category, masjid.kelurahan.nama) == (
        "Masjid Manutapen", "masjid", "Manutapen")
    assert not masjid.geometry.hasz
    _assert_at(masjid, 123.5755403, -10.1810416)
    _assert_at(_facility("kml-2"), 123.5823321, -10.167895)


def test_zipped_shapefile_in_dgn95_utm_51s_is_reprojected() -> None:
    report = import_file("facilities", DATA / "facilities_dgn95_utm51s.zip")
    assert (report.read, report.created) == (2, 2)
    _assert_at(_facility("utm-1"), 123.6088393, -10.1639144)
    _assert_at(_facility("utm-2"), 123.5853806, -10.1579843)
    assert _facility("utm-1").kecamatan.nama == "Oebobo"


def test_csv_in_dgn95_tm3_without_crs_needs_srid_23840() -> None:
    with pytest.raises(UnreadableFile) as caught:
        import_file("facilities", DATA / "facilities_dgn95_tm3.csv")
    assert str(caught.value) == (
        "facilities_dgn95_tm3.csv: berkas tidak menyatakan CRS, tetapi sebagian besar "
        "koordinatnya bukan derajat; beri kode EPSG dengan --srid (mis. --srid 32751)"
    )
    report = import_file("facilities", DATA / "facilities_dgn95_tm3.csv", ImportOptions(srid=23840))
    assert (report.read, report.created) == (2, 2)
    _assert_at(_facility("tm3-1"), 123.5755403, -10.1810416)
    _assert_at(_facility("tm3-2"), 123.653577, -10.1597425)
    assert _facility("tm3-2").kelurahan.nama == "Oesapa Selatan"
