"""Is each geometry in Kota Kupang, and in which kelurahan? Swapped lat/lon are caught here.

Facilities and projects must lie in (or within 50 m of) a kelurahan: the same
PostGIS ranking that tags them on save (``layers.spatial_join``), run once for
the whole file. Boundary layers define the city themselves, so they are
checked against a generous envelope of Kota Kupang instead. A geometry that
misses but lands inside once x and y are exchanged was written lat/lon
instead of lon/lat: reported as ``swapped``, or fixed with ``--fix-swapped``.
"""

from __future__ import annotations

import numpy as np
import shapely
from django.utils.translation import gettext as _

from layers.importing.coordinates import given_coordinates
from layers.importing.geometry import in_degree_ranges, swap_xy
from layers.importing.prepare import PreparedRow
from layers.importing.report import ImportReport, Rejection
from layers.spatial_join import NEAREST_WITHIN_M, Location, locate_many

#: Kota Kupang's extent (123.527–123.692 E, 10.124–10.293 S) plus about 2.5 km.
KUPANG_ENVELOPE = shapely.box(123.50, -10.32, 123.72, -10.10)


def _where(geometry: object) -> str:
    point = shapely.get_coordinates(geometry)[0]
    return f"({point[0]:.7f} {point[1]:.7f})"


def _locate(geometries: list[object], boundary: bool) -> list[Location | bool | None]:
    """Per geometry: a Location (or True for boundaries) when inside the city, else None.

    The degree check and WKB encoding run over the whole file at once (shapely
    2's vectorised functions): a loop over 100,000 points cost 1.2 s.
    """
    if boundary:
        return [True if g.intersects(KUPANG_ENVELOPE) else None for g in geometries]
    results: list[Location | bool | None] = [None] * len(geometries)
    if not geometries:
        return results
    array = np.array(geometries, dtype=object)
    usable = np.flatnonzero(in_degree_ranges(array))
    found = locate_many(list(shapely.to_wkb(array[usable])))
    for i, location in zip(usable.tolist(), found, strict=True):
        results[i] = location
    return results


def check_locations(
    rows: list[PreparedRow], boundary: bool, fix_swapped: bool, report: ImportReport,
    swapped_hint: str | None = None,
) -> dict[int, Location | None]:
    """Locations by row number; rows outside the city are rejected into ``report``.

    ``swapped_hint`` ends the ``swapped`` message: what the user can do about it
    (default: the import's "fix the file or use --fix-swapped"; the write API
    says how to write GeoJSON coordinates instead). The rejections carry the
    coordinates as given in their ``value`` (the ``--report`` CSV).
    """
    hint = swapped_hint or _("perbaiki berkas atau pakai --fix-swapped")
    rows = [r for r in rows if r.geometry is not None]
    located = _locate([r.geometry for r in rows], boundary)
    missed = [r for r, where in zip(rows, located, strict=True) if where is None]
    swapped = _locate([swap_xy(r.geometry) for r in missed], boundary)
    result: dict[int, Location | None] = {
        r.number: where if isinstance(where, Location) else None
        for r, where in zip(rows, located, strict=True)
    }
    for row, where in zip(missed, swapped, strict=True):
        if where is None:
            report.rejected.append(Rejection(
                row.number, "geometry", "outside_city",
                _("di luar Kota Kupang: tidak ada kelurahan dalam %(m)d m dari %(at)s")
                % {"m": NEAREST_WITHIN_M, "at": _where(row.geometry)},
                given_coordinates(row.geometry, row.source, row.typed),
            ))
        elif fix_swapped:
            row.notes.append(_("lintang/bujur ditukar %(before)s → %(after)s") % {
                "before": _where(row.geometry),
                "after": _where(swap_xy(row.geometry)),
            })
            row.geometry = swap_xy(row.geometry)
            result[row.number] = where if isinstance(where, Location) else None
        else:
            report.rejected.append(Rejection(
                row.number, "geometry", "swapped",
                _("lintang dan bujur tertukar (swapped): %(at)s di luar Kota Kupang, "
                  "setelah ditukar di dalamnya; %(hint)s")
                % {"at": _where(row.geometry), "hint": hint},
                given_coordinates(row.geometry, row.source, row.typed),
            ))
    return result
