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
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.gis.db.models.fields import BaseSpatialField
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models
from django.db.models.expressions import DatabaseDefault

#: Value types whose equal values are the same value for validation (``True == 1``
#: is kept apart by keying on the type too).
_MEMO_TYPES = (str, int, bool, dt.date, type(None))


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
            try:
                instance.validate_constraints(exclude=exclude)
            except ValidationError as exc:
                errors = exc.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)
