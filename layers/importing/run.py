"""``import_file``: one agency file into one declared layer, all or nothing.

The order is: read (GDAL/openpyxl) → map columns → convert cells → reproject
→ repair/promote geometries → locate in the city (swaps) → validate model
instances → who may write which row (``ownership``) → write in bulk → for
boundary layers, recompute areas and re-tag every facility and project →
history versions (origin "import"). All of it runs in one transaction; a
rejected row or ``dry_run`` rolls everything back, so the database is
untouched unless the whole file is good.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import DatabaseError, connection, transaction
from django.utils.translation import gettext as _

from layers.errors import (
    ImportRejected,
    NoFeatures,
    NotImportable,
    UnknownLayer,
    UnreadableFile,
    WriteRefused,
)
from layers.importing.fields import (
    ImportField,
    import_fields,
    normalize,
    parse_mapping,
    resolve_columns,
)
from layers.importing.geometry import GEOMETRY_COLUMNS, source_crs
from layers.importing.keys import check_keys, key_field, require_key_column
from layers.importing.ownership import check_ownership
from layers.importing.prepare import Progress, convert_cells
from layers.importing.readers import Table, read_table
from layers.importing.report import ImportReport, check_report_path
from layers.importing.resolve import fill_parent, place
from layers.importing.values import Converter
from layers.importing.writer import Planned, plan, record_history, write
from layers.registry import ImportSpec, LayerDeclaration, get_layer, published_layers
from layers.spatial_join import retag_all

logger = logging.getLogger(__name__)


@dataclass
class ImportOptions:
    dry_run: bool = False
    #: Model field to match rows on; default: the declaration's ``ImportSpec.key``.
    key: str | None = None
    #: ``{field or property: column}`` from ``--map``.
    mapping: dict[str, str] = field(default_factory=dict)
    srid: int | None = None
    encoding: str | None = None
    source_layer: str | None = None
    sheet: str | None = None
    fix_swapped: bool = False
    #: Rows without a key value are new rows (a file with no key column is refused otherwise).
    no_key: bool = False
    report_path: Path | None = None
    #: Shown in the report instead of the path (the admin's uploaded file name).
    display_name: str | None = None
    #: Publication state of rows the import creates (layers with a workflow): the
    #: command line is the walidata's tool, so "published"; an editor's admin
    #: upload creates drafts (issue 7). Existing rows keep their state.
    state: str = "published"
    #: Who imports (the admin's signed-in user): an editor writes only what the admin
    #: form would let them (``ownership``); None (the command line) is unrestricted.
    user: Any = None

    @classmethod
    def with_map(cls, text: str | None, **kwargs: object) -> ImportOptions:
        return cls(mapping=parse_mapping(text), **kwargs)  # type: ignore[arg-type]


def importable_layer(layer_id: str) -> tuple[LayerDeclaration, ImportSpec]:
    ids = ", ".join(layer.id for layer in published_layers() if layer.import_spec)
    try:
        layer = get_layer(layer_id)
    except KeyError as exc:
        raise UnknownLayer(_("layer %(layer)r tidak dikenal; layer: %(layers)s")
                           % {"layer": layer_id, "layers": ids}) from exc
    if layer.import_spec is None:
        raise NotImportable(_("layer %(layer)r tidak dapat diimpor; layer: %(layers)s")
                            % {"layer": layer_id, "layers": ids})
    return layer, layer.import_spec


def _columns(table: Table, name: str, layer: LayerDeclaration,
             fields: tuple[ImportField, ...], options: ImportOptions) -> dict[str, str]:
    """Field and coordinate pseudo-field → file column; a file with no way to locate rows
    is refused as a whole rather than with one identical rejection per row."""
    columns = resolve_columns(fields, layer, table.columns, options.mapping,
                              tuple(GEOMETRY_COLUMNS))
    by_normal = {normalize(c): c for c in table.columns}
    taken = set(columns.values())
    for pseudo, aliases in GEOMETRY_COLUMNS.items():
        column = next((by_normal[a] for a in aliases if a in by_normal), None)
        if pseudo not in columns and column is not None and column not in taken:
            columns[pseudo] = column
    has_cells = "geometry" in columns or "coordinates" in columns or {"lon", "lat"} <= set(columns)
    if not table.has_geometry and not has_cells:
        raise UnreadableFile(
            _("%(file)s: tidak ada geometri dan tidak ada kolom koordinat (lon/lat, "
              "bujur/lintang, x/y, koordinat atau wkt; atau --map lon=...,lat=...); kolom: "
              "%(columns)s") % {"file": name, "columns": ", ".join(table.columns)}
        )
    return columns


def _unfed_required_fields(layer: LayerDeclaration, fields: tuple[ImportField, ...],
                           columns: dict[str, str], file_columns: list[str]) -> list[str]:
    """One note per required field no column feeds (``judul`` where ``nama`` was
    expected), naming the file's columns and ``--map``: otherwise every new row is
    rejected with the field's bare "may not be blank" and nothing says why."""
    notes = []
    for item in fields:
        field = layer.model._meta.get_field(item.name)
        # Relations are filled from elsewhere too (a kelurahan's kecamatan from its
        # code, an editor's agency from the user): only plain values are required here.
        if (item.name in columns or field.null or field.blank or field.has_default()
                or field.is_relation):
            continue
        notes.append(_("tidak ada kolom untuk %(field)s (nama kolom yang dikenali: "
                       "%(aliases)s); kolom berkas: %(columns)s. Pilih kolomnya dengan "
                       "--map %(field)s=KOLOM")
                     % {"field": item.name, "aliases": ", ".join(item.columns[:6]),
                        "columns": ", ".join(file_columns)})
    return notes


def import_file(
    layer_id: str, path: Path, options: ImportOptions | None = None,
    progress: Progress | None = None,
) -> ImportReport:
    """Import ``path`` into layer ``layer_id``; returns the report or raises a ``LayerError``.

    ``ImportRejected`` (carrying the report) means nothing was written.
    """
    options = options or ImportOptions()
    check_report_path(options.report_path)
    layer, spec = importable_layer(layer_id)
    key = key_field(layer, spec, options.key)
    name = options.display_name or Path(path).name
    table = read_table(Path(path), source_layer=options.source_layer, sheet=options.sheet,
                       encoding=options.encoding, name=name)
    if not table.rows:
        raise NoFeatures(_("%s: berkas tidak memuat satu baris atau fitur pun; tidak ada yang "
                           "diimpor") % name)
    report = ImportReport(layer.id, name, options.dry_run, read=len(table.rows),
                          notes=list(table.notes))
    fields = import_fields(layer, spec)
    columns = _columns(table, name, layer, fields, options)
    report.notes.extend(_unfed_required_fields(layer, fields, columns, table.columns))
    require_key_column(name, key, fields, columns, table.columns, options.no_key)
    with transaction.atomic():
        rows = convert_cells(table.rows, fields, columns, Converter(layer.model, fields),
                             report, progress)
        crs = source_crs(table.crs, options.srid, name, [r.geometry for r in rows],
                         table.unreadable_crs)
        place(rows, crs, spec, options.fix_swapped, report)
        fill_parent(rows, layer, spec, key, columns, report)
        check_keys(rows, layer.model, key, columns.get(key), options.no_key, report)
        rejected = {r.row for r in report.rejected}
        planned = plan(layer.model, key, [r for r in rows if r.number not in rejected], report)
        planned = check_ownership(layer.model, planned, options.user, report)
        if options.report_path:
            report.write_csv(options.report_path)
        if not report.ok:
            transaction.set_rollback(True)
            raise ImportRejected(report)
        _write(layer, spec, planned, options, report)
        if options.dry_run:
            transaction.set_rollback(True)
        elif layer.id in RASTER_INPUTS:
            transaction.on_commit(_rebuild_rasters)
    return report


def _write(layer: LayerDeclaration, spec: ImportSpec, planned: list[Planned],
           options: ImportOptions, report: ImportReport) -> None:
    try:
        with transaction.atomic():
            written = write(layer.model, planned, report, options.state)
            if spec.is_boundary:
                _after_boundaries(layer, spec, written, report)
            record_history(layer.model, written, options.user, report.file)
    except DatabaseError as exc:
        diag = getattr(getattr(exc, "__cause__", None), "diag", None)
        detail = getattr(diag, "message_primary", None) or type(exc).__name__
        raise WriteRefused(
            _("%(file)s: basis data menolak baris-barisnya (%(detail)s); tidak ada yang ditulis")
            % {"file": report.file, "detail": detail}
        ) from exc


#: Layers whose rows feed the raster coverages (health facilities, the city outline).
RASTER_INPUTS = frozenset({"facilities", "kecamatan"})


def _rebuild_rasters() -> None:
    """Keep the distance-to-care coverage in step with the data, once the import committed.

    A failure here (no health facility left) must not undo a committed import;
    it is logged and the previous raster stays served.
    """
    from layers.health_distance import RasterBuildError, rebuild_health_distance

    try:
        rebuild_health_distance()
    except RasterBuildError as exc:
        logger.warning("raster not rebuilt after import: %s", exc)


def _after_boundaries(layer: LayerDeclaration, spec: ImportSpec, written: list[Planned],
                      report: ImportReport) -> None:
    """Areas in PostGIS (geodesic, km², 4 decimals) and the tags of all facilities/projects.

    The areas are read back onto the instances so that their history versions hold them.
    """
    ids = [p.instance.pk for p in written]
    if spec.area_field and ids:
        table = layer.model._meta.db_table
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {table} SET {spec.area_field} = "
                "round((ST_Area(geometry::geography) / 1e6)::numeric, 4) WHERE id = ANY(%s) "
                f"RETURNING id, {spec.area_field}",
                [ids],
            )
            areas = dict(cursor.fetchall())
        for item in written:
            setattr(item.instance, spec.area_field, areas[item.instance.pk])
    for table, (changed, untagged) in retag_all().items():
        report.notes.append(
            _("%(table)s: %(changed)d ditandai ulang, %(untagged)d di luar semua kelurahan")
            % {"table": table, "changed": changed, "untagged": untagged}
        )
