"""Create, replace, update, delete and restore one feature: the rules, in one transaction.

The order of the checks is the order of the status codes a client can get:
the row (404: absent, or not one this user may read — the same answer, so a
write never tells whether another agency's draft exists), the role and agency
(403, ``layers.roles``), the version (428/412, ``etags``), the content (422,
``validation``). Then the row is saved and, if the request asked for a
``state``, moved through ``layers.workflow.transition`` — whose table alone
decides (an editor may submit, never publish). Anything refused rolls the
whole request back.

**How state is set through the API**: a new feature is always a ``draft``,
whoever creates it (nothing becomes public by omission); an edit keeps the
state. The property ``state`` asks for a move, honoured only within the
transition table: ``"state": "submitted"`` from an editor, ``"published"``
from the walidata. A request that only moves the state is checked by the
workflow alone (an editor may withdraw their submitted row), one that changes
data also by ``can_edit`` (an editor edits drafts and withdrawn rows only).

Every change is recorded by django-simple-history with the user, origin
``api`` and, for state moves and restores, the reason.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Model

from layers.errors import FeatureNotFound, feature_not_found_text
from layers.history import recording_origin
from layers.models.history import Origin
from layers.models.workflow import PublicationState
from layers.registry import LayerDeclaration
from layers.roles import (
    EDITOR_EDITABLE_STATES,
    STEWARDS,
    agency_id_of,
    can_delete,
    can_edit,
    can_view,
    role_of,
)
from layers.workflow import transition
from ogc.crs import Crs
from ogc.errors import Conflict, Forbidden
from ogc.writes import validation
from ogc.writes.etags import check_if_match, locked_version
from ogc.writes.validation import FeatureInput


@dataclass(frozen=True)
class Written:
    pk: int
    version: str
    state: str
    created: bool = False


def _label(layer: LayerDeclaration, pk: int | None) -> str:
    return f"{layer.id}/{pk}" if pk is not None else layer.id


def _not_found(layer: LayerDeclaration, pk: int) -> FeatureNotFound:
    return FeatureNotFound(feature_not_found_text(layer.id, pk))


def _locked(layer: LayerDeclaration, pk: int, user: Any) -> tuple[Model, str]:
    """The row, locked, and its version; 404 unless ``user`` may read it."""
    version = locked_version(layer, pk)
    if version is None or not layer.visible_queryset(user).filter(pk=pk).exists():
        raise _not_found(layer, pk)
    return layer.model._default_manager.get(pk=pk), version


def _refuse_other_agency(layer: LayerDeclaration, obj: Model, user: Any) -> None:
    if role_of(user) not in STEWARDS and obj.agency_id != agency_id_of(user):
        label = _label(layer, obj.pk)
        raise Forbidden(f"{label}: milik OPD lain; editor hanya mengubah data OPD-nya sendiri. / "
                        f"{label}: belongs to another agency; editors change their own "
                        "agency's data only.")


def _refuse_edit(layer: LayerDeclaration, obj: Model, user: Any) -> None:
    """403 with the reason ``can_edit`` said no: another agency, or a frozen state."""
    if can_edit(user, obj):
        return
    _refuse_other_agency(layer, obj, user)
    label = _label(layer, obj.pk)
    allowed = ", ".join(sorted(EDITOR_EDITABLE_STATES))
    raise Forbidden(f"{label}: berstatus '{obj.state}'; editor hanya mengubah data berstatus "
                    f"{allowed} (tarik dulu ke draft, atau minta walidata). / {label}: is "
                    f"'{obj.state}'; editors change only {allowed} rows (take it back to draft "
                    "first, or ask the walidata).")


def _keep_agency(layer: LayerDeclaration, obj: Model, user: Any, feature: FeatureInput) -> None:
    """Editors write their own agency's rows only; the agency is theirs when not given."""
    if role_of(user) in STEWARDS:
        return
    own = agency_id_of(user)
    if "agency" in feature.given and obj.agency_id != own:
        raise Forbidden(f"{_label(layer, obj.pk)}: editor hanya menulis untuk OPD-nya sendiri. / "
                        f"{_label(layer, obj.pk)}: editors write for their own agency only.")
    obj.agency_id = own


def _save(obj: Model, user: Any, reason: str | None = None) -> None:
    obj._history_user = user
    if reason:
        obj._change_reason = reason
    try:
        with transaction.atomic():
            obj.save()
    except IntegrityError as exc:
        raise Conflict(f"Basis data menolak perubahan ({_constraint(exc)}). / "
                       f"The database refused the change ({_constraint(exc)}).") from exc


def _constraint(exc: Exception) -> str:
    """The constraint PostgreSQL names, not its whole message (no SQL reaches a client)."""
    diag = getattr(exc.__cause__, "diag", None)
    name = getattr(diag, "constraint_name", None)
    return f"constraint {name}" if name else type(exc).__name__


def _move(obj: Model, state: str | None, user: Any) -> None:
    if state is not None and state != obj.state:
        transition(obj, state, user)


def create(layer: LayerDeclaration, user: Any, document: Any, content_crs: Crs) -> Written:
    """A new draft (then moved to ``state`` if asked); 201."""
    with recording_origin(Origin.API), transaction.atomic():
        feature = validation.parse_feature(document, layer, partial=False,
                                           content_crs=content_crs)
        obj = layer.model()
        validation.apply(obj, layer, feature, replace=True)
        _keep_agency(layer, obj, user, feature)
        obj.state = PublicationState.DRAFT
        validation.clean(obj, layer)
        _save(obj, user)
        _move(obj, feature.state, user)
        version = locked_version(layer, obj.pk)
    assert version is not None
    return Written(obj.pk, version, obj.state, created=True)


def change(layer: LayerDeclaration, user: Any, pk: int, document: Any, content_crs: Crs,
           if_match: str | None, *, replace: bool) -> Written:
    """PUT (``replace``) or PATCH; the state is kept unless ``state`` asks for a move."""
    with recording_origin(Origin.API), transaction.atomic():
        obj, version = _locked(layer, pk, user)
        edits_data = replace or validation.touches_data(document)
        if edits_data:
            _refuse_edit(layer, obj, user)
        check_if_match(if_match, version, label=_label(layer, pk))
        feature = validation.parse_feature(document, layer, partial=not replace,
                                           content_crs=content_crs)
        if edits_data:
            validation.apply(obj, layer, feature, replace=replace)
            _keep_agency(layer, obj, user, feature)
            validation.clean(obj, layer)
            _save(obj, user)
        _move(obj, feature.state, user)
        new_version = locked_version(layer, pk)
    assert new_version is not None
    return Written(pk, new_version, obj.state)


def delete(layer: LayerDeclaration, user: Any, pk: int, if_match: str | None) -> None:
    """Stewards delete any row, editors their own agency's drafts; history keeps it."""
    with recording_origin(Origin.API), transaction.atomic():
        obj, version = _locked(layer, pk, user)
        if not can_delete(user, obj):
            label = _label(layer, pk)
            _refuse_other_agency(layer, obj, user)
            raise Forbidden(f"{label}: editor hanya menghapus draft OPD-nya; yang pernah diajukan "
                            f"diarsipkan oleh walidata. / {label}: editors delete their agency's "
                            "drafts only; anything ever submitted is archived by the walidata.")
        check_if_match(if_match, version, label=_label(layer, pk))
        obj._history_user = user
        try:
            obj.delete()
        except IntegrityError as exc:
            raise Conflict(f"Basis data menolak penghapusan ({_constraint(exc)}). / "
                           f"The database refused the deletion ({_constraint(exc)}).") from exc


def restore(layer: LayerDeclaration, user: Any, pk: int, version_id: int,
            if_match: str | None) -> Written:
    """The data of a recorded version back on the row (itself a recorded change).

    The state is not restored: it only moves through the workflow. A deleted
    feature comes back as a draft with its old id. Restoring is editing, so
    the same agency rules apply, to the row as it is and to the version's agency.
    """
    reason = f"pulihkan versi {version_id} / restored version {version_id}"
    with recording_origin(Origin.API), transaction.atomic():
        record = layer.model.history.filter(id=pk, history_id=version_id).first()
        if record is None:
            raise FeatureNotFound(f"{_label(layer, pk)}: versi {version_id} tidak ada. / "
                                  f"{_label(layer, pk)}: version {version_id} not found.")
        old = record.instance
        if locked_version(layer, pk) is None:
            return _recreate(layer, user, old, reason)
        obj, version = _locked(layer, pk, user)
        _refuse_edit(layer, obj, user)
        _refuse_other_agency(layer, old, user)
        check_if_match(if_match, version, label=_label(layer, pk))
        for name in set(validation.writable_properties(layer).values()) | {"geometry"}:
            attname = layer.model._meta.get_field(name).attname
            setattr(obj, attname, getattr(old, attname))
        validation.clean(obj, layer)
        _save(obj, user, reason)
        new_version = locked_version(layer, pk)
    assert new_version is not None
    return Written(pk, new_version, obj.state)


def _recreate(layer: LayerDeclaration, user: Any, old: Model, reason: str) -> Written:
    """A deleted feature back, as a draft under its old id (the caller's transaction)."""
    if not can_view(user, old):
        raise _not_found(layer, old.pk)
    if not can_edit(user, None):
        raise Forbidden(f"{_label(layer, old.pk)}: peran ini tidak membuat fitur. / "
                        f"{_label(layer, old.pk)}: this role does not create features.")
    _refuse_other_agency(layer, old, user)
    old.state = PublicationState.DRAFT
    validation.clean(old, layer)
    _save(old, user, reason)
    version = locked_version(layer, old.pk)
    assert version is not None
    return Written(old.pk, version, old.state, created=True)
