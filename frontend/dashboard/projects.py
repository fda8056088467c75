"""Project figures: totals, budget vs realised, average progress, status.

Sums, counts and averages are ``aggregate``/``annotate`` (GROUP BY in
PostgreSQL); Python only renames and pivots the grouped rows.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Avg, Count, Sum
from django.utils.translation import gettext as _

from frontend.dashboard.filters import Filters
from frontend.dashboard.shapes import (
    GROUPS,
    Chart,
    Column,
    group_columns,
    group_name,
    one_decimal,
    pick,
    ratio,
)
from frontend.views import STATUS_COLORS
from layers.models import ProjectStatus

BUDGET_COLOR, SPENT_COLOR, PROGRESS_COLOR = "#0b3d5c", "#fdae2b", "#238b45"


def totals(filters: Filters) -> dict[str, Any]:
    sums = filters.projects().aggregate(
        jumlah_proyek=Count("id"), pagu=Sum("budget"), realisasi=Sum("spent"),
        progres_rata_rata=Avg("progress"),
    )
    pagu, realisasi = sums["pagu"] or 0, sums["realisasi"] or 0
    return {
        "jumlah_proyek": sums["jumlah_proyek"],
        "pagu": pagu,
        "realisasi": realisasi,
        "realisasi_persen": ratio(realisasi, pagu),
        "progres_rata_rata": one_decimal(sums["progres_rata_rata"]),
        "jumlah_fasilitas": filters.facilities().count(),
    }


def _project_groups(filters: Filters, group: str) -> list[dict[str, Any]]:
    code, name = GROUPS[group]
    rows = (
        filters.projects().values(code, name)
        .annotate(jumlah_proyek=Count("id"), pagu=Sum("budget"), realisasi=Sum("spent"),
                  progres_rata_rata=Avg("progress"))
        .order_by(code)
    )
    return [
        {"kode": row[code] or "", "nama": group_name(row[code], row[name]),
         "jumlah_proyek": row["jumlah_proyek"], "pagu": row["pagu"],
         "realisasi": row["realisasi"], "realisasi_persen": ratio(row["realisasi"], row["pagu"]),
         "progres_rata_rata": one_decimal(row["progres_rata_rata"])}
        for row in rows
    ]


def budget_chart(filters: Filters, group: str) -> Chart:
    columns: list[Column] = [
        *group_columns(group),
        {"key": "jumlah_proyek", "label": _("Jumlah proyek"), "kind": "int"},
        {"key": "pagu", "label": _("Pagu"), "kind": "rupiah"},
        {"key": "realisasi", "label": _("Realisasi"), "kind": "rupiah"},
        {"key": "realisasi_persen", "label": _("Realisasi (% pagu)"), "kind": "percent"},
    ]
    rows = [pick(columns, row) for row in _project_groups(filters, group)]
    return {
        "id": f"anggaran-per-{group}",
        "title": _("Pagu dan realisasi per kecamatan") if group == "kecamatan"
        else _("Pagu dan realisasi per OPD"),
        "type": "bar", "format": "rupiah", "label_key": "nama",
        "series": [{"key": "pagu", "label": _("Pagu"), "color": BUDGET_COLOR},
                   {"key": "realisasi", "label": _("Realisasi"), "color": SPENT_COLOR}],
        "columns": columns, "rows": rows,
    }


def progress_chart(filters: Filters, group: str) -> Chart:
    columns: list[Column] = [
        *group_columns(group),
        {"key": "jumlah_proyek", "label": _("Jumlah proyek"), "kind": "int"},
        {"key": "progres_rata_rata", "label": _("Rata-rata progres fisik"), "kind": "percent"},
    ]
    rows = [pick(columns, row) for row in _project_groups(filters, group)]
    return {
        "id": f"progres-per-{group}",
        "title": _("Rata-rata progres fisik per kecamatan") if group == "kecamatan"
        else _("Rata-rata progres fisik per OPD"),
        "type": "bar", "format": "percent", "label_key": "nama",
        "series": [{"key": "progres_rata_rata", "label": _("Rata-rata progres fisik"),
                    "color": PROGRESS_COLOR}],
        "columns": columns, "rows": rows,
    }


def status_chart(filters: Filters, group: str) -> Chart:
    """Projects by OC4IDS status, one column per status (all six, for stable CSV columns)."""
    code, name = GROUPS[group]
    counts = (
        filters.projects().values(code, name, "status").annotate(n=Count("id")).order_by(code)
    )
    rows: dict[str, dict[str, Any]] = {}
    for row in counts:
        key = row[code] or ""
        target = rows.setdefault(key, {
            "kode": key, "nama": group_name(row[code], row[name]),
            **{status: 0 for status in ProjectStatus.values}, "jumlah_proyek": 0,
        })
        target[row["status"]] = row["n"]
        target["jumlah_proyek"] += row["n"]
    columns: list[Column] = [
        *group_columns(group),
        *({"key": status.value, "label": str(status.label), "kind": "int"}
          for status in ProjectStatus),
        {"key": "jumlah_proyek", "label": _("Jumlah proyek"), "kind": "int"},
    ]
    return {
        "id": f"status-per-{group}",
        "title": _("Proyek per status per kecamatan") if group == "kecamatan"
        else _("Proyek per status per OPD"),
        "type": "stacked", "format": "int", "label_key": "nama",
        "series": [{"key": status.value, "label": str(status.label),
                    "color": STATUS_COLORS[status]} for status in ProjectStatus],
        "columns": columns, "rows": list(rows.values()),
    }
