"""``manage.py load_kupang``: load the bundled Kota Kupang data (idempotent).

``make run`` and ``make test`` run it on every start: it only creates what is
missing, so staff edits survive; ``--restore`` puts the fixture values back.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from layers.kupang_fixtures import load_kupang


class Command(BaseCommand):
    help = (
        "Load Kota Kupang's 6 kecamatan, 51 kelurahan, 67 facilities, the OPD list and "
        "40 sample projects from fixtures/. Safe to repeat: only missing rows are created; "
        "rows edited since they were loaded are kept (reported as 'kept') unless --restore."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--restore", action="store_true",
            help="Write the fixture values back over rows edited since they were loaded "
                 "(a re-imported or fixed boundary, a renamed facility), and remove sample "
                 "progress reports the generator no longer makes.")

    def handle(self, *args: Any, **options: Any) -> None:
        report = load_kupang(restore=options["restore"])
        summary = ", ".join(f"{key}: {count}" for key, count in sorted(report.items()))
        self.stdout.write(self.style.SUCCESS(f"Kupang data loaded ({summary})."))
