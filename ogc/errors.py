"""The ogc app's errors and their one mapping to HTTP.

pygeoapi reports its own errors (provider errors → OGC exception documents);
these are the checks Taksi adds in front of it, answered in the same
OGC exception shape: ``{"code": ..., "type": ..., "description": ...}``.
"""

from __future__ import annotations

from http import HTTPStatus

from django.http import JsonResponse


class OgcError(Exception):
    status = HTTPStatus.INTERNAL_SERVER_ERROR
    code = "NoApplicableCode"

    def __init__(self, description: str) -> None:
        super().__init__(description)
        self.description = description


class InvalidParameterValue(OgcError):
    """A query parameter that the endpoint does not declare, or a bad value."""

    status = HTTPStatus.BAD_REQUEST
    code = "InvalidParameterValue"


class NotFound(OgcError):
    status = HTTPStatus.NOT_FOUND
    code = "NotFound"


class ContentTooLarge(OgcError):
    """A download over ``TAKSI_EXPORT_MAX_FEATURES`` features (HTTP 413)."""

    status = HTTPStatus.REQUEST_ENTITY_TOO_LARGE
    code = "ContentTooLarge"


def error_response(error: OgcError) -> JsonResponse:
    return JsonResponse(
        {"code": error.code, "type": error.code, "description": error.description},
        status=error.status,
    )


class TooManyRequests(OgcError):
    """Anonymous clients above ``TAKSI_RATE_LIMIT`` requests a minute (RFC 6585)."""

    status = HTTPStatus.TOO_MANY_REQUESTS
    code = "TooManyRequests"


class QueryTimeout(OgcError):
    """PostgreSQL cancelled a public query at ``statement_timeout``."""

    status = HTTPStatus.SERVICE_UNAVAILABLE
    code = "QueryTimeout"
