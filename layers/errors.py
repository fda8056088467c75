"""The one error hierarchy of the ``layers`` app.

Every error a user can cause (an unknown layer, an unreadable file, rows that
fail validation) is a ``LayerError`` with a short message that names the file,
row, field or option at fault. Callers translate them in one place each: the
``import_layer`` command into ``CommandError``, the admin upload view into a
message on the page. Nothing here is ever a 500.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from layers.importing.report import ImportReport


class LayerError(Exception):
    """Base class: ``str(error)`` is a message fit to show to the user."""


class UnknownLayer(LayerError):
    """No layer is declared under this id in ``layers.registry``."""


class NotImportable(LayerError):
    """The layer is declared but has no import specification."""


class UnreadableFile(LayerError):
    """The file cannot be opened or understood as a whole (format, CRS, sheet, layer)."""


class BadOption(LayerError):
    """An option (``--map``, ``--key``, ``--srid``, ``--encoding``) names something unknown."""


class WriteRefused(LayerError):
    """The database refused a write that validation let through (a constraint race).

    The transaction is rolled back; the message carries PostgreSQL's detail.
    """


class ImportRejected(LayerError):
    """At least one row was rejected, so nothing was written.

    Carries the full report so the caller can list every rejected row.
    """

    def __init__(self, report: ImportReport) -> None:
        self.report = report
        super().__init__(report.summary())
