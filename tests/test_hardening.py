"""Hardening: deploy checks, security headers, rate limit, login lockout,
query time-outs and body limits (issue: agencies own their data, part
"Hardening")."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client, override_settings

from ogc.middleware import WINDOWS
from ogc.providers.pool import close_pools

ROOT = Path(__file__).resolve().parent.parent
PRODUCTION_ENV = {
    "DJANGO_SECRET_KEY": "k3U8s9-production-like-secret-7Qz1x0Lm4Vb2Nc6Rt5Yw8Pe3Gh9Jd2Fa0",
    "TAKSI_BASE_URL": "https://data.kupangkota.go.id",
    "DJANGO_ALLOWED_HOSTS": "data.kupangkota.go.id",
    "DJANGO_DEBUG": "false",
}


def _check_deploy(**env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT, env={**os.environ, **PRODUCTION_ENV, **env},
        capture_output=True, text=True, timeout=120,
    )


def test_production_settings_pass_check_deploy_without_a_warning() -> None:
    done = _check_deploy()
    assert done.returncode == 0, done.stdout + done.stderr
    assert "System check identified no issues" in done.stdout


def test_check_deploy_does_flag_debug_and_plain_http() -> None:
    done = _check_deploy(DJANGO_DEBUG="true", TAKSI_BASE_URL="http://data.kupangkota.go.id")
    assert done.returncode != 0
    output = done.stdout + done.stderr
    assert "security.W018" in output  # DEBUG on
    assert "security.W012" in output  # session cookie not secure


def test_check_deploy_refuses_the_development_secret_key() -> None:
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SECRET_KEY"}
    done = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy"],
        cwd=ROOT, env={**env, **{k: v for k, v in PRODUCTION_ENV.items()
                                 if k != "DJANGO_SECRET_KEY"}},
        capture_output=True, text=True, timeout=120,
    )
    assert done.returncode != 0
    assert "spatial.E004" in done.stdout + done.stderr


def test_pages_and_api_carry_the_security_headers(http, server_url: str) -> None:
    for path in ("/", "/ogc/collections?f=json"):
        response = http.get(server_url + path)
        assert response.status_code == 200
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["X-Frame-Options"] == "DENY"
        assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
        assert response.headers["Cross-Origin-Opener-Policy"] == "same-origin"


def test_a_missing_page_shows_no_debug_information(http, server_url: str) -> None:
    response = http.get(server_url + "/tidak-ada/")
    assert response.status_code == 404
    assert "URLconf" not in response.text
    assert "Traceback" not in response.text


@pytest.fixture
def fresh_windows():
    WINDOWS.reset()
    yield
    WINDOWS.reset()


@override_settings(TAKSI_RATE_LIMIT=3)
@pytest.mark.django_db
def test_anonymous_api_use_above_the_limit_gets_429_with_retry_after(fresh_windows) -> None:
    client = Client()
    url = "/ogc/collections/kecamatan/items?f=json&limit=1"
    assert [client.get(url).status_code for _ in range(3)] == [200, 200, 200]
    refused = client.get(url)
    assert refused.status_code == 429
    assert 1 <= int(refused["Retry-After"]) <= 60
    assert refused.json()["code"] == "TooManyRequests"
    assert "3 per menit" in refused.json()["description"]
    # Another address has its own budget; pages outside the API are not limited.
    assert client.get(url, REMOTE_ADDR="10.9.8.7").status_code == 200
    assert client.get("/sumber-data/").status_code == 200


@override_settings(TAKSI_RATE_LIMIT=2)
@pytest.mark.django_db
def test_guessing_api_tokens_counts_against_the_limit(fresh_windows) -> None:
    from django.contrib.auth import get_user_model

    from layers.tokens import issue_token

    client = Client()
    url = "/ogc/collections/kecamatan/items?f=json&limit=1"
    guesses = [client.get(url, HTTP_AUTHORIZATION=f"Bearer tks_tebak_{n}").status_code
               for n in range(3)]
    assert guesses == [401, 401, 429]
    assert client.get(url).status_code == 429  # the same address, now without a token
    # A valid token is never limited (as a signed-in session).
    staff = get_user_model().objects.create_user("staf-token", is_staff=True)
    _row, secret = issue_token(staff, "uji")
    assert client.get(url, HTTP_AUTHORIZATION=f"Bearer {secret}").status_code == 200


@override_settings(TAKSI_RATE_LIMIT=2)
@pytest.mark.django_db
def test_a_forged_forwarded_for_header_does_not_escape_the_limit(fresh_windows) -> None:
    client = Client()
    url = "/ogc/collections/kecamatan/items?f=json&limit=1"
    codes = [client.get(url, HTTP_X_FORWARDED_FOR=f"203.0.113.{n}").status_code
             for n in range(3)]
    assert codes == [200, 200, 429]


@override_settings(TAKSI_RATE_LIMIT=1)
@pytest.mark.django_db
def test_signed_in_staff_are_not_rate_limited(fresh_windows) -> None:
    staff = get_user_model().objects.create_user("walidata-uji", password="x", is_staff=True)
    client = Client()
    client.force_login(staff)
    codes = [client.get("/ogc/collections?f=json").status_code for _ in range(3)]
    assert codes == [200, 200, 200]


@pytest.mark.django_db
def test_five_wrong_passwords_lock_the_admin_login_for_that_user() -> None:
    get_user_model().objects.create_user("editor-uji", password="benar-sekali-123",
                                         is_staff=True)
    client = Client()
    for _ in range(5):
        wrong = client.post("/admin/login/", {"username": "editor-uji", "password": "salah"})
        assert wrong.status_code in (200, 429)
    locked = client.post("/admin/login/",
                         {"username": "editor-uji", "password": "benar-sekali-123"})
    assert locked.status_code == 429
    assert locked["Retry-After"] == "900"  # the 15-minute cool-off, in seconds
    assert "Coba lagi dalam 15 menit" in locked.content.decode()
    # Another user from the same address can still sign in.
    get_user_model().objects.create_user("walidata-uji", password="benar-sekali-456",
                                         is_staff=True)
    other = client.post("/admin/login/",
                        {"username": "walidata-uji", "password": "benar-sekali-456"})
    assert other.status_code == 302


@pytest.fixture
def one_millisecond_statement_timeout():
    """The feature provider's pool reconnects with statement_timeout = 1 ms.

    The pool takes its session options from Django's connection settings, as
    the web server's TAKSI_STATEMENT_TIMEOUT_MS does (spatial.settings).
    """
    options = connection.settings_dict.setdefault("OPTIONS", {})
    before = options.get("options")
    options["options"] = "-c statement_timeout=1"
    close_pools()
    yield
    if before is None:
        options.pop("options")
    else:
        options["options"] = before
    close_pools()


@pytest.mark.django_db
def test_a_query_stopped_by_the_statement_timeout_is_a_503_not_a_500(
    one_millisecond_statement_timeout,
) -> None:
    response = Client().get("/ogc/collections/kelurahan/items?f=json&limit=51")
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert response.json()["code"] == "QueryTimeout"


@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=1000)
@pytest.mark.django_db
def test_an_oversized_request_body_is_refused_with_400() -> None:
    response = Client().post("/admin/login/", {"username": "x" * 5000, "password": "y"})
    assert response.status_code == 400


@pytest.mark.django_db
def test_database_sessions_run_without_jit_or_parallel_workers() -> None:
    """Both cost more than the millisecond queries of a web request (docs/performance.md)."""
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"
        cursor.execute("SHOW max_parallel_workers_per_gather")
        assert cursor.fetchone()[0] == "0"


def test_the_web_server_entry_point_gives_every_database_session_a_statement_timeout() -> None:
    """gunicorn loads ``spatial.wsgi``: its Django connections and the feature
    pool must then run with the 20 s timeout, while management commands run
    without one (an import of a big file must not be cut off)."""
    script = (
        "import spatial.wsgi\n"
        "from django.db import connection\n"
        "from ogc.providers import pool\n"
        "with connection.cursor() as c:\n"
        "    c.execute('SHOW statement_timeout'); print(c.fetchone()[0])\n"
        "print(pool.fetchone('SHOW statement_timeout', [])[0])\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "TAKSI_STATEMENT_TIMEOUT_MS"}
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.split() == ["20s", "20s"]
    command = subprocess.run(
        [sys.executable, "-c", "import django, os; os.environ.setdefault("
         "'DJANGO_SETTINGS_MODULE', 'spatial.settings'); django.setup();"
         "from django.db import connection; c = connection.cursor();"
         "c.execute('SHOW statement_timeout'); print(c.fetchone()[0])"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert command.stdout.split() == ["0"], command.stderr[-2000:]
