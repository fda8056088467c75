"""Admin for accounts: a user's agency (inline on the user page) and API tokens.

An agency gets its first editor like this: ``make createsuperuser``, then in
the admin: Users → add user, tick "staff status", add to group ``editor``,
and choose the agency under "keanggotaan OPD".
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.db.models import Model, QuerySet
from django.forms import ModelForm
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _

from layers.models import ApiToken, StaffMembership
from layers.roles import Role, role_of
from layers.tokens import new_secret, revoke_token

User = get_user_model()


class StaffMembershipInline(admin.StackedInline):
    model = StaffMembership
    can_delete = True
    max_num = 1
    verbose_name = _("OPD pengguna / the user's agency")


admin.site.unregister(User)


@admin.register(User)
class TaksiUserAdmin(UserAdmin):
    inlines = [StaffMembershipInline]
    list_display = ("username", "email", "is_staff", "agency", "roles")
    list_filter = ("is_staff", "is_superuser", "is_active", "groups", "membership__agency")

    @admin.display(description=_("OPD"))
    def agency(self, user: Any) -> str:
        membership = getattr(user, "membership", None)
        return membership.agency.kode if membership else "—"

    @admin.display(description=_("peran / roles"))
    def roles(self, user: Any) -> str:
        return ", ".join(g.name for g in user.groups.all()) or "—"

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).select_related("membership__agency")


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Everyone manages their own tokens; the admin role sees and revokes all."""

    list_display = ("prefix", "name", "user", "created", "expires", "last_used", "revoked")
    list_filter = ("revoked",)
    search_fields = ("prefix", "name", "user__username")
    readonly_fields = ("prefix", "created", "last_used", "revoked")
    actions = ["revoke"]

    def _is_admin(self, request: HttpRequest) -> bool:
        return role_of(request.user) is Role.ADMIN

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        queryset = super().get_queryset(request).select_related("user")
        return queryset if self._is_admin(request) else queryset.filter(user=request.user)

    def get_fields(self, request: HttpRequest, obj: Model | None = None) -> list[str]:
        fields = ["name", "expires"]
        if self._is_admin(request):
            fields.insert(0, "user")
        return fields if obj is None else [*fields, *self.readonly_fields]

    def get_readonly_fields(self, request: HttpRequest, obj: Model | None = None):
        return (*self.readonly_fields, "user") if obj is not None else ()

    def save_model(self, request: HttpRequest, obj: ApiToken, form: ModelForm, change: bool
                   ) -> None:
        if not change:
            if not self._is_admin(request):
                obj.user = request.user
            obj.prefix, secret, obj.digest = new_secret()
            request._taksi_new_token = secret
        super().save_model(request, obj, form, change)

    def response_add(self, request: HttpRequest, obj: ApiToken, post_url_continue: Any = None
                     ) -> HttpResponse:
        """The secret is shown on this one page and nowhere else, never stored or cached."""
        response = TemplateResponse(request, "admin/layers/apitoken/created.html", {
            **self.admin_site.each_context(request),
            "title": _("Token API dibuat / API token created"),
            "opts": self.model._meta,
            "token": obj,
            "secret": request._taksi_new_token,
        })
        response["Cache-Control"] = "no-store"
        return response

    @admin.action(description=_("Cabut / Revoke"))
    def revoke(self, request: HttpRequest, queryset: QuerySet) -> None:
        for token in queryset:
            revoke_token(token)
        self.message_user(request, f"{queryset.count()} × {_('dicabut / revoked')}",
                          messages.SUCCESS)
