"""Development project sites, shaped after the OC4IDS project schema.

Field names follow OC4IDS concepts (budget, status, period, contractor) with
the Indonesian budgeting terms in labels (pagu, realisasi, APBD/APBN/DAK).
"""

from __future__ import annotations

from django.contrib.gis.db import models
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db.models import Q
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from layers.models.agency import Agency
from layers.models.boundaries import GEOMETRY_HELP, WGS84, Kecamatan, Kelurahan
from layers.models.history import HistoryOrigin
from layers.models.located import clean_location, save_located
from layers.models.workflow import state_field


class FundingSource(models.TextChoices):
    APBD = "APBD", _("APBD (anggaran daerah)")
    APBN = "APBN", _("APBN (anggaran negara)")
    DAK = "DAK", _("DAK (dana alokasi khusus)")
    OTHER = "lainnya", _("Lainnya")


class ProjectStatus(models.TextChoices):
    """OC4IDS projectStatus codelist."""

    IDENTIFICATION = "identification", _("Identifikasi")
    PREPARATION = "preparation", _("Persiapan")
    IMPLEMENTATION = "implementation", _("Pelaksanaan")
    COMPLETION = "completion", _("Penyelesaian")
    COMPLETED = "completed", _("Selesai")
    CANCELLED = "cancelled", _("Dibatalkan")


class ProjectSite(models.Model):
    external_id = models.CharField(
        _("id sumber"), max_length=64, unique=True, null=True, blank=True,
        help_text=_("Id dalam register OPD sendiri; kunci untuk impor ulang. "
                    "Bila dikosongkan, id dibuat otomatis (taksi-…)."),
    )
    name = models.CharField(_("nama"), max_length=250)
    description = models.TextField(_("deskripsi"), blank=True, default="")
    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="projects", verbose_name=_("OPD")
    )
    fiscal_year = models.PositiveSmallIntegerField(
        _("tahun anggaran"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    funding_source = models.CharField(
        _("sumber dana"), max_length=10, choices=FundingSource.choices
    )
    budget = models.BigIntegerField(
        _("pagu (Rp)"), validators=[MinValueValidator(0)],
        help_text=_("Pagu anggaran dalam Rupiah bulat; bilangan bulat menghindari pembulatan "
                    "dalam penjumlahan."),
    )
    spent = models.BigIntegerField(
        _("realisasi (Rp)"), default=0, validators=[MinValueValidator(0)],
        help_text=_("Realisasi belanja dalam Rupiah bulat."),
    )
    progress = models.DecimalField(
        _("progres fisik (%)"), max_digits=4, decimal_places=1, default=0,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    status = models.CharField(
        _("status"), max_length=20, choices=ProjectStatus.choices, db_index=True
    )
    planned_start = models.DateField(_("rencana mulai"), null=True, blank=True)
    planned_end = models.DateField(_("rencana selesai"), null=True, blank=True)
    contractor = models.CharField(_("kontraktor"), max_length=200, blank=True, default="")
    geometry = models.GeometryField(
        _("lokasi"), srid=WGS84,
        # format_lazy: a "+" would freeze the text in the language active at import.
        help_text=format_lazy(
            _("Point, LineString (jalan, saluran) atau Polygon (gedung, taman), dalam {crs}"),
            crs=GEOMETRY_HELP,
        ),
    )
    kelurahan = models.ForeignKey(
        Kelurahan, on_delete=models.SET_NULL, null=True, blank=True, editable=False,
        related_name="projects", verbose_name=_("kelurahan"),
        help_text=_("Kelurahan yang memuat atau paling luas menutupi lokasi "
                    "(penggabungan spasial)."),
    )
    kecamatan = models.ForeignKey(
        Kecamatan, on_delete=models.SET_NULL, null=True, blank=True, editable=False,
        related_name="projects", verbose_name=_("kecamatan"),
    )
    is_sample = models.BooleanField(
        _("data contoh"), default=False,
        help_text=_("Data contoh buatan, berlabel 'Data contoh / sample data' di mana pun "
                    "ditampilkan."),
    )
    state = state_field()
    history = HistoricalRecords(bases=[HistoryOrigin])

    class Meta:
        ordering = ["id"]
        verbose_name = _("lokasi proyek")
        verbose_name_plural = _("lokasi proyek")
        constraints = [
            models.CheckConstraint(
                condition=Q(progress__gte=0) & Q(progress__lte=100),
                name="project_progress_0_100",
                violation_error_message=_("Progres fisik harus antara 0 dan 100 persen."),
            ),
            models.CheckConstraint(
                condition=Q(planned_end__isnull=True)
                | Q(planned_start__isnull=True)
                | Q(planned_end__gte=models.F("planned_start")),
                name="project_end_after_start",
                violation_error_message=_(
                    "Tanggal selesai rencana tidak boleh sebelum tanggal mulai rencana."
                ),
            ),
            models.CheckConstraint(
                condition=Q(geometry__geom_type__in=["POINT", "LINESTRING", "POLYGON"]),
                name="project_geometry_point_line_or_polygon",
                violation_error_message=_(
                    "Lokasi proyek harus Point, LineString atau Polygon."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        super().clean()
        clean_location(self)

    def save(self, *args, **kwargs) -> None:
        """Tags by spatial join; refuses a geometry outside the city (``OutsideCity``)."""
        save_located(self, kwargs.get("update_fields"))
        super().save(*args, **kwargs)
