"""Versions of a feature, its ETags, and the ``If-Match`` check (Part 4 optimistic locking).

A feature's *version* is an MD5 (change detection, not security) of its row
as PostgreSQL writes it (``t::text``: every column, the geometry as exact
hex EWKB, the publication state) together with its published properties
(``agency__nama`` and the other joined names). Any committed change to what a
client sees or what it would overwrite gives a new version, whichever path
made it (API, admin, import, SQL).

The ETag is strong and per representation: ``"<version>-<variant>"``, where
the variant names the format, CRS and language of the response, so two
representations of one version never share a tag (RFC 9110 §8.8.3). For
``If-Match`` only the version part counts: a client that read the feature in
EPSG:32751 may still replace it (/req/optimistic-locking-etags).

``If-Match`` is required on PUT, PATCH and DELETE (428 without it, RFC 6585):
a client that does not say which version it edited is refused rather than
allowed to overwrite someone else's change. ``If-Match: *`` is the explicit
way to say "whatever the current version" (RFC 9110 §13.1.1); clients that
cannot send ETags (QGIS) use it, and accept the lost-update risk knowingly.
"""

from __future__ import annotations

import hashlib
import re

from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_vary_headers
from django.utils.http import parse_etags
from django.utils.text import compress_string

from layers.registry import LayerDeclaration
from ogc.crs import parse_crs
from ogc.errors import InvalidParameterValue, PreconditionFailed, PreconditionRequired
from ogc.providers.features import layer_sql
from ogc.providers.pool import fetchone
from ogc.visibility import visible_sql

#: The variant of a write response and of a plain GET (GeoJSON, CRS84, default language).
DEFAULT_VARIANT_PARTS = ("json", "", "")
_GZIP = re.compile(r"\bgzip\b")
#: As Django's GZipMiddleware: shorter bodies are not worth compressing.
_MIN_COMPRESS = 200


def parse_pk(identifier: object) -> int | None:
    """A feature id as the database's bigint, or None (then: 404)."""
    try:
        pk = int(str(identifier))
    except ValueError:
        return None
    return pk if 0 < pk < 2**63 else None


def _version_sql(layer: LayerDeclaration) -> tuple[str, str]:
    """(version expression, FROM clause) over the layer's row ``t`` and its joins."""
    sql = layer_sql(layer.id)
    names = list(sql.columns)
    pairs = ", ".join(f"'{name}', {sql.columns[name]}" for name in names)
    expression = f"md5(t::text || json_build_object({pairs})::text)"
    return expression, sql.from_clause(set(names))


def read_version(layer: LayerDeclaration, identifier: object) -> tuple[str, str | None] | None:
    """(version, state) of a feature the current reader may see; None if there is none.

    On the feature provider's pool, like the read it precedes: taken *before*
    the body is rendered, a concurrent write can only make the tag older than
    the body (a spurious 412 later), never newer (a lost update).
    """
    pk = parse_pk(identifier)
    if pk is None:
        return None
    expression, from_clause = _version_sql(layer)
    visible, params = visible_sql(layer, "t")
    state = 't."state"' if layer.has_workflow else "NULL"
    row = fetchone(f'SELECT {expression}, {state} FROM {from_clause} '
                   f'WHERE t."id" = %s AND {visible}', [pk, *params])
    return (row[0], row[1]) if row else None


def locked_version(layer: LayerDeclaration, pk: int) -> str | None:
    """The version of row ``pk``, locked (``FOR UPDATE OF t``) until the caller's
    transaction ends: the check and the write it guards see the same row."""
    expression, from_clause = _version_sql(layer)
    with connection.cursor() as cursor:
        cursor.execute(f'SELECT {expression} FROM {from_clause} WHERE t."id" = %s '
                       "FOR UPDATE OF t", [pk])
        row = cursor.fetchone()
    return row[0] if row else None


def variant(fmt: str, crs: str = "", lang: str = "", coding: str = "") -> str:
    return hashlib.sha256(f"{fmt}|{crs}|{lang}|{coding}".encode()).hexdigest()[:8]


def _coding(request: HttpRequest) -> str:
    return "gzip" if _GZIP.search(request.META.get("HTTP_ACCEPT_ENCODING", "")) else ""


def request_variant(request: HttpRequest) -> str:
    """The representation a single-item GET answers with (``f``/Accept, ``crs``,
    ``lang``, gzip or not)."""
    fmt = request.GET.get("f") or (
        "html" if "text/html" in request.META.get("HTTP_ACCEPT", "") else "json")
    crs = request.GET.get("crs")
    try:
        crs_uri = parse_crs(crs, "crs").uri if crs else ""
    except InvalidParameterValue:
        crs_uri = crs or ""  # the view itself answers the 400
    return variant(fmt, crs_uri, request.GET.get("lang", ""), _coding(request))


def write_variant(request: HttpRequest) -> str:
    """The representation of a write response: GeoJSON in CRS84, gzip if accepted."""
    return variant(*DEFAULT_VARIANT_PARTS, _coding(request))


def encode_with_etag(request: HttpRequest, response: HttpResponse, tag: str) -> None:
    """Gzip the body here, deterministically, and set a strong ETag for it.

    Django's GZipMiddleware would weaken the ETag (``W/``, RFC 9110 §8.8.1:
    its gzip adds random bytes against BREACH), and a weak tag can never
    satisfy ``If-Match``. A feature holds no secret for BREACH to extract, so
    it is compressed without the random bytes: the same version and variant
    give the same bytes, as a strong tag promises; the variant names the coding.
    """
    patch_vary_headers(response, ("Accept-Encoding",))
    html = response.get("Content-Type", "").startswith("text/html")
    # HTML is left to the gzip middleware: the CSP middleware stamps its nonce
    # into pygeoapi's inline scripts after the view, which it cannot do in a
    # compressed body (spatial/csp.py). Its tag may then turn weak; editing
    # clients read JSON.
    if _coding(request) and not html and len(response.content) >= _MIN_COMPRESS:
        compressed = compress_string(response.content)
        if len(compressed) < len(response.content):
            response.content = compressed
            response["Content-Length"] = str(len(compressed))
            response["Content-Encoding"] = "gzip"
    response["ETag"] = tag


def etag(version: str, variant_tag: str | None = None) -> str:
    return f'"{version}-{variant_tag or variant(*DEFAULT_VARIANT_PARTS)}"'


def _version_of_tag(tag: str) -> str | None:
    if tag.startswith("W/") or len(tag) < 3:
        return None  # a weak tag never matches in If-Match (strong comparison)
    return tag.strip('"').partition("-")[0] or None


def if_none_match(request: HttpRequest, tag: str) -> bool:
    """True when ``If-None-Match`` lists ``tag`` (or ``*``): the client's copy is current."""
    header = request.META.get("HTTP_IF_NONE_MATCH")
    if not header:
        return False
    tags = parse_etags(header)
    return "*" in tags or tag in tags or f"W/{tag}" in tags


def check_if_match(header: str | None, version: str | None, *, required: bool = True,
                   label: str = "") -> None:
    """Pass, or raise 428 (no ``If-Match``) / 412 (another version, or no row for ``*``)."""
    if header is None or not header.strip():
        if required:
            raise PreconditionRequired(
                f"{label}: header If-Match wajib: kirim ETag dari GET fitur ini (atau "
                "'If-Match: *' untuk menimpa versi apa pun). / "
                f"{label}: the If-Match header is required: send the ETag from a GET of "
                "this feature (or 'If-Match: *' to overwrite whatever version is current).")
        return
    tags = parse_etags(header)
    if "*" in tags:
        if version is None:
            raise PreconditionFailed(f"{label}: If-Match: * tetapi fitur tidak ada. / "
                                     f"{label}: If-Match: * but the feature does not exist.")
        return
    if version is not None and any(_version_of_tag(tag) == version for tag in tags):
        return
    raise PreconditionFailed(
        f"{label}: fitur sudah berubah sejak versi yang Anda baca (If-Match: {header.strip()}); "
        "baca ulang (GET) lalu ulangi. / "
        f"{label}: the feature changed since the version you read (If-Match: "
        f"{header.strip()}); read it again (GET) and retry.")
