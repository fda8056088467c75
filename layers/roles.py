"""Who a user is for Taksi's data: a role (a Django group) and an agency.

The roles are Django groups created by migration 0004 (``editor``,
``walidata``, ``admin``) and the agency is ``StaffMembership``; both are
managed on the admin's user page. Model permissions say *what kind* of row a
group may touch; the rules here add *which* rows: an editor only their own
agency's, and only while the row is not under review or public.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from django.db.models import Model, Q

from layers.models.workflow import PublicationState

EDITOR_GROUP = "editor"
WALIDATA_GROUP = "walidata"
ADMIN_GROUP = "admin"

#: States in which an editor may still change a row's data: before review and
#: after a withdrawal; a submitted, verified or published row is frozen for them.
EDITOR_EDITABLE_STATES = frozenset({PublicationState.DRAFT, PublicationState.UNPUBLISHED})


class Role(StrEnum):
    ANONYMOUS = "anonymous"
    STAFF = "staff"  # signed in, but in none of the three groups: reads like the public
    EDITOR = "editor"
    WALIDATA = "walidata"
    ADMIN = "admin"


#: Roles that see and move every agency's rows.
STEWARDS = frozenset({Role.WALIDATA, Role.ADMIN})


def role_of(user: Any) -> Role:
    """The strongest role of ``user``; superusers are admins, inactive users anonymous."""
    if user is None or not user.is_authenticated or not user.is_active:
        return Role.ANONYMOUS
    if user.is_superuser:
        return Role.ADMIN
    cached = getattr(user, "_taksi_role", None)
    if cached is None:
        names = set(user.groups.values_list("name", flat=True))
        cached = next(
            (role for group, role in ((ADMIN_GROUP, Role.ADMIN),
                                      (WALIDATA_GROUP, Role.WALIDATA),
                                      (EDITOR_GROUP, Role.EDITOR)) if group in names),
            Role.STAFF,
        )
        user._taksi_role = cached
    return cached


def agency_id_of(user: Any) -> int | None:
    """The id of the user's agency, or None (no membership, or anonymous)."""
    if user is None or not user.is_authenticated:
        return None
    from layers.models import StaffMembership

    return (StaffMembership.objects.filter(user_id=user.pk)
            .values_list("agency_id", flat=True).first())


def is_owned(model: type[Model]) -> bool:
    """Agency-owned, workflow-controlled data (facilities, project sites)."""
    names = {f.name for f in model._meta.get_fields()}
    return {"state", "agency"} <= names


def visible_filter(user: Any) -> Q | None:
    """The rows of an owned model ``user`` may read; None means all of them.

    The public reads published rows only; an editor also their own agency's
    rows in any state; the walidata and admins everything.
    """
    role = role_of(user)
    if role in STEWARDS:
        return None
    published = Q(state=PublicationState.PUBLISHED)
    if role is Role.EDITOR:
        agency_id = agency_id_of(user)
        if agency_id is not None:
            return published | Q(agency_id=agency_id)
    return published


def can_edit(user: Any, obj: Model | None) -> bool:
    """May ``user`` change this row's data (``obj`` None: create a new one)?"""
    role = role_of(user)
    if role in STEWARDS:
        return True
    if role is not Role.EDITOR:
        return False
    agency_id = agency_id_of(user)
    if agency_id is None:
        return False
    if obj is None or obj.pk is None:
        return True
    return obj.agency_id == agency_id and obj.state in EDITOR_EDITABLE_STATES


def can_delete(user: Any, obj: Model | None) -> bool:
    """Stewards delete anything; an editor only their own agency's drafts.

    A row that was ever submitted is archived instead, so that what the
    public once saw is never silently gone (its history stays either way).
    """
    role = role_of(user)
    if role in STEWARDS:
        return True
    if role is not Role.EDITOR or agency_id_of(user) is None:
        return False
    if obj is None:
        return True
    return obj.agency_id == agency_id_of(user) and obj.state == PublicationState.DRAFT


def can_view(user: Any, obj: Model) -> bool:
    """May ``user`` read this row (its admin page, its history)?"""
    role = role_of(user)
    if role in STEWARDS:
        return True
    if obj.state == PublicationState.PUBLISHED and role is not Role.ANONYMOUS:
        return True
    if role is not Role.EDITOR:
        return False
    agency_id = agency_id_of(user)
    return agency_id is not None and obj.agency_id == agency_id
