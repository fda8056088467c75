"""The request body of a write: media type, size, and strict JSON.

Everything here is refused before any database work, with a message naming
what is wrong: an unsupported ``Content-Type`` (415, naming the accepted
types), a body over the limit (413, naming the limit: the same
``TAKSI_MAX_BODY_BYTES`` as every other request, checked on ``Content-Length``
before reading and again while reading; a chunked body without a length is
a 411, since Django would read it as empty), and text
that is not strict JSON (400): NaN/Infinity, numbers too large for a double,
invalid UTF-8, lone surrogates and absurd nesting are all refused, because
each would otherwise reach PostgreSQL or Python's recursion limit as a 500.
"""

from __future__ import annotations

import json
import math
from typing import Any

from django.conf import settings
from django.http import HttpRequest

from ogc.errors import ContentTooLarge, InvalidRequestBody, LengthRequired, UnsupportedMediaType

GEOJSON = "application/geo+json"
JSON = "application/json"
MERGE_PATCH = "application/merge-patch+json"
#: POST and PUT send a whole Feature; PATCH may also send an RFC 7396 merge patch.
FEATURE_TYPES = (GEOJSON, JSON)
PATCH_TYPES = (MERGE_PATCH, GEOJSON, JSON)
MAX_DEPTH = 64
_CHUNK = 64 * 1024


def body_limit() -> int:
    return int(settings.DATA_UPLOAD_MAX_MEMORY_SIZE or 5 * 1024 * 1024)


def check_media_type(request: HttpRequest, accepted: tuple[str, ...]) -> None:
    given = request.META.get("CONTENT_TYPE", "").split(";")[0].strip().lower()
    if given not in accepted:
        raise UnsupportedMediaType(
            f"Content-Type {given or '(kosong / none)'!r} tidak diterima; pakai salah satu: "
            f"{', '.join(accepted)}. / Content-Type {given or '(none)'!r} is not accepted; "
            f"use one of: {', '.join(accepted)}.")


def _too_large(limit: int) -> ContentTooLarge:
    return ContentTooLarge(
        f"Isi permintaan melebihi batas {limit} byte (TAKSI_MAX_BODY_BYTES). / "
        f"The request body is over the limit of {limit} bytes (TAKSI_MAX_BODY_BYTES).")


def check_declared_length(request: HttpRequest) -> None:
    """411 for a chunked body, 413 for a declared length over the limit, before reading.

    Also for bodies read by Django's ``request.body`` (process execution), whose
    own refusal past ``DATA_UPLOAD_MAX_MEMORY_SIZE`` is an HTML 400 naming nothing.
    """
    declared = request.META.get("CONTENT_LENGTH") or ""
    if not declared and request.META.get("HTTP_TRANSFER_ENCODING"):
        # Django reads a body without Content-Length as empty; say so instead.
        raise LengthRequired(
            "Kirim isi permintaan dengan Content-Length (bukan chunked). / "
            "Send the request body with a Content-Length (not chunked).")
    if declared.isdigit() and int(declared) > body_limit():
        raise _too_large(body_limit())


def read_body(request: HttpRequest) -> bytes:
    """The whole body, at most ``body_limit()`` bytes (413 beyond, before reading it all)."""
    limit = body_limit()
    check_declared_length(request)
    too_large = _too_large(limit)
    chunks: list[bytes] = []
    size = 0
    while True:
        chunk = request.read(_CHUNK)
        if not chunk:
            break
        size += len(chunk)
        if size > limit:
            raise too_large
        chunks.append(chunk)
    return b"".join(chunks)


def _finite(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(f"number {text} is out of range")
    return value


def _constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def _depth(value: Any, level: int = 0) -> int:
    if level > MAX_DEPTH:
        raise ValueError(f"nested deeper than {MAX_DEPTH} levels")
    if isinstance(value, dict):
        for key, item in value.items():
            _check_text(key)
            _depth(item, level + 1)
    elif isinstance(value, list):
        for item in value:
            _depth(item, level + 1)
    elif isinstance(value, str):
        _check_text(value)
    return level


def _check_text(text: str) -> None:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as exc:  # a lone surrogate such as "\ud800"
        raise ValueError(f"text {text[:20]!r} is not valid Unicode") from exc


def parse_json(raw: bytes) -> Any:
    """Strict JSON from UTF-8 bytes, or a 400 saying where it is not."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InvalidRequestBody(
            f"Isi permintaan bukan UTF-8 (byte {exc.start}). / "
            f"The request body is not UTF-8 (byte {exc.start}).") from exc
    if not text.strip():
        raise InvalidRequestBody("Isi permintaan kosong; kirim sebuah GeoJSON Feature. / "
                                 "The request body is empty; send a GeoJSON Feature.")
    try:
        value = json.loads(text, parse_float=_finite, parse_int=_bounded_int,
                           parse_constant=_constant)
        _depth(value)
    except RecursionError as exc:
        raise InvalidRequestBody(f"JSON bersarang terlalu dalam. / JSON nested too deeply "
                                 f"(more than {MAX_DEPTH} levels).") from exc
    except ValueError as exc:  # json.JSONDecodeError is a ValueError
        raise InvalidRequestBody(f"Isi permintaan bukan JSON yang sah: {exc}. / "
                                 f"The request body is not valid JSON: {exc}.") from exc
    return value


def _bounded_int(text: str) -> int:
    if len(text.lstrip("-")) > 19:  # beyond PostgreSQL's bigint; int() of huge text is slow
        raise ValueError(f"integer {text[:25]}… is out of range")
    return int(text)
