"""Zipped Shapefiles as agencies send them, and what each file declares about itself.

The zips are made here from the committed cp1252 Shapefile (tests/data/import,
see its README): in a sub-folder with upper-case suffixes, with junk instead
of a Shapefile, as a zip bomb, with a .cpg or .prj that means nothing. Every
refusal names the file and the part at fault, and nothing is written.
"""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest

from layers.errors import UnreadableFile
from layers.importing import ImportOptions, import_file
from layers.importing.archives import MAX_UNPACKED_BYTES
from layers.models import Facility

pytestmark = pytest.mark.django_db

DATA = Path(__file__).parent / "data" / "import"
KUPANG_FACILITIES = 67
CP1252_NAMES = ["Gereja Sion – Fontein", "Kantor Lurah Naimata «Baru»", "Pasar Oebobo – Kios Ñ"]


def _zip(path: Path, members: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for member, data in members.items():
            archive.writestr(member, data)
    return path


def _cp1252_parts(stem: str, upper: bool = False, prj: bytes | None = None) -> dict[str, bytes]:
    parts = {}
    for suffix in (".shp", ".shx", ".dbf", ".prj"):
        data = (DATA / f"facilities_cp1252{suffix}").read_bytes()
        if suffix == ".prj" and prj is not None:
            data = prj
        parts[f"{stem}{suffix.upper() if upper else suffix}"] = data
    return parts


def _refusal(path: Path, **options: object) -> str:
    with pytest.raises(UnreadableFile) as caught:
        import_file("facilities", path, ImportOptions(**options))
    assert Facility.objects.count() == KUPANG_FACILITIES
    return str(caught.value)


def test_a_shapefile_in_a_sub_folder_with_upper_case_suffixes_imports(tmp_path: Path) -> None:
    path = _zip(tmp_path / "faskes.zip", {
        **_cp1252_parts("DATA/FASKES", upper=True),
        "__MACOSX/DATA/._FASKES.SHP": b"\x00\x05\x16\x07 resource fork",
    })
    report = import_file("facilities", path)
    assert (report.created, report.rejected) == (3, [])
    assert sorted(Facility.objects.filter(external_id__startswith="shp-")
                  .values_list("name", flat=True)) == CP1252_NAMES


def test_an_unzipped_shapefile_with_upper_case_suffixes_imports(tmp_path: Path) -> None:
    """FASKES.SHP with .SHX/.DBF/.PRJ beside it, as ArcGIS on Windows writes them."""
    for member, data in _cp1252_parts("FASKES", upper=True).items():
        (tmp_path / member).write_bytes(data)
    report = import_file("facilities", tmp_path / "FASKES.SHP")
    assert (report.created, report.rejected) == (3, [])
    assert sorted(Facility.objects.filter(external_id__startswith="shp-")
                  .values_list("name", flat=True)) == CP1252_NAMES


def test_a_zip_whose_shapefile_is_junk_says_no_layer_can_be_read(tmp_path: Path) -> None:
    path = _zip(tmp_path / "rusak.zip", {f"a{s}": b"x" * 100 for s in (".shp", ".shx", ".dbf")})
    assert _refusal(path) == (
        "rusak.zip: GDAL tidak menemukan satu layer pun yang dapat dibaca di dalamnya "
        "(a.shp: bukan Shapefile yang dapat dibaca GDAL)")


def test_a_zip_of_two_junk_shapefiles_names_both(tmp_path: Path) -> None:
    path = _zip(tmp_path / "dua.zip", {f"{stem}{s}": b"x" * 100 for stem in "ab"
                                       for s in (".shp", ".shx", ".dbf")})
    assert _refusal(path) == (
        "dua.zip: GDAL tidak menemukan satu layer pun yang dapat dibaca di dalamnya "
        "(a.shp, b.shp: bukan Shapefile yang dapat dibaca GDAL)")


def test_a_zip_of_two_good_shapefiles_asks_which_layer(tmp_path: Path) -> None:
    path = _zip(tmp_path / "dua.zip", {**_cp1252_parts("puskesmas"), **_cp1252_parts("pasar")})
    assert _refusal(path) == (
        "dua.zip memuat 2 layer; pilih satu dengan --source-layer: pasar, puskesmas")
    report = import_file("facilities", path, ImportOptions(source_layer="pasar", dry_run=True))
    assert report.created == 3


def test_a_zip_bomb_is_refused_by_its_unpacked_size_before_it_is_opened(tmp_path: Path) -> None:
    path = tmp_path / "bom.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        with archive.open("a.shp", "w", force_zip64=True) as member:
            chunk = bytes(1 << 20)
            for _ in range(MAX_UNPACKED_BYTES // len(chunk) + 10):
                member.write(chunk)
        archive.writestr("a.shx", b"x" * 100)
        archive.writestr("a.dbf", b"x" * 100)
    assert path.stat().st_size < 1_000_000
    assert _refusal(path) == (
        "bom.zip: isi arsip 210 MB bila dibuka, lebih dari batas 200 MB; tidak dibuka. "
        "Bagi berkas menjadi beberapa bagian")


def test_a_cpg_naming_no_known_encoding_is_reported_with_the_encoding_used(
        tmp_path: Path) -> None:
    path = _zip(tmp_path / "faskes.zip", {**_cp1252_parts("faskes"),
                                          "faskes.cpg": b"NOT-A-CODEPAGE\r\n"})
    report = import_file("facilities", path, ImportOptions(dry_run=True))
    assert report.created == 3
    assert ("faskes.zip: .cpg menyatakan encoding 'NOT-A-CODEPAGE' yang tidak dikenal; atribut "
            "dibaca sebagai cp1252 (tebakan). Bila huruf salah, paksa dengan --encoding"
            ) in report.notes
    assert Facility.objects.count() == KUPANG_FACILITIES


def test_a_garbage_prj_is_refused_naming_its_text_and_srid(tmp_path: Path) -> None:
    path = _zip(tmp_path / "faskes.zip", _cp1252_parts("faskes", prj=b"GARBAGE["))
    assert _refusal(path) == (
        "faskes.zip: CRS yang dinyatakan berkas (faskes.prj: 'GARBAGE[') tidak dikenali PROJ; "
        "perbaiki atau hapus, atau beri kode EPSG yang benar dengan --srid (mis. --srid 4326 "
        "atau --srid 32751)")
    report = import_file("facilities", path, ImportOptions(srid=4326))
    assert report.created == 3


def test_a_geojson_crs_proj_does_not_know_is_refused_naming_it(tmp_path: Path) -> None:
    path = tmp_path / "faskes.geojson"
    path.write_text(json.dumps({
        "type": "FeatureCollection",
        "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::999999"}},
        "features": [{"type": "Feature", "properties": {"id": "gj-1", "nama": "Klinik",
                                                        "kategori": "klinik"},
                      "geometry": {"type": "Point", "coordinates": [123.6088393, -10.1639144]}}],
    }), encoding="utf-8")
    assert _refusal(path) == (
        "faskes.geojson: CRS yang dinyatakan berkas (crs: 'urn:ogc:def:crs:EPSG::999999') tidak "
        "dikenali PROJ; perbaiki atau hapus, atau beri kode EPSG yang benar dengan --srid "
        "(mis. --srid 4326 atau --srid 32751)")
    assert import_file("facilities", path, ImportOptions(srid=4326)).created == 1
