"""The COPY writer of imports stores exactly what ``bulk_create`` stores.

``layers.importing.writer.copy_create`` replaced ``bulk_create`` for the new
rows of an import (one COPY instead of 500-row INSERTs). These tests write
the same instances both ways and compare every stored column.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.contrib.gis.geos import GEOSGeometry
from django.db import connection

from layers.importing.writer import copy_create
from layers.models import Agency, Facility, ProjectSite

pytestmark = pytest.mark.django_db


def _stored(table: str, ids: list[int]) -> list[tuple]:
    """Every column but id and external_id (geometries as PostGIS's hex EWKB), in id order."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {table} WHERE id = ANY(%s) ORDER BY id", [ids])
        names = [c.name for c in cursor.description]
        return [tuple(v for n, v in zip(names, row, strict=True) if n not in {"id", "external_id"})
                for row in cursor.fetchall()]


def _projects(prefix: str) -> list[ProjectSite]:
    agency = Agency.objects.order_by("pk").first()
    return [
        ProjectSite(external_id=f"{prefix}-line", name="Saluran Oebobo", agency=agency,
                    fiscal_year=2024, funding_source="APBD",
                    budget=1_250_000_000, spent=0, progress=Decimal("12.5"),
                    status="implementation", planned_start=dt.date(2024, 2, 1),
                    planned_end=dt.date(2024, 11, 30), contractor="CV Contoh",
                    geometry=GEOSGeometry("LINESTRING (123.59 -10.17, 123.6 -10.16)", srid=4326),
                    kelurahan_id=None, kecamatan_id=None, is_sample=True, state="published"),
        ProjectSite(external_id=f"{prefix}-poly", name="Taman 'Nostalgia'\tbaru\\", agency=agency,
                    fiscal_year=2025, funding_source="lainnya",
                    budget=0, status="identification", planned_start=None, planned_end=None,
                    geometry=GEOSGeometry("POLYGON ((123.58 -10.16, 123.59 -10.16, "
                                          "123.59 -10.15, 123.58 -10.16))", srid=4326),
                    state="draft"),
    ]


def test_copied_projects_store_every_column_as_bulk_create_does() -> None:
    by_copy, by_orm = _projects("copy"), _projects("orm")
    copy_create(ProjectSite, by_copy)
    ProjectSite.objects.bulk_create(by_orm)
    assert all(p.pk is not None and not p._state.adding for p in by_copy)
    assert by_copy[0].pk < by_copy[1].pk
    copied = _stored("layers_projectsite", [p.pk for p in by_copy])
    assert len(copied) == 2
    assert copied == _stored("layers_projectsite", [p.pk for p in by_orm])
    assert ProjectSite.objects.get(pk=by_copy[1].pk).name == "Taman 'Nostalgia'\tbaru\\"


def test_copied_facilities_get_ids_from_the_sequence_and_a_later_save_does_not_collide() -> None:
    made = [Facility(external_id=f"copy-{i}", name=f"Klinik {i}", category="klinik",
                     geometry=GEOSGeometry(f"POINT (123.6{i} -10.17)", srid=4326),
                     state="published") for i in range(3)]
    copy_create(Facility, made)
    later = Facility(external_id="later", name="Klinik baru", category="klinik",
                     geometry=GEOSGeometry("POINT (123.6 -10.17)", srid=4326))
    later.save()
    assert later.pk > max(f.pk for f in made)
    assert list(Facility.objects.filter(external_id__startswith="copy-")
                .values_list("name", "address", "source", "state")) == [
        (f"Klinik {i}", "", "", "published") for i in range(3)]


def test_a_geometry_given_as_hex_ewkb_text_is_copied_as_the_same_geometry() -> None:
    line = GEOSGeometry("LINESTRING (123.59 -10.17, 123.6 -10.16)", srid=4326)
    by_copy, by_orm = _projects("text"), _projects("geos")
    by_copy[0].geometry = line.hexewkb.decode()
    by_orm[0].geometry = line
    copy_create(ProjectSite, by_copy[:1])
    ProjectSite.objects.bulk_create(by_orm[:1])
    assert _stored("layers_projectsite", [by_copy[0].pk]) == _stored(
        "layers_projectsite", [by_orm[0].pk])
    assert ProjectSite.objects.get(pk=by_copy[0].pk).geometry.equals_exact(line, 0)
