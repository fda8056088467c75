"""Named personas for the roles tests: who is asking, signed in to the admin.

Agency A is DINKES (it keeps the 12 hospitals), agency B is PUPR. Every
persona is a fresh user inside the test's rolled-back transaction.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.gis.geos import Point
from django.test import Client

from layers.models import Agency, Facility, PublicationState, StaffMembership

AGENCY_A = "DINKES"
AGENCY_B = "PUPR"
#: In Oebobo, inside Kota Kupang.
SITE = Point(123.5858, -10.1681, srid=4326)


@dataclass
class Persona:
    name: str
    user: object | None
    client: Client


def _persona(name: str, group: str | None, agency: str | None) -> Persona:
    client = Client()
    if group is None:
        return Persona(name, None, client)
    # No password: hashing one costs ~0.3 s, and the client signs in with force_login.
    user = get_user_model().objects.create_user(name, is_staff=True)
    user.groups.add(Group.objects.get(name=group))
    if agency:
        StaffMembership.objects.create(user=user, agency=Agency.objects.get(kode=agency))
    client.force_login(user)
    return Persona(name, user, client)


@pytest.fixture
def anonymous(db) -> Persona:
    return _persona("anonim", None, None)


@pytest.fixture
def editor_a(db) -> Persona:
    return _persona("editor-dinkes", "editor", AGENCY_A)


@pytest.fixture
def editor_b(db) -> Persona:
    return _persona("editor-pupr", "editor", AGENCY_B)


@pytest.fixture
def walidata(db) -> Persona:
    return _persona("walidata-kominfo", "walidata", "KOMINFO")


@pytest.fixture
def admin_persona(db) -> Persona:
    return _persona("admin-taksi", "admin", None)


@pytest.fixture
def personas(anonymous, editor_a, editor_b, walidata, admin_persona) -> dict[str, Persona]:
    return {p.name: p for p in (anonymous, editor_a, editor_b, walidata, admin_persona)}


@pytest.fixture
def draft_of_a(db) -> Facility:
    """A draft facility of agency A, as an editor of A would have left it."""
    return Facility.objects.create(
        name="Puskesmas Draf Uji", category="puskesmas", address="Jl. Uji 1",
        agency=Agency.objects.get(kode=AGENCY_A), geometry=SITE,
        state=PublicationState.DRAFT,
    )


@pytest.fixture
def published_of_a(db) -> Facility:
    """One of agency A's real, published hospitals."""
    return Facility.objects.filter(agency__kode=AGENCY_A, state="published").order_by("pk")[0]
