"""Rows of a layer read from PostGIS in batches, in the declaration's terms.

Only the declared published properties are read (their lookup paths are
joined by the ORM in the same query), plus the geometry as WKB. Rows are
fetched ``BATCH_SIZE`` at a time through a server-side cursor
(``QuerySet.iterator``), so an export never holds the whole layer in memory.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import batched
from typing import Any

from django.contrib.gis.db.models.functions import AsWKB, AsWKT, Centroid
from django.db.models import FloatField, Func, QuerySet

from layers.registry import LayerDeclaration

BATCH_SIZE = 2000


@dataclass
class Batch:
    #: Property name → values, in the declaration's order.
    columns: dict[str, list[Any]]
    wkb: list[bytes]
    #: Only for CSV: WKT and the lon/lat of the point, or of the centroid otherwise.
    wkt: list[str] = field(default_factory=list)
    lon: list[float] = field(default_factory=list)
    lat: list[float] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.wkb)


class _Coordinate(Func):
    """``ST_X``/``ST_Y`` of an expression; PostGIS computes the centroid, not Python."""

    output_field = FloatField()


def iter_batches(layer: LayerDeclaration, queryset: QuerySet, *, text: bool = False
                 ) -> Iterator[Batch]:
    """Batches of rows ordered by id (the same features in the same order every time)."""
    names = [p.name for p in layer.properties]
    annotations: dict[str, Any] = {"_wkb": AsWKB("geometry")}
    if text:
        annotations |= {
            "_wkt": AsWKT("geometry"),
            "_lon": _Coordinate(Centroid("geometry"), function="ST_X"),
            "_lat": _Coordinate(Centroid("geometry"), function="ST_Y"),
        }
    rows = (
        queryset.annotate(**annotations)
        .order_by("id")
        .values_list(*(p.path for p in layer.properties), *annotations)
        .iterator(chunk_size=BATCH_SIZE)
    )
    width = len(names)
    for chunk in batched(rows, BATCH_SIZE):
        batch = Batch(
            columns={name: [row[i] for row in chunk] for i, name in enumerate(names)},
            wkb=[bytes(row[width]) for row in chunk],
        )
        if text:
            batch.wkt = [row[width + 1] for row in chunk]
            batch.lon = [row[width + 2] for row in chunk]
            batch.lat = [row[width + 3] for row in chunk]
        yield batch
