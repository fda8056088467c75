"""Public facilities (health, education, worship, offices, markets) as points."""

from __future__ import annotations

from django.contrib.gis.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from layers.models.agency import Agency
from layers.models.boundaries import GEOMETRY_HELP, WGS84, Kecamatan, Kelurahan
from layers.models.history import HistoryOrigin
from layers.models.located import clean_location, save_located
from layers.models.workflow import state_field


class FacilityCategory(models.TextChoices):
    """The fixed taxonomy; values are stable codes used by imports and the API."""

    RUMAH_SAKIT = "rumah_sakit", _("Rumah sakit")
    PUSKESMAS = "puskesmas", _("Puskesmas")
    KLINIK = "klinik", _("Klinik")
    SD = "sd", _("SD")
    SMP = "smp", _("SMP")
    SMA_SMK = "sma_smk", _("SMA/SMK")
    PERGURUAN_TINGGI = "perguruan_tinggi", _("Perguruan tinggi")
    GEREJA = "gereja", _("Gereja")
    MASJID = "masjid", _("Masjid")
    PURA = "pura", _("Pura")
    VIHARA = "vihara", _("Vihara")
    KANTOR_PEMERINTAH = "kantor_pemerintah", _("Kantor pemerintah")
    PASAR = "pasar", _("Pasar")
    LAINNYA = "lainnya", _("Lainnya")


#: Category → group (health, education, worship, government, market, other).
CATEGORY_GROUPS: dict[str, str] = {
    "rumah_sakit": "kesehatan",
    "puskesmas": "kesehatan",
    "klinik": "kesehatan",
    "sd": "pendidikan",
    "smp": "pendidikan",
    "sma_smk": "pendidikan",
    "perguruan_tinggi": "pendidikan",
    "gereja": "ibadah",
    "masjid": "ibadah",
    "pura": "ibadah",
    "vihara": "ibadah",
    "kantor_pemerintah": "pemerintahan",
    "pasar": "pasar",
    "lainnya": "lainnya",
}


class Facility(models.Model):
    external_id = models.CharField(
        _("id sumber"), max_length=64, unique=True, null=True, blank=True,
        help_text=_("Id dalam set data sumber (mis. gmit-12); kunci untuk impor ulang. "
                    "Bila dikosongkan, id dibuat otomatis (taksi-…)."),
    )
    name = models.CharField(_("nama"), max_length=200)
    category = models.CharField(
        _("kategori"), max_length=20, choices=FacilityCategory.choices, db_index=True
    )
    address = models.CharField(_("alamat"), max_length=300, blank=True, default="")
    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, null=True, blank=True, related_name="facilities",
        verbose_name=_("OPD pengelola"),
        help_text=_("OPD yang menjaga data ini tetap mutakhir."),
    )
    source = models.CharField(
        _("sumber"), max_length=300, blank=True, default="",
        help_text=_("Asal data ini (set data, survei, berkas OPD)."),
    )
    geometry = models.PointField(_("lokasi"), srid=WGS84, help_text=GEOMETRY_HELP)
    kelurahan = models.ForeignKey(
        Kelurahan, on_delete=models.SET_NULL, null=True, blank=True, editable=False,
        related_name="facilities", verbose_name=_("kelurahan"),
        help_text=_("Ditentukan oleh penggabungan spasial saat disimpan, tidak pernah "
                    "diambil dari teks berkas."),
    )
    kecamatan = models.ForeignKey(
        Kecamatan, on_delete=models.SET_NULL, null=True, blank=True, editable=False,
        related_name="facilities", verbose_name=_("kecamatan"),
        help_text=_("Kecamatan dari kelurahan itu, ditentukan bersamanya."),
    )
    state = state_field()
    history = HistoricalRecords(bases=[HistoryOrigin])

    class Meta:
        ordering = ["id"]
        verbose_name = _("fasilitas")
        verbose_name_plural = _("fasilitas")

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        super().clean()
        clean_location(self)

    def save(self, *args, **kwargs) -> None:
        """Tags by spatial join; refuses a geometry outside the city (``OutsideCity``)."""
        save_located(self, kwargs.get("update_fields"))
        super().save(*args, **kwargs)
