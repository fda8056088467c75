"""What every historical record carries besides django-simple-history's own fields.

django-simple-history stores who (``history_user``), when (``history_date``),
what (a full copy of the row, ``history_type`` +/~/-) and why
(``history_change_reason``); ``origin`` adds *from where*, which the issue
asks for (admin, API, import) and which a user id alone cannot tell.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Origin(models.TextChoices):
    ADMIN = "admin", _("Admin")
    API = "api", _("API")
    IMPORT = "import", _("Impor / Import")
    SYSTEM = "system", _("Sistem / System")


class HistoryOrigin(models.Model):
    """Abstract base of the historical models (``HistoricalRecords(bases=...)``)."""

    origin = models.CharField(
        _("asal perubahan"), max_length=10, choices=Origin.choices, default=Origin.SYSTEM,
        help_text=_("Asal perubahan: admin, API, impor atau tugas sistem."),
    )

    class Meta:
        abstract = True
