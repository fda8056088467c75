"""The publication state every agency-owned record carries.

Only ``published`` rows reach the public (OGC API, tiles, downloads, the map);
who may move a row between states is decided in ``layers.workflow``.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class PublicationState(models.TextChoices):
    DRAFT = "draft", _("Draf / Draft")
    SUBMITTED = "submitted", _("Diajukan / Submitted")
    VERIFIED = "verified", _("Terverifikasi / Verified")
    PUBLISHED = "published", _("Terbit / Published")
    UNPUBLISHED = "unpublished", _("Ditarik / Unpublished")
    ARCHIVED = "archived", _("Diarsipkan / Archived")


def state_field() -> models.CharField:
    """A new row is a draft: nothing becomes public by omission.

    Rows that existed before the workflow were public already, so migration
    0004 adds the column with ``published`` for them and then switches the
    default to ``draft``.
    """
    return models.CharField(
        _("status publikasi"), max_length=12, choices=PublicationState.choices,
        default=PublicationState.DRAFT, db_index=True, editable=False,
        help_text=_("Hanya diubah lewat aksi alur kerja (layers.workflow)."),
    )
