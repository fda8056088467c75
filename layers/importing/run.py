"""``import_file``: one agency file into one declared layer, all or nothing.

The order is: read (GDAL/openpyxl) → map columns → convert cells → reproject
→ repair/promote geometries → locate in the city (swaps) → validate model
instances → write in bulk → for boundary layers, recompute areas and re-tag
every facility and project. All of it runs in one transaction; a rejected row
or ``dry_run`` rolls everything back, so the database is untouched unless the
whole file is good.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import shapely
from django.db import DatabaseError, connection, transaction
from django.utils.translation import gettext as _
from pyproj import CRS

from layers.errors import (
    BadOption,
    ImportRejected,
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
from layers.importing.geometry import GEOMETRY_COLUMNS, source_crs, to_wgs84
from layers.importing.location import check_locations
from layers.importing.prepare import PreparedRow, Progress, convert_cells, fit_geometries
from layers.importing.readers import Table, read_table
from layers.importing.report import ImportReport, Rejection
from layers.importing.values import Converter
from layers.importing.writer import plan, write
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
    report_path: Path | None = None
    #: Shown in the report instead of the path (the admin's uploaded file name).
    display_name: str | None = None
    #: Publication state of rows the import creates (layers with a workflow): the
    #: command line is the walidata's tool, so "published"; an editor's admin
    #: upload creates drafts (issue 7). Existing rows keep their state.
    state: str = "published"

    @classmethod
    def with_map(cls, text: str | None, **kwargs: object) -> ImportOptions:
        return cls(mapping=parse_mapping(text), **kwargs)  # type: ignore[arg-type]


def importable_layer(layer_id: str) -> tuple[LayerDeclaration, ImportSpec]:
    ids = [layer.id for layer in published_layers() if layer.import_spec]
    try:
        layer = get_layer(layer_id)
    except KeyError as exc:
        raise UnknownLayer(f"unknown layer {layer_id!r}; layers: {', '.join(ids)}") from exc
    if layer.import_spec is None:
        raise NotImportable(f"layer {layer_id!r} cannot be imported; layers: {', '.join(ids)}")
    return layer, layer.import_spec


def _key_field(layer: LayerDeclaration, spec: ImportSpec, wanted: str | None) -> str:
    key = wanted or spec.key
    unique = [f.name for f in layer.model._meta.fields if f.unique and not f.primary_key]
    if key not in unique:
        raise BadOption(f"--key {key}: not a unique field of {layer.id} ({', '.join(unique)})")
    return key


def _columns(table: Table, layer: LayerDeclaration, fields: tuple[ImportField, ...],
             options: ImportOptions) -> dict[str, str]:
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
            f"{table.path.name}: no geometry and no coordinate columns (lon/lat, bujur/lintang, "
            f"x/y, koordinat or wkt; or --map lon=...,lat=...); columns: {', '.join(table.columns)}"
        )
    return columns


def import_file(
    layer_id: str, path: Path, options: ImportOptions | None = None,
    progress: Progress | None = None,
) -> ImportReport:
    """Import ``path`` into layer ``layer_id``; returns the report or raises a ``LayerError``.

    ``ImportRejected`` (carrying the report) means nothing was written.
    """
    options = options or ImportOptions()
    layer, spec = importable_layer(layer_id)
    key = _key_field(layer, spec, options.key)
    table = read_table(Path(path), source_layer=options.source_layer, sheet=options.sheet,
                       encoding=options.encoding)
    report = ImportReport(layer.id, options.display_name or Path(path).name, options.dry_run,
                          read=len(table.rows))
    fields = import_fields(layer, spec)
    columns = _columns(table, layer, fields, options)
    crs = source_crs(table.crs, options.srid)
    with transaction.atomic():
        rows = convert_cells(table.rows, fields, columns, Converter(layer.model, fields),
                             report, progress)
        _geometries(rows, crs, spec, table, options, report)
        _fill_parent(rows, layer, spec, key, columns)
        _reject_duplicate_keys(rows, layer, key, report)
        rejected = {r.row for r in report.rejected}
        planned = plan(layer.model, key, [r for r in rows if r.number not in rejected], report)
        if options.report_path:
            report.write_csv(options.report_path)
        if not report.ok:
            transaction.set_rollback(True)
            raise ImportRejected(report)
        try:
            with transaction.atomic():
                ids = write(layer.model, planned, report, options.state)
                if spec.is_boundary:
                    _after_boundaries(layer, spec, ids, report)
        except DatabaseError as exc:
            raise WriteRefused(f"{report.file}: the database refused the rows ({exc})") from exc
        if options.dry_run:
            transaction.set_rollback(True)
        elif layer.id in RASTER_INPUTS:
            transaction.on_commit(_rebuild_rasters)
    return report


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


def _geometries(rows: list[PreparedRow], crs: CRS | None, spec: ImportSpec, table: Table,
                options: ImportOptions, report: ImportReport) -> None:
    projected = to_wgs84([r.geometry for r in rows], crs, table.path.name)
    for row, geometry in zip(rows, projected, strict=True):
        row.geometry = geometry
    fit_geometries(rows, spec.geometry_types, report,
                   {r.row for r in report.rejected if r.field.startswith("geometry")})
    locations = check_locations(rows, spec.is_boundary, options.fix_swapped, report)
    stored = _ewkb_texts(rows)
    for row in rows:
        report.notes.extend(_("baris %(row)d: %(note)s") % {"row": row.number, "note": n}
                            for n in row.notes)
        if row.geometry is None:
            continue
        row.values["geometry"] = stored[row.number]
        if not spec.is_boundary:
            where = locations.get(row.number)
            row.values["kelurahan_id"] = where.kelurahan_id if where else None
            row.values["kecamatan_id"] = where.kecamatan_id if where else None


def _ewkb_texts(rows: list[PreparedRow]) -> dict[int, str]:
    """Each row's geometry as EPSG:4326 hex EWKB text, in one vectorised shapely call.

    A geometry field accepts (E)WKB hex and builds the GEOS object only when
    it is read (Django's ``SpatialProxy``); new rows are validated and copied
    from the text as it is (``validation``, ``writer.copy_create``), which
    spares two GEOS conversions a row (~50 µs; 5 s for 100,000 points).
    """
    present = [r for r in rows if r.geometry is not None]
    if not present:
        return {}
    geometries = shapely.set_srid(np.array([r.geometry for r in present], dtype=object), 4326)
    texts = shapely.to_wkb(geometries, hex=True, include_srid=True)
    return {r.number: str(text) for r, text in zip(present, texts, strict=True)}


def _fill_parent(rows: list[PreparedRow], layer: LayerDeclaration, spec: ImportSpec,
                 key: str, columns: dict[str, str]) -> None:
    """Kelurahan 53.71.01.1001 belongs to kecamatan 53.71.01 when the file has no column for it."""
    if spec.parent_from_key is None or spec.parent_from_key[0] in columns:
        return
    parent, length = spec.parent_from_key
    field = layer.model._meta.get_field(parent)
    ids = dict(field.related_model.objects.values_list(spec.key, "pk"))
    key_attname = layer.model._meta.get_field(key).attname
    for row in rows:
        code = row.values.get(key_attname)
        if code:
            row.values[field.attname] = ids.get(str(code)[:length])


def _reject_duplicate_keys(rows: list[PreparedRow], layer: LayerDeclaration, key: str,
                           report: ImportReport) -> None:
    attname = layer.model._meta.get_field(key).attname
    first: dict[object, int] = {}
    for row in rows:
        value = row.values.get(attname)
        if value is None:
            continue
        if value in first:
            report.rejected.append(Rejection(
                row.number, key, "duplicate_key",
                _("%(key)s %(value)r sudah dipakai di baris %(first)d")
                % {"key": key, "value": value, "first": first[value]}, str(value),
            ))
        else:
            first[value] = row.number


def _after_boundaries(layer: LayerDeclaration, spec: ImportSpec, ids: list[int],
                      report: ImportReport) -> None:
    """Areas in PostGIS (geodesic, km², 4 decimals) and the tags of all facilities/projects."""
    if spec.area_field and ids:
        table = layer.model._meta.db_table
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {table} SET {spec.area_field} = "
                "round((ST_Area(geometry::geography) / 1e6)::numeric, 4) WHERE id = ANY(%s)",
                [ids],
            )
    for table, (changed, untagged) in retag_all().items():
        report.notes.append(
            _("%(table)s: %(changed)d ditandai ulang, %(untagged)d di luar semua kelurahan")
            % {"table": table, "changed": changed, "untagged": untagged}
        )
