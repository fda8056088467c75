"""The transition table, exhaustively: every (from, to) pair for every kind of user."""

from __future__ import annotations

import pytest

from layers.errors import TransitionNotAllowed
from layers.models import Facility, PublicationState
from layers.workflow import allowed_targets, transition

pytestmark = pytest.mark.django_db

STATES = {"D": "draft", "S": "submitted", "V": "verified", "P": "published",
          "U": "unpublished", "A": "archived"}
STEWARD = {"D": "SPA", "S": "DVPA", "V": "DPA", "P": "UA", "U": "PDA", "A": "D"}
#: who → from state → the states they may move to (letters of STATES), written out by hand.
EXPECTED = {
    "anonim": dict.fromkeys(STATES, ""),
    "staff-tanpa-peran": dict.fromkeys(STATES, ""),
    "editor-dinkes": {"D": "S", "S": "D", "V": "", "P": "", "U": "D", "A": ""},
    "editor-pupr": dict.fromkeys(STATES, ""),  # the row belongs to DINKES
    "walidata-kominfo": STEWARD,
    "admin-taksi": STEWARD,
}


@pytest.fixture
def users(personas, db) -> dict[str, object]:
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import AnonymousUser

    found = {name: p.user for name, p in personas.items() if p.user is not None}
    found["anonim"] = AnonymousUser()
    found["staff-tanpa-peran"] = get_user_model().objects.create_user("staf", is_staff=True)
    return found


def test_every_cell_of_the_transition_table(users, draft_of_a: Facility) -> None:
    wrong = []
    for who, table in EXPECTED.items():
        user = users[who]
        for start, targets in table.items():
            for target in STATES:
                if target == start:
                    continue
                Facility.objects.filter(pk=draft_of_a.pk).update(state=STATES[start])
                draft_of_a.state = STATES[start]
                try:
                    transition(draft_of_a, STATES[target], user)
                    allowed = True
                except TransitionNotAllowed:
                    allowed = False
                stored = Facility.objects.get(pk=draft_of_a.pk).state
                if allowed != (target in targets) or stored != STATES[
                        target if allowed else start]:
                    wrong.append((who, start, target, allowed, stored))
    assert wrong == []


def test_allowed_targets_lists_the_moves_in_workflow_order(users, draft_of_a) -> None:
    assert allowed_targets(draft_of_a, users["walidata-kominfo"]) == [
        "submitted", "published", "archived"]
    assert allowed_targets(draft_of_a, users["editor-dinkes"]) == ["submitted"]
    assert allowed_targets(draft_of_a, users["editor-pupr"]) == []


def test_a_refusal_says_why_in_both_languages_and_changes_nothing(users, draft_of_a) -> None:
    versions = draft_of_a.history.count()
    with pytest.raises(TransitionNotAllowed) as refused:
        transition(draft_of_a, "published", users["editor-dinkes"])
    message = refused.value.message
    assert "peran 'editor' tidak boleh mengubah status 'draft' menjadi 'published'" in message
    assert "role 'editor' may not move state 'draft' to 'published'" in message
    # Each half names the row in its own language.
    indonesian, english = message.split(" / ")
    assert indonesian.startswith(f"fasilitas #{draft_of_a.pk}: ")
    assert english.startswith(f"facility #{draft_of_a.pk}: ")
    assert refused.value.status == 403
    assert Facility.objects.get(pk=draft_of_a.pk).state == "draft"
    assert draft_of_a.history.count() == versions


def test_another_agencys_editor_is_told_the_row_is_not_theirs(users, draft_of_a) -> None:
    with pytest.raises(TransitionNotAllowed, match=r"milik OPD lain.*another agency"):
        transition(draft_of_a, "submitted", users["editor-pupr"])


def test_an_unknown_state_is_refused_by_name(users, draft_of_a) -> None:
    with pytest.raises(TransitionNotAllowed, match="Unknown state: 'live'"):
        transition(draft_of_a, "live", users["admin-taksi"])


def test_new_rows_are_drafts_and_the_kupang_data_is_published() -> None:
    assert Facility._meta.get_field("state").default == PublicationState.DRAFT
    assert set(Facility.objects.values_list("state", flat=True)) == {"published"}
    from layers.models import ProjectSite

    assert ProjectSite.objects.filter(state="published").count() == 40
