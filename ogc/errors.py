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

    def __init__(self, description: str, *, headers: dict[str, str] | None = None,
                 details: list[dict[str, str]] | None = None) -> None:
        super().__init__(description)
        self.description = description
        #: Response headers the status needs (WWW-Authenticate, Allow, ETag).
        self.headers = headers or {}
        #: One entry per problem (``{"property": ..., "code": ..., "message": ...}``),
        #: so a client can point at each field; answered as ``errors``.
        self.details = details or []


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


def _encodable(text: str) -> str:
    """The text with lone surrogates escaped: a message that quotes a client's bad
    input (``"\\ud800"`` in a JSON string) must not fail to encode as UTF-8 (a 500)."""
    return text.encode("utf-8", "backslashreplace").decode("utf-8")


def error_response(error: OgcError) -> JsonResponse:
    document: dict[str, object] = {
        "code": error.code, "type": error.code, "description": _encodable(error.description)}
    if error.details:
        document["errors"] = [
            {key: _encodable(value) if isinstance(value, str) else value
             for key, value in detail.items()} for detail in error.details]
    response = JsonResponse(document, status=error.status,
                            json_dumps_params={"ensure_ascii": False})
    for name, value in error.headers.items():
        response[name] = value
    return response


class TooManyRequests(OgcError):
    """Anonymous clients above ``TAKSI_RATE_LIMIT`` requests a minute (RFC 6585)."""

    status = HTTPStatus.TOO_MANY_REQUESTS
    code = "TooManyRequests"


class RequestTimeout(OgcError):
    """The request body stopped arriving (``TAKSI_BODY_TIMEOUT_S``, ``spatial.wsgi``)."""

    status = HTTPStatus.REQUEST_TIMEOUT
    code = "RequestTimeout"


class QueryTimeout(OgcError):
    """PostgreSQL cancelled a public query at ``statement_timeout``."""

    status = HTTPStatus.SERVICE_UNAVAILABLE
    code = "QueryTimeout"


# -- the write API (OGC API Features Part 4, ``ogc.writes``) ---------------------


class Unauthorized(OgcError):
    """A write without credentials (RFC 9110 §15.5.2: with a ``WWW-Authenticate`` challenge)."""

    status = HTTPStatus.UNAUTHORIZED
    code = "Unauthorized"


class Forbidden(OgcError):
    """Signed in, but this role or agency may not do this (or a CSRF check failed)."""

    status = HTTPStatus.FORBIDDEN
    code = "Forbidden"


class MethodNotAllowed(OgcError):
    status = HTTPStatus.METHOD_NOT_ALLOWED
    code = "MethodNotAllowed"


def method_not_allowed(method: str | None, allowed: tuple[str, ...]) -> MethodNotAllowed:
    """A 405 that says which methods the resource takes, in ``Allow`` and in words."""
    methods = ", ".join(allowed)
    return MethodNotAllowed(
        f"Metode {method} tidak diterima di sini; pakai {methods}. / "
        f"{method} is not allowed here; use {methods}.", headers={"Allow": methods})


class UnsupportedMediaType(OgcError):
    status = HTTPStatus.UNSUPPORTED_MEDIA_TYPE
    code = "UnsupportedMediaType"


class LengthRequired(OgcError):
    """A body sent without ``Content-Length`` (chunked): Django would read it as empty."""

    status = HTTPStatus.LENGTH_REQUIRED
    code = "LengthRequired"


class InvalidRequestBody(OgcError):
    """The body is not a GeoJSON Feature at all (not JSON, not an object, ...)."""

    status = HTTPStatus.BAD_REQUEST
    code = "InvalidRequestBody"


class InvalidFeature(OgcError):
    """A well-formed Feature that breaks the layer's rules (the import's rules)."""

    status = HTTPStatus.UNPROCESSABLE_CONTENT
    code = "InvalidFeature"


class PreconditionFailed(OgcError):
    """``If-Match`` names another version than the current one (Part 4 optimistic locking)."""

    status = HTTPStatus.PRECONDITION_FAILED
    code = "PreconditionFailed"


class PreconditionRequired(OgcError):
    """A change without ``If-Match`` (RFC 6585 §3): lost updates are refused, not risked."""

    status = HTTPStatus.PRECONDITION_REQUIRED
    code = "PreconditionRequired"


class Conflict(OgcError):
    status = HTTPStatus.CONFLICT
    code = "Conflict"


def layer_error(error: Exception) -> OgcError:
    """A ``layers`` error (``LayerError``: status, code, message) in the OGC shape.

    The layers app knows nothing of HTTP beyond its status numbers; this is the
    one place they become API errors.
    """
    mapped = OgcError(str(getattr(error, "message", error)))
    mapped.status = HTTPStatus(getattr(error, "status", HTTPStatus.BAD_REQUEST))
    mapped.code = getattr(error, "code", "InvalidRequest")
    return mapped
