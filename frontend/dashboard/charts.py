"""Every chart of the dashboard by id: the ids are the CSV file names."""

from __future__ import annotations

from collections.abc import Callable

from frontend.dashboard import facilities, projects
from frontend.dashboard.filters import Filters
from frontend.dashboard.shapes import Chart

CHARTS: dict[str, Callable[[Filters], Chart]] = {
    "anggaran-per-kecamatan": lambda f: projects.budget_chart(f, "kecamatan"),
    "anggaran-per-opd": lambda f: projects.budget_chart(f, "opd"),
    "status-per-kecamatan": lambda f: projects.status_chart(f, "kecamatan"),
    "status-per-opd": lambda f: projects.status_chart(f, "opd"),
    "progres-per-kecamatan": lambda f: projects.progress_chart(f, "kecamatan"),
    "progres-per-opd": lambda f: projects.progress_chart(f, "opd"),
    "fasilitas-per-kecamatan": lambda f: facilities.category_chart(f, "kecamatan"),
    "fasilitas-per-opd": lambda f: facilities.category_chart(f, "opd"),
    "kepadatan-fasilitas": facilities.density_chart,
}


def all_charts(filters: Filters) -> list[Chart]:
    return [build(filters) for build in CHARTS.values()]
