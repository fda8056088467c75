"""Columns the importer must find: a required field no column feeds is named once with
the file's columns and ``--map``, and Shapefile-cut names (``NAMA_FASKE``) still match."""

from __future__ import annotations

from pathlib import Path

import pytest

from layers.errors import ImportRejected
from layers.importing import ImportOptions, import_file
from layers.models import Facility

pytestmark = pytest.mark.django_db


def test_a_file_without_a_name_column_says_which_columns_it_has_and_how_to_map(
        tmp_path: Path) -> None:
    path = tmp_path / "judul.csv"
    path.write_text("id,judul,kategori,lon,lat\n"
                    "j-1,Klinik Oebobo,klinik,123.5858,-10.1681\n", encoding="utf-8")
    with pytest.raises(ImportRejected) as caught:
        import_file("facilities", path)
    report = caught.value.report
    (note,) = [n for n in report.notes if n.startswith("tidak ada kolom untuk name")]
    assert "kolom berkas: id, judul, kategori, lon, lat" in note
    assert note.endswith("Pilih kolomnya dengan --map name=KOLOM")
    assert [r.field for r in report.rejected] == ["name"]
    # The hint works as written.
    created = import_file("facilities", path, ImportOptions(mapping={"name": "judul"}))
    assert created.created == 1 and not [n for n in created.notes if "--map name" in n]
    assert Facility.objects.get(external_id="j-1").name == "Klinik Oebobo"


def test_a_column_name_cut_to_ten_characters_by_a_shapefile_still_matches(
        tmp_path: Path) -> None:
    path = tmp_path / "dbf.csv"
    path.write_text("ID,NAMA_FASKE,KATEGORI,LON,LAT\n"
                    "n-1,Puskesmas Oepoi,puskesmas,123.5858,-10.1681\n", encoding="utf-8")
    assert import_file("facilities", path).created == 1
    assert Facility.objects.get(external_id="n-1").name == "Puskesmas Oepoi"
