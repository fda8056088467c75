"""``manage.py load_kupang``: load the bundled Kota Kupang data (idempotent)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from layers.kupang_fixtures import load_kupang


class Command(BaseCommand):
    help = (
        "Load Kota Kupang's 6 kecamatan, 51 kelurahan, 67 facilities, the OPD list and "
        "40 sample projects from fixtures/. Safe to repeat: unchanged rows are not written."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        report = load_kupang()
        summary = ", ".join(f"{key}: {count}" for key, count in sorted(report.items()))
        self.stdout.write(self.style.SUCCESS(f"Kupang data loaded ({summary})."))
