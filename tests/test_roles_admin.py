"""The authorization matrix through the admin: five personas × what they may do.

Each test is one column of the matrix, parametrised over the personas with
the expected outcome in the table beside it, so every cell is asserted.
"""

from __future__ import annotations

import pytest

from layers.models import Facility, PublicationState
from tests.personas import AGENCY_A, AGENCY_B

pytestmark = pytest.mark.django_db

ALL = ["anonim", "editor-dinkes", "editor-pupr", "walidata-kominfo", "admin-taksi"]
LOGIN = "login"


def _form(facility: Facility | None = None, **changes: str) -> dict[str, str]:
    data = {
        "external_id": "", "name": "Puskesmas Baru Uji", "category": "puskesmas",
        "address": "Jl. Baru", "agency": "", "source": "uji",
        "geometry": '{"type": "Point", "coordinates": [123.5858, -10.1681]}',
    }
    if facility is not None:
        data.update(name=facility.name, category=facility.category, address=facility.address,
                    agency=str(facility.agency_id or ""), source=facility.source,
                    geometry=facility.geometry.json, external_id=facility.external_id or "")
    data.update(changes)
    return data


def _outcome(response) -> str | int:
    if response.status_code == 302 and "/admin/login/" in response["Location"]:
        return LOGIN
    return response.status_code


@pytest.mark.parametrize(("who", "sees_it"), [
    ("anonim", LOGIN), ("editor-dinkes", True), ("editor-pupr", False),
    ("walidata-kominfo", True), ("admin-taksi", True),
])
def test_a_draft_is_listed_only_for_its_agency_and_the_stewards(
        personas, draft_of_a, who, sees_it) -> None:
    response = personas[who].client.get("/admin/layers/facility/?state=draft")
    if sees_it == LOGIN:
        assert _outcome(response) == LOGIN
        return
    assert response.status_code == 200
    assert ("Puskesmas Draf Uji" in response.content.decode()) is sees_it


def test_an_editor_lists_only_their_own_agencys_rows(personas) -> None:
    response = personas["editor-dinkes"].client.get("/admin/layers/facility/")
    assert response.context["cl"].result_count == 12  # the 12 DINKES hospitals
    response = personas["editor-pupr"].client.get("/admin/layers/facility/")
    assert response.context["cl"].result_count == 0
    response = personas["walidata-kominfo"].client.get("/admin/layers/facility/")
    assert response.context["cl"].result_count == 67


@pytest.mark.parametrize(("who", "expected", "agency"), [
    ("anonim", LOGIN, None), ("editor-dinkes", 302, AGENCY_A), ("editor-pupr", 302, AGENCY_B),
    ("walidata-kominfo", 302, AGENCY_B), ("admin-taksi", 302, AGENCY_B),
])
def test_creating_a_facility_makes_a_draft_of_the_users_agency(
        personas, who, expected, agency) -> None:
    from layers.models import Agency

    chosen = Agency.objects.get(kode=agency or AGENCY_B).pk
    response = personas[who].client.post("/admin/layers/facility/add/",
                                          _form(agency=str(chosen)))
    assert _outcome(response) == expected
    created = Facility.objects.filter(name="Puskesmas Baru Uji")
    if expected == LOGIN:
        assert not created.exists()
        return
    row = created.get()
    assert row.state == PublicationState.DRAFT
    assert row.agency.kode == agency
    assert row.kelurahan is not None  # the spatial join ran
    assert row.history.get().history_user == personas[who].user


def test_an_editor_cannot_create_a_row_for_another_agency(personas) -> None:
    from layers.models import Agency

    other = Agency.objects.get(kode=AGENCY_B).pk
    response = personas["editor-dinkes"].client.post("/admin/layers/facility/add/",
                                                     _form(agency=str(other)))
    assert response.status_code == 200  # the form again, with the error
    assert "agency" in response.context["adminform"].form.errors
    assert not Facility.objects.filter(name="Puskesmas Baru Uji").exists()


@pytest.mark.parametrize(("who", "expected"), [
    ("anonim", LOGIN), ("editor-dinkes", 302), ("editor-pupr", 404),
    ("walidata-kominfo", 302), ("admin-taksi", 302),
])
def test_editing_a_draft_is_for_its_agency_and_the_stewards(
        personas, draft_of_a, who, expected) -> None:
    url = f"/admin/layers/facility/{draft_of_a.pk}/change/"
    response = personas[who].client.post(url, _form(draft_of_a, name="Nama Baru"))
    assert _outcome(response) == expected
    draft_of_a.refresh_from_db()
    assert (draft_of_a.name == "Nama Baru") is (expected == 302)
    assert draft_of_a.state == PublicationState.DRAFT  # a form never changes the state


@pytest.mark.parametrize(("who", "expected"), [
    ("anonim", LOGIN), ("editor-dinkes", 403), ("editor-pupr", 404),
    ("walidata-kominfo", 302), ("admin-taksi", 302),
])
def test_a_published_row_is_frozen_for_editors(personas, published_of_a, who, expected) -> None:
    url = f"/admin/layers/facility/{published_of_a.pk}/change/"
    response = personas[who].client.post(url, _form(published_of_a, name="Diubah"))
    assert _outcome(response) == expected
    published_of_a.refresh_from_db()
    assert (published_of_a.name == "Diubah") is (expected == 302)
    assert published_of_a.state == PublicationState.PUBLISHED


def test_an_editor_may_read_their_published_row(personas, published_of_a) -> None:
    url = f"/admin/layers/facility/{published_of_a.pk}/change/"
    response = personas["editor-dinkes"].client.get(url)
    assert response.status_code == 200
    assert response.context["has_change_permission"] is False


@pytest.mark.parametrize(("who", "expected", "state"), [
    ("anonim", LOGIN, "draft"), ("editor-dinkes", 302, "draft"),
    ("editor-pupr", 302, "draft"), ("walidata-kominfo", 302, "published"),
    ("admin-taksi", 302, "published"),
])
def test_only_the_stewards_publish(personas, draft_of_a, who, expected, state) -> None:
    response = personas[who].client.post(
        "/admin/layers/facility/",
        {"action": "publish", "_selected_action": [str(draft_of_a.pk)]},
    )
    assert _outcome(response) == expected
    draft_of_a.refresh_from_db()
    assert draft_of_a.state == state


def test_the_publish_action_is_not_offered_to_editors(personas) -> None:
    editor = personas["editor-dinkes"].client.get("/admin/layers/facility/")
    walidata = personas["walidata-kominfo"].client.get("/admin/layers/facility/")
    editor_actions = {c[0] for c in editor.context["action_form"].fields["action"].choices}
    walidata_actions = {c[0] for c in walidata.context["action_form"].fields["action"].choices}
    assert editor_actions == {"", "submit", "return_to_draft"}
    assert walidata_actions == {"", "delete_selected", "submit", "verify", "publish",
                                "unpublish", "archive", "return_to_draft"}


def test_an_editor_submits_and_the_walidata_verifies_then_publishes(
        personas, draft_of_a) -> None:
    steps = [("editor-dinkes", "submit", "submitted"), ("walidata-kominfo", "verify", "verified"),
             ("walidata-kominfo", "publish", "published")]
    for who, action, state in steps:
        personas[who].client.post("/admin/layers/facility/",
                                  {"action": action, "_selected_action": [str(draft_of_a.pk)]})
        draft_of_a.refresh_from_db()
        assert draft_of_a.state == state
    reasons = list(draft_of_a.history.order_by("history_id")
                   .values_list("history_change_reason", "history_user__username"))
    assert reasons[1:] == [("draft → submitted", "editor-dinkes"),
                           ("submitted → verified", "walidata-kominfo"),
                           ("verified → published", "walidata-kominfo")]


@pytest.mark.parametrize(("who", "expected"), [
    ("anonim", LOGIN), ("editor-dinkes", 302), ("editor-pupr", 404),
    ("walidata-kominfo", 302), ("admin-taksi", 302),
])
def test_deleting_a_draft(personas, draft_of_a, who, expected) -> None:
    response = personas[who].client.post(
        f"/admin/layers/facility/{draft_of_a.pk}/delete/", {"post": "yes"})
    assert _outcome(response) == expected
    assert Facility.objects.filter(pk=draft_of_a.pk).exists() is (expected != 302)


@pytest.mark.parametrize(("who", "expected"), [
    ("anonim", LOGIN), ("editor-dinkes", 403), ("editor-pupr", 404),
    ("walidata-kominfo", 302), ("admin-taksi", 302),
])
def test_deleting_a_published_row_is_for_the_stewards(
        personas, published_of_a, who, expected) -> None:
    response = personas[who].client.post(
        f"/admin/layers/facility/{published_of_a.pk}/delete/", {"post": "yes"})
    assert _outcome(response) == expected
    assert Facility.objects.filter(pk=published_of_a.pk).exists() is (expected != 302)


@pytest.mark.parametrize(("who", "expected"), [
    ("anonim", LOGIN), ("editor-dinkes", 302), ("editor-pupr", 403),
    ("walidata-kominfo", 302), ("admin-taksi", 302),
])
def test_restoring_a_previous_version_from_history(personas, draft_of_a, who, expected) -> None:
    first = draft_of_a.history.get()
    draft_of_a.name = "Nama Yang Salah"
    draft_of_a.save()
    url = f"/admin/layers/facility/{draft_of_a.pk}/history/{first.history_id}/"
    response = personas[who].client.post(url, _form(draft_of_a, name=first.name))
    assert _outcome(response) == expected
    draft_of_a.refresh_from_db()
    restored = expected == 302
    assert draft_of_a.name == ("Puskesmas Draf Uji" if restored else "Nama Yang Salah")
    assert draft_of_a.history.count() == (3 if restored else 2)
    if restored:
        latest = draft_of_a.history.latest()
        assert latest.history_change_reason == f"pulihkan versi {first.history_id} / " \
                                               f"restored version {first.history_id}"
        assert latest.history_user == personas[who].user
        assert latest.origin == "admin"


def test_restoring_does_not_bring_back_an_old_state(personas, draft_of_a) -> None:
    """An editor restoring a version never moves the row past the workflow."""
    from layers.workflow import transition

    walidata = personas["walidata-kominfo"]
    transition(draft_of_a, "published", walidata.user)
    published_version = draft_of_a.history.latest()
    transition(draft_of_a, "unpublished", walidata.user)
    transition(draft_of_a, "draft", personas["editor-dinkes"].user)
    url = f"/admin/layers/facility/{draft_of_a.pk}/history/{published_version.history_id}/"
    response = personas["editor-dinkes"].client.post(url, _form(draft_of_a, name="Lagi"))
    assert response.status_code == 302
    draft_of_a.refresh_from_db()
    assert (draft_of_a.name, draft_of_a.state) == ("Lagi", "draft")


@pytest.mark.parametrize(("who", "expected"), [
    ("anonim", LOGIN), ("editor-dinkes", 200), ("editor-pupr", 403),
    ("walidata-kominfo", 200), ("admin-taksi", 200),
])
def test_the_history_page_of_a_draft(personas, draft_of_a, who, expected) -> None:
    response = personas[who].client.get(f"/admin/layers/facility/{draft_of_a.pk}/history/")
    assert _outcome(response) == expected
    if expected == 200:
        [record] = response.context["page_obj"].object_list
        assert (record.state, record.origin) == ("draft", "system")
        assert "Puskesmas Draf Uji" in response.content.decode()


@pytest.mark.parametrize(("who", "expected"), [
    ("anonim", LOGIN), ("editor-dinkes", 403), ("editor-pupr", 403),
    ("walidata-kominfo", 302), ("admin-taksi", 302),
])
def test_boundaries_are_maintained_by_the_walidata(personas, who, expected) -> None:
    from layers.models import Kecamatan

    kecamatan = Kecamatan.objects.get(kode="53.71.01")
    response = personas[who].client.post(
        f"/admin/layers/kecamatan/{kecamatan.pk}/change/",
        {"kode": kecamatan.kode, "nama": "Alak Baru", "luas_km2": str(kecamatan.luas_km2),
         "geometry": kecamatan.geometry.json})
    assert _outcome(response) == expected
    kecamatan.refresh_from_db()
    assert (kecamatan.nama == "Alak Baru") is (expected == 302)


def test_project_sites_follow_the_same_rules(personas) -> None:
    from layers.models import ProjectSite
    from layers.registry import get_layer

    pupr = ProjectSite.objects.filter(agency__kode=AGENCY_B)
    listing = personas["editor-pupr"].client.get("/admin/layers/projectsite/")
    assert listing.context["cl"].result_count == pupr.count() > 0
    assert personas["editor-dinkes"].client.get(
        f"/admin/layers/projectsite/{pupr[0].pk}/change/").status_code == 404
    personas["editor-pupr"].client.post(
        "/admin/layers/projectsite/", {"action": "submit", "_selected_action": [str(pupr[0].pk)]})
    assert ProjectSite.objects.get(pk=pupr[0].pk).state == "published"  # not a draft: no move
    personas["walidata-kominfo"].client.post(
        "/admin/layers/projectsite/",
        {"action": "unpublish", "_selected_action": [str(pupr[0].pk)]})
    assert ProjectSite.objects.get(pk=pupr[0].pk).state == "unpublished"
    assert get_layer("projects").public_queryset().count() == 39


def test_the_admin_sets_a_users_agency_on_the_user_page(personas) -> None:
    editor = personas["editor-dinkes"].user
    admin = personas["admin-taksi"].client
    page = admin.get(f"/admin/auth/user/{editor.pk}/change/")
    assert page.status_code == 200
    assert 'name="membership-0-agency"' in page.content.decode()
    listing = admin.get("/admin/auth/user/?q=editor-dinkes").content.decode()
    assert AGENCY_A in listing and "editor" in listing
    # Editors and the walidata do not manage users.
    assert personas["walidata-kominfo"].client.get("/admin/auth/user/").status_code == 403


def test_an_editor_cannot_edit_a_published_row_by_restoring_a_version(
        personas, published_of_a) -> None:
    version = published_of_a.history.earliest()
    url = f"/admin/layers/facility/{published_of_a.pk}/history/{version.history_id}/"
    response = personas["editor-dinkes"].client.post(url, _form(published_of_a, name="Lewat"))
    assert response.status_code == 403
    published_of_a.refresh_from_db()
    assert published_of_a.name != "Lewat"
