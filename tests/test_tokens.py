"""Per-user API tokens: stored hashed, authenticate, revoke, expire; made in the admin."""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest
from django.db import connection
from django.test import Client, override_settings
from django.utils import timezone

from layers.models import ApiToken
from layers.tokens import authenticate_token, issue_token, revoke_token
from ogc.middleware import WINDOWS

pytestmark = pytest.mark.django_db


@pytest.fixture
def token(editor_a):
    return issue_token(editor_a.user, "QGIS laptop")


def test_only_a_hash_of_the_secret_is_stored(token) -> None:
    row, secret = token
    assert secret.startswith(f"tks_{row.prefix}_") and len(secret) > 40
    assert row.digest == hashlib.sha256(secret.encode()).hexdigest()
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM layers_apitoken WHERE id = %s", [row.pk])
        stored = " ".join(str(value) for value in cursor.fetchone())
    assert secret not in stored
    assert secret.split("_")[-1] not in stored


def test_a_valid_token_names_its_user_and_records_its_use(token, editor_a) -> None:
    row, secret = token
    assert authenticate_token(f"Bearer {secret}") == editor_a.user
    assert authenticate_token(f"bearer   {secret}  ") == editor_a.user
    row.refresh_from_db()
    assert row.last_used is not None


@pytest.mark.parametrize("header", [
    None, "", "Bearer", "Bearer tks_00000000_salah", "Basic dXNlcjpwYXNz",
    "Bearer " + "tks_" + "x" * 300,
])
def test_a_malformed_or_unknown_token_names_nobody(token, header) -> None:
    assert authenticate_token(header) is None


def test_revoked_expired_and_inactive_tokens_are_rejected(token, editor_a) -> None:
    row, secret = token
    revoke_token(row)
    assert authenticate_token(f"Bearer {secret}") is None
    _expired, expired_secret = issue_token(editor_a.user, "lama",
                                          expires=timezone.now() - dt.timedelta(minutes=1))
    assert authenticate_token(f"Bearer {expired_secret}") is None
    _, fresh = issue_token(editor_a.user, "baru", expires=timezone.now() + dt.timedelta(days=1))
    assert authenticate_token(f"Bearer {fresh}") == editor_a.user
    editor_a.user.is_active = False
    editor_a.user.save()
    assert authenticate_token(f"Bearer {fresh}") is None


def test_the_api_answers_401_to_a_bad_token_and_200_to_a_good_one(token) -> None:
    row, secret = token
    client = Client()
    url = "/ogc/collections?f=json"
    assert client.get(url, HTTP_AUTHORIZATION=f"Bearer {secret}").status_code == 200
    bad = client.get(url, HTTP_AUTHORIZATION="Bearer tks_00000000_salah")
    assert bad.status_code == 401
    assert bad["WWW-Authenticate"] == 'Bearer realm="taksi", error="invalid_token"'
    assert bad.json()["code"] == "InvalidToken"
    assert "dicabut" in bad.json()["description"] and "revoked" in bad.json()["description"]
    revoke_token(row)
    assert client.get(url, HTTP_AUTHORIZATION=f"Bearer {secret}").status_code == 401
    # Outside the API a bearer header is ignored: the map page does not care.
    assert client.get("/", HTTP_AUTHORIZATION="Bearer tks_00000000_salah").status_code == 200


@override_settings(TAKSI_RATE_LIMIT=1)
def test_a_token_signs_the_request_in_so_the_anonymous_limit_does_not_apply(token) -> None:
    _, secret = token
    WINDOWS.reset()
    client = Client()
    url = "/ogc/collections?f=json"
    signed = [client.get(url, HTTP_AUTHORIZATION=f"Bearer {secret}").status_code
              for _ in range(3)]
    anonymous = [client.get(url).status_code for _ in range(2)]
    WINDOWS.reset()
    assert signed == [200, 200, 200]
    assert anonymous == [200, 429]


def test_the_admin_shows_a_new_token_once_and_stores_its_hash(editor_a) -> None:
    response = editor_a.client.post("/admin/layers/apitoken/add/",
                                    {"name": "QGIS kantor", "expires": ""})
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    secret = response.context["secret"]
    assert secret in response.content.decode()
    row = ApiToken.objects.get(name="QGIS kantor")
    assert row.user == editor_a.user  # an editor makes tokens for themselves only
    assert row.digest == hashlib.sha256(secret.encode()).hexdigest()
    assert authenticate_token(f"Bearer {secret}") == editor_a.user
    listing = editor_a.client.get("/admin/layers/apitoken/").content.decode()
    assert row.prefix in listing and secret not in listing
    change = editor_a.client.get(f"/admin/layers/apitoken/{row.pk}/change/").content.decode()
    assert secret not in change


def test_tokens_are_listed_and_revoked_by_their_owner_or_the_admin(
        editor_a, editor_b, admin_persona) -> None:
    mine, my_secret = issue_token(editor_a.user, "milik A")
    theirs, _ = issue_token(editor_b.user, "milik B")
    listing = editor_a.client.get("/admin/layers/apitoken/")
    assert [t.pk for t in listing.context["cl"].result_list] == [mine.pk]
    editor_a.client.post("/admin/layers/apitoken/",
                         {"action": "revoke", "_selected_action": [str(theirs.pk)]})
    theirs.refresh_from_db()
    assert theirs.revoked is None  # not A's to revoke
    admin_listing = admin_persona.client.get("/admin/layers/apitoken/")
    assert admin_listing.context["cl"].result_count == 2
    admin_persona.client.post("/admin/layers/apitoken/",
                              {"action": "revoke", "_selected_action": [str(mine.pk)]})
    mine.refresh_from_db()
    assert mine.revoked is not None
    assert authenticate_token(f"Bearer {my_secret}") is None
