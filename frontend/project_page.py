"""The page of one development project: ``/proyek/<id>/``.

Server-rendered from the ORM, so the facts (budget, progress, the timeline of
progress reports) are readable without JavaScript and by search engines; only
the small location map is drawn in the browser, from the OGC API item like
any other client reads it.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _

from frontend.views import STATUS_COLORS
from layers.models import PublicationState
from layers.registry import get_layer


def spending_ratio(budget: int, spent: int) -> Decimal | None:
    """Realised spending as a percentage of the budget (None without a budget)."""
    if not budget:
        return None
    return (Decimal(spent) * 100 / Decimal(budget)).quantize(Decimal("0.1"), ROUND_HALF_UP)


def project_page(request: HttpRequest, project_id: int) -> HttpResponse:
    project = get_object_or_404(
        # Drafts and withdrawn projects are not public (issue 7): 404, as for no project.
        get_layer("projects").public_queryset()
        .select_related("agency", "kelurahan", "kecamatan"), pk=project_id
    )
    page_url = reverse("project", kwargs={"project_id": project.pk})
    item_url = reverse(
        "ogc-item", kwargs={"collection_id": "projects", "item_id": str(project.pk)}
    )
    status_color = STATUS_COLORS.get(project.status, "#666666")
    # The kelurahan outline gives the site some context on the small map
    # (without a base map a road project is otherwise a lone line on grey).
    kelurahan_url = (
        reverse("ogc-item", kwargs={"collection_id": "kelurahan",
                                    "item_id": str(project.kelurahan.pk)}) + "?f=json"
        if project.kelurahan else None
    )
    context = {
        "project": project,
        # Reports are published by a steward like the project (issue 7).
        "updates": list(project.progress_updates.filter(state=PublicationState.PUBLISHED)),
        "ratio": spending_ratio(project.budget, project.spent),
        # The public URL (as in the OGC API's links), not whatever Host the request used.
        "share_url": f"{settings.TAKSI_BASE_URL}{page_url}",
        "item_url": item_url,
        "status_color": status_color,
        "page_config": {
            "itemUrl": f"{item_url}?f=json",
            "kelurahanUrl": kelurahan_url,
            "color": status_color,
            "messages": {
                "loaded": _("Lokasi proyek dari API OGC"),
                "loadError": _("Peta lokasi gagal dimuat"),
                "copied": _("Tautan disalin"),
                "copyFailed": _("Salin tautan secara manual"),
                "kelurahan": _("Kelurahan"),
            },
        },
    }
    return render(request, "frontend/project.html", context)
