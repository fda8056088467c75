"""Staff accounts: which agency a user works for, and their API tokens.

A token is stored only as the SHA-256 of its secret. The secret carries 256
random bits, so a plain (unsalted, fast) hash is safe here, unlike for
passwords, and lets a request find its token with one indexed lookup. The
short ``prefix`` is kept in clear so that owners and the admin can tell
tokens apart without ever seeing a secret again.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from layers.models.agency import Agency


class StaffMembership(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="membership",
        verbose_name=_("pengguna"),
    )
    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="staff", verbose_name=_("OPD"),
        help_text=_("Editor hanya membuat dan mengubah data OPD ini."),
    )

    class Meta:
        verbose_name = _("keanggotaan OPD / agency membership")
        verbose_name_plural = _("keanggotaan OPD / agency memberships")

    def __str__(self) -> str:
        return f"{self.user} – {self.agency.kode}"


class ApiToken(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens",
        verbose_name=_("pengguna"),
    )
    name = models.CharField(
        _("nama"), max_length=100, help_text=_("Untuk apa token ini, mis. 'laptop QGIS'.")
    )
    prefix = models.CharField(_("awalan"), max_length=12, unique=True, editable=False)
    digest = models.CharField(_("sidik SHA-256"), max_length=64, unique=True, editable=False)
    created = models.DateTimeField(_("dibuat"), default=timezone.now, editable=False)
    expires = models.DateTimeField(
        _("kedaluwarsa"), null=True, blank=True,
        help_text=_("Kosong: berlaku sampai dicabut."),
    )
    revoked = models.DateTimeField(_("dicabut"), null=True, blank=True, editable=False)
    last_used = models.DateTimeField(_("terakhir dipakai"), null=True, blank=True,
                                     editable=False)

    class Meta:
        ordering = ["-created"]
        verbose_name = _("token API / API token")
        verbose_name_plural = _("token API / API tokens")

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.name})"

    def is_valid(self, now: dt.datetime | None = None) -> bool:
        """Not revoked and not expired (at ``now``)."""
        now = now or timezone.now()
        return self.revoked is None and (self.expires is None or self.expires > now)
