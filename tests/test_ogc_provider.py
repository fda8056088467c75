"""The feature provider in-process: the numberMatched rule, keyset pages and
bound parameters, on the real PostGIS test database."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from django.db import connection

from ogc.cql import parse_filter
from ogc.providers import sql
from ogc.providers.features import LayerProvider
from ogc.providers.pool import close_pools
from ogc.providers.sql import ItemsQuery

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True, scope="module")
def _close_the_feature_pool() -> Iterator[None]:
    """The provider's own pool must let go of the test database before it is dropped."""
    yield
    close_pools()


def _provider(layer: str) -> LayerProvider:
    return LayerProvider({"name": "taksi", "type": "feature", "data": layer})


def test_number_matched_is_omitted_only_for_unfiltered_tables_above_the_estimate(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE layers_facility")
    provider = _provider("facilities")
    assert provider.page(ItemsQuery(limit=5)).matched == 67
    monkeypatch.setattr(sql, "COUNT_ESTIMATE_ABOVE", 50)
    big = provider.page(ItemsQuery(limit=5))
    assert big.matched is None and big.returned == 5 and big.more
    assert provider.page(ItemsQuery(limit=5, equals=[("kategori", "gereja")])).matched == 55
    assert provider.page(ItemsQuery(hits=True)).matched == 67


def test_a_keyset_page_holds_the_same_features_as_the_offset_page() -> None:
    provider = _provider("kelurahan")
    first = provider.page(ItemsQuery(limit=20))
    by_key = provider.page(ItemsQuery(limit=20, after=first.last_id))
    by_offset = provider.page(ItemsQuery(limit=20, offset=20))
    assert by_key.features == by_offset.features and by_key.returned == 20
    last = provider.page(ItemsQuery(limit=20, after=by_key.last_id))
    assert last.returned == 11 and not last.more


def test_values_are_bound_so_quotes_and_sql_in_them_are_just_text() -> None:
    provider = _provider("facilities")
    hostile = "x' OR '1'='1"
    assert provider.page(ItemsQuery(equals=[("nama", hostile)])).matched == 0
    query = ItemsQuery(filter=parse_filter(json.dumps(
        {"op": "=", "args": [{"property": "nama"}, hostile]}), "cql2-json"))
    assert provider.page(query).matched == 0


def test_only_the_requested_properties_are_written() -> None:
    page = _provider("projects").page(ItemsQuery(limit=2, properties=["pagu"],
                                                 skip_geometry=True))
    features = json.loads(f"[{page.features}]")
    assert [list(f["properties"]) for f in features] == [["pagu"], ["pagu"]]
    assert all(f["geometry"] is None for f in features)


def test_pygeoapi_interface_returns_the_same_features_as_the_fast_path() -> None:
    provider = _provider("facilities")
    via_pygeoapi = provider.query(limit=3, properties=[("kategori", "rumah_sakit")])
    page = provider.page(ItemsQuery(limit=3, equals=[("kategori", "rumah_sakit")]))
    fast = json.loads(f"[{page.features}]")
    assert via_pygeoapi["features"] == fast and via_pygeoapi["numberMatched"] == 12
    assert provider.get(str(fast[0]["id"]))["id"] == fast[0]["id"]
