"""Load the bundled Kota Kupang data (``fixtures/``) idempotently.

A load finds every row by its stable key (Kemendagri kode, agency kode,
source id) and creates the rows that are missing (never one that staff
deleted: its history records the deletion). A row that exists is left
as it is, even where it differs from the fixture: once loaded, the data is
the city's, and staff edit it (a re-imported boundary, ``check_topology
--fix``, a corrected facility name). Only ``restore=True`` (``manage.py
load_kupang --restore``) writes the fixture values back over such edits,
and removes sample progress reports the generator no longer makes. Either
way nothing is written where nothing differs, and everything runs in one
transaction, so a broken fixture leaves the database as it was.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.gis.geos import GEOSGeometry, MultiPolygon
from django.db import models, transaction

from layers import sample_projects
from layers.history import recording_origin
from layers.models import (
    Agency,
    Facility,
    Kecamatan,
    Kelurahan,
    Origin,
    ProjectProgress,
    ProjectSite,
    PublicationState,
)

FIXTURES_DIR = Path(settings.BASE_DIR) / "fixtures"

HOSPITAL_SOURCE = (
    "acaxoxo/ga-rs-kupang (koordinat dari OpenStreetMap, © OpenStreetMap contributors)"
)
CHURCH_SOURCE = "yufri28/sig-persebaran-gereja-gmit-di-kota-kupang"
#: The bundled data is public already: it is loaded published (issue 7 workflow).
PUBLISHED = {"state": PublicationState.PUBLISHED}


def _features(path: Path) -> Iterator[dict[str, Any]]:
    yield from json.loads(path.read_text(encoding="utf-8"))["features"]


def _multipolygon(geometry: dict[str, Any]) -> MultiPolygon:
    geom = GEOSGeometry(json.dumps(geometry), srid=4326)
    return geom if isinstance(geom, MultiPolygon) else MultiPolygon(geom, srid=4326)


def _point(geometry: dict[str, Any]) -> GEOSGeometry:
    return GEOSGeometry(json.dumps(geometry), srid=4326)


def _same(current: Any, new: Any) -> bool:
    if isinstance(current, GEOSGeometry) and isinstance(new, GEOSGeometry):
        return current.geom_type == new.geom_type and current.equals_exact(new, 1e-10)
    if isinstance(current, Decimal) and not isinstance(new, Decimal):
        return current == Decimal(str(new))
    return current == new


def upsert(model: type[models.Model], key: dict[str, Any], values: dict[str, Any],
           created_with: dict[str, Any] | None = None, *, restore: bool = False) -> str:
    """Create, keep, update or leave one row; returns which of these happened.

    ``kept``: the row differs from the fixture and is left alone (edited since
    it was loaded); with ``restore`` it is ``updated`` to the fixture values.
    ``deleted``: the row is missing because staff deleted it (a deletion in its
    history), so it is not brought back unless ``restore``.
    ``created_with`` is set on creation only: a fixture row is published when
    first loaded, but a later load does not re-publish what the walidata
    withdrew since.
    """
    instance = model.objects.filter(**key).first()
    if instance is None:
        if not restore and model.history.filter(**key, history_type="-").exists():
            return "deleted"  # staff deleted it (its history says so): it stays deleted
        model.objects.create(**key, **values, **(created_with or {}))
        return "created"
    changed = [name for name, new in values.items() if not _same(getattr(instance, name), new)]
    if not changed:
        return "unchanged"
    if not restore:
        return "kept"
    for name in changed:
        setattr(instance, name, values[name])
    instance.save()
    return "updated"


def _load_agencies(report: Counter, restore: bool) -> None:
    data = json.loads((FIXTURES_DIR / "agencies.json").read_text(encoding="utf-8"))
    for row in data["agencies"]:
        outcome = upsert(Agency, {"kode": row["kode"]}, {"nama": row["nama"], "kind": row["kind"]},
                         restore=restore)
        report[f"agency {outcome}"] += 1


def _load_boundaries(report: Counter, restore: bool) -> None:
    for feature in _features(FIXTURES_DIR / "kecamatan.geojson"):
        props = feature["properties"]
        outcome = upsert(
            Kecamatan,
            {"kode": props["kode"]},
            {"nama": props["nama"], "luas_km2": props["luas_km2"],
             "geometry": _multipolygon(feature["geometry"])},
            restore=restore,
        )
        report[f"kecamatan {outcome}"] += 1
    kecamatan = {k.kode: k for k in Kecamatan.objects.all()}
    for feature in _features(FIXTURES_DIR / "kelurahan.geojson"):
        props = feature["properties"]
        outcome = upsert(
            Kelurahan,
            {"kode": props["kode"]},
            {
                "nama": props["nama"],
                "nama_alt": props["nama_alt"] or "",
                "kecamatan": kecamatan[props["kode_kec"]],
                "luas_km2": props["luas_km2"],
                "geometry": _multipolygon(feature["geometry"]),
            },
            restore=restore,
        )
        report[f"kelurahan {outcome}"] += 1


#: (file, external id prefix, category, agency kode or None, source text)
FACILITY_FILES = (
    ("facilities-hospitals.geojson", "rs", "rumah_sakit", "DINKES", HOSPITAL_SOURCE),
    ("facilities-churches-gmit.geojson", "gmit", "gereja", None, CHURCH_SOURCE),
)


def _load_facilities(report: Counter, restore: bool) -> None:
    for filename, prefix, category, agency_kode, source in FACILITY_FILES:
        agency = Agency.objects.get(kode=agency_kode) if agency_kode else None
        for feature in _features(FIXTURES_DIR / filename):
            props = feature["properties"]
            detail = props.get("tipe") or props.get("sumber")
            outcome = upsert(
                Facility,
                {"external_id": f"{prefix}-{props['id']}"},
                {"name": props["nama"], "category": category, "agency": agency,
                 "source": f"{source}: {detail}" if detail else source,
                 "geometry": _point(feature["geometry"])},
                created_with=PUBLISHED, restore=restore,
            )
            report[f"facility {outcome}"] += 1


def _load_progress_history(site: ProjectSite, history: tuple[sample_projects.SampleProgress, ...],
                           report: Counter, restore: bool) -> None:
    """The generated reports, keyed by (project, date); with ``restore`` exactly those."""
    for entry in history:
        outcome = upsert(
            ProjectProgress, {"project": site, "date": entry.date},
            {"progress": entry.progress, "spent": entry.spent, "note": entry.note},
            created_with=PUBLISHED, restore=restore,
        )
        report[f"progress {outcome}"] += 1
    if not restore:
        return
    stale = site.progress_updates.exclude(date__in=[entry.date for entry in history])
    deleted, _ = stale.delete()
    if deleted:
        report["progress removed"] += deleted


def _load_sample_projects(report: Counter, restore: bool) -> None:
    agencies = {a.kode: a for a in Agency.objects.all()}
    for project in sample_projects.generate(FIXTURES_DIR / "kelurahan.geojson"):
        values = dict(project.values)
        values["agency"] = agencies[values.pop("agency_kode")]
        values["geometry"] = GEOSGeometry(project.geometry_geojson, srid=4326)
        outcome = upsert(ProjectSite, {"external_id": project.external_id}, values,
                         created_with=PUBLISHED, restore=restore)
        report[f"project {outcome}"] += 1
        site = ProjectSite.objects.get(external_id=project.external_id)
        _load_progress_history(site, project.history, report, restore)


@transaction.atomic
def load_kupang(*, restore: bool = False) -> Counter:
    """Load agencies, boundaries, facilities and sample projects (with their progress
    reports); return the counts. Existing rows are kept unless ``restore``.

    Every change is recorded in the rows' history with origin ``import``.
    """
    report: Counter = Counter()
    with recording_origin(Origin.IMPORT):
        _load_agencies(report, restore)
        _load_boundaries(report, restore)
        _load_facilities(report, restore)
        _load_sample_projects(report, restore)
    return report
