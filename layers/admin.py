"""Admin pages with Leaflet map widgets for every spatial model, and a file import per layer."""

from __future__ import annotations

from django.contrib import admin
from leaflet.admin import LeafletGeoAdmin

from layers.admin_import import ImportAdminMixin
from layers.models import Agency, Facility, Kecamatan, Kelurahan, ProjectProgress, ProjectSite


@admin.register(Kecamatan)
class KecamatanAdmin(ImportAdminMixin, LeafletGeoAdmin):
    import_layer_id = "kecamatan"
    list_display = ("kode", "nama", "luas_km2")
    search_fields = ("kode", "nama")


@admin.register(Kelurahan)
class KelurahanAdmin(ImportAdminMixin, LeafletGeoAdmin):
    import_layer_id = "kelurahan"
    list_display = ("kode", "nama", "nama_alt", "kecamatan", "luas_km2")
    list_filter = ("kecamatan",)
    search_fields = ("kode", "nama", "nama_alt")


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    list_display = ("kode", "nama", "kind")
    list_filter = ("kind",)
    search_fields = ("kode", "nama")


@admin.register(Facility)
class FacilityAdmin(ImportAdminMixin, LeafletGeoAdmin):
    import_layer_id = "facilities"
    list_display = ("name", "category", "agency", "kelurahan", "kecamatan")
    list_filter = ("category", "kecamatan", "agency")
    search_fields = ("name", "address", "external_id")
    readonly_fields = ("kelurahan", "kecamatan")


class ProjectProgressInline(admin.TabularInline):
    """The project's progress reports, edited on the project's own page."""

    model = ProjectProgress
    extra = 0
    fields = ("date", "progress", "spent", "note")


@admin.register(ProjectSite)
class ProjectSiteAdmin(ImportAdminMixin, LeafletGeoAdmin):
    import_layer_id = "projects"
    inlines = (ProjectProgressInline,)
    list_display = (
        "name", "agency", "fiscal_year", "status", "progress", "budget", "is_sample", "kelurahan"
    )
    list_filter = ("status", "fiscal_year", "funding_source", "agency", "is_sample", "kecamatan")
    search_fields = ("name", "contractor", "external_id")
    readonly_fields = ("kelurahan", "kecamatan")
