"""City agencies (Organisasi Perangkat Daerah, OPD) that own and maintain data."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from layers.models.history import HistoryOrigin


class AgencyKind(models.TextChoices):
    SEKRETARIAT = "sekretariat", _("Sekretariat")
    INSPEKTORAT = "inspektorat", _("Inspektorat")
    BADAN = "badan", _("Badan")
    DINAS = "dinas", _("Dinas")
    SATUAN = "satuan", _("Satuan")
    RSUD = "rsud", _("Rumah sakit daerah")
    KECAMATAN = "kecamatan", _("Kecamatan")


class Agency(models.Model):
    kode = models.SlugField(
        _("kode singkat"), max_length=30, unique=True,
        help_text=_("Kode singkat seperti DINKES atau PUPR; kunci tetap untuk impor."),
    )
    nama = models.CharField(_("nama"), max_length=200, unique=True)
    kind = models.CharField(_("jenis"), max_length=20, choices=AgencyKind.choices)
    history = HistoricalRecords(bases=[HistoryOrigin])

    class Meta:
        ordering = ["nama"]
        verbose_name = _("perangkat daerah (OPD)")
        verbose_name_plural = _("perangkat daerah (OPD)")

    def __str__(self) -> str:
        return self.nama
