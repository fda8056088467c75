"""Keep the distance-to-care coverage in step with every change of a health facility.

The raster is built from *published* hospitals, puskesmas and clinics
(``layers.health_distance``), so it must be rebuilt whenever a change
commits that touches one: a publish or withdrawal, an edit of a published
one's place or category (through the admin or the write API), a delete.
Model signals see all of these, whoever makes them; bulk imports send no
signals and schedule their own rebuild (``layers.importing.run``). Changes
that cannot alter the raster (drafts, churches) schedule nothing.
"""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_delete, post_save, pre_save

from layers.health_distance import HEALTH_CATEGORIES, rebuild_after_commit
from layers.models import Facility
from layers.models.workflow import PublicationState

PUBLISHED = PublicationState.PUBLISHED


def _counts(category: str | None, state: str | None) -> bool:
    """Does a row with these values feed the raster?"""
    return category in HEALTH_CATEGORIES and state == PUBLISHED


def _remember_stored(sender: type[Facility], instance: Facility, **kwargs: Any) -> None:
    stored = None
    if instance.pk is not None:
        stored = sender._default_manager.filter(pk=instance.pk).values_list(
            "category", "state").first()
    instance._raster_stored = stored


def _after_save(sender: type[Facility], instance: Facility, **kwargs: Any) -> None:
    before = getattr(instance, "_raster_stored", None)
    if _counts(instance.category, instance.state) or (before and _counts(*before)):
        rebuild_after_commit()


def _after_delete(sender: type[Facility], instance: Facility, **kwargs: Any) -> None:
    if _counts(instance.category, instance.state):
        rebuild_after_commit()


def connect_signals() -> None:
    pre_save.connect(_remember_stored, sender=Facility, dispatch_uid="taksi-raster-pre")
    post_save.connect(_after_save, sender=Facility, dispatch_uid="taksi-raster-save")
    post_delete.connect(_after_delete, sender=Facility, dispatch_uid="taksi-raster-delete")
