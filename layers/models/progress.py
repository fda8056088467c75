"""Progress reports of a project site: the history behind its current figures.

``ProjectSite.progress`` and ``ProjectSite.spent`` hold the latest state (what
the map and the OGC API show); each ``ProjectProgress`` row is one report of
the physical progress and the realised spending on a date, so the project
page can show how the project got there (OC4IDS calls these "progress
updates" of the implementation stage).

A report is agency data like the project itself: it carries a publication
``state`` and a history, so an editor can report on a project that is
already public without the figures reaching the public unchecked. When a
steward publishes the project's newest report, the project's own figures
follow it (``after_transition``): the map, the OGC API and the dashboard
always show the latest published report.
"""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from layers.models.history import HistoryOrigin
from layers.models.project import ProjectSite
from layers.models.workflow import PublicationState, state_field


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
        help_text=_("Realisasi kumulatif pada tanggal itu, dalam Rupiah bulat."),
    )
    note = models.TextField(_("catatan"), blank=True, default="")
    state = state_field()
    history = HistoricalRecords(bases=[HistoryOrigin])

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

    @property
    def agency_id(self) -> int | None:
        """The owning agency is the project's: the row-level rules of
        ``layers.roles`` and ``layers.workflow`` read ``agency_id``."""
        return self.project.agency_id if self.project_id else None

    def after_transition(self, from_state: str, user: object) -> None:
        """A report entering or leaving ``published`` moves the project's figures
        to its newest published report (recorded in the project's history like
        any edit); with no published report left they stay as they are."""
        if PublicationState.PUBLISHED not in (from_state, self.state):
            return
        latest = (type(self)._default_manager
                  .filter(project_id=self.project_id, state=PublicationState.PUBLISHED)
                  .order_by("-date").first())
        if latest is None:
            return
        project = ProjectSite.objects.select_for_update().get(pk=self.project_id)
        if (project.progress, project.spent) == (latest.progress, latest.spent):
            return
        project.progress, project.spent = latest.progress, latest.spent
        project._history_user = user if getattr(user, "is_authenticated", False) else None
        project._change_reason = (f"laporan progres {latest.date:%Y-%m-%d} / "
                                  f"progress report of {latest.date:%Y-%m-%d}")
        project.save(update_fields=["progress", "spent"])
