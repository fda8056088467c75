"""Feature history: who, when, from where, which fields from what to what."""

from __future__ import annotations

import pytest
from django.contrib.gis.geos import Point
from django.test import RequestFactory
from simple_history.models import HistoricalRecords

from layers.errors import FeatureNotFound
from layers.history import feature_history, recording_origin
from layers.models import Facility, Kelurahan
from layers.registry import get_layer
from layers.workflow import transition

pytestmark = pytest.mark.django_db
FACILITIES = get_layer("facilities")


def test_the_kupang_rows_were_recorded_as_created_by_the_import() -> None:
    hospital = Facility.objects.get(external_id="rs-1")
    [entry] = feature_history(FACILITIES, hospital.pk)
    assert (entry["type"], entry["origin"], entry["user"]) == ("created", "import", None)
    changes = {c["field"]: c for c in entry["changes"]}
    assert changes["name"] == {"field": "name", "old": None, "new": "RSUP Dr. Ben Mboi"}
    assert changes["state"]["new"] == "published"
    assert changes["geometry"]["new"]["type"] == "Point"


def test_a_change_lists_only_the_changed_fields_with_old_and_new_values(draft_of_a) -> None:
    draft_of_a.name = "Puskesmas Oebobo"
    draft_of_a.geometry = Point(123.60, -10.17, srid=4326)
    draft_of_a.save()
    latest, created = feature_history(FACILITIES, draft_of_a.pk)
    assert latest["type"] == "changed" and created["type"] == "created"
    assert latest["origin"] == "system"  # neither a request nor an import: a shell
    fields = [c["field"] for c in latest["changes"]]
    assert fields[:2] == ["name", "geometry"]
    assert latest["changes"][0] == {"field": "name", "old": "Puskesmas Draf Uji",
                                    "new": "Puskesmas Oebobo"}
    assert latest["changes"][1]["old"]["coordinates"] == pytest.approx([123.5858, -10.1681])
    assert latest["changes"][1]["new"]["coordinates"] == pytest.approx([123.60, -10.17])
    assert latest["version"] > created["version"]


def test_a_state_change_records_who_moved_it_and_from_which_state(personas, draft_of_a) -> None:
    transition(draft_of_a, "submitted", personas["editor-dinkes"].user)
    entry = feature_history(FACILITIES, draft_of_a.pk)[0]
    assert entry["user"] == "editor-dinkes"
    assert entry["reason"] == "draft → submitted"
    assert entry["state"] == "submitted"
    assert entry["changes"] == [{"field": "state", "old": "draft", "new": "submitted"}]


def test_the_origin_of_a_change_is_import_admin_or_api() -> None:
    facility = Facility.objects.get(external_id="rs-2")
    with recording_origin("import"):
        facility.address = "Jl. Impor"
        facility.save()
    for path, origin in (("/admin/layers/facility/1/change/", "admin"),
                         ("/ogc/collections/facilities/items/1", "api")):
        HistoricalRecords.context.request = RequestFactory().post(path)
        try:
            facility.address = f"Jl. {origin}"
            facility.save()
        finally:
            del HistoricalRecords.context.request
    origins = [e["origin"] for e in feature_history(get_layer("facilities"), facility.pk)]
    assert origins == ["api", "admin", "import", "import"]


def test_an_unknown_origin_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown history origin 'email'"):
        with recording_origin("email"):
            pass


def test_a_deletion_is_recorded_and_its_history_stays_readable(personas, draft_of_a) -> None:
    pk = draft_of_a.pk
    draft_of_a._history_user = personas["editor-dinkes"].user
    draft_of_a.delete()
    entries = feature_history(FACILITIES, pk, user=personas["walidata-kominfo"].user)
    assert [e["type"] for e in entries] == ["deleted", "created"]
    assert entries[0]["user"] == "editor-dinkes"


def test_history_is_for_staff_who_may_read_the_feature(personas, draft_of_a) -> None:
    from django.contrib.auth.models import AnonymousUser

    assert feature_history(FACILITIES, draft_of_a.pk, user=personas["editor-dinkes"].user)
    assert feature_history(FACILITIES, draft_of_a.pk, user=personas["admin-taksi"].user)
    for user in (personas["editor-pupr"].user, AnonymousUser()):
        with pytest.raises(FeatureNotFound) as missing:
            feature_history(FACILITIES, draft_of_a.pk, user=user)
        assert missing.value.status == 404
    # A published feature's history is open to every staff role.
    published = Facility.objects.get(external_id="rs-1")
    assert feature_history(FACILITIES, published.pk, user=personas["editor-pupr"].user)


@pytest.mark.parametrize("fid", ["999999", "abc", None, "1.5"])
def test_an_unknown_feature_has_no_history(fid) -> None:
    with pytest.raises(FeatureNotFound, match="not found"):
        feature_history(FACILITIES, fid)


def test_boundaries_keep_a_history_too(personas) -> None:
    kelurahan = Kelurahan.objects.get(kode="53.71.01.1001")
    kelurahan.nama_alt = "Namosain Lama"
    kelurahan._history_user = personas["walidata-kominfo"].user
    kelurahan.save()
    entry = feature_history(get_layer("kelurahan"), kelurahan.pk)[0]
    assert entry["user"] == "walidata-kominfo"
    assert entry["changes"] == [{"field": "nama_alt", "old": "", "new": "Namosain Lama"}]
