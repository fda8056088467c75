"""Damaged or oversized XLSX and KMZ files: one sentence naming the file, never lxml's.

The files are made here: a real workbook (openpyxl) whose XML parts are cut
short or blown up, and a KMZ whose doc.kml unpacks to more than the limit.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from openpyxl import Workbook

from layers.errors import UnreadableFile
from layers.importing import import_file
from layers.importing.archives import MAX_UNPACKED_BYTES
from layers.models import Facility

pytestmark = pytest.mark.django_db

KUPANG_FACILITIES = 67


def _workbook(path: Path) -> Path:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["id", "nama", "kategori", "bujur", "lintang"])
    sheet.append(["x-1", "Klinik Fatululi", "klinik", 123.6088393, -10.1639144])
    workbook.save(path)
    return path


def _replace_part(path: Path, part: str, data: bytes | None = None, size: int = 0) -> Path:
    """A copy of the workbook at ``path`` with ``part`` replaced by ``data`` (or ``size``
    bytes of one repeated XML character, streamed: a zip bomb)."""
    damaged = path.with_name(f"rusak-{path.name}")
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(damaged, "w",
                                                          zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            if info.filename != part:
                target.writestr(info, source.read(info))
            elif data is not None:
                target.writestr(part, data)
            else:
                with target.open(part, "w", force_zip64=True) as member:
                    chunk = b"<" + b"a" * ((1 << 20) - 1)
                    for _ in range(size // len(chunk) + 1):
                        member.write(chunk)
    return damaged


def _refusal(path: Path) -> str:
    with pytest.raises(UnreadableFile) as caught:
        import_file("facilities", path)
    assert Facility.objects.count() == KUPANG_FACILITIES
    return str(caught.value)


def test_an_xlsx_with_a_broken_workbook_part_is_not_a_readable_xlsx(tmp_path: Path) -> None:
    path = _replace_part(_workbook(tmp_path / "aset.xlsx"), "xl/workbook.xml", b"<workbook")
    assert _refusal(path) == "rusak-aset.xlsx: bukan buku kerja XLSX yang dapat dibaca"


def test_an_xlsx_whose_sheet_xml_is_cut_short_is_not_a_readable_xlsx(tmp_path: Path) -> None:
    good = _workbook(tmp_path / "aset.xlsx")
    with zipfile.ZipFile(good) as archive:
        sheet = archive.read("xl/worksheets/sheet1.xml")
    path = _replace_part(good, "xl/worksheets/sheet1.xml", sheet[: len(sheet) // 2])
    assert _refusal(path) == "rusak-aset.xlsx: bukan buku kerja XLSX yang dapat dibaca"


def test_the_command_says_it_without_a_traceback(tmp_path: Path) -> None:
    path = _replace_part(_workbook(tmp_path / "aset.xlsx"), "xl/workbook.xml", b"<workbook")
    with pytest.raises(CommandError, match=r"^rusak-aset\.xlsx: bukan buku kerja XLSX"):
        call_command("import_layer", "facilities", str(path), "--dry-run")


def test_an_xlsx_bomb_is_refused_by_its_unpacked_size(tmp_path: Path) -> None:
    path = _replace_part(_workbook(tmp_path / "aset.xlsx"), "xl/worksheets/sheet1.xml",
                         size=MAX_UNPACKED_BYTES + 10 * (1 << 20))
    assert path.stat().st_size < 2_000_000
    assert _refusal(path) == (
        "rusak-aset.xlsx: isi arsip 211 MB bila dibuka, lebih dari batas 200 MB; tidak dibuka. "
        "Bagi berkas menjadi beberapa bagian")


def test_a_kmz_bomb_is_refused_by_its_unpacked_size(tmp_path: Path) -> None:
    path = tmp_path / "survei.kmz"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive, \
            archive.open("doc.kml", "w", force_zip64=True) as member:
        for _ in range(MAX_UNPACKED_BYTES // (1 << 20) + 10):
            member.write(b" " * (1 << 20))
    assert _refusal(path).startswith(
        "survei.kmz: isi arsip 210 MB bila dibuka, lebih dari batas 200 MB; tidak dibuka.")
