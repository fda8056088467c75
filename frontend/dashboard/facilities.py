"""Facility figures: counts by category per group, and density per kelurahan.

Counts are ``annotate(Count(...))`` in PostgreSQL; the density divides by the
kelurahan's geodesic area (``luas_km2``, computed on the WGS 84 ellipsoid at
import), and the choropleth classes are quantiles of the non-zero densities,
so a handful of dense central kelurahan do not wash out the rest.
"""

from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Count
from django.utils.translation import gettext as _

from frontend.dashboard.filters import Filters
from frontend.dashboard.shapes import GROUPS, Chart, Column, group_columns, group_name
from frontend.formatting import decimal
from frontend.views import CATEGORY_COLORS
from layers.models import FacilityCategory

#: Sequential classes for the density map (ColorBrewer YlOrRd), class 0 = no facility.
DENSITY_COLORS = ("#f0f0f0", "#fed976", "#fd8d3c", "#e31a1c", "#800026")


def category_chart(filters: Filters, group: str) -> Chart:
    """Facilities per category, one column per category found under the filters."""
    code, name = GROUPS[group]
    counts = (
        filters.facilities().values(code, name, "category").annotate(n=Count("id"))
        .order_by(code, "category")
    )
    found = {row["category"] for row in counts}
    categories = [c for c in FacilityCategory if c.value in found]
    rows: dict[str, dict[str, Any]] = {}
    for row in counts:
        key = row[code] or ""
        target = rows.setdefault(key, {
            "kode": key, "nama": group_name(row[code], row[name]),
            **{c.value: 0 for c in categories}, "jumlah_fasilitas": 0,
        })
        target[row["category"]] = row["n"]
        target["jumlah_fasilitas"] += row["n"]
    columns: list[Column] = [
        *group_columns(group),
        *({"key": c.value, "label": str(c.label), "kind": "int"} for c in categories),
        {"key": "jumlah_fasilitas", "label": _("Jumlah fasilitas"), "kind": "int"},
    ]
    return {
        "id": f"fasilitas-per-{group}",
        "title": _("Fasilitas per kategori per kecamatan") if group == "kecamatan"
        else _("Fasilitas per kategori per OPD"),
        "type": "stacked", "format": "int", "label_key": "nama",
        "series": [{"key": c.value, "label": str(c.label), "color": CATEGORY_COLORS[c]}
                   for c in categories],
        "columns": columns, "rows": list(rows.values()),
    }


def density_breaks(densities: list[Decimal]) -> list[Decimal]:
    """Upper bounds of up to four equal-count classes of the non-zero densities."""
    values = sorted(d for d in densities if d > 0)
    classes = min(4, len(values))
    return [values[math.ceil(len(values) * i / classes) - 1] for i in range(1, classes + 1)]


def density_class(density: Decimal | None, breaks: list[Decimal]) -> int:
    if not density:
        return 0
    return next(i for i, bound in enumerate(breaks, start=1) if density <= bound)


def _two_places(value: float | None) -> Decimal | None:
    return None if value is None else Decimal(str(value)).quantize(Decimal("0.01"), ROUND_HALF_UP)


def density_chart(filters: Filters) -> Chart:
    """Facilities per km² per kelurahan, for the choropleth and its table."""
    areas = (
        filters.kelurahan_areas()
        .annotate(n=Count("facilities", filter=filters.facility_q("facilities__")))
        .values("kode", "nama", "kecamatan__nama", "luas_km2", "n").order_by("kode")
    )
    rows = [
        {"kode": area["kode"], "nama": area["nama"], "kecamatan": area["kecamatan__nama"],
         "luas_km2": _two_places(area["luas_km2"]), "jumlah_fasilitas": area["n"],
         "per_km2": _two_places(area["n"] / area["luas_km2"]) if area["luas_km2"] else None}
        for area in areas
    ]
    breaks = density_breaks([row["per_km2"] for row in rows if row["per_km2"] is not None])
    for row in rows:
        row["kelas"] = density_class(row["per_km2"], breaks)
    columns: list[Column] = [
        {"key": "kode", "label": _("Kode"), "kind": "text"},
        {"key": "nama", "label": _("Kelurahan"), "kind": "text"},
        {"key": "kecamatan", "label": _("Kecamatan"), "kind": "text"},
        {"key": "luas_km2", "label": _("Luas (km²)"), "kind": "decimal"},
        {"key": "jumlah_fasilitas", "label": _("Jumlah fasilitas"), "kind": "int"},
        {"key": "per_km2", "label": _("Fasilitas per km²"), "kind": "decimal"},
        {"key": "kelas", "label": _("Kelas peta"), "kind": "int"},
    ]
    return {
        "id": "kepadatan-fasilitas",
        "title": _("Kepadatan fasilitas per kelurahan (per km²)"),
        "type": "choropleth", "format": "decimal", "label_key": "nama",
        "series": [{"key": str(i), "label": _density_label(i, breaks), "color": color}
                   for i, color in enumerate(DENSITY_COLORS[: len(breaks) + 1])],
        "columns": columns, "rows": rows,
    }


def _density_label(index: int, breaks: list[Decimal]) -> str:
    if index == 0:
        return _("tidak ada fasilitas")
    if index == 1:
        return _("sampai %(value)s") % {"value": decimal(breaks[0], 2)}
    return f"{decimal(breaks[index - 2], 2)} – {decimal(breaks[index - 1], 2)}"
