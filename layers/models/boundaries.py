"""Administrative boundaries: kecamatan (district) and kelurahan (urban village)."""

from __future__ import annotations

from django.contrib.gis.db import models
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from layers.models.history import HistoryOrigin

WGS84 = 4326

KODE_KECAMATAN = RegexValidator(
    r"^\d{2}\.\d{2}\.\d{2}$", _("Kode kecamatan Kemendagri berbentuk 53.71.01.")
)
KODE_KELURAHAN = RegexValidator(
    r"^\d{2}\.\d{2}\.\d{2}\.\d{4}$", _("Kode kelurahan Kemendagri berbentuk 53.71.01.1001.")
)

GEOMETRY_HELP = _(
    "EPSG:4326 (WGS 84 bujur/lintang): CRS bawaan API OGC dan yang direkam perangkat "
    "GPS; salinan terproyeksi dibuat di tepi sistem, tidak pernah disimpan."
)


class AdministrativeArea(models.Model):
    """What every boundary layer has: an area and a MultiPolygon.

    MultiPolygon rather than Polygon because a kelurahan on the coast may
    include islets; single polygons are promoted on import.
    """

    luas_km2 = models.FloatField(
        _("luas (km²)"), null=True, blank=True,
        help_text=_("Luas geodesik pada elipsoid WGS 84, dihitung dari geometrinya."),
    )
    geometry = models.MultiPolygonField(_("geometri"), srid=WGS84, help_text=GEOMETRY_HELP)

    class Meta:
        abstract = True


class Kecamatan(AdministrativeArea):
    kode = models.CharField(
        _("kode"),
        max_length=8,
        unique=True,
        validators=[KODE_KECAMATAN],
        help_text=_("Kode Kemendagri (Kepmendagri 300.2.2-2138/2025), kunci tetap."),
    )
    nama = models.CharField(_("nama"), max_length=100)
    history = HistoricalRecords(bases=[HistoryOrigin])

    class Meta:
        ordering = ["kode"]
        verbose_name = _("kecamatan")
        verbose_name_plural = _("kecamatan")

    def __str__(self) -> str:
        return f"{self.nama} ({self.kode})"


class Kelurahan(AdministrativeArea):
    kode = models.CharField(
        _("kode"),
        max_length=13,
        unique=True,
        validators=[KODE_KELURAHAN],
        help_text=_("Kode Kemendagri; memang tidak berurutan dalam satu kecamatan."),
    )
    nama = models.CharField(_("nama"), max_length=100)
    nama_alt = models.CharField(
        _("nama lain"), max_length=100, blank=True, default="",
        help_text=_("Ejaan yang dipakai set data lain (Naikoten I, Air Nona), untuk pencarian."),
    )
    kecamatan = models.ForeignKey(
        Kecamatan, on_delete=models.PROTECT, related_name="kelurahan",
        verbose_name=_("kecamatan"),
    )
    history = HistoricalRecords(bases=[HistoryOrigin])

    class Meta:
        ordering = ["kode"]
        verbose_name = _("kelurahan")
        verbose_name_plural = _("kelurahan")

    def __str__(self) -> str:
        return f"{self.nama} ({self.kode})"
