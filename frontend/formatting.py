"""How pages write money, percentages and dates for people in Kupang.

Rupiah is written the Indonesian way in both languages (``Rp 1.250.000.000``:
whole Rupiah, dots between thousands), as in every APBD document. Dates and
decimals follow the active language: ``3 Desember 2026`` and ``45,5%`` in
Bahasa Indonesia, ``3 December 2026`` and ``45.5%`` in English. Month names
come from Django's own translations (``dateformat``), not from a list here.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import dateformat, numberformat
from django.utils.translation import get_language

NO_VALUE = "—"


def _is_english() -> bool:
    return (get_language() or "").startswith("en")


def rupiah(value: int | Decimal | None) -> str:
    """``Rp 1.250.000.000``; an empty value is a dash, never ``Rp 0``."""
    if value is None or value == "":
        return NO_VALUE
    whole = numberformat.format(
        round(Decimal(value)), ".", decimal_pos=0, grouping=3, thousand_sep=".",
        force_grouping=True,
    )
    return f"Rp {whole}"


def decimal(value: float | Decimal | None, places: int = 1) -> str:
    """A decimal number with the active language's separators (``1.234,5`` / ``1,234.5``)."""
    if value is None or value == "":
        return NO_VALUE
    decimal_sep, thousand_sep = (".", ",") if _is_english() else (",", ".")
    return numberformat.format(
        Decimal(str(value)), decimal_sep, decimal_pos=places, grouping=3,
        thousand_sep=thousand_sep, force_grouping=True,
    )


def percent(value: float | Decimal | None, places: int = 1) -> str:
    """``45,5%`` (id) / ``45.5%`` (en); whole numbers without decimals (``100%``)."""
    if value is not None and value != "" and Decimal(str(value)) == int(Decimal(str(value))):
        places = 0
    text = decimal(value, places)
    return text if text == NO_VALUE else f"{text}%"


def long_date(value: dt.date | None) -> str:
    """``3 Desember 2026`` (id) / ``3 December 2026`` (en)."""
    if value is None:
        return NO_VALUE
    return dateformat.format(value, "j F Y")


def format_value(value: object, kind: str) -> str:
    """A table cell by column kind (``int``, ``rupiah``, ``percent``, ``decimal``, text)."""
    if value is None or value == "":
        return NO_VALUE
    if kind == "rupiah":
        return rupiah(value)  # type: ignore[arg-type]
    if kind == "percent":
        return percent(value)  # type: ignore[arg-type]
    if kind == "decimal":
        return decimal(value, 2)  # type: ignore[arg-type]
    if kind == "int":
        return decimal(value, 0)  # type: ignore[arg-type]
    return str(value)
