"""Turn each source row into field values and a stored-type EPSG:4326 geometry, or rejections.

Nothing here writes: every row of the file is checked before anything is
saved, so the report lists every problem at once and a file is either
imported whole or not at all.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import shapely

from layers.importing.coordinates import coordinate_problem, given_coordinates, typed_coordinates
from layers.importing.fields import ImportField
from layers.importing.geometry import fit, geometry_from_cells
from layers.importing.readers import SourceRow
from layers.importing.report import ImportReport, Rejection
from layers.importing.text import shown, unstorable_reason
from layers.importing.values import Converter, ValueProblem, is_empty

Progress = Callable[[int, int], None]


@dataclass
class PreparedRow:
    number: int
    #: attname → python value, only for fields the file has a column for.
    values: dict[str, Any]
    geometry: Any = None
    notes: list[str] = field(default_factory=list)
    #: The coordinate cells as typed (``1e400 -10.1639144``), for messages and the report.
    typed: str | None = None
    #: The geometry as read, before reprojection (its numbers are the file's).
    source: Any = None


def _label(name: str, column: str | None) -> str:
    return f"{name} ({column})" if column and column != name else name


def convert_cells(
    rows: list[SourceRow], fields: tuple[ImportField, ...], columns: dict[str, str],
    converter: Converter, report: ImportReport, progress: Progress | None = None,
) -> list[PreparedRow]:
    """Convert attribute cells and build raw geometries; rejections go into ``report``."""
    prepared = []
    total = len(rows)
    for index, row in enumerate(rows, start=1):
        values: dict[str, Any] = {}
        for import_field in fields:
            column = columns.get(import_field.name)
            if column is None:
                continue
            raw = row.values.get(column)
            reason = unstorable_reason(raw) if isinstance(raw, str) else None
            if reason is not None:
                report.rejected.append(Rejection(row.number, _label(import_field.name, column),
                                                 "invalid_text", reason, shown(raw)))
                continue
            try:
                attname, value = converter.convert(import_field.name, raw)
            except ValueProblem as problem:
                report.rejected.append(Rejection(
                    row.number, _label(import_field.name, column), problem.code, str(problem),
                    "" if is_empty(raw) else str(raw),
                ))
                if problem.code == "unmatched_value":
                    report.unmatched[str(raw).strip()] += 1
                continue
            values[attname] = value
        notes: list[str] = []
        prepared.append(PreparedRow(row.number, values, _raw_geometry(row, columns, report, notes),
                                    notes=notes, typed=typed_coordinates(row.values, columns)))
        if progress is not None:
            progress(index, total)
    return prepared


#: GDAL hands an empty point over as POINT (0 0) in WKB (WKB has no empty point).
_GDAL_EMPTY_POINT = shapely.Point(0, 0)


def _raw_geometry(row: SourceRow, columns: dict[str, str], report: ImportReport,
                  notes: list[str]) -> Any:
    """The row's geometry: from a WKT column's text when there is one (shapely keeps
    ``POINT EMPTY`` empty), else from GDAL, else from coordinate columns."""
    if row.geometry is not None and "geometry" not in columns:
        geometry = shapely.from_wkb(row.geometry)
        return shapely.Point() if geometry.equals(_GDAL_EMPTY_POINT) else geometry
    try:
        return geometry_from_cells(row.values, columns, notes)
    except ValueProblem as problem:
        column = problem.column or next(
            (columns[k] for k in ("geometry", "lon", "coordinates") if k in columns), "")
        value = problem.value or next(
            (str(row.values[columns[k]]) for k in ("geometry", "coordinates")
             if k in columns and row.values.get(columns[k]) is not None), "")
        report.rejected.append(Rejection(row.number, _label("geometry", column), problem.code,
                                         str(problem), value))
        return None


def fit_geometries(
    prepared: list[PreparedRow], allowed: tuple[str, ...], report: ImportReport,
    geometry_rejected: set[int],
) -> None:
    """Repair/promote each geometry to the stored type, rejecting what cannot be stored."""
    for row in prepared:
        if row.number in geometry_rejected and row.geometry is None:
            continue
        geometry = row.geometry
        # A mistyped number (1236088393, 1e400) or one PROJ cannot reproject.
        problem = coordinate_problem(geometry, row.source, row.typed)
        if problem is not None:
            report.rejected.append(Rejection(
                row.number, "geometry", problem.code, str(problem),
                given_coordinates(geometry, row.source, row.typed)))
            row.geometry = None
            continue
        try:
            row.geometry, note = fit(geometry, allowed)
        except ValueProblem as problem:
            report.rejected.append(Rejection(row.number, "geometry", problem.code, str(problem)))
            row.geometry = None
            continue
        if note:
            row.notes.append(note)
