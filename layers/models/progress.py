"""Progress reports of a project site: the history behind its current figures.

``ProjectSite.progress`` and ``ProjectSite.spent`` hold the latest state (what
the map and the OGC API show); each ``ProjectProgress`` row is one report of
the physical progress and the realised spending on a date, so the project
page can show how the project got there (OC4IDS calls these "progress
updates" of the implementation stage).
"""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from layers.models.project import ProjectSite


class ProjectProgress(models.Model):
    project = models.ForeignKey(
        ProjectSite, on_delete=models.CASCADE, related_name="progress_updates",
        verbose_name=_("proyek"),
    )
    date = models.DateField(_("tanggal"))
    progress = models.DecimalField(
        _("progres fisik (%)"), max_digits=4, decimal_places=1,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    spent = models.BigIntegerField(
        _("realisasi (Rp)"), default=0, validators=[MinValueValidator(0)],
        help_text=_("Cumulative realised spending on that date, in whole Rupiah."),
    )
    note = models.TextField(_("catatan"), blank=True, default="")

    class Meta:
        ordering = ["project_id", "date"]
        verbose_name = _("laporan progres")
        verbose_name_plural = _("laporan progres")
        constraints = [
            # One report per project and day: the loader and imports key on it.
            models.UniqueConstraint(fields=["project", "date"], name="progress_one_per_day"),
            models.CheckConstraint(
                condition=Q(progress__gte=0) & Q(progress__lte=100),
                name="progress_update_0_100",
            ),
            models.CheckConstraint(condition=Q(spent__gte=0), name="progress_spent_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.project} · {self.date:%Y-%m-%d} · {self.progress}%"
