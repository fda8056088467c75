"""Admin behaviour for agency-owned, workflow-controlled data (facilities, project sites).

Model permissions (the groups) decide which kinds of rows a user may touch;
this mixin adds the row-level rules of ``layers.roles`` (an editor sees and
edits only their own agency's rows, and only while draft or unpublished),
the workflow actions of ``layers.workflow``, and django-simple-history's
history page with restore of a previous version (recorded like any change).
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.contrib.admin.options import ActionLocation
from django.core.exceptions import PermissionDenied
from django.db.models import Model, QuerySet
from django.forms import ModelForm
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _

from layers.admin_history import SafeHistoryAdmin
from layers.errors import LayerError
from layers.models import Agency, PublicationState
from layers.roles import STEWARDS, Role, agency_id_of, can_delete, can_edit, role_of
from layers.workflow import TRANSITIONS, transition

#: Admin action name → target state.
ACTIONS: dict[str, PublicationState] = {
    "submit": PublicationState.SUBMITTED,
    "verify": PublicationState.VERIFIED,
    "publish": PublicationState.PUBLISHED,
    "unpublish": PublicationState.UNPUBLISHED,
    "archive": PublicationState.ARCHIVED,
    "return_to_draft": PublicationState.DRAFT,
}


class OwnedDataAdmin(SafeHistoryAdmin):
    """Mixed in before LeafletGeoAdmin: ``FacilityAdmin(OwnedDataAdmin, LeafletGeoAdmin)``."""

    actions = list(ACTIONS)
    #: Columns of the history page besides who, when and why.
    history_list_display = ["state", "origin"]

    # -- which rows -------------------------------------------------------

    #: The lookup from this admin's rows to their owning agency's id.
    agency_lookup = "agency_id"

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        queryset = super().get_queryset(request)
        if role_of(request.user) in STEWARDS:
            return queryset
        agency_id = agency_id_of(request.user)
        return queryset.filter(**{self.agency_lookup: agency_id}) if agency_id else queryset.none()

    def get_object(self, request: HttpRequest, object_id: str, from_field: Any = None
                   ) -> Model | None:
        """Another agency's row is a 404, as if it did not exist (not a redirect)."""
        obj = super().get_object(request, object_id, from_field)
        if obj is None:
            raise Http404(_("Data tidak ditemukan. / Not found."))
        return obj

    def _in_scope(self, request: HttpRequest, obj: Model) -> bool:
        role = role_of(request.user)
        if role in STEWARDS:
            return True
        agency_id = agency_id_of(request.user)
        return role is Role.EDITOR and agency_id is not None and obj.agency_id == agency_id

    def has_view_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return super().has_view_permission(request, obj) and (
            obj is None or self._in_scope(request, obj))

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return super().has_change_permission(request, obj) and (
            obj is None or can_edit(request.user, obj))

    def has_add_permission(self, request: HttpRequest) -> bool:
        return super().has_add_permission(request) and can_edit(request.user, None)

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return super().has_delete_permission(request, obj) and can_delete(request.user, obj)

    # -- the form -----------------------------------------------------------

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any):
        """Editors pick no agency but their own, and must pick it."""
        if db_field.name == "agency" and role_of(request.user) not in STEWARDS:
            kwargs["queryset"] = Agency.objects.filter(pk=agency_id_of(request.user))
            kwargs["required"] = True
            kwargs["initial"] = agency_id_of(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def assign_owner(self, request: HttpRequest, obj: Model) -> None:
        """An editor's row is their agency's, whatever the form said."""
        if role_of(request.user) not in STEWARDS:
            obj.agency_id = agency_id_of(request.user)

    def save_model(self, request: HttpRequest, obj: Model, form: ModelForm, change: bool
                   ) -> None:
        """State changes only through the workflow, never through a form (restore included)."""
        self.assign_owner(request, obj)
        stored = type(obj)._default_manager.filter(pk=obj.pk).values_list("state", flat=True)
        current = stored.first() if obj.pk is not None else None
        if current is not None:
            obj.state = current
        elif not change or role_of(request.user) not in STEWARDS:
            obj.state = PublicationState.DRAFT
        version = getattr(request, "_taksi_restoring", None)
        if version is not None:
            obj._change_reason = f"pulihkan versi {version} / restored version {version}"
        super().save_model(request, obj, form, change)

    # -- history and restore ------------------------------------------------------

    def history_form_view(self, request: HttpRequest, object_id: str, version_id: str,
                          extra_context: dict | None = None) -> HttpResponse:
        """Restoring is editing: it needs the change permission on the row as it is now."""
        if request.method == "POST":
            current = self.model._default_manager.filter(pk=object_id).first()
            if current is None:
                record = self.model.history.filter(id=object_id).order_by("-history_date").first()
                current = record.instance if record is not None else None
            if current is None or not self.has_change_permission(request, current):
                raise PermissionDenied
            request._taksi_restoring = version_id
        return super().history_form_view(request, object_id, version_id, extra_context)

    # -- workflow actions ------------------------------------------------------

    def get_actions(self, request: HttpRequest,
                    action_location: ActionLocation = ActionLocation.CHANGE_LIST) -> dict:
        """Only the moves this user's role can ever make, and bulk delete for stewards."""
        actions = super().get_actions(request, action_location=action_location)
        role = role_of(request.user)
        reachable = {to for (_from, to), roles in TRANSITIONS.items() if role in roles}
        for name, to_state in ACTIONS.items():
            if to_state not in reachable:
                actions.pop(name, None)
        if role not in STEWARDS:
            actions.pop("delete_selected", None)
        return actions

    def _move(self, request: HttpRequest, queryset: QuerySet, to_state: str) -> None:
        moved, refused = 0, []
        for obj in queryset:
            try:
                transition(obj, to_state, request.user)
                moved += 1
            except LayerError as exc:
                refused.append(exc.message)
        label = PublicationState(to_state).label
        if moved:
            self.message_user(request, f"{moved} baris / rows → {label}", messages.SUCCESS)
        for message in refused[:20]:
            self.message_user(request, message, messages.ERROR)

    @admin.action(description=_("Ajukan / Submit"))
    def submit(self, request: HttpRequest, queryset: QuerySet) -> None:
        self._move(request, queryset, PublicationState.SUBMITTED)

    @admin.action(description=_("Verifikasi / Verify"))
    def verify(self, request: HttpRequest, queryset: QuerySet) -> None:
        self._move(request, queryset, PublicationState.VERIFIED)

    @admin.action(description=_("Terbitkan / Publish"))
    def publish(self, request: HttpRequest, queryset: QuerySet) -> None:
        self._move(request, queryset, PublicationState.PUBLISHED)

    @admin.action(description=_("Tarik / Unpublish"))
    def unpublish(self, request: HttpRequest, queryset: QuerySet) -> None:
        self._move(request, queryset, PublicationState.UNPUBLISHED)

    @admin.action(description=_("Arsipkan / Archive"))
    def archive(self, request: HttpRequest, queryset: QuerySet) -> None:
        self._move(request, queryset, PublicationState.ARCHIVED)

    @admin.action(description=_("Kembalikan ke draf / Return to draft"))
    def return_to_draft(self, request: HttpRequest, queryset: QuerySet) -> None:
        self._move(request, queryset, PublicationState.DRAFT)
