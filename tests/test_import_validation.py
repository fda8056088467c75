"""Batched model validation of imports gives exactly what ``full_clean`` gives, row for row.

``layers.importing.validation.BatchCleaner`` cleans each field value once per
file instead of once per row. These tests validate the same instances both
ways, good and bad values mixed and repeated, and compare the errors and the
cleaned values.
"""

from __future__ import annotations

import copy
import datetime as dt
from decimal import Decimal

import pytest
from django.contrib.gis.geos import GEOSGeometry
from django.core.exceptions import ValidationError
from django.db import models

from layers.importing.validation import BatchCleaner
from layers.models import Facility, Kelurahan, ProjectSite

pytestmark = pytest.mark.django_db

POINT = "POINT (123.6 -10.17)"


def _foreign_keys(model: type[models.Model]) -> list[str]:
    return [f.name for f in model._meta.fields if isinstance(f, models.ForeignKey)]


def _outcome(clean: object, instance: models.Model) -> tuple[dict, dict]:
    try:
        clean(instance)  # type: ignore[operator]
        errors: dict = {}
    except ValidationError as exc:
        errors = exc.message_dict
    values = {f.attname: getattr(instance, f.attname) for f in instance._meta.concrete_fields}
    return errors, values


def _compare(instances: list[models.Model]) -> list[dict]:
    """Both ways on copies of the same instances; returns the error dicts."""
    model = type(instances[0])
    exclude = _foreign_keys(model)
    cleaner = BatchCleaner(model, exclude=exclude)
    found = []
    for instance in instances:
        batched = _outcome(cleaner.full_clean, copy.copy(instance))
        single = _outcome(lambda i: i.full_clean(exclude=exclude, validate_unique=False),
                          copy.copy(instance))
        assert batched == single
        found.append(batched[0])
    return found


def test_facilities_good_and_bad_get_the_errors_full_clean_gives() -> None:
    rows = [
        dict(name="Klinik Oebobo", category="klinik"),
        dict(name="Klinik Oebobo", category="klinik"),  # same values again: from the memo
        dict(name="", category="klinik"),
        dict(name="x" * 201, category="rumah_sakit"),
        dict(name="Pasar", category="mall"),
        dict(name="Pasar", category="mall"),
        dict(name="Gereja", category="gereja", address="y" * 301, external_id="e" * 65),
        dict(name="Masjid", category=""),
    ]
    errors = _compare([Facility(geometry=GEOSGeometry(POINT, srid=4326), **r) for r in rows])
    assert [sorted(e) for e in errors] == [
        [], [], ["name"], ["name"], ["category"], ["category"], ["address", "external_id"],
        ["category"],
    ]


def test_a_geometry_given_as_hex_text_is_checked_without_building_it() -> None:
    hexewkb = GEOSGeometry(POINT, srid=4326).hexewkb.decode()
    instance = Facility(name="Klinik", category="klinik", geometry=hexewkb)
    instance._location_checked = True  # as the import sets it: located for the whole file
    BatchCleaner(Facility, exclude=_foreign_keys(Facility)).full_clean(instance)
    assert instance.__dict__["geometry"] == hexewkb
    missing = Facility(name="Klinik", category="klinik")
    assert [sorted(e) for e in _compare([missing])] == [["geometry"]]


def test_projects_validators_and_check_constraints_match_full_clean() -> None:
    base = dict(name="Saluran", fiscal_year=2024, funding_source="APBD", budget=1_000_000,
                status="implementation", geometry=GEOSGeometry(POINT, srid=4326))
    rows = [
        {},
        dict(progress=Decimal("150.0")),  # the validator; the constraint then skips it
        dict(progress=Decimal("12.50")),  # too many decimal places
        dict(progress=Decimal("12.5")),
        dict(fiscal_year=1999),
        dict(budget=-1),
        dict(planned_start=dt.date(2024, 5, 1), planned_end=dt.date(2024, 4, 1)),
        dict(planned_start=dt.date(2024, 5, 1), planned_end=dt.date(2024, 6, 1)),
        dict(geometry=GEOSGeometry("MULTIPOINT ((123.6 -10.17))", srid=4326)),
        dict(status="done", funding_source="APBD"),
        dict(is_sample=True),
    ]
    errors = _compare([ProjectSite(**{**base, **r}) for r in rows])
    assert [sorted(e) for e in errors] == [
        [], ["progress"], ["progress"], [], ["fiscal_year"], ["budget"],
        ["__all__"], [], ["__all__"], ["status"], [],
    ]


def test_kelurahan_codes_go_through_their_regex_validator_once_per_value() -> None:
    geometry = GEOSGeometry("MULTIPOLYGON (((123.58 -10.16, 123.59 -10.16, 123.59 -10.15, "
                            "123.58 -10.16)))", srid=4326)
    rows = ["53.71.01.1001", "53.71.01.1001", "5371011001", "5371011001", "53.71.01.100A"]
    errors = _compare([Kelurahan(kode=k, nama="Namosain", geometry=geometry, luas_km2=1.0)
                       for k in rows])
    assert [sorted(e) for e in errors] == [[], [], ["kode"], ["kode"], ["kode"]]


def test_a_check_constraint_runs_once_per_value_tuple_except_on_geometry() -> None:
    """Each check is a SELECT in a savepoint; the file's rows share few progress/date values."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    base = dict(name="Saluran", fiscal_year=2024, funding_source="APBD", budget=1_000_000,
                status="implementation", geometry=GEOSGeometry(POINT, srid=4326))
    varied = [dict(progress=Decimal("40.0"), planned_start=dt.date(2024, 5, 1),
                   planned_end=dt.date(2024, 6, 1)),
              dict(progress=Decimal("40.0"), planned_start=dt.date(2024, 5, 1),
                   planned_end=dt.date(2024, 4, 1))]  # ends before it starts
    rows = [varied[i % 2] for i in range(20)]
    cleaner = BatchCleaner(ProjectSite, exclude=_foreign_keys(ProjectSite))
    failures = []
    with CaptureQueriesContext(connection) as queries:
        for row in rows:
            try:
                cleaner.full_clean(ProjectSite(**{**base, **row}))
                failures.append(None)
            except ValidationError as exc:
                failures.append(exc.message_dict)
    checks = [q["sql"] for q in queries.captured_queries if '"_check"' in q["sql"]]
    # 20 geometry checks (one per row), progress once, the date pair once per pair.
    assert len(checks) == 20 + 1 + 2
    assert failures[0] is None and sorted(failures[1]) == ["__all__"]
    assert failures[2:] == failures[:2] * 9
    # And the same errors as full_clean itself, row for row.
    _compare([ProjectSite(**{**base, **row}) for row in rows[:4]])
