"""``/download/<layer>.<ext>``: a whole published layer as one file.

(Signed-in staff get what they may read, drafts included: ``ogc.visibility``.)

The same features as the layer's ``/ogc/collections/<layer>/items``: the
filters are parsed like items' (``ogc.parameters.parse_download_query``: bbox
with bbox-crs, datetime, one exact-match parameter per published property,
CQL2 ``filter``) and turned into SQL by the items provider's own code, so a
download can never disagree with what the API lists; an unknown parameter is
a 400 that names it. More than ``TAKSI_EXPORT_MAX_FEATURES`` features is a 413 — a
bounded file rather than a worker busy for minutes.

The file is written by ``layers.exporting`` into a private temporary
directory; the view opens it, removes the directory (the open handle keeps
the data readable on POSIX) and streams it, so memory stays bounded and
nothing is left on disk.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Mapping
from pathlib import Path

from django.conf import settings
from django.db.models import QuerySet
from django.db.models.expressions import RawSQL
from django.http import FileResponse, HttpRequest
from django.utils import timezone

from layers.exporting import FORMATS, ExportFormat, export_layer, get_format
from layers.registry import LayerDeclaration, get_layer
from ogc.errors import ContentTooLarge, NotFound
from ogc.parameters import parse_download_query
from ogc.providers.features import layer_sql
from ogc.views import ogc_view
from ogc.visibility import visible_queryset


@ogc_view
def download(request: HttpRequest, layer: str, ext: str) -> FileResponse:
    declaration = _layer_or_404(layer)
    fmt = _format_or_404(ext)
    queryset = filtered_queryset(declaration, request.GET.dict())
    _refuse_too_many(queryset.count())
    directory = Path(tempfile.mkdtemp(prefix="taksi-export-"))
    try:
        handle = export_layer(declaration, queryset, fmt, directory).open("rb")
    finally:
        shutil.rmtree(directory, ignore_errors=True)
    # The date in Kupang (settings.TIME_ZONE, WITA) when the file was made.
    filename = f"{declaration.id}-{timezone.localdate():%Y-%m-%d}.{fmt.filename_ext}"
    return FileResponse(handle, as_attachment=True, filename=filename,
                        content_type=fmt.media_type)


def _layer_or_404(layer_id: str) -> LayerDeclaration:
    try:
        return get_layer(layer_id)
    except KeyError:
        raise NotFound(
            f"lapisan {layer_id!r} tidak ada / layer {layer_id!r} not found"
        ) from None


def _format_or_404(ext: str) -> ExportFormat:
    try:
        return get_format(ext)
    except KeyError:
        allowed = ", ".join(f.ext for f in FORMATS)
        raise NotFound(
            f"format {ext!r} tidak tersedia, pilih salah satu: {allowed} / "
            f"format {ext!r} is not available; choose one of: {allowed}"
        ) from None


def _refuse_too_many(count: int) -> None:
    cap: int = settings.TAKSI_EXPORT_MAX_FEATURES
    if count > cap:
        raise ContentTooLarge(
            f"Unduhan berisi {count} fitur, melebihi batas {cap}; persempit dengan bbox atau "
            f"filter properti. / The download holds {count} features, over the limit of "
            f"{cap}; narrow it with bbox or a property filter."
        )


def filtered_queryset(layer: LayerDeclaration, params: Mapping[str, str]) -> QuerySet:
    """The layer's rows that items would return for the same filter parameters.

    The conditions are the items provider's own (``LayerSql.where``: bbox,
    datetime, property equality, CQL2), so a download never disagrees with
    the API; the export then reads the matching rows through the ORM.
    """
    query = parse_download_query(params, layer.id)
    sql = layer_sql(layer.id)
    conditions, values, used = sql.where(query)
    # The public's rows, or a signed-in user's (``ogc.visibility``), as for items.
    rows = visible_queryset(layer)
    if not conditions:
        return rows
    ids = f'SELECT t."id" FROM {sql.from_clause(used)} WHERE {" AND ".join(conditions)}'
    return rows.filter(id__in=RawSQL(ids, values))
