"""Dashboard views: the page, its JSON and one CSV per chart, all honouring the filters."""

from __future__ import annotations

import csv
from decimal import Decimal
from typing import Any

from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from frontend.dashboard.charts import CHARTS, all_charts
from frontend.dashboard.filters import Filters, parse_filters
from frontend.dashboard.projects import totals
from frontend.dashboard.shapes import Chart
from frontend.errors import InvalidFilter, error_response
from frontend.formatting import format_value
from layers.models import (
    Agency,
    FacilityCategory,
    FundingSource,
    Kecamatan,
    Kelurahan,
    ProjectStatus,
)
from layers.registry import get_layer


def _plain(value: Any) -> Any:
    """JSON numbers for Chart.js: Decimals become floats (sums stay exact integers)."""
    return float(value) if isinstance(value, Decimal) else value


def _json_chart(chart: Chart) -> dict[str, Any]:
    return {**chart, "rows": [{k: _plain(v) for k, v in row.items()} for row in chart["rows"]]}


def _table(chart: Chart) -> dict[str, Any]:
    """Header labels and formatted cells for the HTML table of a chart."""
    columns = chart["columns"]
    return {
        "head": [(c["label"], c["kind"] not in ("text",)) for c in columns],
        "rows": [[(format_value(row[c["key"]], c["kind"]), c["kind"] != "text")
                  for c in columns] for row in chart["rows"]],
    }


def _options(filters: Filters) -> list[dict[str, Any]]:
    """The filter form: one <select> per parameter, values from the database."""
    active = filters.as_query()
    choices = {
        "kecamatan": [(k.kode, k.nama) for k in Kecamatan.objects.order_by("nama")],
        "kelurahan": [(k.kode, f"{k.nama} ({k.kecamatan.nama})")
                      for k in Kelurahan.objects.select_related("kecamatan").order_by("nama")],
        "kategori": [(str(v), str(label)) for v, label in FacilityCategory.choices],
        "status": [(str(v), str(label)) for v, label in ProjectStatus.choices],
        "tahun": [(str(y), str(y)) for y in get_layer("projects").public_queryset()
                  .order_by("fiscal_year")
                  .values_list("fiscal_year", flat=True).distinct()],
        "opd": [(a.kode, a.nama) for a in Agency.objects.filter(
            Q(projects__isnull=False) | Q(facilities__isnull=False)).distinct().order_by("nama")],
        "sumber_dana": [(str(v), str(label)) for v, label in FundingSource.choices],
    }
    labels = {"kecamatan": _("Kecamatan"), "kelurahan": _("Kelurahan"),
              "kategori": _("Kategori fasilitas"), "status": _("Status proyek"),
              "tahun": _("Tahun anggaran"), "opd": _("OPD"), "sumber_dana": _("Sumber dana")}
    return [
        {"name": name, "label": labels[name],
         "choices": [(value, label, active.get(name) == value) for value, label in values]}
        for name, values in choices.items()
    ]


@require_safe
def dashboard_page(request: HttpRequest) -> HttpResponse:
    try:
        filters = parse_filters(request.GET)
    except InvalidFilter as error:
        return error_response(request, error, "html")
    charts = all_charts(filters)
    query = urlencode(filters.as_query())
    return render(request, "frontend/dashboard.html", {
        "filters": filters,
        "filtered": bool(query),
        "json_url": reverse("dashboard-json") + (f"?{query}" if query else ""),
        "options": _options(filters),
        "totals": totals(filters),
        # Real projects may join the sample ones: the sample label says how many are samples.
        "sample_projects": filters.projects().filter(is_sample=True).count(),
        "charts": [
            {**chart, "table": _table(chart),
             "csv_url": reverse("dashboard-csv", kwargs={"chart_id": chart["id"]})
             + (f"?{query}" if query else "")}
            for chart in charts
        ],
        "dashboard_config": {
            "charts": [_json_chart(chart) for chart in charts],
            "kelurahanUrl": reverse("ogc-items", kwargs={"collection_id": "kelurahan"})
            + "?f=json&limit=1000",
            "messages": {"noData": _("Tidak ada data untuk filter ini"),
                         "mapError": _("Peta kelurahan gagal dimuat")},
        },
    })


@require_safe
def dashboard_json(request: HttpRequest) -> HttpResponse:
    try:
        filters = parse_filters(request.GET)
    except InvalidFilter as error:
        return error_response(request, error, "json")
    return JsonResponse({
        "filters": filters.as_query(),
        "totals": {k: _plain(v) for k, v in totals(filters).items()},
        "charts": [_json_chart(chart) for chart in all_charts(filters)],
    })


@require_safe
def chart_csv(request: HttpRequest, chart_id: str) -> HttpResponse:
    """One chart's rows as CSV: machine keys as headers, raw numbers (no Rp, no dots)."""
    if chart_id not in CHARTS:
        raise Http404(chart_id)
    try:
        filters = parse_filters(request.GET)
    except InvalidFilter as error:
        return error_response(request, error, "text")
    chart = CHARTS[chart_id](filters)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{chart_id}.csv"'
    writer = csv.writer(response, lineterminator="\n")
    keys = [column["key"] for column in chart["columns"]]
    writer.writerow(keys)
    for row in chart["rows"]:
        writer.writerow(["" if row[key] is None else row[key] for key in keys])
    return response
