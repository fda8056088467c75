"""The one error hierarchy of the ``layers`` app.

Every error a user can cause (an unknown layer, an unreadable file, rows that
fail validation, a workflow move their role does not grant) is a
``LayerError`` with a short message that names the file, row, field or option
at fault, and the HTTP status it maps to. Callers translate them in one place
each: the ``import_layer`` command into ``CommandError``, the admin into a
message on the page, the API by ``status``. Nothing here is ever a 500.
"""

from __future__ import annotations

from http import HTTPStatus
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from layers.importing.report import ImportReport


class LayerError(Exception):
    """Base class: ``str(error)`` (also ``.message``) is a message fit to show to the user."""

    status = HTTPStatus.BAD_REQUEST
    code = "InvalidRequest"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class UnknownLayer(LayerError):
    """No layer is declared under this id in ``layers.registry``."""

    status = HTTPStatus.NOT_FOUND
    code = "NotFound"


class NotImportable(LayerError):
    """The layer is declared but has no import specification."""


class UnreadableFile(LayerError):
    """The file cannot be opened or understood as a whole (format, CRS, sheet, layer)."""


class NoKeyColumn(UnreadableFile):
    """The file has no column for the layer's key, so a re-import would duplicate rows."""

    code = "NoKeyColumn"


class NoFeatures(UnreadableFile):
    """The file holds no row or feature (a header only, an empty FeatureCollection).

    Importing nothing is never what was meant; the command exits non-zero and
    the admin offers no confirmation.
    """

    code = "NoFeatures"


class BadOption(LayerError):
    """An option (``--map``, ``--key``, ``--srid``, ``--encoding``) names something unknown."""


class OutsideCity(LayerError):
    """A facility or project site with no kelurahan containing it or within 50 m.

    Raised by ``layers.spatial_join.validate_location``, the one rule that the
    admin form, model ``full_clean`` (so any write API) and ``save()`` share.
    """

    code = "OutsideCity"


class WriteRefused(LayerError):
    """The database refused a write that validation let through (a constraint race).

    The transaction is rolled back; the message carries PostgreSQL's detail.
    """

    status = HTTPStatus.CONFLICT
    code = "WriteRefused"


class ImportRejected(LayerError):
    """At least one row was rejected, so nothing was written.

    Carries the full report so the caller can list every rejected row.
    """

    def __init__(self, report: ImportReport) -> None:
        self.report = report
        super().__init__(report.summary())


class TransitionNotAllowed(LayerError):
    """A workflow move that the transition table does not grant to this user."""

    status = HTTPStatus.FORBIDDEN
    code = "TransitionNotAllowed"


class NotPermitted(LayerError):
    """The user may not touch this row (another agency's data, or no role)."""

    status = HTTPStatus.FORBIDDEN
    code = "Forbidden"


class FeatureNotFound(LayerError):
    """No such feature, or one this user may not see: the same answer for both."""

    status = HTTPStatus.NOT_FOUND
    code = "NotFound"


def feature_not_found_text(collection: str, identifier: object) -> str:
    """The one wording of a missing feature — or one this user may not read — for
    reads, writes and history alike, so no answer tells the two apart."""
    label = f"{collection}/{identifier}"
    return f"{label}: fitur tidak ditemukan. / {label}: feature not found."


class InvalidToken(LayerError):
    """A bearer token that is unknown, revoked, expired or malformed (RFC 6750)."""

    status = HTTPStatus.UNAUTHORIZED
    code = "InvalidToken"
