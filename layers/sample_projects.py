"""Deterministic sample project sites ("Data contoh / sample data").

There is no public register of Kota Kupang's project sites, so the product
ships generated ones to show how the map and dashboard work. They come from a
fixed seed over the real kelurahan polygons of ``fixtures/kelurahan.geojson``
(not the database), so every machine generates the same 40 sites, each marked
``is_sample=True``. Contractor names are fictitious on purpose.
"""

from __future__ import annotations

import datetime as dt
import json
import random
from dataclasses import dataclass, replace
from decimal import Decimal
from itertools import accumulate
from pathlib import Path
from typing import Any

from shapely.geometry import LineString, Point, Polygon, box, mapping, shape
from shapely.prepared import prep

SEED = 5371  # BPS code of Kota Kupang
COUNT = 40
METRES_PER_DEGREE = 111_320.0
SAMPLE_NOTE = "Data contoh (bukan data resmi) / sample data (not official)."

#: (agency kode, name template, geometry kind, budget range in million Rupiah)
TEMPLATES: tuple[tuple[str, str, str, tuple[int, int]], ...] = (
    ("PUPR", "Rehabilitasi Jalan Lingkungan {kel}", "line", (350, 2_500)),
    ("PUPR", "Pembangunan Saluran Drainase {kel}", "line", (250, 1_800)),
    ("PERKIM", "Penataan Kawasan Permukiman Kumuh {kel}", "polygon", (500, 3_000)),
    ("PERKIM", "Pembangunan Taman Kota {kel}", "polygon", (300, 1_500)),
    ("DINKES", "Renovasi Puskesmas {kel}", "point", (400, 2_000)),
    ("DINKES", "Pembangunan Puskesmas Pembantu {kel}", "point", (300, 1_200)),
    ("DIKBUD", "Rehabilitasi Ruang Kelas SD Negeri {kel}", "point", (150, 900)),
    ("DIKBUD", "Pembangunan Perpustakaan SMP Negeri {kel}", "point", (200, 800)),
    ("DLHK", "Pembangunan TPS3R {kel}", "point", (200, 700)),
    ("DLHK", "Penghijauan Ruang Terbuka {kel}", "polygon", (50, 300)),
    ("DISHUB", "Pemasangan Rambu dan Marka Jalan {kel}", "line", (75, 400)),
    ("KOMINFO", "Pemasangan Wi-Fi Publik Kantor Lurah {kel}", "point", (25, 150)),
    ("DISPERINDAG", "Revitalisasi Pasar Rakyat {kel}", "polygon", (800, 4_000)),
    ("BPBD", "Pembangunan Talud Pengaman {kel}", "line", (300, 1_500)),
)
CONTRACTORS = (
    "CV Contoh Karya Flobamora",
    "CV Contoh Sasando Konstruksi",
    "PT Contoh Lontar Bangun Persada",
    "CV Contoh Nusa Cendana Teknik",
    "PT Contoh Timor Mandiri",
    "CV Contoh Karang Indah",
)
FUNDING = ("APBD", "APBD", "APBD", "DAK", "APBN", "lainnya")


#: Notes of the progress reports, by the smallest progress they apply to.
PROGRESS_NOTES: tuple[tuple[float, str], ...] = (
    (100.0, "Pekerjaan selesai, serah terima pertama (PHO)."),
    (70.0, "Pekerjaan finishing dan perapian."),
    (30.0, "Pekerjaan utama berjalan sesuai jadwal."),
    (0.1, "Mobilisasi dan pekerjaan persiapan."),
    (0.0, "Penyerahan lokasi dan rapat persiapan pelaksanaan."),
)
NOT_STARTED_NOTES = {
    "preparation": "Penyusunan dokumen pengadaan.",
    "cancelled": "Proyek dibatalkan sebelum pekerjaan fisik dimulai.",
}


@dataclass(frozen=True)
class SampleProgress:
    """One progress report: cumulative physical progress and spending on a date."""

    date: dt.date
    progress: Decimal
    spent: int
    note: str


@dataclass(frozen=True)
class SampleProject:
    external_id: str
    values: dict[str, Any]
    geometry_geojson: str
    history: tuple[SampleProgress, ...] = ()


def _point_inside(rng: random.Random, polygon: Polygon) -> Point:
    prepared = prep(polygon.buffer(-0.0004))  # keep ~40 m away from the boundary
    minx, miny, maxx, maxy = polygon.bounds
    for _ in range(2_000):
        candidate = Point(rng.uniform(minx, maxx), rng.uniform(miny, maxy))
        if prepared.contains(candidate):
            return candidate
    return polygon.representative_point()


def _geometry(rng: random.Random, polygon: Polygon, kind: str) -> Any:
    inside = prep(polygon)
    for _ in range(200):
        centre = _point_inside(rng, polygon)
        if kind == "point":
            return centre
        if kind == "line":
            half = rng.uniform(100, 400) / METRES_PER_DEGREE
            dx, dy = rng.uniform(-1, 1), rng.uniform(-1, 1)
            norm = max((dx * dx + dy * dy) ** 0.5, 1e-6)
            dx, dy = dx / norm * half, dy / norm * half
            bend = (rng.uniform(-0.3, 0.3), rng.uniform(-0.3, 0.3))
            middle = (centre.x + bend[0] * dy, centre.y - bend[1] * dx)
            geom = LineString(
                [(centre.x - dx, centre.y - dy), middle, (centre.x + dx, centre.y + dy)]
            )
        else:
            side = rng.uniform(40, 120) / METRES_PER_DEGREE / 2
            geom = box(centre.x - side, centre.y - side, centre.x + side, centre.y + side)
        if inside.contains(geom):
            return geom
    return _point_inside(rng, polygon)


def _dates(rng: random.Random, year: int) -> tuple[dt.date, dt.date]:
    start = dt.date(year, rng.randint(2, 7), rng.randint(1, 28))
    end = start + dt.timedelta(days=rng.randint(60, 150))
    return start, min(end, dt.date(year, 12, 20))


def _status_and_progress(rng: random.Random, year: int) -> tuple[str, float]:
    if year <= 2024:
        return ("cancelled", 0.0) if rng.random() < 0.08 else ("completed", 100.0)
    if year == 2025:
        roll = rng.random()
        if roll < 0.6:
            return "completed", 100.0
        if roll < 0.85:
            return "completion", round(rng.uniform(85, 99), 1)
        return "implementation", round(rng.uniform(40, 85), 1)
    roll = rng.random()
    if roll < 0.25:
        return "identification", 0.0
    if roll < 0.45:
        return "preparation", 0.0
    return "implementation", round(rng.uniform(5, 80), 1)


def _report_dates(rng: random.Random, start: dt.date, end: dt.date, today: dt.date
                  ) -> list[dt.date]:
    """Roughly monthly report dates from ``start``, none after ``end`` or ``today``.

    A finished project ends with a report on its planned end; a running one
    with its last monthly report, so the history only changes when a new
    month passes (a re-load on the next day leaves it unchanged).
    """
    last = min(end, today)
    step = dt.timedelta(days=rng.randint(24, 35))
    dates = []
    day = start
    while day <= last:
        dates.append(day)
        day += step
    if end <= today and dates[-1] != end:
        dates.append(end)
    return dates


def _cumulative(rng: random.Random, count: int) -> list[float]:
    """Sorted fractions from 0 to 1: a monotone path to the project's current figure."""
    if count == 1:
        return [1.0]
    middle = sorted(rng.random() for _ in range(count - 2))
    return [0.0, *middle, 1.0]


def _note(progress: Decimal) -> str:
    return next(note for floor, note in PROGRESS_NOTES if progress >= Decimal(str(floor)))


def progress_history(project: SampleProject, today: dt.date) -> tuple[SampleProgress, ...]:
    """Deterministic reports ending at the project's current progress and spending.

    Seeded per project (not from the shared generator), so adding histories
    did not change the 40 projects themselves.
    """
    values = project.values
    start, end, status = values["planned_start"], values["planned_end"], values["status"]
    if status == "identification" or start > today:
        return ()
    if status in NOT_STARTED_NOTES:
        return (SampleProgress(start, Decimal("0.0"), 0, NOT_STARTED_NOTES[status]),)
    rng = random.Random(f"{SEED}:{project.external_id}")
    dates = _report_dates(rng, start, end, today)
    progress_path = _cumulative(rng, len(dates))
    # Payments follow the physical progress with a lag (termin payments), never ahead.
    spent_path = [*(share * rng.uniform(0.75, 1.0) for share in progress_path[:-1]), 1.0]
    spent_path = list(accumulate(spent_path, max))
    final_progress = Decimal(str(values["progress"]))
    reports = []
    for day, p_share, s_share in zip(dates, progress_path, spent_path, strict=True):
        progress = (final_progress * Decimal(str(p_share))).quantize(Decimal("0.1"))
        if p_share == 1.0:
            progress = final_progress
        spent = int(values["spent"] * s_share) // 1000 * 1000
        reports.append(SampleProgress(day, progress, spent, _note(progress)))
    return tuple(reports)


#: The day the sample snapshot describes (progress reports stop here).
SAMPLE_AS_OF = dt.date(2026, 12, 1)


def generate(kelurahan_geojson: Path, count: int = COUNT, today: dt.date | None = None
             ) -> list[SampleProject]:
    """The sample projects, identical on every run for the same boundary file.

    ``today`` caps the dates of the progress reports. It defaults to the fixed
    ``SAMPLE_AS_OF``, not the real date: sample data is a snapshot, so every load
    on every day gives the same reports and a reload never "finds" new ones.
    """
    today = today or SAMPLE_AS_OF
    features = json.loads(kelurahan_geojson.read_text(encoding="utf-8"))["features"]
    features.sort(key=lambda f: f["properties"]["kode"])
    rng = random.Random(SEED)
    projects = []
    for number in range(1, count + 1):
        feature = features[rng.randrange(len(features))]
        agency, template, kind, (low, high) = TEMPLATES[rng.randrange(len(TEMPLATES))]
        year = rng.choice((2024, 2025, 2025, 2026, 2026, 2026))
        status, progress = _status_and_progress(rng, year)
        budget = rng.randint(low, high) * 1_000_000
        spent = 0 if progress == 0 else int(budget * progress / 100 * rng.uniform(0.85, 1.0))
        start, end = _dates(rng, year)
        name = template.format(kel=feature["properties"]["nama"])
        geometry = _geometry(rng, shape(feature["geometry"]), kind)
        project = SampleProject(
            external_id=f"contoh-{number:03d}",
            values={
                "name": name,
                "description": f"{name}. {SAMPLE_NOTE}",
                "agency_kode": agency,
                "fiscal_year": year,
                "funding_source": rng.choice(FUNDING),
                "budget": budget,
                "spent": spent // 1000 * 1000,
                "progress": progress,
                "status": status,
                "planned_start": start,
                "planned_end": end,
                "contractor": "" if status == "identification" else rng.choice(CONTRACTORS),
                "is_sample": True,
            },
            geometry_geojson=json.dumps(mapping(geometry)),
        )
        projects.append(replace(project, history=progress_history(project, today)))
    return projects
