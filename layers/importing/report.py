"""What an import did, or would do: counts, every rejected row with field and reason."""

from __future__ import annotations

import csv
import os
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from django.utils.translation import gettext as _

from layers.errors import BadOption


@dataclass(frozen=True)
class Rejection:
    #: Spreadsheet line (header = 1) or feature number, as the user sees it.
    row: int
    #: The model field or pseudo-field (``geometry``, ``lon``), with the file column.
    field: str
    #: Stable English token: swapped, outside_city, invalid_geometry, unmatched_value, ...
    code: str
    message: str
    value: str = ""

    def __str__(self) -> str:
        value = f" [{self.value}]" if self.value else ""
        return _("baris %(row)d, %(field)s: %(message)s") % {
            "row": self.row, "field": self.field, "message": self.message,
        } + value


@dataclass
class ImportReport:
    layer: str
    file: str
    dry_run: bool = False
    read: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: list[Rejection] = field(default_factory=list)
    #: Notes that did not stop the import: repairs, swaps fixed, rows re-tagged.
    notes: list[str] = field(default_factory=list)
    #: Values that matched no category/status/agency, with how many rows had them.
    unmatched: Counter = field(default_factory=Counter)

    @property
    def ok(self) -> bool:
        return not self.rejected

    @property
    def rejected_rows(self) -> int:
        return len({r.row for r in self.rejected})

    def summary(self) -> str:
        """One line, as the command prints it last."""
        if self.ok:
            state = _("uji coba, tidak ada yang ditulis") if self.dry_run else _("tersimpan")
        else:
            state = _("DITOLAK, tidak ada yang ditulis")
        return _(
            "%(file)s → %(layer)s (%(state)s): dibaca %(read)d, baru %(created)d, "
            "diperbarui %(updated)d, tetap %(unchanged)d, ditolak %(rejected)d"
        ) % {
            "file": self.file, "layer": self.layer, "state": state, "read": self.read,
            "created": self.created, "updated": self.updated, "unchanged": self.unchanged,
            "rejected": self.rejected_rows,
        }

    def lines(self) -> list[str]:
        """The full report: rejected rows, unmatched values, notes, then the summary."""
        out = [str(r) for r in sorted(self.rejected, key=lambda r: r.row)]
        if self.unmatched:
            listed = ", ".join(f"{v!r} ({n})" for v, n in sorted(self.unmatched.items()))
            out.append(_("Nilai yang tidak cocok: %s") % listed)
        out.extend(self.notes)
        out.append(self.summary())
        return out

    def write_csv(self, path: Path) -> None:
        """The rejected rows as CSV (UTF-8 with BOM so Excel shows Indonesian names right)."""
        try:
            with path.open("w", newline="", encoding="utf-8-sig") as handle:
                self.write_rows(handle)
        except OSError as exc:
            raise BadOption(_report_refused(path, exc.strerror or str(exc))) from exc

    def write_rows(self, handle: TextIO) -> None:
        writer = csv.writer(handle)
        writer.writerow(["row", "field", "code", "message", "value"])
        for r in sorted(self.rejected, key=lambda r: r.row):
            writer.writerow([r.row, r.field, r.code, r.message, r.value])


def _report_refused(path: Path, reason: str) -> str:
    return _("--report %(path)s: berkas laporan tidak dapat ditulis (%(reason)s)") % {
        "path": path, "reason": reason}


def check_report_path(path: Path | None) -> None:
    """Refuse an unwritable ``--report FILE`` before the import reads anything.

    Finding out after a long import that its list of rejected rows cannot be
    saved would leave the user with nothing to fix the file by.
    """
    if path is None:
        return
    parent = path.parent if str(path.parent) else Path(".")
    if path.is_dir():
        reason = _("itu folder, bukan berkas")
    elif not parent.is_dir():
        reason = _("folder %s tidak ada") % parent
    elif not os.access(parent, os.W_OK) or (path.exists() and not os.access(path, os.W_OK)):
        reason = _("tidak ada izin menulis")
    else:
        return
    raise BadOption(_report_refused(path, reason))
