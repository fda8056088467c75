"""Admin of project progress reports: agencies report, stewards publish.

A report belongs to its project's agency. An editor adds reports to any of
their agency's projects, published ones included (reporting on a public
project is the normal case), and edits them while they are drafts; the
report reaches the public only when a steward publishes it, and then the
project's figures follow it (``ProjectProgress.after_transition``). The
rules are the same ``layers.roles`` / ``layers.workflow`` rules as for the
features, through ``OwnedDataAdmin``.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db.models import Model
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from layers.admin_roles import OwnedDataAdmin
from layers.models import ProjectProgress, ProjectSite
from layers.roles import STEWARDS, agency_id_of, role_of


@admin.register(ProjectProgress)
class ProjectProgressAdmin(OwnedDataAdmin, admin.ModelAdmin):
    agency_lookup = "project__agency_id"
    list_display = ("project", "date", "progress", "spent", "state")
    list_filter = ("state", "project__agency")
    search_fields = ("project__name", "note")
    fields = ("project", "date", "progress", "spent", "note", "state")
    readonly_fields = ("state",)
    list_select_related = ("project",)

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any):
        """Editors report on their own agency's projects only, in any state."""
        if db_field.name == "project" and role_of(request.user) not in STEWARDS:
            kwargs["queryset"] = ProjectSite.objects.filter(agency_id=agency_id_of(request.user))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def assign_owner(self, request: HttpRequest, obj: Model) -> None:
        """The owner is the project's agency; an editor cannot report for another's."""
        if role_of(request.user) not in STEWARDS and obj.agency_id != agency_id_of(request.user):
            raise PermissionDenied(_("Proyek milik OPD lain. / The project belongs to another "
                                     "agency."))


class ProjectProgressInline(admin.TabularInline):
    """The project's reports on its own page, read-only: reports have their own
    workflow, so they are added and published on the report pages."""

    model = ProjectProgress
    extra = 0
    fields = ("date", "progress", "spent", "note", "state")
    readonly_fields = fields
    show_change_link = True
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False
