"""What facilities and project sites share on validation and save: location rule and source id.

Both are agency-owned features that must lie in Kota Kupang (issue 3: tagged
by spatial join on every save; outside every kelurahan, the nearest within
50 m, else refused) and must carry a stable key (``external_id``) so that an
export re-imports as updates, not as duplicates.
"""

from __future__ import annotations

import secrets
from typing import Any

from django.core.exceptions import ValidationError

#: Generated source ids look like ``taksi-3f9a0c1b2d4e``: 48 random bits, so two
#: rows never draw the same one in practice, and the prefix says who made it up.
GENERATED_PREFIX = "taksi-"


def new_source_id() -> str:
    return f"{GENERATED_PREFIX}{secrets.token_hex(6)}"


def ensure_source_id(feature: Any) -> None:
    """A row without an id in its source data gets one, so every export carries a key."""
    if not feature.external_id:
        feature.external_id = new_source_id()


def clean_location(feature: Any) -> None:
    """``Model.clean()``: the location rule as a field error on ``geometry``.

    An import sets ``_location_checked`` on the instances it validates: it has
    located every row of the file in one query already, and the rule is the
    same (``layers.importing.location``).
    """
    from layers.errors import OutsideCity
    from layers.spatial_join import validate_location

    if getattr(feature, "_location_checked", False) or feature.geometry is None:
        return
    try:
        found = validate_location(feature.geometry)
    except OutsideCity as exc:
        raise ValidationError({"geometry": exc.message}) from exc
    feature.kelurahan_id, feature.kecamatan_id = found.kelurahan_id, found.kecamatan_id


def save_located(feature: Any, update_fields: Any) -> None:
    """Before ``Model.save()``: a source id, and the tags (refusing a place outside the city)."""
    from layers.spatial_join import tag_or_refuse

    fields = set(update_fields) if update_fields is not None else None
    if fields is None or "external_id" in fields:
        ensure_source_id(feature)
    tag_or_refuse(feature, geometry_written=fields is None or "geometry" in fields)
