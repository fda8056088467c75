"""The publication workflow: which role may move a row from which state to which.

draft → submitted → verified → published, plus unpublished and archived.
The whole policy is the table ``TRANSITIONS``; ``transition`` is the only
code that changes ``state`` (the admin actions and, later, the write API
call it), and it records each move in the row's history.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import Model
from django.utils import translation

from layers.errors import TransitionNotAllowed
from layers.models.workflow import PublicationState as S
from layers.roles import Role, agency_id_of, role_of

E, W, A = Role.EDITOR, Role.WALIDATA, Role.ADMIN

#: (from, to) → roles allowed. An editor always only on their own agency's rows.
TRANSITIONS: dict[tuple[S, S], frozenset[Role]] = {
    (S.DRAFT, S.SUBMITTED): frozenset({E, W, A}),
    (S.SUBMITTED, S.DRAFT): frozenset({E, W, A}),  # withdrawn, or returned for rework
    (S.SUBMITTED, S.VERIFIED): frozenset({W, A}),
    (S.VERIFIED, S.DRAFT): frozenset({W, A}),
    # The walidata publishes verified rows, or their own work directly.
    (S.VERIFIED, S.PUBLISHED): frozenset({W, A}),
    (S.SUBMITTED, S.PUBLISHED): frozenset({W, A}),
    (S.DRAFT, S.PUBLISHED): frozenset({W, A}),
    (S.PUBLISHED, S.UNPUBLISHED): frozenset({W, A}),
    (S.UNPUBLISHED, S.PUBLISHED): frozenset({W, A}),
    (S.UNPUBLISHED, S.DRAFT): frozenset({E, W, A}),  # the agency reworks a withdrawn row
    (S.DRAFT, S.ARCHIVED): frozenset({W, A}),
    (S.SUBMITTED, S.ARCHIVED): frozenset({W, A}),
    (S.VERIFIED, S.ARCHIVED): frozenset({W, A}),
    (S.PUBLISHED, S.ARCHIVED): frozenset({W, A}),
    (S.UNPUBLISHED, S.ARCHIVED): frozenset({W, A}),
    (S.ARCHIVED, S.DRAFT): frozenset({W, A}),
}


def may_transition(obj: Model, to_state: str, user: Any) -> bool:
    """The table's answer for this row and user, without changing anything."""
    role = role_of(user)
    if role not in TRANSITIONS.get((S(obj.state), S(to_state)), frozenset()):
        return False
    return role is not Role.EDITOR or (
        obj.agency_id is not None and obj.agency_id == agency_id_of(user)
    )


def allowed_targets(obj: Model, user: Any) -> list[str]:
    """The states ``user`` may move ``obj`` to, in workflow order."""
    return [str(state) for state in S if state != obj.state
            and may_transition(obj, state, user)]


def transition(obj: Model, to_state: str, user: Any) -> Model:
    """Move ``obj`` to ``to_state`` if the table allows it for ``user``, else raise.

    The row is re-read under a lock (SELECT … FOR UPDATE), so two stewards
    acting on a stale page cannot both move it from the same state.
    """
    if to_state not in S.values:
        raise TransitionNotAllowed(
            f"Status tidak dikenal: {to_state!r}. / Unknown state: {to_state!r}.")
    with transaction.atomic():
        current = type(obj)._default_manager.select_for_update().get(pk=obj.pk)
        if not may_transition(current, to_state, user):
            raise TransitionNotAllowed(_refusal(current, to_state, user))
        from_state = current.state
        current.state = to_state
        current._history_user = user if user is not None and user.is_authenticated else None
        current._change_reason = f"{from_state} → {to_state}"
        current.save(update_fields=["state"])
        after = getattr(current, "after_transition", None)
        if after is not None:  # what else follows from the move (model's own rule)
            after(from_state, user)
    obj.state = to_state
    return current


def _refusal(obj: Model, to_state: str, user: Any) -> str:
    role = role_of(user)
    # Each half names the model in its own language ("fasilitas" / "facility").
    with translation.override("id"):
        label_id = f"{obj._meta.verbose_name} #{obj.pk}"
    with translation.override("en"):
        label_en = f"{obj._meta.verbose_name} #{obj.pk}"
    if (role is Role.EDITOR and role in TRANSITIONS.get((S(obj.state), S(to_state)), ())):
        return (f"{label_id}: milik OPD lain; editor hanya mengubah data OPD-nya sendiri. / "
                f"{label_en}: belongs to another agency; editors change their own agency's "
                "data only.")
    return (f"{label_id}: peran '{role}' tidak boleh mengubah status '{obj.state}' menjadi "
            f"'{to_state}'. / {label_en}: role '{role}' may not move state '{obj.state}' "
            f"to '{to_state}'.")
