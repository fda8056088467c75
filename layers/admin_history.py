"""django-simple-history's admin pages, safe for any URL a client may type.

``SimpleHistoryAdmin`` looks the row up with the path's ``object_id`` as it
is, so ``/admin/layers/facility/abc/history/`` raised ``ValueError`` (a 500);
every Taksi model has an integer key, so anything else is "no such row".
A NUL byte in a changelist filter (``?state=%00``) reached PostgreSQL, which
refuses it (a 500); it is a 400 naming the parameter here.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.utils.translation import gettext as _
from simple_history.admin import SimpleHistoryAdmin


def _integer_id(object_id: str) -> None:
    if not (object_id.isascii() and object_id.isdigit() and len(object_id) <= 18):
        raise Http404(_("Data tidak ditemukan. / Not found."))


def nul_parameter_refusal(request: HttpRequest) -> HttpResponse | None:
    """A 400 naming the parameter that holds a NUL byte, which PostgreSQL cannot compare."""
    for name, values in request.GET.lists():
        if "\x00" in name or any("\x00" in value for value in values):
            return HttpResponseBadRequest(
                _("Parameter %(name)s memuat karakter NUL. / "
                  "Parameter %(name)s contains a NUL character.")
                % {"name": name.replace("\x00", "")},
                content_type="text/plain; charset=utf-8")
    return None


class SafeHistoryAdmin(SimpleHistoryAdmin):
    def changelist_view(self, request: HttpRequest, extra_context: dict | None = None
                        ) -> HttpResponse:
        return nul_parameter_refusal(request) or super().changelist_view(request, extra_context)

    def history_view(self, request: HttpRequest, object_id: str,
                     extra_context: dict | None = None) -> HttpResponse:
        _integer_id(object_id)
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request: HttpRequest, object_id: str, version_id: str,
                          extra_context: dict | None = None) -> Any:
        _integer_id(object_id)
        _integer_id(version_id)
        return super().history_form_view(request, object_id, version_id, extra_context)
