"""The shape of a dashboard chart, shared by the aggregations and the views.

A ``Chart`` has columns (stable machine keys, used as CSV headers, with a
label in the active language and a display kind) and rows of plain values,
plus how to draw it. The same rows feed the canvas, the HTML table and the
CSV file, so the three can never disagree.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Literal, TypedDict

from django.utils.translation import gettext as _

Kind = Literal["text", "int", "rupiah", "percent", "decimal"]


class Column(TypedDict):
    key: str
    label: str
    kind: Kind


class Series(TypedDict):
    key: str
    label: str
    color: str


class Chart(TypedDict):
    id: str
    title: str
    type: Literal["bar", "stacked", "choropleth"]
    format: Kind
    label_key: str
    series: list[Series]
    columns: list[Column]
    rows: list[dict[str, Any]]


#: Group dimensions: (code lookup, name lookup) from a project or facility.
GROUPS = {
    "kecamatan": ("kecamatan__kode", "kecamatan__nama"),
    "opd": ("agency__kode", "agency__nama"),
}


def ratio(part: int | None, whole: int | None) -> Decimal | None:
    """``part`` as a percentage of ``whole``, one decimal (None when whole is 0)."""
    if not whole:
        return None
    return (Decimal(part or 0) * 100 / Decimal(whole)).quantize(Decimal("0.1"), ROUND_HALF_UP)


def one_decimal(value: Decimal | float | None) -> Decimal | None:
    return None if value is None else Decimal(str(value)).quantize(Decimal("0.1"), ROUND_HALF_UP)


def group_columns(group: str) -> list[Column]:
    title = _("Kecamatan") if group == "kecamatan" else _("OPD")
    return [{"key": "kode", "label": _("Kode"), "kind": "text"},
            {"key": "nama", "label": title, "kind": "text"}]


def group_name(code: str | None, name: str | None) -> str:
    """Rows without a kecamatan (outside every boundary) or agency get a label."""
    return name if code is not None else _("(tidak ada)")


def pick(columns: list[Column], row: dict[str, Any]) -> dict[str, Any]:
    return {column["key"]: row[column["key"]] for column in columns}
