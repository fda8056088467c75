"""Progress reports follow the agencies' workflow (issue 7): an editor reports
on their own agency's projects, published ones included; a steward publishes;
only published reports reach the public, and the project's figures follow
the newest published report. Each change is in the report's history."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.test import Client

from layers.models import ProjectProgress, ProjectSite, PublicationState
from tests.personas import AGENCY_A, AGENCY_B

pytestmark = pytest.mark.django_db
PUBLISHED = PublicationState.PUBLISHED


@pytest.fixture
def project_of_a() -> ProjectSite:
    """A published sample project of agency A that already has published reports."""
    project = (ProjectSite.objects.filter(agency__kode=AGENCY_A, state=PUBLISHED,
                                          progress_updates__isnull=False)
               .order_by("pk").distinct().first())
    assert project is not None and project.progress < 100
    return project


def _report_form(project: ProjectSite, day: dt.date, progress: str, spent: int) -> dict:
    return {"project": str(project.pk), "date": day.isoformat(), "progress": progress,
            "spent": str(spent), "note": "Laporan uji"}


def _next_day(project: ProjectSite) -> dt.date:
    return project.progress_updates.order_by("-date").first().date + dt.timedelta(days=1)


def _add_report(client: Client, project: ProjectSite, progress: str = "99.5",
                spent: int | None = None) -> ProjectProgress | None:
    day = _next_day(project)
    response = client.post("/admin/layers/projectprogress/add/",
                           _report_form(project, day, progress, spent or project.spent + 1))
    assert response.status_code in (200, 302)
    return ProjectProgress.objects.filter(project=project, date=day).first()


def _publish(client: Client, report: ProjectProgress, action: str = "publish") -> None:
    response = client.post("/admin/layers/projectprogress/",
                           {"action": action, "_selected_action": [str(report.pk)]})
    assert response.status_code == 302


def test_an_editor_reports_on_a_published_project_as_a_draft(personas, project_of_a) -> None:
    editor = personas["editor-dinkes"]
    before = (project_of_a.progress, project_of_a.spent)
    report = _add_report(editor.client, project_of_a)
    assert report is not None and report.state == PublicationState.DRAFT
    entry = report.history.get()
    assert (entry.history_type, entry.origin, entry.history_user) == ("+", "admin", editor.user)
    project_of_a.refresh_from_db()
    assert (project_of_a.progress, project_of_a.spent) == before
    page = Client().get(f"/proyek/{project_of_a.pk}/").content.decode()
    assert "Laporan uji" not in page


def test_an_editor_cannot_report_on_another_agencys_project(personas, project_of_a) -> None:
    assert project_of_a.agency.kode != AGENCY_B
    report = _add_report(personas["editor-pupr"].client, project_of_a)
    assert report is None


def test_the_project_page_lists_reports_read_only(personas, project_of_a) -> None:
    html = personas["admin-taksi"].client.get(
        f"/admin/layers/projectsite/{project_of_a.pk}/change/").content.decode()
    assert 'name="progress_updates-0-progress"' not in html
    first = project_of_a.progress_updates.order_by("date", "pk").first()
    assert f"/admin/layers/projectprogress/{first.pk}/change/" in html


@pytest.mark.parametrize(("who", "published"), [
    ("editor-dinkes", False), ("walidata-kominfo", True), ("admin-taksi", True)])
def test_only_stewards_publish_a_report(personas, project_of_a, who, published) -> None:
    report = _add_report(personas["editor-dinkes"].client, project_of_a, "99.5",
                         project_of_a.spent + 1_000)
    _publish(personas[who].client, report)
    report.refresh_from_db()
    assert (report.state == PUBLISHED) is published
    project_of_a.refresh_from_db()
    page = Client().get(f"/proyek/{project_of_a.pk}/").content.decode()
    if published:
        assert project_of_a.progress == Decimal("99.5")
        assert "Laporan uji" in page
        assert project_of_a.history.first().history_change_reason.startswith("laporan progres")
    else:
        assert project_of_a.progress != Decimal("99.5")
        assert "Laporan uji" not in page


def test_unpublishing_the_newest_report_brings_back_the_previous_figures(
        personas, project_of_a) -> None:
    before = (project_of_a.progress, project_of_a.spent)
    report = _add_report(personas["editor-dinkes"].client, project_of_a, "99.5",
                         project_of_a.spent + 1_000)
    walidata = personas["walidata-kominfo"].client
    _publish(walidata, report)
    project_of_a.refresh_from_db()
    assert (project_of_a.progress, project_of_a.spent) == (Decimal("99.5"), before[1] + 1_000)
    _publish(walidata, report, action="unpublish")
    project_of_a.refresh_from_db()
    assert (project_of_a.progress, project_of_a.spent) == before
    assert [h.state for h in report.history.order_by("history_date")] == [
        "draft", "published", "unpublished"]


def test_an_editor_edits_a_draft_report_but_not_a_published_one(personas, project_of_a) -> None:
    editor = personas["editor-dinkes"].client
    report = _add_report(editor, project_of_a)
    form = _report_form(project_of_a, report.date, "98.0", report.spent)
    url = f"/admin/layers/projectprogress/{report.pk}/change/"
    assert editor.post(url, form).status_code == 302
    report.refresh_from_db()
    assert report.progress == Decimal("98.0")
    published = project_of_a.progress_updates.filter(state=PUBLISHED).first()
    response = editor.post(f"/admin/layers/projectprogress/{published.pk}/change/",
                           _report_form(project_of_a, published.date, "1.0", 0))
    assert response.status_code == 403
    published.refresh_from_db()
    assert published.progress != Decimal("1.0")


def _raster_facilities(path) -> int:
    import rasterio

    with rasterio.open(path) as src:
        return int(src.tags()["FACILITIES"])


@pytest.mark.parametrize(("category", "start", "action", "change"), [
    ("rumah_sakit", "published", "unpublish", -1),
    ("rumah_sakit", "unpublished", "publish", +1),
    ("gereja", "published", "unpublish", None),  # not a health facility: no rebuild
])
def test_publishing_or_withdrawing_a_health_facility_rebuilds_the_distance_coverage(
        personas, settings, tmp_path, django_capture_on_commit_callbacks,
        category, start, action, change) -> None:
    """The coverage is built from published rows, so a move in or out of
    ``published`` rebuilds it once the move commits (here into a scratch
    folder, so the live test server keeps its raster)."""
    from layers.health_distance import health_distance_path, rebuild_health_distance
    from layers.models import Facility

    settings.TAKSI_RASTER_DIR = tmp_path
    row = Facility.objects.filter(category=category, state=PUBLISHED).first()
    Facility.objects.filter(pk=row.pk).update(state=start)  # no signal: the raster's input
    rebuild_health_distance()
    before = _raster_facilities(health_distance_path())
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = personas["walidata-kominfo"].client.post("/admin/layers/facility/", {
            "action": action, "_selected_action": [str(row.pk)]})
    assert response.status_code == 302
    row.refresh_from_db()
    assert row.state != start
    if change is None:
        assert callbacks == []
    else:
        assert len(callbacks) == 1
        assert _raster_facilities(health_distance_path()) == before + change
