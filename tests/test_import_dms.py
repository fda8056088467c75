"""Degrees-minutes-seconds as agencies type them: the hemisphere after the number
(``10°10'12"S``, ``10°10'12" LS``) or before it, as GPS units show it
(``S 10°10'12"``); minutes and seconds of 60 or more are no position."""

from __future__ import annotations

from pathlib import Path

import pytest

from layers.errors import ImportRejected
from layers.importing import import_file
from layers.importing.numbers import parse_coordinate, parse_pair
from layers.models import Facility

pytestmark = pytest.mark.django_db

SOUTH = -(10 + 10 / 60 + 5 / 3600)
EAST = 123 + 35 / 60 + 10 / 3600


@pytest.mark.parametrize("text", ["10°10'05\"S", "10°10'05\" LS", "S 10°10'05\"",
                                  "LS 10°10'05\"", "-10°10'05\""])
def test_a_southern_latitude_reads_the_same_however_the_hemisphere_is_written(
        text: str) -> None:
    assert parse_coordinate(text, "lat") == pytest.approx(SOUTH)


@pytest.mark.parametrize("text", ["10°10'12\"S 123°35'10\"E", "S 10°10'12\" E 123°35'10\"",
                                  "E 123°35'10\" S 10°10'12\""])
def test_a_pair_reads_the_same_with_hemispheres_before_or_after(text: str) -> None:
    lon, lat = parse_pair(text)
    assert (lon, lat) == pytest.approx((EAST, -(10 + 10 / 60 + 12 / 3600)))


@pytest.mark.parametrize(("text", "says"), [("10°70'05\"S", "menit harus di bawah 60"),
                                            ("10°10'75\"S", "detik harus di bawah 60")])
def test_minutes_or_seconds_of_sixty_or_more_are_refused(text: str, says: str) -> None:
    with pytest.raises(ValueError, match=says):
        parse_coordinate(text, "lat")


def test_a_csv_with_prefixed_and_impossible_dms_imports_one_row_and_names_the_other(
        tmp_path: Path) -> None:
    path = tmp_path / "dms.csv"
    path.write_text("id;nama;kategori;lintang;bujur\n"
                    "d-1;Klinik GPS;klinik;S 10°10'05\";E 123°35'10\"\n"
                    "d-2;Klinik Salah Ketik;klinik;10°70'05\"S;123°35'10\"E\n",
                    encoding="utf-8")
    with pytest.raises(ImportRejected) as caught:
        import_file("facilities", path)
    (rejection,) = caught.value.report.rejected
    assert (rejection.row, rejection.code) == (3, "invalid_coordinate")
    assert (rejection.field, rejection.value) == ("geometry (lintang)", "10°70'05\"S")
    assert rejection.message.endswith("10°70'05\"S: menit harus di bawah 60")
    assert not Facility.objects.filter(external_id__in=["d-1", "d-2"]).exists()
    path.write_text(path.read_text(encoding="utf-8").splitlines()[0] + "\n"
                    + path.read_text(encoding="utf-8").splitlines()[1] + "\n", encoding="utf-8")
    assert import_file("facilities", path).created == 1
    point = Facility.objects.get(external_id="d-1").geometry
    assert (point.x, point.y) == pytest.approx((EAST, SOUTH), abs=1e-9)


def test_an_empty_or_unreadable_cell_is_named_by_its_own_column_with_its_value(
        tmp_path: Path) -> None:
    path = tmp_path / "coord.csv"
    path.write_text("id,nama,kategori,lon,lat\n"
                    "c-1,Kosong Lintang,klinik,123.5858,\n"
                    "c-2,Bujur Salah,klinik,12a.5,-10.17\n"
                    "c-3,Lintang Salah,klinik,123.5858,abc\n", encoding="utf-8")
    with pytest.raises(ImportRejected) as caught:
        import_file("facilities", path)
    assert [(r.row, r.field, r.code, r.value) for r in caught.value.report.rejected] == [
        (2, "geometry (lat)", "missing_geometry", ""),
        (3, "geometry (lon)", "invalid_coordinate", "12a.5"),
        (4, "geometry (lat)", "invalid_coordinate", "abc"),
    ]
