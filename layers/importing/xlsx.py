"""XLSX sheets through openpyxl: typed cells, the first sheet unless ``--sheet`` names one."""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException

from layers.errors import UnreadableFile
from layers.importing.readers import SourceRow, Table


def _blank(cell: Any) -> bool:
    return cell is None or (isinstance(cell, str) and not cell.strip())


def read_xlsx(path: Path, sheet: str | None, name: str | None = None) -> Table:
    """The header is the first non-empty row; row numbers are the sheet's own (1-based)."""
    name = name or path.name
    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, OSError, KeyError, ValueError) as exc:
        raise UnreadableFile(_("%s: bukan buku kerja XLSX yang dapat dibaca") % name) from exc
    try:
        if sheet is not None and sheet not in workbook.sheetnames:
            raise UnreadableFile(
                _("%(file)s: tidak ada sheet %(sheet)r (--sheet); sheet: %(sheets)s")
                % {"file": name, "sheet": sheet, "sheets": ", ".join(workbook.sheetnames)}
            )
        worksheet = workbook[sheet] if sheet is not None else workbook.worksheets[0]
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
    finally:
        workbook.close()
    return Table(path=path, columns=columns or [], rows=rows, layer_name=worksheet.title)
