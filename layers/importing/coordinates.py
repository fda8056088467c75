"""Coordinates in messages: as the user typed them, and the one rule for "not degrees".

The import and the write API (``ogc.writes.validation``) reject the same
coordinates with the same words: a longitude of ``1236088393`` (the decimal
point lost) is ``invalid_coordinate`` for both, never "outside the city".
A message shows the coordinates as given — the cells of a CSV or XLSX as
they were typed (``1e400``, not ``inf``), otherwise the geometry's own
numbers before any reprojection — and never a 300-digit expansion of
``1e308``.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import shapely
from django.utils.translation import gettext as _

from layers.importing.values import ValueProblem, is_empty

#: Above this a number is shown in exponent form (1e+308), not digit by digit.
_PLAIN_BELOW = 1e15


def format_number(value: float) -> str:
    """Up to 7 decimals (1e-7 degrees, about a centimetre), trailing zeros cut;
    huge and non-finite numbers in exponent form (``1e+308``, ``inf``)."""
    value = float(value)
    if np.isfinite(value) and abs(value) < _PLAIN_BELOW:
        return f"{value:.7f}".rstrip("0").rstrip(".")
    return f"{value:.7g}"


def format_pair(pair: Any) -> str:
    return f"{format_number(pair[0])} {format_number(pair[1])}"


def cell_text(value: Any) -> str:
    """A spreadsheet cell as typed: text as it is, a number without float noise."""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, int | float) and not isinstance(value, bool):
        return format_number(value)
    return str(value)


def typed_coordinates(values: dict[str, Any], columns: dict[str, str]) -> str | None:
    """The coordinate cells a row's point was built from, as typed; None for WKT or GDAL
    geometries (their numbers are the geometry's, ``given_coordinates``)."""
    if "geometry" in columns and not is_empty(values.get(columns["geometry"])):
        return None
    if "lon" in columns and "lat" in columns:
        lon, lat = values.get(columns["lon"]), values.get(columns["lat"])
        if is_empty(lon) or is_empty(lat):
            return None
        return f"{cell_text(lon)} {cell_text(lat)}"
    if "coordinates" in columns and not is_empty(values.get(columns["coordinates"])):
        return cell_text(values[columns["coordinates"]])
    return None


def _in_degrees(coords: np.ndarray) -> np.ndarray:
    """Per pair: finite, longitude within ±180 and latitude within ±90."""
    return (np.isfinite(coords).all(axis=1) & (np.abs(coords[:, 0]) <= 180)
            & (np.abs(coords[:, 1]) <= 90))


def degrees_either_way(geometry: Any) -> bool:
    """Longitude/latitude as they are, or once swapped (``location`` reports those as swapped)."""
    coords = shapely.get_coordinates(geometry)
    return bool(_in_degrees(coords).all() or _in_degrees(coords[:, ::-1]).all())


def coordinate_problem(geometry: Any, source: Any = None, typed: str | None = None
                       ) -> ValueProblem | None:
    """``invalid_coordinate`` when ``geometry`` (EPSG:4326) is no longitude/latitude,
    even swapped; the message names the first such pair as given: ``typed`` (the
    cells), else that pair of ``source`` (the geometry before reprojection)."""
    if geometry is None or geometry.is_empty or degrees_either_way(geometry):
        return None
    coords = shapely.get_coordinates(geometry)
    bad = ~(_in_degrees(coords) | _in_degrees(coords[:, ::-1]))
    index = int(np.argmax(bad)) if bad.any() else 0
    if typed is None:
        given = shapely.get_coordinates(source) if source is not None else coords
        typed = format_pair(given[index] if index < len(given) else coords[index])
    return ValueProblem(
        "invalid_coordinate",
        _("koordinat (%(at)s) bukan bujur/lintang yang sah (bujur -180..180, lintang -90..90)")
        % {"at": typed},
    )


def given_coordinates(geometry: Any, source: Any = None, typed: str | None = None) -> str:
    """What a report's ``value`` column shows for a rejected location: the coordinates
    as given (the cells, else the first pair of the geometry as read)."""
    if typed is not None:
        return typed
    shown = source if source is not None and not source.is_empty else geometry
    if shown is None or shown.is_empty:
        return ""
    return format_pair(shapely.get_coordinates(shown)[0])
