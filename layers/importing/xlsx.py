"""XLSX sheets through openpyxl: typed cells, the first sheet unless ``--sheet`` names one.

An XLSX is a zip of XML parts: it is refused over the unpacked-size limit
before openpyxl opens it (``archives``), and a part that is no well-formed
XML (or one lxml's limits refuse) is "not a readable XLSX", whether openpyxl
notices on opening or, reading lazily, on the first row.

A first sheet without data (a notes sheet, as agencies often put first) is
refused naming it and the other sheets with their data rows, suggesting the
``--sheet`` to use.
"""

from __future__ import annotations

import shlex
import zipfile
import zlib
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import ParseError

from django.utils.translation import gettext as _
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException

from layers.errors import NoFeatures, UnreadableFile
from layers.importing.archives import check_archive
from layers.importing.readers import SourceRow, Table

try:  # openpyxl parses with lxml when it is installed, else with the standard library
    from lxml.etree import LxmlError
except ImportError:  # pragma: no cover - lxml is a dependency
    LxmlError = ParseError  # type: ignore[assignment,misc]

#: What openpyxl lets through from a damaged workbook (a zip or XML problem).
_DAMAGED = (zipfile.BadZipFile, InvalidFileException, OSError, EOFError, KeyError, ValueError,
            TypeError, IndexError, zlib.error, ParseError, LxmlError)


def _blank(cell: Any) -> bool:
    return cell is None or (isinstance(cell, str) and not cell.strip())


def _rows(worksheet: Any) -> tuple[list[str] | None, list[SourceRow]]:
    """The header (the first non-empty row) and the data rows after it, numbered as in
    the sheet (1-based)."""
    columns: list[str] | None = None
    rows: list[SourceRow] = []
    for number, cells in enumerate(worksheet.iter_rows(values_only=True), start=1):
        if all(_blank(c) for c in cells):
            continue
        if columns is None:
            columns = [
                str(c).strip() if not _blank(c) else f"column_{get_column_letter(i + 1)}"
                for i, c in enumerate(cells)
            ]
            continue
        rows.append(SourceRow(number, dict(zip(columns, cells, strict=False))))
    return columns, rows


def _empty_first_sheet(name: str, workbook: Any, first: str) -> NoFeatures:
    """The first sheet holds no data (often a notes sheet): name it, and the sheets that do.

    As a GeoPackage with several tables lists them for ``--source-layer``,
    the user gets the sheet names with their data-row counts and the
    ``--sheet`` to type.
    """
    counts = {ws.title: len(_rows(ws)[1]) for ws in workbook.worksheets[1:]}
    listed = ", ".join(_("%(sheet)r (baris data: %(count)d)") % {"sheet": t, "count": n}
                       for t, n in counts.items())
    with_data = [title for title, count in counts.items() if count]
    if not with_data:
        return NoFeatures(
            _("%(file)s: sheet pertama %(sheet)r tidak memuat satu baris data pun, sheet lain "
              "juga tidak (%(others)s); tidak ada yang diimpor")
            % {"file": name, "sheet": first, "others": listed})
    return NoFeatures(
        _("%(file)s: sheet pertama %(sheet)r tidak memuat satu baris data pun; sheet lain: "
          "%(others)s. Pilih sheet dengan --sheet, mis. --sheet %(suggested)s")
        % {"file": name, "sheet": first, "others": listed,
           "suggested": shlex.quote(with_data[0])})


def read_xlsx(path: Path, sheet: str | None, name: str | None = None) -> Table:
    """The header is the first non-empty row; row numbers are the sheet's own (1-based)."""
    name = name or path.name
    check_archive(path, name)
    try:
        return _read(path, sheet, name)
    except _DAMAGED as exc:
        raise UnreadableFile(_("%s: bukan buku kerja XLSX yang dapat dibaca") % name) from exc


def _read(path: Path, sheet: str | None, name: str) -> Table:
    workbook = load_workbook(path, read_only=True, data_only=True)
    try:
        if sheet is not None and sheet not in workbook.sheetnames:
            raise UnreadableFile(
                _("%(file)s: tidak ada sheet %(sheet)r (--sheet); sheet: %(sheets)s")
                % {"file": name, "sheet": sheet, "sheets": ", ".join(workbook.sheetnames)}
            )
        worksheet = workbook[sheet] if sheet is not None else workbook.worksheets[0]
        columns, rows = _rows(worksheet)
        if not rows and sheet is None and len(workbook.worksheets) > 1:
            raise _empty_first_sheet(name, workbook, worksheet.title)
    finally:
        workbook.close()
    return Table(path=path, columns=columns or [], rows=rows, layer_name=worksheet.title)
