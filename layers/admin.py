"""Admin pages with Leaflet map widgets for every spatial model, and a file import per layer.

Facilities and project sites follow the roles and workflow of issue 7
(``layers.admin_roles``); boundaries and agencies keep a history too. Users
(with their agency) and API tokens: ``layers.admin_accounts``.
"""

from __future__ import annotations

from django.contrib import admin
from leaflet.admin import LeafletGeoAdmin

from layers import admin_accounts  # noqa: F401  (registers users and tokens)
from layers.admin_history import SafeHistoryAdmin
from layers.admin_import import ImportAdminMixin
from layers.admin_progress import ProjectProgressInline
from layers.admin_roles import OwnedDataAdmin
from layers.models import Agency, Facility, Kecamatan, Kelurahan, ProjectSite


@admin.register(Kecamatan)
class KecamatanAdmin(ImportAdminMixin, SafeHistoryAdmin, LeafletGeoAdmin):
    import_layer_id = "kecamatan"
    history_list_display = ["origin"]
    list_display = ("kode", "nama", "luas_km2")
    search_fields = ("kode", "nama")


@admin.register(Kelurahan)
class KelurahanAdmin(ImportAdminMixin, SafeHistoryAdmin, LeafletGeoAdmin):
    import_layer_id = "kelurahan"
    history_list_display = ["origin"]
    list_display = ("kode", "nama", "nama_alt", "kecamatan", "luas_km2")
    list_filter = ("kecamatan",)
    search_fields = ("kode", "nama", "nama_alt")


@admin.register(Agency)
class AgencyAdmin(SafeHistoryAdmin):
    history_list_display = ["origin"]
    list_display = ("kode", "nama", "kind")
    list_filter = ("kind",)
    search_fields = ("kode", "nama")


@admin.register(Facility)
class FacilityAdmin(ImportAdminMixin, OwnedDataAdmin, LeafletGeoAdmin):
    import_layer_id = "facilities"
    list_display = ("name", "category", "agency", "state", "kelurahan", "kecamatan")
    list_filter = ("state", "category", "kecamatan", "agency")
    search_fields = ("name", "address", "external_id")
    readonly_fields = ("state", "kelurahan", "kecamatan")


@admin.register(ProjectSite)
class ProjectSiteAdmin(ImportAdminMixin, OwnedDataAdmin, LeafletGeoAdmin):
    import_layer_id = "projects"
    inlines = (ProjectProgressInline,)
    list_display = (
        "name", "agency", "state", "fiscal_year", "status", "progress", "budget", "is_sample",
        "kelurahan",
    )
    list_filter = ("state", "status", "fiscal_year", "funding_source", "agency", "is_sample",
                   "kecamatan")
    search_fields = ("name", "contractor", "external_id")
    readonly_fields = ("state", "kelurahan", "kecamatan")
