"""What the write-API tests share: committed personas, an HTTP client for them, a clean slate.

The live gunicorn server sees only committed rows, and every test runs in a
transaction that is rolled back. So the personas (users, their API tokens
and admin sessions) are created *committed* once per module and removed
after it, and every facility, project and history row the server writes
during a test is deleted after that test: the shared Kupang data (67
published facilities, 40 projects) is left as it was. Rows a test needs
before it starts are inserted committed too (``committed_facility``).

Usernames start with ``api-`` so they never meet the rolled-back personas
of ``tests.personas``.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import psycopg
import pytest
import requests
from django.db import connection

from layers.health_distance import HEALTH_CATEGORIES, rebuild_health_distance

AGENCY_A = "DINKES"
AGENCY_B = "PUPR"
#: In Oebobo, inside Kota Kupang (as tests.personas.SITE).
SITE = (123.5858, -10.1681)
#: The API's view of a point feature in the city.
NAMES = ("anonim", "editor-a", "editor-b", "walidata", "admin")
_PERSONAS = {
    "editor-a": ("editor", AGENCY_A), "editor-b": ("editor", AGENCY_B),
    "walidata": ("walidata", "KOMINFO"), "admin": ("admin", None), "staf": (None, None),
}
_TABLES = ("layers_facility", "layers_projectsite")
_HISTORY = ("layers_historicalfacility", "layers_historicalprojectsite")


@dataclass
class ApiPersona:
    name: str
    username: str | None = None
    token: str | None = None
    session: str | None = None
    #: A CSRF secret set as the csrftoken cookie (sent back in X-CSRFToken when asked).
    csrf: str | None = None


@dataclass
class Api:
    """Requests as a persona, with a token (default) or with the admin session."""

    http: requests.Session
    server_url: str
    personas: dict[str, ApiPersona] = field(default_factory=dict)

    def url(self, path: str) -> str:
        return path if path.startswith("http") else f"{self.server_url}{path}"

    def call(self, who: str, method: str, path: str, *, json: Any = None,
             headers: dict[str, str] | None = None, via: str = "token", csrf: bool = True,
             cookies: dict[str, str] | None = None, **kwargs: Any) -> requests.Response:
        persona = self.personas[who]
        sent = dict(headers or {})
        cookies = dict(cookies or {})
        if persona.token and via == "token":
            sent["Authorization"] = f"Bearer {persona.token}"
        elif persona.session and via == "session":
            cookies["sessionid"] = persona.session
            assert persona.csrf is not None
            cookies["csrftoken"] = persona.csrf
            if csrf:
                sent["X-CSRFToken"] = persona.csrf
        return self.http.request(method, self.url(path), json=json, headers=sent,
                                 cookies=cookies, timeout=60, **kwargs)

    def get(self, who: str, path: str, **kwargs: Any) -> requests.Response:
        return self.call(who, "GET", path, **kwargs)


def conninfo() -> str:
    s = connection.settings_dict
    return psycopg.conninfo.make_conninfo(
        dbname=s["NAME"], user=s["USER"], password=s["PASSWORD"],
        host=s["HOST"] or "127.0.0.1", port=s["PORT"] or 5432)


def _create_personas() -> dict[str, ApiPersona]:
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.test import Client
    from django.utils.crypto import get_random_string

    from layers.models import Agency, StaffMembership
    from layers.tokens import issue_token

    personas = {"anonim": ApiPersona("anonim")}
    for name, (group, agency) in _PERSONAS.items():
        user = get_user_model().objects.create_user(f"api-{name}", is_staff=True)
        if group:
            user.groups.add(Group.objects.get(name=group))
        if agency:
            StaffMembership.objects.create(user=user, agency=Agency.objects.get(kode=agency))
        _row, secret = issue_token(user, "tests")
        client = Client()
        client.force_login(user)
        personas[name] = ApiPersona(name, user.username, secret,
                                    client.cookies["sessionid"].value,
                                    get_random_string(32))
    return personas


def _remove_personas(personas: dict[str, ApiPersona]) -> None:
    from django.contrib.auth import get_user_model
    from django.contrib.sessions.models import Session

    Session.objects.filter(session_key__in=[p.session for p in personas.values()
                                            if p.session]).delete()
    get_user_model().objects.filter(
        username__in=[p.username for p in personas.values() if p.username]).delete()


@pytest.fixture(scope="module")
def write_api(django_db_setup: None, django_db_blocker: Any, server_url: str,
        http: requests.Session) -> Iterator[Api]:
    """The personas, committed for this module: anonim, editor-a (DINKES), editor-b
    (PUPR), walidata (KOMINFO), admin, and staf (signed in, no role)."""
    with django_db_blocker.unblock():
        personas = _create_personas()
    try:
        yield Api(http, server_url, personas)
    finally:
        with django_db_blocker.unblock():
            _remove_personas(personas)


def _high_water(conn: psycopg.Connection) -> dict[str, int]:
    marks = {t: conn.execute(f"SELECT coalesce(max(id), 0) FROM {t}").fetchone()[0]
             for t in _TABLES}
    marks.update({t: conn.execute(f"SELECT coalesce(max(history_id), 0) FROM {t}")
                  .fetchone()[0] for t in _HISTORY})
    return marks


@pytest.fixture
def committed() -> Iterator[psycopg.Connection]:
    """An autocommit connection; every row written during the test is deleted after it."""
    with psycopg.connect(conninfo(), autocommit=True) as conn:
        marks = _high_water(conn)
        try:
            yield conn
        finally:
            # The server rebuilt the distance raster when a published health
            # facility committed; rebuild it once more without the test's rows.
            fed_raster = conn.execute(
                "SELECT count(*) FROM layers_facility WHERE id > %s AND state = 'published'"
                " AND category = ANY(%s)",
                [marks["layers_facility"], list(HEALTH_CATEGORIES)]).fetchone()[0]
            for table in _HISTORY:
                conn.execute(f"DELETE FROM {table} WHERE history_id > %s", [marks[table]])
            for table in _TABLES:
                conn.execute(f"DELETE FROM {table} WHERE id > %s", [marks[table]])
            if fed_raster:
                rebuild_health_distance()


def committed_facility(conn: psycopg.Connection, name: str, state: str,
                       agency: str | None = AGENCY_A, point: tuple[float, float] = SITE) -> int:
    """A puskesmas row the server sees at once (removed by ``committed``)."""
    return conn.execute(
        "INSERT INTO layers_facility (name, category, address, source, state, geometry,"
        " agency_id) VALUES (%s, 'puskesmas', 'Jl. Uji', 'uji-api', %s,"
        " ST_SetSRID(ST_MakePoint(%s, %s), 4326), (SELECT id FROM layers_agency WHERE kode = %s))"
        " RETURNING id", [name, state, point[0], point[1], agency]).fetchone()[0]


def facility_row(conn: psycopg.Connection, fid: int) -> dict[str, Any] | None:
    """What the database holds for a facility: the test sees what the server wrote."""
    row = conn.execute(
        "SELECT f.name, f.category, f.address, f.state, a.kode, ST_X(f.geometry),"
        " ST_Y(f.geometry) FROM layers_facility f LEFT JOIN layers_agency a"
        " ON a.id = f.agency_id WHERE f.id = %s", [fid]).fetchone()
    if row is None:
        return None
    keys = ("name", "category", "address", "state", "agency", "lon", "lat")
    return dict(zip(keys, row, strict=True))


def history_rows(conn: psycopg.Connection, fid: int, table: str = "layers_historicalfacility"
                 ) -> list[dict[str, Any]]:
    """The recorded versions, oldest first: type, user, origin, reason, state, name."""
    rows = conn.execute(
        f"SELECT h.history_id, h.history_type, u.username, h.origin,"
        f" h.history_change_reason, h.state, h.name FROM {table} h"
        " LEFT JOIN auth_user u ON u.id = h.history_user_id WHERE h.id = %s"
        " ORDER BY h.history_date, h.history_id", [fid]).fetchall()
    keys = ("version", "type", "user", "origin", "reason", "state", "name")
    return [dict(zip(keys, row, strict=True)) for row in rows]


def point_feature(name: str, category: str = "puskesmas", point: tuple[float, float] = SITE,
                  **properties: Any) -> dict[str, Any]:
    return {"type": "Feature",
            "geometry": {"type": "Point", "coordinates": list(point)},
            "properties": {"nama": name, "kategori": category, **properties}}


def items_path(collection: str = "facilities", fid: int | None = None) -> str:
    base = f"/ogc/collections/{collection}/items"
    return base if fid is None else f"{base}/{fid}"
