"""ProjectProgress: the dated progress reports behind a project's current figures."""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal
from pathlib import Path

import pytest
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from layers import sample_projects
from layers.kupang_fixtures import FIXTURES_DIR, load_kupang
from layers.models import ProjectProgress, ProjectSite

pytestmark = pytest.mark.django_db


def test_every_started_sample_project_has_a_monotone_history_ending_at_its_figures() -> None:
    today = timezone.localdate()
    started = ProjectSite.objects.exclude(status="identification").filter(
        planned_start__lte=today)
    assert started.count() > 20
    for project in started:
        reports = list(project.progress_updates.order_by("date"))
        assert reports, project.name
        assert reports[-1].progress == project.progress
        assert reports[-1].spent == project.spent
        assert all(a.date < b.date for a, b in itertools.pairwise(reports))
        assert all(a.progress <= b.progress and a.spent <= b.spent
                   for a, b in itertools.pairwise(reports))
        last_day = min(project.planned_end, today)
        assert all(project.planned_start <= r.date <= last_day for r in reports)
    assert not ProjectProgress.objects.filter(project__status="identification").exists()
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM layers_projectprogress")
        assert cursor.fetchone()[0] == ProjectProgress.objects.count() > 100


def test_the_history_is_the_same_on_every_run_and_leaves_the_projects_as_they_were() -> None:
    fixture = Path(FIXTURES_DIR) / "kelurahan.geojson"
    day = dt.date(2026, 12, 3)
    first = sample_projects.generate(fixture, today=day)
    assert first == sample_projects.generate(fixture, today=day)
    assert first[0].values["budget"] == 883_000_000  # the projects did not move
    history = next(p.history for p in first if p.external_id == "contoh-001")
    assert history[0].date == first[0].values["planned_start"]


def test_a_later_load_on_a_later_day_keeps_finished_histories() -> None:
    fixture = Path(FIXTURES_DIR) / "kelurahan.geojson"
    now = sample_projects.generate(fixture, today=dt.date(2026, 12, 3))
    later = sample_projects.generate(fixture, today=dt.date(2026, 12, 4))
    finished = [p.external_id for p in now if p.values["planned_end"] < dt.date(2026, 12, 3)]
    assert finished
    for a, b in zip(now, later, strict=True):
        if a.external_id in finished:
            assert a.history == b.history


def test_a_second_load_leaves_every_report_unchanged() -> None:
    report = load_kupang()
    assert report["progress unchanged"] == ProjectProgress.objects.count()
    assert "progress created" not in report and "progress deleted" not in report


def test_a_deleted_or_edited_report_is_restored_by_a_load_with_restore() -> None:
    report_row = ProjectProgress.objects.order_by("pk").first()
    key = (report_row.project_id, report_row.date, report_row.progress)
    ProjectProgress.objects.filter(pk=report_row.pk).update(note="diubah")
    other = ProjectProgress.objects.exclude(pk=report_row.pk).order_by("pk").first()
    other.delete()
    kept = load_kupang()
    assert kept["progress kept"] == 1 and kept["progress deleted"] == 1
    outcome = load_kupang(restore=True)
    assert outcome["progress updated"] == 1 and outcome["progress created"] == 1
    restored = ProjectProgress.objects.get(project_id=key[0], date=key[1])
    assert restored.progress == key[2] and restored.note != "diubah"


def test_progress_outside_0_to_100_and_two_reports_on_one_day_are_refused() -> None:
    project = ProjectSite.objects.order_by("pk").first()
    existing = project.progress_updates.first()
    with pytest.raises(IntegrityError), transaction.atomic():
        ProjectProgress.objects.create(project=project, date=dt.date(2030, 1, 1),
                                       progress=Decimal("100.1"), spent=0)
    with pytest.raises(IntegrityError), transaction.atomic():
        ProjectProgress.objects.create(project=project, date=dt.date(2030, 1, 2),
                                       progress=Decimal("5"), spent=-1)
    with pytest.raises(IntegrityError), transaction.atomic():
        ProjectProgress.objects.create(project=project, date=existing.date,
                                       progress=Decimal("5"), spent=0)
