"""The site's own 400, 403, 404 and 500 pages (frontend.error_pages), over real
HTTP where the server can be made to answer them, in process for a 500.

A citizen who follows a shared link to a project that is not published (or
mistypes an address) gets a page in Bahasa Indonesia — English after the
switch — with the site's header, its CSS and a way back to the map, never
Django's bare English page or a stack trace. The OGC API, downloads and the
catalogue keep answering errors in JSON. The browser side (no CSP violation)
is in test_browser_csp.py.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
import requests
from django.test import Client, override_settings

from layers.models import ProjectSite
from tests.error_urls import SECRET
from tests.html_tree import Element, parse

NAV = ["/", "/", "/dasbor/", "/ogc/", "/sumber-data/"]


@pytest.fixture(scope="module")
def unpublished_project(django_db_setup, django_db_blocker) -> Iterator[int]:
    """A project the public may not see (a draft), committed so the server sees it."""
    with django_db_blocker.unblock():
        project = ProjectSite.objects.filter(state="published").order_by("pk").last()
        ProjectSite.objects.filter(pk=project.pk).update(state="draft")
        try:
            yield project.pk
        finally:
            ProjectSite.objects.filter(pk=project.pk).update(state="published")


def _site_page(response: requests.Response, language: str) -> Element:
    """What every one of the site's pages has: the language, the header, the CSS."""
    assert response.headers["Content-Type"] == "text/html; charset=utf-8"
    assert response.headers["Content-Language"] == language
    page = parse(response.text)
    assert page.find("html").attrs["lang"] == language
    header = page.find("header", class_="site-header")
    assert [a.attrs["href"] for a in header.find_all("a")] == NAV
    assert page.find("link", rel="stylesheet").attrs["href"] == "/static/frontend/taksi.css"
    assert page.find("link", rel="icon").attrs["href"] == "/static/frontend/favicon.svg"
    assert "Traceback" not in response.text
    return page


@pytest.mark.parametrize("path", ["/tidak-ada/", "/dasbor/x/", "/proyek/999999/",
                                  "/dasbor/data/tidak-ada.csv"])
def test_a_missing_page_is_the_sites_own_page_in_bahasa_indonesia(
    server_url: str, http: requests.Session, path: str,
) -> None:
    response = http.get(f"{server_url}{path}", headers={"Accept-Language": "en-US,en"},
                        timeout=30)
    assert response.status_code == 404
    page = _site_page(response, "id")
    assert page.find("h1").text == "Halaman tidak ditemukan"
    assert page.find("title").text.startswith("Halaman tidak ditemukan · Taksi")
    back = page.find("a", class_="error-home")
    assert (back.attrs["href"], back.text) == ("/", "Kembali ke peta")
    assert "Not Found" not in response.text
    # The language switch works from here (its CSRF token is on the page).
    assert page.find("button", name="language").attrs["value"] == "en"
    assert page.find("input", name="next").attrs["value"] == path


def test_a_missing_page_is_in_english_after_the_switch(
    server_url: str, http: requests.Session,
) -> None:
    response = http.get(f"{server_url}/tidak-ada/", cookies={"django_language": "en"},
                        timeout=30)
    assert response.status_code == 404
    page = _site_page(response, "en")
    assert page.find("h1").text == "Page not found"
    assert page.find("a", class_="error-home").text == "Back to the map"
    assert "This address does not exist on Taksi" in page.find("main").text
    assert "Halaman tidak ditemukan" not in response.text
    assert [a.text for a in page.find("nav").find_all("a")] == [
        "Map", "Dashboard", "OGC API", "Data sources"]


def test_the_language_switch_on_a_missing_page_returns_to_it_in_english(
    server_url: str,
) -> None:
    session = requests.Session()
    try:
        missing = session.get(f"{server_url}/tidak-ada/", timeout=30)
        token = parse(missing.text).find("input", name="csrfmiddlewaretoken").attrs["value"]
        switched = session.post(
            f"{server_url}/i18n/setlang/",
            data={"language": "en", "next": "/tidak-ada/", "csrfmiddlewaretoken": token},
            headers={"Referer": f"{server_url}/tidak-ada/"}, allow_redirects=False, timeout=30,
        )
        assert (switched.status_code, switched.headers["Location"]) == (302, "/tidak-ada/")
        english = session.get(f"{server_url}/tidak-ada/", timeout=30)
        assert english.status_code == 404
        assert parse(english.text).find("h1").text == "Page not found"
    finally:
        session.close()


def test_a_shared_link_to_an_unpublished_project_says_it_is_not_published(
    server_url: str, http: requests.Session, unpublished_project: int,
) -> None:
    url = f"{server_url}/proyek/{unpublished_project}/"
    response = http.get(url, timeout=30)
    assert response.status_code == 404
    page = _site_page(response, "id")
    assert page.find("p", class_="error-explanation").text.startswith(
        "Proyek ini tidak ada atau belum diterbitkan.")
    # Its name is not given away.
    name = ProjectSite.objects.get(pk=unpublished_project).name
    assert name not in response.text
    english = http.get(url, cookies={"django_language": "en"}, timeout=30)
    assert parse(english.text).find("p", class_="error-explanation").text.startswith(
        "This project does not exist or has not been published yet.")
    # A mistyped address is not said to be an unpublished project.
    other = parse(http.get(f"{server_url}/tidak-ada/", timeout=30).text)
    assert "Proyek" not in other.find("p", class_="error-explanation").text


@pytest.mark.parametrize("path", [
    "/ogc/static/tidak-ada.css",       # Django's static view raises Http404
    "/ogc/tidak-ada",                  # the OGC API's own catch-all
    "/ogc/collections/jalan",          # pygeoapi's unknown collection
    "/download/jalan.csv",             # the downloads
])
def test_the_ogc_api_and_downloads_keep_answering_404_in_json(
    server_url: str, http: requests.Session, path: str,
) -> None:
    response = http.get(f"{server_url}{path}", timeout=30)
    assert response.status_code == 404
    assert response.headers["Content-Type"].startswith("application/json")
    body = response.json()
    assert body["code"] == "NotFound" and body["description"]
    assert response.headers["Access-Control-Allow-Origin"] == "*"


def test_a_request_for_an_unknown_host_gets_the_400_page_and_json_on_the_api(
    server_url: str, http: requests.Session,
) -> None:
    """Django refuses a Host outside ALLOWED_HOSTS (SuspiciousOperation → 400)."""
    page = http.get(f"{server_url}/", headers={"Host": "taksi.example.org"}, timeout=30)
    assert page.status_code == 400
    tree = _site_page(page, "id")
    assert tree.find("h1").text == "Permintaan tidak valid"
    assert "taksi.example.org" not in page.text
    api = http.get(f"{server_url}/ogc/collections", headers={"Host": "taksi.example.org"},
                   timeout=30)
    assert api.status_code == 400
    assert api.json()["code"] == "InvalidParameterValue"


def test_a_form_sent_without_its_csrf_token_gets_the_sites_403_page(server_url: str) -> None:
    http = requests.Session()  # its cookies (the language chosen at the end) stay here
    response = http.post(f"{server_url}/i18n/setlang/", data={"language": "en"},
                         headers={"Referer": f"{server_url}/"}, timeout=30)
    assert response.status_code == 403
    page = _site_page(response, "id")
    assert page.find("h1").text == "Formulir kedaluwarsa"
    assert "CSRF verification failed" not in response.text
    # A fresh token comes with it, so a second try from this page succeeds.
    token = page.find("input", name="csrfmiddlewaretoken").attrs["value"]
    retry = http.post(f"{server_url}/i18n/setlang/",
                      data={"language": "en", "next": "/", "csrfmiddlewaretoken": token},
                      headers={"Referer": f"{server_url}/"}, allow_redirects=False, timeout=30)
    assert retry.status_code == 302
    http.close()


# ---- a server error: in process (the real server has no view that fails on purpose) ----


@override_settings(ROOT_URLCONF="tests.error_urls", DEBUG=False)
def test_a_server_error_page_needs_no_database_and_shows_both_languages() -> None:
    """No ``django_db`` mark: pytest-django refuses every database query here, so
    the page is known to need none (the failure may be the database itself)."""
    client = Client(raise_request_exception=False)
    response = client.get("/rusak/", headers={"accept-language": "en"})
    assert response.status_code == 500
    html = response.content.decode()
    assert SECRET not in html and "OperationalError" not in html and "Traceback" not in html
    page = parse(html)
    assert page.find("html").attrs["lang"] == "id"
    sections = page.find("article").find_all("section")
    assert [s.attrs["lang"] for s in sections] == ["id", "en"]
    assert sections[0].find("h1").text == "Kesalahan server"
    assert sections[1].find("h2").text == "Server error"
    assert [a.attrs["href"] for a in page.find("main").find_all("a")] == ["/", "/"]
    assert page.find("link", rel="stylesheet").attrs["href"] == "/static/frontend/taksi.css"
    # No form: a CSRF token needs the request, which the 500 page does not get.
    assert page.find_all("form") == [] and "csrfmiddlewaretoken" not in html
    # The header and its navigation are there all the same.
    assert [a.attrs["href"] for a in page.find("header").find_all("a")] == NAV
    # In English mode the navigation follows the language; both texts stay.
    english = Client(raise_request_exception=False)
    english.cookies["django_language"] = "en"
    response = english.get("/rusak/")
    assert response.status_code == 500
    page = parse(response.content.decode())
    assert page.find("html").attrs["lang"] == "en"
    assert [s.find("h1" if s.attrs["lang"] == "id" else "h2").text
            for s in page.find("article").find_all("section")] == [
        "Kesalahan server", "Server error"]


@override_settings(ROOT_URLCONF="tests.error_urls", DEBUG=False)
def test_a_server_error_in_the_ogc_api_is_json() -> None:
    response = Client(raise_request_exception=False).get("/ogc/rusak")
    assert response.status_code == 500
    assert response.headers["Content-Type"] == "application/json"
    assert response.json()["code"] == "NoApplicableCode"
    assert SECRET not in response.content.decode()


@override_settings(ROOT_URLCONF="tests.error_urls", DEBUG=False)
def test_a_refusal_is_the_sites_403_page_without_the_reason() -> None:
    response = Client().get("/ditolak/")
    assert response.status_code == 403
    html = response.content.decode()
    page = parse(html)
    assert page.find("html").attrs["lang"] == "id"
    assert page.find("h1").text == "Akses ditolak"
    assert SECRET not in html
    assert re.search(r'<a class="error-home" href="/">Kembali ke peta</a>', html)
