"""The layers app's errors, each with a bilingual message and the HTTP status it maps to.

Views (the admin, ``ogc`` after merging) translate them in one place; the
``status`` attribute says which answer a client gets, the message says why
in Bahasa Indonesia first, English second.
"""

from __future__ import annotations

from http import HTTPStatus


class LayerError(Exception):
    """Base class: ``str(error)`` (also ``.message``) is a message fit to show to the user."""

    status = HTTPStatus.BAD_REQUEST
    code = "InvalidRequest"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


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


class InvalidToken(LayerError):
    """A bearer token that is unknown, revoked, expired or malformed (RFC 6750)."""

    status = HTTPStatus.UNAUTHORIZED
    code = "InvalidToken"
