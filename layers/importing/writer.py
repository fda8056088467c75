"""Validate model instances and write them: create, update or leave each row, in bulk.

Rows are matched on the key field (``kode``, ``external_id``) with one query
for the whole file. Every instance goes through ``full_clean`` (field
validators, choices, check constraints; batched by
``validation.BatchCleaner``) before anything is written, so a
constraint violation is reported with its row and field instead of failing
the transaction half-way. New rows are written with one ``COPY``
(``copy_create``), changed rows with ``bulk_update``: the kelurahan tags were
already computed for the whole file in one query, so the per-row ``save()``
spatial join is not needed; the history versions are written in bulk as well
(``record_history``).
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.contrib.gis.db.models.fields import BaseSpatialField
from django.contrib.gis.geos import GEOSGeometry
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import connection, models
from django.db.models.expressions import RawSQL
from django.utils import timezone
from django.utils.translation import gettext as _

from layers.importing.prepare import PreparedRow
from layers.importing.report import ImportReport, Rejection
from layers.importing.validation import BatchCleaner, constraint_fields
from layers.models.history import Origin
from layers.models.located import ensure_source_id


@dataclass
class Planned:
    number: int
    instance: models.Model
    #: attnames that differ from the stored row (all of them for a new row).
    changed: list[str]
    is_new: bool
    #: The row as stored before the import (None for a new row): whose it is, its state.
    stored: models.Model | None = None


#: Degrees (GEOS ``equals_exact`` compares the distance of each vertex pair):
#: 7.1e-8° is under 8 mm. The OGC API writes coordinates with 7 decimals
#: (ST_AsGeoJSON, ~1.1 cm), so a file saved from it (QGIS, ogr2ogr over OAPIF)
#: moves each axis by at most 5e-8°, a vertex by at most 7.07e-8°; re-importing
#: it must report "unchanged", not write a version per sub-centimetre move.
SAME_POSITION = 7.1e-8


def _same(current: Any, new: Any) -> bool:
    if isinstance(current, GEOSGeometry) and isinstance(new, str):
        new = GEOSGeometry(new)  # hex EWKB from the file (run._ewkb_texts)
    if isinstance(current, GEOSGeometry) and isinstance(new, GEOSGeometry):
        # Normalized: a Shapefile writes polygon rings clockwise, from another vertex.
        return current.geom_type == new.geom_type and current.normalize(clone=True).equals_exact(
            new.normalize(clone=True), SAME_POSITION)
    if isinstance(current, Decimal) and new is not None and not isinstance(new, Decimal):
        return current == Decimal(str(new))
    return current == new


def existing_by_key(model: type[models.Model], key: str, rows: list[PreparedRow]) -> dict:
    """The stored rows whose key the file has, by key.

    The keys go as one array parameter (``= ANY(%s)``): ``key__in`` with
    100,000 keys compiled 100,000 placeholders that psycopg then merged into
    the SQL text on the client (1.1 s).
    """
    field = model._meta.get_field(key)
    keys = [r.values[field.attname] for r in rows if r.values.get(field.attname) is not None]
    if not keys:
        return {}
    quote = connection.ops.quote_name
    matching = RawSQL(f"SELECT {quote(model._meta.pk.column)} FROM {quote(model._meta.db_table)} "
                      f"WHERE {quote(field.column)} = ANY(%s)", [keys])
    return {getattr(o, field.attname): o for o in model.objects.filter(pk__in=matching)}


def plan(
    model: type[models.Model], key: str, rows: list[PreparedRow], report: ImportReport
) -> list[Planned]:
    """An instance per row (the stored one with the file's values applied, or a new one).

    Validation errors become rejections naming row and field.
    """
    attname = model._meta.get_field(key).attname
    existing = existing_by_key(model, key, rows)
    # Foreign keys were resolved by lookup or spatial join in bulk: skip the
    # per-row existence query that model validation would make for each.
    foreign_keys = [f for f in model._meta.fields if isinstance(f, models.ForeignKey)]
    resolved = [f.name for f in foreign_keys]
    # ... but a required one left empty (no column, an empty cell) is still this row's
    # problem, not a "null value in column" from PostgreSQL at write time.
    required = [f for f in foreign_keys if not f.null]
    cleaner = BatchCleaner(model, exclude=resolved)
    planned = []
    for row in rows:
        stored = existing.get(row.values.get(attname))
        instance = copy.copy(stored) if stored is not None else model()
        changed = [n for n, v in row.values.items() if not _same(getattr(instance, n), v)]
        for name in changed:
            setattr(instance, name, row.values[name])
        # The location rule (``Model.clean``) ran for the whole file in one query.
        instance._location_checked = True
        problems = [Rejection(row.number, f.name, "missing_value",
                              _("wajib diisi: berkas tidak memberi %(field)s untuk baris ini")
                              % {"field": f.name})
                    for f in required if getattr(instance, f.attname) is None]
        try:
            # instance.full_clean(exclude=resolved, validate_unique=False), batched
            cleaner.full_clean(instance)
        except ValidationError as exc:
            problems += [Rejection(row.number, _field_of(model, field, message), "invalid_value",
                                   message)
                         for field, messages in exc.message_dict.items() for message in messages]
        if problems:
            report.rejected.extend(problems)
            continue
        planned.append(Planned(row.number, instance, changed, stored is None, stored))
    return planned


def write(model: type[models.Model], planned: list[Planned], report: ImportReport,
          state: str = "published") -> list[Planned]:
    """Create and update in bulk; returns the rows written (new or changed).

    New rows of a model with a publication workflow get ``state``; new rows
    without a source id get a generated one (``copy_create`` calls no ``save()``).
    """
    new = [p.instance for p in planned if p.is_new]
    names = {f.name for f in model._meta.concrete_fields}
    for instance in new:
        if "state" in names:
            instance.state = state
        if "external_id" in names:
            ensure_source_id(instance)
    updates = [p for p in planned if not p.is_new and p.changed]
    report.created += len(new)
    report.updated += len(updates)
    report.unchanged += sum(1 for p in planned if not p.is_new and not p.changed)
    copy_create(model, new)
    fields = sorted({name for p in updates for name in p.changed})
    if updates:
        model.objects.bulk_update([p.instance for p in updates], fields, batch_size=500)
    return [p for p in planned if p.is_new or p.changed]


def _field_of(model: type[models.Model], field: str, message: str) -> str:
    """A check constraint's error names the fields it reads, not Django's ``__all__``."""
    if field != NON_FIELD_ERRORS:
        return field
    return ", ".join(constraint_fields(model, message)) or _("baris")


def record_history(model: type[models.Model], written: list[Planned], user: Any,
                   file_name: str) -> None:
    """One history version per created or updated row, origin "import" (issue 7).

    ``copy_create``/``bulk_update`` send no signals, so django-simple-history
    records nothing by itself. Its ``bulk_history_create`` builds a historical
    model instance per row and inserts them with ``bulk_create``: 47 s of a
    100,000-row import (bench/importing.py). The versions are copies of the
    rows just written, so PostgreSQL copies them in one ``INSERT ... SELECT``
    from the live table (the same columns simple-history records, one
    timestamp for the file), after the boundary areas were computed, so
    versions hold them.
    """
    history = getattr(model, "history", None)
    if history is None or not written:
        return
    quote = connection.ops.quote_name
    historical = history.model._meta
    # The row's columns simple-history copies: those the live table has too.
    live = {f.column for f in model._meta.concrete_fields}
    tracked = ", ".join(quote(f.column) for f in historical.concrete_fields
                        if f.column in live)
    pk = quote(model._meta.pk.column)
    user_id = user.pk if getattr(user, "is_authenticated", False) else None
    reason = f"impor / import: {file_name}"[:100]
    when = timezone.now()
    with connection.cursor() as cursor:
        for kind, new in (("+", True), ("~", False)):
            ids = [p.instance.pk for p in written if p.is_new is new]
            if not ids:
                continue
            # A join with the id list (not "= ANY" per row): one index probe per id.
            cursor.execute(
                f"INSERT INTO {quote(historical.db_table)} ({tracked}, history_date,"
                " history_type, history_user_id, history_change_reason, origin)"
                f" SELECT {tracked}, %s, %s, %s, %s, %s"
                f" FROM {quote(model._meta.db_table)}"
                f" JOIN unnest(%s::bigint[]) AS written(id) USING ({pk}) ORDER BY {pk}",
                [when, kind, user_id, reason, Origin.IMPORT, ids])


def _copy_value(field: models.Field, instance: models.Model) -> Any:
    """The value ``bulk_create`` would send for ``field``, in a form COPY can write."""
    if isinstance(field, BaseSpatialField):
        raw = instance.__dict__.get(field.attname)
        if isinstance(raw, str):  # hex EWKB assigned by the import, never built as GEOS
            return raw
        # What the PostGIS adapter would send (SRID included), as text COPY reads.
        value = field.pre_save(instance, add=True)
        return None if value is None else field.get_prep_value(value).hexewkb.decode()
    value = field.pre_save(instance, add=True)
    return field.get_db_prep_save(value, connection)


def copy_create(model: type[models.Model], instances: list[models.Model]) -> None:
    """Insert new rows with one ``COPY``, as ``bulk_create`` would, and set their pks.

    Why not ``bulk_create``: for 100,000 facilities it compiled 200 INSERTs of
    500 rows whose parameters psycopg then merged into the SQL text on the
    client; that took 23 s of a 2-minute import, COPY takes about a second.
    The column values are the same (each field's ``pre_save`` and
    ``get_db_prep_save``; geometries as the hex EWKB the PostGIS adapter would
    send), the primary keys come from the table's own sequence first, and
    like ``bulk_create`` it sends no signals; the statement-level triggers
    that version the table (``ogc.versions``) fire for COPY as for INSERT.
    """
    if not instances:
        return
    opts = model._meta
    quote = connection.ops.quote_name
    fields = [f for f in opts.concrete_fields if not f.primary_key]
    columns = ", ".join(quote(f.column) for f in [opts.pk, *fields])
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [opts.db_table, opts.pk.column, len(instances)],
        )
        ids = [row[0] for row in cursor.fetchall()]
        with cursor.cursor.copy(f"COPY {quote(opts.db_table)} ({columns}) FROM STDIN") as copy:
            for instance, pk in zip(instances, ids, strict=True):
                instance.pk = pk
                copy.write_row([pk, *(_copy_value(f, instance) for f in fields)])
    for instance in instances:
        instance._state.adding = False
        instance._state.db = connection.alias
