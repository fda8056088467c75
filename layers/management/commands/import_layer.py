"""``manage.py import_layer LAYER PATH``: import an agency file into a declared layer."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from layers.errors import ImportRejected, LayerError
from layers.importing import ImportOptions, import_file
from layers.registry import published_layers

#: Files longer than this get a progress bar on stderr.
PROGRESS_OVER = 1000


class ProgressBar:
    """A one-line bar on stderr, redrawn at each whole percent on a terminal.

    Into a file or a pipe (a cron job's log) ``\r`` redraws pile up as one
    line of a hundred frames, so there it writes a line every 10 %.
    """

    def __init__(self, stream: Any = sys.stderr, width: int = 30) -> None:
        self.stream, self.width, self.shown = stream, width, -1
        self.terminal = bool(getattr(stream, "isatty", lambda: False)())
        self.step = 1 if self.terminal else 10

    def __call__(self, done: int, total: int) -> None:
        if total <= PROGRESS_OVER:
            return
        percent = done * 100 // total
        mark = 100 if done == total else percent - percent % self.step
        if mark == self.shown:
            return
        self.shown = mark
        filled = self.width * done // total
        bar = "#" * filled + "." * (self.width - filled)
        line = _("[%(bar)s] %(done)s/%(total)s baris (%(percent)s%%)") % {
            "bar": bar, "done": done, "total": total, "percent": percent}
        if self.terminal:
            self.stream.write(f"\r{line}" + ("\n" if done == total else ""))
        else:
            self.stream.write(f"{line}\n")
        self.stream.flush()


class Command(BaseCommand):
    help = (
        "Import an agency file (GeoJSON, Shapefile .shp/.zip, GeoPackage, KML/KMZ, CSV, XLSX) "
        "into a layer, all or nothing: one bad row and nothing is written. Rows are matched on "
        "--key (kode for boundaries, external_id otherwise), so a re-import updates."
    )
    #: No system checks: they import the URLconf and with it pygeoapi and the whole
    #: OGC API (~1.8 s) that an import never uses; migrate, the server and
    #: ``manage.py check --deploy`` run them.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        layers = [layer.id for layer in published_layers() if layer.import_spec]
        parser.add_argument("layer", help="layer id: " + ", ".join(layers))
        parser.add_argument("path", type=Path, help="the file to import")
        parser.add_argument("--dry-run", action="store_true",
                            help="check everything and report, write nothing")
        parser.add_argument("--map", dest="mapping", metavar="FIELD=COLUMN,...",
                            help="columns for fields, e.g. name=NAMA_FASKES,lon=BUJUR,lat=LINTANG")
        parser.add_argument("--key", help="unique field to match existing rows on")
        parser.add_argument("--no-key", action="store_true",
                            help="the file has no key column (or empty keys): every such row "
                                 "is created new; without this such a file is refused")
        parser.add_argument("--srid", type=int,
                            help="EPSG code of the coordinates when the file declares none")
        parser.add_argument("--encoding", help="text encoding of a Shapefile/CSV (e.g. cp1252)")
        parser.add_argument("--source-layer", help="table of a GeoPackage (or layer of a KML)")
        parser.add_argument("--sheet", help="XLSX sheet name (default: the first)")
        parser.add_argument("--fix-swapped", action="store_true",
                            help="exchange lat/lon of points that are in the city only swapped")
        parser.add_argument("--report", type=Path, metavar="FILE",
                            help="write the rejected rows as CSV")
        parser.add_argument("--state", choices=("published", "draft"), default="published",
                            help="publication state of created facilities/projects "
                                 "(default: published)")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            report = import_file(
                options["layer"], options["path"],
                ImportOptions.with_map(
                    options["mapping"], dry_run=options["dry_run"], key=options["key"],
                    srid=options["srid"], encoding=options["encoding"],
                    source_layer=options["source_layer"], sheet=options["sheet"],
                    fix_swapped=options["fix_swapped"], report_path=options["report"],
                    state=options["state"], no_key=options["no_key"],
                ),
                progress=ProgressBar(self.stderr._out),
            )
        except ImportRejected as rejected:
            for line in rejected.report.lines()[:-1]:
                self.stderr.write(line)
            raise CommandError(rejected.report.summary()) from rejected
        except LayerError as exc:
            raise CommandError(str(exc)) from exc
        for line in report.lines()[:-1]:
            self.stdout.write(line)
        self.stdout.write(self.style.SUCCESS(report.summary()))
