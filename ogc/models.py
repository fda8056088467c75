"""Data versions: what lets caches and ETags notice every change to the data.

Each row holds the version of one table the published layers read. PostgreSQL
triggers (``ogc/migrations/0001_layer_versions.py``) bump it in the same
transaction as any INSERT, UPDATE, DELETE or TRUNCATE, whichever process or
tool writes (Django, the admin, ``psql``, ``ogr2ogr``), so a cache keyed by
the version can never serve data older than what is committed. Django never
writes these rows; ``ogc.versions`` reads them.
"""

from __future__ import annotations

from django.db import models


class TableVersion(models.Model):
    """The version of one table, kept by a statement-level trigger.

    Keyed by table rather than by layer because a layer also shows names from
    joined tables (agency, kelurahan, kecamatan): ``ogc.versions`` derives each
    layer's tables from its declaration, so a new joined property needs no
    new trigger wiring beyond the table's own trigger.
    """

    table_name = models.CharField(primary_key=True, max_length=63)
    #: A value of ``ogc_data_version_seq``, drawn after the row lock is taken,
    #: so a table's version only grows.
    version = models.BigIntegerField()
    changed_at = models.DateTimeField()

    class Meta:
        db_table = "ogc_table_version"
        managed = True

    def __str__(self) -> str:
        return f"{self.table_name}@{self.version}"
