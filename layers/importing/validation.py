"""Model validation for a whole file: ``full_clean`` for every instance, each field value once.

``Model.full_clean`` cleans every field of every instance: 100,000 imported
facilities took 14 s in ``plan``, most of it running the same validators on
the same values (14 categories, a handful of sources and states). Field
validation (``Field.clean``: ``to_python``, ``validate``, the field's
validators) depends on the value alone for every field the import cleans (the
exceptions, foreign keys, are excluded by the caller and resolved in bulk),
so ``BatchCleaner`` remembers the outcome per field and value for values
whose equality implies the same outcome (text, integers, booleans, dates,
None; not Decimal, where ``1.0 == 1.00`` differ in digits). Everything else
is what ``full_clean(exclude, validate_unique=False)`` does, in the same
order: the model's ``clean()`` and its constraints run per instance, only
when the model defines them, on the fields that passed.

Check constraints cost most: Django validates each with a ``SELECT`` in a
savepoint (``Q.check``), three per project row (~3.6 ms a row). A check
constraint's outcome depends only on the values of the fields its condition
names, so it is also remembered per value tuple when none of them is a
geometry (every row's geometry differs; that check still runs per row).
Unique constraints depend on the stored rows and always run.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.contrib.gis.db.models.fields import BaseSpatialField
from django.core.exceptions import NON_FIELD_ERRORS, FieldDoesNotExist, ValidationError
from django.db import models, router
from django.db.models import Q
from django.db.models.expressions import DatabaseDefault

#: Value types whose equal values are the same value for validation (``True == 1``
#: is kept apart by keying on the type too).
_MEMO_TYPES = (str, int, bool, dt.date, type(None))

_MISSING = object()


def _constraint_value_key(value: Any) -> tuple | None:
    """A key under which equal values give a check constraint the same outcome.

    Decimals are keyed by their text (``12.5`` and ``12.50`` apart, as for
    field validators); anything else not in ``_MEMO_TYPES`` is not remembered.
    """
    if isinstance(value, Decimal):
        return (Decimal, str(value))
    if isinstance(value, _MEMO_TYPES):
        return (type(value), value)
    return None


def _has_constraints(model: type[models.Model]) -> bool:
    return any(m._meta.constraints for m in (model, *model._meta.get_parent_list()))


class BatchCleaner:
    """``full_clean(exclude=..., validate_unique=False)`` for many instances of one model."""

    def __init__(self, model: type[models.Model], exclude: list[str]) -> None:
        self.exclude = set(exclude)
        self.fields = [f for f in model._meta.fields
                       if f.name not in self.exclude and not f.generated]
        self.runs_clean = model.clean is not models.Model.clean
        self.has_constraints = _has_constraints(model)
        self._memo: dict[tuple[str, type, Any], Any] = {}
        self._constraint_memo: dict[tuple, ValidationError | None] = {}
        self._constraint_fields: dict[int, list[models.Field] | None] = {}

    def _raw(self, instance: models.Model, field: models.Field) -> Any:
        """The field's value; a geometry assigned as (E)WKB hex text stays text.

        The field has no validators that would need a geometry object, and
        ``Field.clean`` of a spatial field only checks null and blank, so
        building a GEOS object per row (~40 µs) is not needed for it.
        """
        if isinstance(field, BaseSpatialField) and not field.validators:
            return instance.__dict__.get(field.attname)
        return getattr(instance, field.attname)

    @staticmethod
    def _clean(field: models.Field, raw: Any, instance: models.Model) -> Any:
        """The cleaned value, or the ``ValidationError`` (returned, not raised)."""
        try:
            return field.clean(raw, instance)
        except ValidationError as exc:
            return exc

    def _clean_value(self, field: models.Field, raw: Any, instance: models.Model) -> Any:
        if not isinstance(raw, _MEMO_TYPES):
            return self._clean(field, raw, instance)
        key = (field.name, type(raw), raw)
        outcome = self._memo.get(key, self._memo)
        if outcome is self._memo:
            outcome = self._memo[key] = self._clean(field, raw, instance)
        return outcome

    def full_clean(self, instance: models.Model) -> None:
        """Raise ``ValidationError`` (a dict by field) as ``full_clean`` would."""
        errors: dict[str, list] = {}
        for field in self.fields:
            raw = self._raw(instance, field)
            if field.blank and raw in field.empty_values:
                continue
            if isinstance(raw, DatabaseDefault):
                continue
            outcome = self._clean_value(field, raw, instance)
            if isinstance(outcome, ValidationError):
                errors[field.name] = list(outcome.error_list)
            elif outcome is not raw:  # to_python mostly returns the value itself
                setattr(instance, field.attname, outcome)
        if self.runs_clean:
            try:
                instance.clean()
            except ValidationError as exc:
                errors = exc.update_error_dict(errors)
        if self.has_constraints:
            exclude = self.exclude | {n for n in errors if n != NON_FIELD_ERRORS}
            errors = self._validate_constraints(instance, exclude, errors)
        if errors:
            raise ValidationError(errors)

    def _fields_of(self, constraint: models.BaseConstraint,
                   model: type[models.Model]) -> list[models.Field] | None:
        """The non-spatial fields a check constraint's condition names; None: do not remember."""
        if id(constraint) not in self._constraint_fields:
            fields: list[models.Field] | None = None
            if isinstance(constraint, models.CheckConstraint):
                try:
                    fields = [model._meta.get_field(name)
                              for name in condition_fields(constraint.condition)]
                except FieldDoesNotExist:
                    fields = None
                if fields is not None and any(isinstance(f, BaseSpatialField) for f in fields):
                    fields = None
            self._constraint_fields[id(constraint)] = fields
        return self._constraint_fields[id(constraint)]

    def _constraint_key(self, constraint: models.BaseConstraint, model: type[models.Model],
                        instance: models.Model, exclude: set[str]) -> tuple | None:
        fields = self._fields_of(constraint, model)
        if fields is None:
            return None
        values = []
        for field in fields:
            value = _constraint_value_key(getattr(instance, field.attname))
            if value is None:
                return None
            values.append(value)
        skipped = frozenset(f.name for f in fields if f.name in exclude)
        return (id(constraint), skipped, tuple(values))

    def _validate_constraints(self, instance: models.Model, exclude: set[str],
                              errors: dict[str, list]) -> dict[str, list]:
        """``Model.validate_constraints``, each check constraint once per value tuple."""
        using = router.db_for_write(type(instance), instance=instance)
        for model, constraints in instance.get_constraints():
            for constraint in constraints:
                key = self._constraint_key(constraint, model, instance, exclude)
                outcome = self._constraint_memo.get(key, _MISSING) if key else _MISSING
                if outcome is _MISSING:
                    try:
                        constraint.validate(model, instance, exclude=exclude, using=using)
                        outcome = None
                    except ValidationError as exc:
                        outcome = exc
                    if key is not None:
                        self._constraint_memo[key] = outcome
                if outcome is None:
                    continue
                fields = getattr(constraint, "fields", ())
                if getattr(outcome, "code", None) == "unique" and len(fields) == 1:
                    errors.setdefault(fields[0], []).append(outcome)
                else:
                    errors = outcome.update_error_dict(errors)
        return errors


def constraint_fields(model: type[models.Model], message: str) -> list[str]:
    """The fields a violated check constraint reads, in its condition's order.

    A constraint's error is a non-field error (``__all__``); the import report
    and the write API name the fields instead (``planned_end, planned_start``).
    The constraint is found by its violation message; none matches: ``[]``.
    """
    for constraint in model._meta.constraints:
        condition = getattr(constraint, "condition", None)
        if condition is None or constraint.get_violation_error_message() != message:
            continue
        return condition_fields(condition)
    return []


def condition_fields(condition: Q) -> list[str]:
    """Every field a condition reads: in the order its lookups name them
    (``planned_end__isnull | ... planned_end__gte=F("planned_start")`` gives
    planned_end, planned_start), then any that only an ``F()`` names (Django's
    ``referenced_base_fields``, which has no order)."""
    fields: list[str] = []
    for lookup in _lookups(condition):
        head = lookup.split("__")[0]
        if head not in fields:
            fields.append(head)
    return fields + sorted(Q(condition).referenced_base_fields - set(fields))


def _lookups(condition: Q) -> list[str]:
    found: list[str] = []
    for child in condition.children:
        if isinstance(child, Q):
            found += _lookups(child)
        elif isinstance(child, tuple):
            found.append(child[0])
    return found
