"""Feature history: where a change came from, and each feature's changes as data.

django-simple-history writes a full copy of the row on every save and delete
(who: ``history_user``, when: ``history_date``, why:
``history_change_reason``). Here we add *from where* (``origin``) and turn
consecutive copies into field-by-field changes for the admin, and for
``GET /ogc/collections/<id>/items/<fid>/history`` (wired by ``ogc``).

Origin comes, in this order, from ``instance._history_origin``, from an
enclosing ``recording_origin(...)`` block (imports use it), from the path of
the current request (``/admin/`` → admin, ``/ogc`` → API), else ``system``
(shell, management commands, migrations).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from decimal import Decimal
from typing import TYPE_CHECKING, Any, TypedDict

from django.contrib.gis.geos import GEOSGeometry
from simple_history.models import HistoricalRecords
from simple_history.signals import pre_create_historical_record

from layers.errors import FeatureNotFound, feature_not_found_text
from layers.models.history import Origin

if TYPE_CHECKING:
    from layers.registry import LayerDeclaration

_ORIGIN: ContextVar[str | None] = ContextVar("taksi_history_origin", default=None)

HISTORY_TYPES = {"+": "created", "~": "changed", "-": "deleted"}
#: Bookkeeping columns of a historical row that are not the feature's fields.
_NOT_FIELDS = {"id", "history_id", "history_date", "history_change_reason", "history_type",
               "history_user", "history_user_id", "origin"}


class FieldChange(TypedDict):
    field: str
    old: Any
    new: Any


class HistoryEntry(TypedDict):
    version: int
    date: str
    user: str | None
    origin: str
    type: str
    reason: str
    state: str | None
    changes: list[FieldChange]


@contextmanager
def recording_origin(origin: str) -> Iterator[None]:
    """Record every change made inside the block as coming from ``origin``."""
    if origin not in Origin.values:
        raise ValueError(f"unknown history origin {origin!r}")
    token = _ORIGIN.set(origin)
    try:
        yield
    finally:
        _ORIGIN.reset(token)


def current_origin(instance: Any = None) -> str:
    explicit = getattr(instance, "_history_origin", None) or _ORIGIN.get()
    if explicit:
        return explicit
    request = getattr(HistoricalRecords.context, "request", None)
    path = getattr(request, "path", "")
    if path.startswith("/admin/"):
        return Origin.ADMIN
    if path == "/ogc" or path.startswith("/ogc/"):
        return Origin.API
    return Origin.SYSTEM


def _stamp_origin(sender: Any, instance: Any, history_instance: Any, **kwargs: Any) -> None:
    history_instance.origin = current_origin(instance)


def connect_signals() -> None:
    """Called from ``LayersConfig.ready``."""
    pre_create_historical_record.connect(_stamp_origin, dispatch_uid="taksi-history-origin")


def _jsonable(value: Any) -> Any:
    """Values as the API shows them: geometry as GeoJSON, numbers and dates as JSON."""
    if isinstance(value, GEOSGeometry):
        return json.loads(value.json)
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    return value


def _field_names(record: Any) -> list[str]:
    return [f.attname for f in record._meta.concrete_fields if f.attname not in _NOT_FIELDS]


def _changes(record: Any, previous: Any | None) -> list[FieldChange]:
    changes: list[FieldChange] = []
    for name in _field_names(record):
        new = getattr(record, name)
        old = getattr(previous, name) if previous is not None else None
        if previous is None and new in (None, ""):
            continue
        if previous is not None and old == new:
            continue
        changes.append({"field": name, "old": _jsonable(old), "new": _jsonable(new)})
    return changes


def feature_history(layer: LayerDeclaration, fid: int | str, user: Any = None
                    ) -> list[HistoryEntry]:
    """Every recorded version of feature ``fid`` of ``layer``, newest first.

    Each entry says who, when, from where (origin), what kind of change, and
    which fields changed from what to what. With ``user``, a feature that
    user may not read (``layers.roles.can_view`` on its latest version) is
    reported as not found, like one that never existed.
    """
    history = getattr(layer.model, "history", None)
    try:
        pk = int(fid)
    except (TypeError, ValueError):
        pk = None
    if history is None or pk is None:
        raise FeatureNotFound(feature_not_found_text(layer.id, fid))
    records = list(history.filter(id=pk).select_related("history_user")
                   .order_by("history_date", "history_id"))
    if not records or (user is not None and not _may_read(user, layer.model, records[-1])):
        raise FeatureNotFound(feature_not_found_text(layer.id, fid))
    entries: list[HistoryEntry] = []
    previous = None
    for record in records:
        entries.append({
            "version": record.history_id,
            "date": record.history_date.isoformat(),
            "user": record.history_user.get_username() if record.history_user else None,
            "origin": record.origin,
            "type": HISTORY_TYPES[record.history_type],
            "reason": record.history_change_reason or "",
            "state": getattr(record, "state", None),
            "changes": _changes(record, previous) if record.history_type != "-" else [],
        })
        previous = record
    entries.reverse()
    return entries


def _may_read(user: Any, model: Any, latest: Any) -> bool:
    """Staff only; for owned data the row-level rule of ``layers.roles``."""
    from layers.roles import STEWARDS, Role, can_view, is_owned, role_of

    role = role_of(user)
    if role in (Role.ANONYMOUS, Role.STAFF):
        return False
    if role in STEWARDS or not is_owned(model):
        return True
    return can_view(user, latest)
