"""The project page /proyek/<id>/ over real HTTP (gunicorn, DEBUG off).

Expected texts are computed here from the database with the test's own
formatting (month names, Rupiah), not with the code under test.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import requests
from django.db import connection
from django.test import Client

from layers.models import ProjectProgress, ProjectSite
from tests.html_tree import Element, parse

pytestmark = pytest.mark.django_db

BULAN = ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus",
         "September", "Oktober", "November", "Desember")
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")


def rupiah(value: int) -> str:
    return "Rp " + f"{value:,}".replace(",", ".")


def persen(value: Decimal, comma: str = ",") -> str:
    """45,5% / 100% / 0%: no trailing zero decimals."""
    return format(Decimal(value).normalize(), "f").replace(".", comma) + "%"


def tanggal(day: dt.date, months: tuple[str, ...] = BULAN) -> str:
    return f"{day.day} {months[day.month - 1]} {day.year}"


@pytest.fixture(scope="module")
def running_project(django_db_setup, django_db_blocker) -> ProjectSite:
    """A sample project under way, with contractor, kelurahan and several reports."""
    with django_db_blocker.unblock():
        return (ProjectSite.objects.select_related("agency", "kelurahan", "kecamatan")
                .filter(status="implementation", progress_updates__isnull=False)
                .order_by("pk").distinct().first())


def _page(http: requests.Session, url: str, **headers: str) -> Element:
    response = http.get(url, headers=headers, timeout=30)
    assert response.status_code == 200, response.text[:500]
    return parse(response.text)


def _field(page: Element, name: str) -> str:
    return page.find("dd", data_field=name).text


def test_the_page_shows_the_projects_facts_in_indonesian(
    server_url: str, http: requests.Session, running_project: ProjectSite,
) -> None:
    p = running_project
    page = _page(http, f"{server_url}/proyek/{p.pk}/")
    assert page.find("html").attrs["lang"] == "id"
    assert page.find("h1").text == p.name
    assert _field(page, "opd") == p.agency.nama
    assert _field(page, "lokasi") == f"Kelurahan {p.kelurahan.nama}, Kecamatan {p.kecamatan.nama}"
    assert _field(page, "status") == "Pelaksanaan"
    assert _field(page, "pagu") == rupiah(p.budget)
    ratio = (Decimal(p.spent) * 100 / p.budget).quantize(Decimal("0.1"))
    assert _field(page, "realisasi") == f"{rupiah(p.spent)} ({persen(ratio)} dari pagu)"
    bar = page.find(role="progressbar")
    assert bar.attrs["aria-valuenow"] == str(p.progress)
    assert (bar.attrs["aria-valuemin"], bar.attrs["aria-valuemax"]) == ("0", "100")
    assert _field(page, "progres") == persen(p.progress)
    assert _field(page, "mulai") == tanggal(p.planned_start)
    assert _field(page, "selesai") == tanggal(p.planned_end)
    assert _field(page, "kontraktor") == p.contractor
    assert _field(page, "sumber_dana") == p.get_funding_source_display()
    assert page.find(class_="sample-note").find(class_="badge-sample").text == "Data contoh"
    url = f"{server_url}/proyek/{p.pk}/"
    assert page.find("input", id="share-url").attrs["value"] == url
    assert page.find("a", id="share-link").text == url
    assert page.find("button", id="copy-link").text == "Salin tautan"


def test_the_timeline_rows_are_the_projects_reports_in_the_database(
    server_url: str, http: requests.Session, running_project: ProjectSite,
) -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT date, progress, spent, note FROM layers_projectprogress"
                       " WHERE project_id = %s ORDER BY date", [running_project.pk])
        expected = [(tanggal(d), persen(pr), rupiah(s), n) for d, pr, s, n in cursor.fetchall()]
    assert len(expected) >= 3
    page = _page(http, f"{server_url}/proyek/{running_project.pk}/")
    rows = page.find("table", id="timeline").find("tbody").find_all("tr")
    assert [tuple(td.text for td in row.find_all("td")) for row in rows] == expected
    first = rows[0].find("time").attrs["datetime"]
    assert first == ProjectProgress.objects.filter(
        project=running_project).earliest("date").date.isoformat()


def test_the_page_is_in_english_when_the_visitor_switched_to_english(
    server_url: str, http: requests.Session, running_project: ProjectSite,
) -> None:
    p = running_project
    # The switch's cookie decides; the browser's language alone does not (see test_map_page).
    assert _page(http, f"{server_url}/proyek/{p.pk}/",
                 **{"Accept-Language": "en"}).find("html").attrs["lang"] == "id"
    page = _page(http, f"{server_url}/proyek/{p.pk}/", Cookie="django_language=en")
    assert page.find("html").attrs["lang"] == "en"
    assert page.find("h1").text == p.name  # data is not translated
    assert _field(page, "status") == "Implementation"
    assert _field(page, "mulai") == tanggal(p.planned_start, MONTHS)
    assert _field(page, "pagu") == rupiah(p.budget)  # Rupiah stays Indonesian
    assert _field(page, "progres") == persen(p.progress, ".")
    assert page.find(class_="sample-note").find(class_="badge-sample").text == "Sample data"
    assert page.find("button", id="copy-link").text == "Copy link"


def test_a_project_without_reports_says_so(server_url: str, http: requests.Session) -> None:
    project = ProjectSite.objects.filter(status="identification").order_by("pk").first()
    page = _page(http, f"{server_url}/proyek/{project.pk}/")
    assert page.find_all("table", id="timeline") == []
    assert page.find("p", id="timeline-empty").text == "Belum ada laporan progres untuk proyek ini."
    assert _field(page, "progres") == "0%"
    assert _field(page, "kontraktor") == "belum ditetapkan"


@pytest.mark.parametrize("path", [
    "/proyek/999999/", "/proyek/0/", "/proyek/abc/", "/proyek/-1/", "/proyek/1.5/",
    "/proyek/99999999999999999999999/", "/proyek/%00/", "/proyek/011/", "/proyek/+1/",
])
def test_unknown_or_malformed_project_ids_are_404(
    server_url: str, http: requests.Session, path: str,
) -> None:
    assert http.get(f"{server_url}{path}", timeout=30).status_code == 404


def test_text_from_the_database_is_escaped(client: Client) -> None:
    """In-process client: the project exists only inside this test's transaction."""
    source = ProjectSite.objects.order_by("pk").first()
    hostile = '<script>alert("x")</script><b>Proyek</b>'
    project = ProjectSite.objects.create(
        name=hostile, contractor="<i>CV</i>", description="<img src=x onerror=alert(1)>",
        agency=source.agency, fiscal_year=2026, funding_source="APBD", budget=0,
        status="implementation", geometry=source.geometry, is_sample=False, state="published",
    )
    ProjectProgress.objects.create(project=project, date=dt.date(2026, 6, 1),
                                   progress=Decimal("10"), spent=0, note="<u>catatan</u>",
                                   state="published")
    response = client.get(f"/proyek/{project.pk}/")
    html = response.content.decode()
    assert response.status_code == 200
    for raw in ("<script>alert", "<b>Proyek", "<i>CV", "<img src=x", "<u>catatan"):
        assert raw not in html
    page = parse(html)
    assert page.find("h1").text == hostile
    assert page.find("table", id="timeline").find("tbody").find("tr").find_all("td")[3].text \
        == "<u>catatan</u>"
    assert page.find_all(class_="sample-note") == []  # not sample data: no label
    assert _field(page, "realisasi") == "Rp 0"  # no budget: no ratio
