"""``manage.py check_topology``: overlaps and gaps between kelurahan, and their repair."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from layers.topology import (
    TopologyReport,
    check_topology,
    fix_topology,
    problems_geojson,
)


class Command(BaseCommand):
    help = (
        "Report overlaps (pairs of kelurahan, by kode and name) and gaps (holes in the union "
        "of all kelurahan) with geodesic areas in m². --fix repairs both in one transaction: "
        "overlaps go to the lower kode, gaps to the neighbour with the longest shared edge."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--fix", action="store_true",
                            help="repair overlaps and gaps, then re-tag facilities and projects")
        parser.add_argument("--geojson", metavar="FILE", type=Path,
                            help="write the problem areas (before any fix) as GeoJSON")
        parser.add_argument("--min-area", metavar="M2", type=float, default=0.0,
                            help="list and write only problems of at least this many m² "
                                 "(default 0: all); totals always count everything")

    def handle(self, *args: Any, **options: Any) -> None:
        min_area: float = options["min_area"]
        if min_area < 0:
            raise CommandError("--min-area: must be 0 or more (m²)")
        if options["geojson"]:
            # Before the measurement (and before --fix changes anything), not after it.
            folder = options["geojson"].resolve().parent
            if not folder.is_dir() or not os.access(folder, os.W_OK):
                raise CommandError(f"--geojson {options['geojson']}: folder {folder} does not "
                                   "exist or is not writable; nothing was checked or changed")
        if options["fix"]:
            result = fix_topology(min_area)
            report = result.before
            self._print(report, "Before")
            self._print(result.after, "After")
            self.stdout.write(
                f"Kelurahan changed: {result.kelurahan_changed}; facilities/projects "
                f"re-tagged to another kelurahan: {len(result.retagged)}"
            )
            for line in result.retagged:
                self.stdout.write(f"  {line}")
        else:
            report = check_topology(min_area)
            self._print(report, "Topology", details=True)
        if options["geojson"]:
            self._write_geojson(options["geojson"], report)

    def _print(self, report: TopologyReport, title: str, details: bool = False) -> None:
        self.stdout.write(f"{title}:")
        for line in report.summary().splitlines():
            self.stdout.write(f"  {line}")
        if not details:
            return
        for o in report.significant_overlaps:
            self.stdout.write(
                f"  overlap {o.area_m2:9,.1f} m²  {o.kode_a} {o.nama_a} / {o.kode_b} {o.nama_b}"
            )
        for g in report.significant_gaps:
            self.stdout.write(
                f"  gap #{g.number:<4} {g.area_m2:9,.1f} m²  between {'; '.join(g.neighbours)}"
            )

    def _write_geojson(self, path: Path, report: TopologyReport) -> None:
        collection = problems_geojson(report)
        try:
            path.write_text(json.dumps(collection, ensure_ascii=False), encoding="utf-8")
        except OSError as exc:
            raise CommandError(f"--geojson {path}: {exc.strerror}") from exc
        self.stdout.write(f"Wrote {len(collection['features'])} problem areas to {path}")
