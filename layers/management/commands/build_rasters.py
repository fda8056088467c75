"""``manage.py build_rasters``: rebuild the raster layers from the database."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from layers.health_distance import RasterBuildError, rebuild_health_distance


class Command(BaseCommand):
    help = (
        "Rebuild the 50 m raster of straight-line distance to the nearest health facility "
        "(rumah sakit, puskesmas, klinik) over Kota Kupang, as a Cloud-Optimized GeoTIFF "
        "in TAKSI_RASTER_DIR. Run it after changing facilities; it replaces the file "
        "atomically and leaves it alone on failure."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--output", type=Path, default=None,
            help="Write to this file instead of TAKSI_RASTER_DIR/jarak-faskes.tif.",
        )
        parser.add_argument(
            "--dry-run", action="store_true",
            help="Compute the grid and print the summary without writing a file.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            report = rebuild_health_distance(options["output"], dry_run=options["dry_run"])
        except RasterBuildError as error:
            raise CommandError(f"build_rasters: {error}") from error
        action = "would write" if options["dry_run"] else "wrote"
        self.stdout.write(self.style.SUCCESS(
            f"build_rasters: {action} {report.path} ({report.width}x{report.height} cells of "
            f"50 m, {report.cells_with_data} in the city, {report.facilities} health "
            f"facilities, farthest cell {report.max_distance_m:.0f} m)."
        ))
