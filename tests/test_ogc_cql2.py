"""CQL2 as the standard writes it, beyond what pygeofilter 0.4 reads on its own,
and the client mistakes that used to reach PostgreSQL (500s) or Python's own
error texts. Real gunicorn and PostGIS; expected ids from the Django ORM.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
import requests
from django.db.models import F, Q

from layers.models import Facility, ProjectSite

MODELS = {"facilities": Facility, "projects": ProjectSite}


def _ids(http: requests.Session, url: str, collection: str, **params: Any) -> list[int]:
    response = http.get(f"{url}/ogc/collections/{collection}/items",
                        params={"limit": 1000, **params})
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["numberMatched"] == body["numberReturned"]
    return [feature["id"] for feature in body["features"]]


def _orm_ids(collection: str, condition: Q) -> list[int]:
    return list(MODELS[collection].objects.filter(condition).order_by("id")
                .values_list("id", flat=True))


def _refusal(http: requests.Session, url: str, **params: Any) -> str:
    response = http.get(url, params=params)
    assert response.status_code == 400, response.text
    return response.json()["description"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("collection", "text", "expected"),
    [
        ("facilities", "TRUE", Q()),
        ("facilities", "kode_opd IS NULL OR TRUE", Q()),
        ("facilities", "FALSE OR kategori = 'rumah_sakit'", Q(category="rumah_sakit")),
        ("facilities", "nama = 'GMIT Jemaat Bait''El Naimata'",
         Q(name="GMIT Jemaat Bait'El Naimata")),
        ("facilities", "nama LIKE '%''%'", Q(name__contains="'")),
        ("facilities", "NOT (NOT (kategori = 'rumah_sakit'))", Q(category="rumah_sakit")),
        ("facilities", "NOT (kategori = 'klinik' OR kategori = 'rumah_sakit')",
         ~Q(category__in=["klinik", "rumah_sakit"])),
        ("projects", "1 = 1 AND pagu > 1000000000", Q(budget__gt=1000000000)),
        ("projects", "'a' IS NULL OR pagu < 500000000", Q(budget__lt=500000000)),
        ("projects", "selesai > mulai", Q(planned_end__gt=F("planned_start"))),
        ("projects", "progres < pagu", Q(progress__lt=F("budget"))),
    ],
    ids=["true", "or-true", "false-or", "doubled-quote", "doubled-quote-like", "not-not",
         "not-or", "literal-comparison", "literal-is-null", "date-properties",
         "number-and-integer"],
)
def test_basic_cql2_expressions_select_what_the_orm_selects(
    http: requests.Session, server_url: str, collection: str, text: str, expected: Q
) -> None:
    ids = _ids(http, server_url, collection, filter=text)
    assert ids == _orm_ids(collection, expected)
    assert ids, "the filter should select something"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("document", "expected"),
    [
        (True, Q()),
        ({"op": "or", "args": [{"op": "isNull", "args": [{"property": "kode_opd"}]}, False]},
         Q(agency__isnull=True)),
        ({"op": "not", "args": [{"op": "not", "args": [
            {"op": "=", "args": [{"property": "kategori"}, "rumah_sakit"]}]}]},
         Q(category="rumah_sakit")),
        ({"op": "=", "args": [{"property": "nama"}, "GMIT Jemaat Bait'El Naimata"]},
         Q(name="GMIT Jemaat Bait'El Naimata")),
    ],
    ids=["true", "or-false", "not-not", "quote"],
)
def test_the_same_expressions_in_cql2_json_select_the_same_facilities(
    http: requests.Session, server_url: str, document: Any, expected: Q
) -> None:
    ids = _ids(http, server_url, "facilities", filter=json.dumps(document),
               **{"filter-lang": "cql2-json"})
    assert ids == _orm_ids("facilities", expected) and ids


@pytest.mark.parametrize(
    ("path", "params", "named"),
    [
        ("/ogc/collections/projects/items", {"filter": "pagu = nama"},
         "pagu (integer) and nama (string) cannot be compared"),
        ("/ogc/collections/projects/items", {"filter": "mulai = nama"},
         "mulai (date) and nama (string) cannot be compared"),
        ("/ogc/collections/projects/items", {"filter": "nama > data_contoh"},
         "nama (string) and data_contoh (boolean) cannot be compared"),
        ("/ogc/collections/projects/items", {
            "filter": json.dumps({"op": "=", "args": [{"property": "pagu"},
                                                      {"property": "nama"}]}),
            "filter-lang": "cql2-json"}, "pagu (integer) and nama (string) cannot be compared"),
        ("/download/projects.geojson", {"filter": "pagu = nama"},
         "pagu (integer) and nama (string) cannot be compared"),
        ("/ogc/collections/projects/items", {"filter": "pagu = nama", "f": "html"},
         "pagu (integer) and nama (string) cannot be compared"),
        ("/ogc/collections/facilities/items", {"filter": "geometry = geometry"},
         "geometry is a geometry"),
        ("/ogc/collections/projects/items", {"filter": "1 = 'satu'"},
         "1 (number) and 'satu' (string) cannot be compared"),
    ],
    ids=["integer-string", "date-string", "string-boolean", "json", "download", "html",
         "geometries", "literals"],
)
def test_comparing_values_of_different_types_is_a_400_naming_both(
    http: requests.Session, server_url: str, path: str, params: dict[str, str], named: str
) -> None:
    assert named in _refusal(http, f"{server_url}{path}", **params)


@pytest.mark.parametrize("value", ["9999-12-31/P1D", "9999-12-31T23:00:00Z/PT2H",
                                   "P1D/0001-01-01", "2024-01-01/P99999Y"])
@pytest.mark.parametrize("path", ["/ogc/collections/projects/items?f=json",
                                  "/ogc/collections/projects/items?f=html",
                                  "/download/projects.geojson?bbox=123,-11,124,-10"])
def test_a_datetime_beyond_the_year_9999_is_a_400_naming_datetime(
    http: requests.Session, server_url: str, path: str, value: str
) -> None:
    message = _refusal(http, f"{server_url}{path}", datetime=value)
    assert message.startswith("datetime:") and "beyond the years 1-9999" in message


@pytest.mark.django_db
def test_a_duration_in_hours_is_added_to_the_time_before_the_day_is_taken(
    http: requests.Session, server_url: str
) -> None:
    """23:00 + PT2H ends on the next day: projects starting then are in the interval."""
    day = ProjectSite.objects.order_by("planned_start").values_list("planned_start",
                                                                    flat=True)[0]
    before = day.fromordinal(day.toordinal() - 1)
    ids = _ids(http, server_url, "projects", datetime=f"{before}T23:00:00Z/PT2H")
    expected = Q(planned_start__lte=day, planned_end__gte=before)
    assert ids == _orm_ids("projects", expected) and ids


def _prop(name: str) -> dict[str, str]:
    return {"property": name}


@pytest.mark.parametrize(
    ("document", "fragments"),
    [
        ({"op": "in", "args": [_prop("kategori"), "klinik"]},
         ["at filter.args[1]", "'in' takes a list of values", "'klinik'"]),
        ({"op": "=", "args": [_prop("kategori")]},
         ["at filter:", "'=' takes two operands; got 1 argument(s)"]),
        ({"op": "and", "args": [{"op": "=", "args": [_prop("nama"), "x"]},
                                {"op": "between", "args": [_prop("pagu"), 1]}]},
         ["at filter.args[1]", "'between' takes a value, a lower and an upper bound; got 2"]),
        ({"op": "or", "args": [{"op": "isNull", "args": [_prop("nama")]}]},
         ["at filter:", "'or' takes two or more conditions; got 1"]),
        ({"op": "not", "args": [{"op": "tidak", "args": [_prop("nama")]}]},
         ["at filter.args[0]", "unknown or unsupported operator 'tidak'"]),
        ({"op": "s_intersects", "args": [_prop("geometry"), {"bbox": [123.5, -10.3, 123.7]}]},
         ["at filter.args[1].bbox", "4 (or 6) finite numbers"]),
        ({"op": "=", "args": [_prop("mulai"), {"date": "2025-02-30"}]},
         ["at filter.args[1].date", "'2025-02-30' is not an RFC 3339 date"]),
        ({"op": "=", "args": [{"nama": "x"}, "y"]},
         ["at filter.args[0]", "not a CQL2 JSON expression"]),
        ("kategori = 'klinik'", ["at filter:", "a filter is a condition"]),
    ],
    ids=["in-without-list", "missing-operand", "nested-between", "or-of-one",
         "unknown-operator", "short-bbox", "impossible-date", "unknown-object", "text-as-json"],
)
def test_malformed_cql2_json_is_a_400_naming_the_operator_and_where_it_is(
    http: requests.Session, server_url: str, document: Any, fragments: list[str]
) -> None:
    message = _refusal(http, f"{server_url}/ogc/collections/projects/items",
                       filter=json.dumps(document), **{"filter-lang": "cql2-json"})
    assert message.startswith("filter: CQL2 JSON")
    for fragment in fragments:
        assert fragment in message
    assert "Error" not in message and "__init__" not in message  # no Python internals
