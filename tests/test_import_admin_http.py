"""The admin's import page over real HTTP, against the gunicorn test server.

The walidata persona is committed on a connection of its own (the server
cannot see the test's rolled-back transaction), signed in with a session
cookie as Django's ``force_login`` would, and removed afterwards. Nothing is
imported for real: each check is a dry run, or cancelled.
"""

from __future__ import annotations

import csv
import html
import io
import re
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import requests
from django.db import connection

DATA = Path(__file__).parent / "data" / "import"
PAGE = "/admin/layers/facility/import/"


def _on_other_connection(work: Callable[[], object]) -> object:
    """ORM work that commits (a fresh connection in autocommit, in another thread)."""

    def run() -> object:
        try:
            return work()
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(run).result()


def _create_walidata() -> tuple[int, str]:
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.auth.models import Group, User
    from django.contrib.sessions.backends.db import SessionStore

    from layers.models import Agency, StaffMembership

    user = User.objects.create_user("walidata-http-impor", is_staff=True)
    user.groups.add(Group.objects.get(name="walidata"))
    StaffMembership.objects.create(user=user, agency=Agency.objects.get(kode="KOMINFO"))
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[-1]
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return user.pk, session.session_key


def _remove(user_id: int, session_key: str) -> None:
    from django.contrib.auth.models import User
    from django.contrib.sessions.models import Session

    Session.objects.filter(session_key=session_key).delete()
    User.objects.filter(pk=user_id).delete()


@pytest.fixture
def steward(server_url: str) -> Iterator[requests.Session]:
    """A signed-in walidata's browser: a requests session with the session cookie."""
    user_id, session_key = _on_other_connection(_create_walidata)
    browser = requests.Session()
    browser.cookies.set("sessionid", session_key, domain="127.0.0.1")
    try:
        yield browser
    finally:
        browser.close()
        _on_other_connection(lambda: _remove(user_id, session_key))


def _csrf(page: str) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)


def _check(browser: requests.Session, url: str, name: str, **fields: str) -> str:
    form = browser.get(url, timeout=30)
    assert form.status_code == 200
    with (DATA / name).open("rb") as handle:
        response = browser.post(url, data={"csrfmiddlewaretoken": _csrf(form.text), **fields},
                                files={"file": (name, handle)}, timeout=60)
    assert response.status_code == 200, response.text[:500]
    return response.text


def _text(fragment: str) -> str:
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", fragment))).strip()


def test_the_form_offers_the_key_options(steward, server_url: str) -> None:
    page = steward.get(f"{server_url}{PAGE}", timeout=30).text
    select = re.search(r'<select name="key"[^>]*>(.*?)</select>', page, re.S).group(1)
    assert re.findall(r'<option value="([^"]*)"', select) == ["external_id"]
    assert 'selected' in select
    assert re.search(r'<input type="checkbox" name="no_key"', page)
    assert "Berkas tanpa kunci: semua baris baru / No key: every row is new (--no-key)" in page


def test_unmatched_values_are_listed_and_the_rejected_rows_download_as_csv(
        steward, server_url: str) -> None:
    page = _check(steward, f"{server_url}{PAGE}", "facilities_one_bad_row.geojson")
    table = re.search(r'<table class="import-unmatched">(.*?)</table>', page, re.S).group(1)
    assert _text(table) == "Nilai / Value Baris / Rows Toko 1"
    assert 'name="confirm"' not in page
    link = re.search(r'<a class="import-rejected-csv" href="([^"]+)"', page).group(1)
    download = steward.get(f"{server_url}{html.unescape(link)}", timeout=30)
    assert download.status_code == 200
    assert download.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="ditolak-facilities_one_bad_row.csv"' in (
        download.headers["Content-Disposition"])
    rows = list(csv.reader(io.StringIO(download.content.decode("utf-8-sig"))))
    assert rows[0] == ["row", "field", "code", "message", "value"]
    assert [r[:3] + r[4:] for r in rows[1:]] == [
        ["3", "category (kategori)", "unmatched_value", "Toko"]]
    # Another session (here: nobody) cannot fetch it.
    assert requests.get(f"{server_url}{html.unescape(link)}", timeout=30,
                        allow_redirects=False).status_code == 302


def test_a_keyless_file_is_refused_beside_the_no_key_option_then_checked_with_it(
        steward, server_url: str) -> None:
    url = f"{server_url}{PAGE}"
    page = _check(steward, url, "facilities_no_key.csv")
    assert 'name="confirm"' not in page
    errors = re.search(r'<ul class="errorlist"[^>]*id="id_no_key_error"[^>]*>(.*?)</ul>', page,
                       re.S)
    assert _text(errors.group(1)).startswith(
        "facilities_no_key.csv: tidak ada kolom kunci external_id (dicari: id_sumber, id,")
    page = _check(steward, url, "facilities_no_key.csv", no_key="on")
    assert ("facilities_no_key.csv → facilities (uji coba, tidak ada yang ditulis): dibaca 2, "
            "baru 2, diperbarui 0, tetap 0, ditolak 0") in _text(page)
    assert "2 baris tanpa kunci external_id dibuat sebagai baris baru (--no-key)" in page
    token = re.search(r'name="token" value="([^"]+)"', page).group(1)
    cancelled = steward.post(url, data={"csrfmiddlewaretoken": _csrf(page), "token": token,
                                        "cancel": "1"}, timeout=30)
    assert "Impor dibatalkan. / Import cancelled." in cancelled.text


def test_a_file_without_rows_is_a_message_that_keeps_the_file_names_case(
        steward, server_url: str) -> None:
    """Django's admin capitalises messages; "Facilities_header_only.csv" is not the file."""
    page = _check(steward, f"{server_url}{PAGE}", "facilities_header_only.csv")
    messages = re.search(r'<ul class="messagelist">(.*?)</ul>', page, re.S).group(1)
    assert _text(messages) == ("facilities_header_only.csv: berkas tidak memuat satu baris atau "
                               "fitur pun; tidak ada yang diimpor")
    assert 'name="confirm"' not in page
