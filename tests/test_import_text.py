"""NUL characters and lone surrogates: PostgreSQL text cannot hold them, GDAL alters them.

GDAL cuts a GeoJSON string at ``\\u0000``, turns ``\\ud800`` into U+FFFD and
ends a CSV line at a NUL byte; the importer rejects instead of storing an
altered value, naming row and field (GeoJSON) or every row and column (CSV).
The files are written here.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from layers.errors import ImportRejected, UnreadableFile
from layers.importing import ImportOptions, import_file
from layers.models import Facility

pytestmark = pytest.mark.django_db

KUPANG_FACILITIES = 67


def _geojson(path: Path, names: list[str], key: str = "nama") -> Path:
    """Features with ``names`` as raw JSON string bodies (escapes written as given)."""
    features = ",".join(
        '{"type":"Feature","properties":{"id":"t-' + str(i) + '","' + key + '":"' + name
        + '","kategori":"klinik"},"geometry":{"type":"Point","coordinates":[123.6088393,'
        '-10.1639144]}}' for i, name in enumerate(names, start=1))
    path.write_text('{"type":"FeatureCollection","features":[' + features + "]}",
                    encoding="utf-8")
    return path


def test_a_nul_in_a_geojson_value_rejects_the_row_naming_row_and_field(tmp_path: Path) -> None:
    path = _geojson(tmp_path / "faskes.geojson",
                    ["Klinik Baik", "Klinik a\\u0000b", "Klinik \\ud800 Sehat"])
    with pytest.raises(ImportRejected) as caught:
        import_file("facilities", path, ImportOptions(report_path=tmp_path / "ditolak.csv"))
    rejected = [(r.row, r.field, r.code, r.message, r.value)
                for r in caught.value.report.rejected]
    assert rejected == [
        (2, "name (nama)", "invalid_text",
         "teks memuat karakter NUL (\\u0000) pada posisi 9, yang tidak dapat disimpan "
         "PostgreSQL; hapus dari berkas", "Klinik a\\u0000b"),
        (3, "name (nama)", "invalid_text",
         "teks memuat surrogate UTF-16 tunggal (\\ud800) pada posisi 8, yang tidak dapat "
         "disimpan PostgreSQL; hapus dari berkas", "Klinik \\ud800 Sehat"),
    ]
    assert "Klinik a\\u0000b" in (tmp_path / "ditolak.csv").read_text(encoding="utf-8-sig")
    assert Facility.objects.count() == KUPANG_FACILITIES


def test_escaped_but_storable_text_still_imports(tmp_path: Path) -> None:
    path = _geojson(tmp_path / "faskes.geojson", ["Klinik \\u00d1 \\ud83d\\ude91"])
    assert import_file("facilities", path).created == 1
    assert Facility.objects.get(external_id="t-1").name == "Klinik Ñ 🚑"


def test_a_nul_in_a_property_name_refuses_the_file_naming_it(tmp_path: Path) -> None:
    path = _geojson(tmp_path / "faskes.geojson", ["Klinik"], key="na\\u0000ma")
    with pytest.raises(UnreadableFile) as caught:
        import_file("facilities", path)
    assert str(caught.value) == (
        "faskes.geojson: fitur 1: nama properti 'na\\u0000ma': teks memuat karakter NUL "
        "(\\u0000) pada posisi 3, yang tidak dapat disimpan PostgreSQL; hapus dari berkas")


def test_a_nul_byte_in_a_csv_names_its_rows_and_columns(tmp_path: Path) -> None:
    path = tmp_path / "survei.csv"
    path.write_bytes(b"id;nama;kategori;bujur;lintang\n"
                     b"s-1;Klinik;klinik;123,6088393;-10,1639144\n"
                     b"s-2;A\x00B;klinik;123,6088393;-10,1639144\n"
                     b"s-3;Klinik;kli\x00nik;123,6088393;-10,1639144\n")
    with pytest.raises(UnreadableFile) as caught:
        import_file("facilities", path)
    assert str(caught.value) == (
        "survei.csv: karakter NUL (\\u0000) di baris 3 kolom nama, baris 4 kolom kategori; "
        "teks PostgreSQL tidak dapat memuatnya dan GDAL memotong barisnya di situ. Hapus "
        "karakter itu, lalu simpan ulang")
    assert Facility.objects.count() == KUPANG_FACILITIES


def test_the_nul_refusal_reads_in_english_for_an_english_reader(tmp_path: Path) -> None:
    from django.utils import translation

    path = tmp_path / "survei.csv"
    path.write_bytes(b"id,nama,kategori,lon,lat\ns-1,A\x00B,klinik,123.6088393,-10.1639144\n")
    with translation.override("en"), pytest.raises(UnreadableFile) as caught:
        import_file("facilities", path)
    assert str(caught.value) == (
        "survei.csv: NUL character (\\u0000) in row 2 column nama; PostgreSQL text cannot hold "
        "it and GDAL cuts the row there. Remove the character and save again")
