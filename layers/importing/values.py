"""Cell values → model field values, with a reason when they do not fit.

Categories and statuses are matched case-insensitively against the model's
TextChoices, by code or by label (``Rumah Sakit``, ``RUMAH_SAKIT`` and
``rumah sakit`` are all ``rumah_sakit``); foreign keys by the related model's
``kode`` or ``nama``. Numbers go through ``numbers.parse_number`` so Indonesian
spreadsheets (decimal comma, dot thousands) work.
"""

from __future__ import annotations

import datetime as dt
import math
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import models
from django.utils.translation import gettext as _

from layers.importing.fields import ImportField, normalize
from layers.importing.numbers import parse_number

_TRUE = {"1", "y", "ya", "yes", "true", "benar", "t"}
_FALSE = {"0", "n", "tidak", "no", "false", "salah", "f", "bukan"}
_DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y/%m/%d")


class ValueProblem(ValueError):
    """A cell that does not fit its field; ``code`` is a stable English token."""

    def __init__(self, code: str, message: str, column: str | None = None,
                 value: str = "") -> None:
        self.code = code
        #: The file's column at fault when the caller cannot tell (lat or lon).
        self.column = column
        self.value = value
        super().__init__(message)


def is_empty(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    return isinstance(value, str) and not value.strip()


class Converter:
    """Converts cells for one layer; holds the lookup tables built once per import.

    The choice tables too: matching a category by looping over the choices
    normalised (and their translated labels rendered) again for every cell
    took 20 s of a 100,000-row import; a dictionary built on first use gives
    the same first match (choices in declaration order, code before label),
    with the labels of the language the import runs in.
    """

    def __init__(self, model: type[models.Model], fields: tuple[ImportField, ...]) -> None:
        self.model = model
        self.related: dict[str, dict[str, int]] = {}
        self._fields: dict[str, models.Field] = {}
        self._choices: dict[str, dict[str, str]] = {}
        for field in fields:
            model_field = model._meta.get_field(field.name)
            if isinstance(model_field, models.ForeignKey):
                self.related[field.name] = self._related_table(model_field, field.related_lookups)

    @staticmethod
    def _related_table(field: models.ForeignKey, lookups: tuple[str, ...]) -> dict[str, int]:
        table: dict[str, int] = {}
        for row in field.related_model.objects.values("pk", *lookups):
            for name in lookups:
                table.setdefault(normalize(row[name]), row["pk"])
        return table

    def convert(self, name: str, value: Any) -> tuple[str, Any]:
        """``(attname, python value)`` for model field ``name``; raises ``ValueProblem``."""
        field = self._fields.get(name)
        if field is None:
            field = self._fields[name] = self.model._meta.get_field(name)
        if is_empty(value):
            text_field = isinstance(field, models.CharField | models.TextField)
            return field.attname, "" if text_field and not field.null else None
        if isinstance(field, models.ForeignKey):
            return field.attname, self._foreign_key(name, value)
        if field.choices:
            table = self._choices.get(name)
            if table is None:
                table = self._choices[name] = _choice_table(field)
            return field.attname, _choice(field, value, table)
        return field.attname, _scalar(field, value)

    def _foreign_key(self, name: str, value: Any) -> int:
        found = self.related[name].get(normalize(_text(value)))
        if found is None:
            raise ValueProblem(
                "unmatched_value", _("%(value)r tidak dikenal sebagai %(field)s") %
                {"value": _text(value), "field": name},
            )
        return found


def _text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _choice_table(field: models.Field) -> dict[str, str]:
    """Normalised code or label → code; the first choice that has it wins."""
    table: dict[str, str] = {}
    for code, label in field.choices:
        table.setdefault(normalize(code), code)
        table.setdefault(normalize(str(label)), code)
    return table


def _choice(field: models.Field, value: Any, table: dict[str, str]) -> str:
    found = table.get(normalize(_text(value)))
    if found is not None:
        return found
    allowed = ", ".join(code for code, _label in field.choices)
    raise ValueProblem(
        "unmatched_value",
        _("%(value)r bukan nilai yang dikenal; pilihan: %(allowed)s")
        % {"value": _text(value), "allowed": allowed},
    )


def _scalar(field: models.Field, value: Any) -> Any:
    try:
        if isinstance(field, models.BooleanField):
            return _boolean(value)
        if isinstance(field, models.IntegerField):
            number = parse_number(value)
            if not number.is_integer():
                raise ValueError(value)
            return int(number)
        if isinstance(field, models.DecimalField):
            return Decimal(str(parse_number(value)))
        if isinstance(field, models.FloatField):
            return parse_number(value)
        if isinstance(field, models.DateField):
            return _date(value)
    except (ValueError, InvalidOperation) as exc:
        raise ValueProblem(
            "invalid_value", _("%(value)r bukan %(kind)s yang sah")
            % {"value": _text(value), "kind": _kind(field)},
        ) from exc
    return _text(value)


def _kind(field: models.Field) -> str:
    if isinstance(field, models.BooleanField):
        return _("ya/tidak")
    if isinstance(field, models.DateField):
        return _("tanggal (YYYY-MM-DD atau DD/MM/YYYY)")
    if isinstance(field, models.IntegerField):
        return _("bilangan bulat")
    return _("angka")


def _boolean(value: Any) -> bool:
    text = normalize(_text(value))
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise ValueError(value)


def _date(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = _text(value)[:10]
    for fmt in _DATE_FORMATS:
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError(value)
