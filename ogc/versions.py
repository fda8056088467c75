"""The data version of a published layer, for caches, ETags and config rebuilds.

A layer's version is the sum of the versions of the tables it reads: its own
table and those its declared property paths join (``agency__nama`` →
``layers_agency``). Triggers bump a table's version on every committed write
by any process (``ogc.models.TableVersion``), each table's version only grows,
so the sum changes on every write and never returns to an earlier value:
``(layer, version)`` identifies one state of the layer's data.

Reading it costs one indexed query (well under a millisecond), cheap enough to
do on every request instead of trusting a timer.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cache

from django.db import connection
from django.db.models import Model

from layers.registry import LayerDeclaration, get_layer, published_layers

#: One statement: the version and last change of a set of tables (``%s`` = array).
VERSION_SQL = (
    "SELECT coalesce(sum(version), 0)::bigint, max(changed_at) "
    "FROM ogc_table_version WHERE table_name = ANY(%s)"
)


@dataclass(frozen=True)
class DataVersion:
    version: int
    #: When the newest of the layer's tables last changed (None before any write).
    changed_at: dt.datetime | None

    @property
    def token(self) -> str:
        """A string for cache keys and ETags; the timestamp guards against a
        database restored from a dump restarting the version sequence."""
        stamp = self.changed_at.timestamp() if self.changed_at else 0
        return f"{self.version}-{stamp:.6f}"


def _related_model(model: type[Model], field_name: str) -> type[Model]:
    related = model._meta.get_field(field_name).related_model
    if related is None or isinstance(related, str):
        raise ValueError(f"{model.__name__}.{field_name} is not a relation")
    return related


@cache
def layer_tables(layer_id: str) -> tuple[str, ...]:
    """The database tables whose rows a layer shows, sorted."""
    layer = get_layer(layer_id)
    tables = {layer.model._meta.db_table}
    for prop in layer.properties:
        model = layer.model
        for part in prop.path.split("__")[:-1]:
            model = _related_model(model, part)
            tables.add(model._meta.db_table)
    return tuple(sorted(tables))


def layer_version(layer: LayerDeclaration | str) -> DataVersion:
    """The current committed version of one layer's data."""
    layer_id = layer if isinstance(layer, str) else layer.id
    with connection.cursor() as cursor:
        cursor.execute(VERSION_SQL, [list(layer_tables(layer_id))])
        version, changed_at = cursor.fetchone()
    return DataVersion(int(version), changed_at)


def layer_versions() -> dict[str, DataVersion]:
    """Every published layer's version (e.g. to tell when extents must be recomputed)."""
    return {layer.id: layer_version(layer) for layer in published_layers()}
