"""Per-row resolution that needs the whole file or the database: where each row lies, and
the parent of a boundary row that the file does not name.

Both run once for the whole file (one PROJ call, one PostGIS query, one
lookup table), and everything that does not fit becomes a rejection naming
the row, the field and the value, never a database error later.
"""

from __future__ import annotations

import numpy as np
import shapely
from django.utils.translation import gettext as _
from pyproj import CRS

from layers.importing.geometry import to_wgs84
from layers.importing.location import check_locations
from layers.importing.prepare import PreparedRow, fit_geometries
from layers.importing.report import ImportReport, Rejection
from layers.registry import ImportSpec, LayerDeclaration


def place(rows: list[PreparedRow], crs: CRS | None, spec: ImportSpec, fix_swapped: bool,
          report: ImportReport) -> None:
    """Reproject, repair/promote, locate in the city; fills ``geometry`` and the kelurahan tags."""
    projected = to_wgs84([r.geometry for r in rows], crs, report.file)
    for row, geometry in zip(rows, projected, strict=True):
        row.source, row.geometry = row.geometry, geometry
    fit_geometries(rows, spec.geometry_types, report,
                   {r.row for r in report.rejected if r.field.startswith("geometry")})
    locations = check_locations(rows, spec.is_boundary, fix_swapped, report)
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


def fill_parent(rows: list[PreparedRow], layer: LayerDeclaration, spec: ImportSpec, key: str,
                columns: dict[str, str], report: ImportReport) -> None:
    """Kelurahan 53.71.01.1001 belongs to kecamatan 53.71.01 when the file has no column for it.

    A code whose kecamatan does not exist (53.71.09.1001) is rejected here,
    naming the row, the field and the unknown kecamatan code: import that
    kecamatan first.
    """
    if spec.parent_from_key is None or spec.parent_from_key[0] in columns:
        return
    parent, length = spec.parent_from_key
    field = layer.model._meta.get_field(parent)
    ids = dict(field.related_model.objects.values_list(spec.key, "pk"))
    key_attname = layer.model._meta.get_field(key).attname
    known = ", ".join(sorted(ids))
    for row in rows:
        code = row.values.get(key_attname)
        if not code:
            continue
        parent_code = str(code)[:length]
        if parent_code in ids:
            row.values[field.attname] = ids[parent_code]
            continue
        report.rejected.append(Rejection(
            row.number, f"{parent} ({key})", "unknown_parent",
            _("%(parent)s %(code)s (dari %(key)s %(value)s) tidak ada; impor %(parent)s itu "
              "dulu. Yang ada: %(known)s")
            % {"parent": parent, "code": parent_code, "key": key, "value": code,
               "known": known},
            parent_code,
        ))
