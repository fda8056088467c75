"""Who may write which rows of an import: the same rules as the admin form (issue 7).

The command line is the data steward's (walidata's) tool and runs without a
user: no restriction. An upload in the admin runs as the signed-in user; for
an editor every row the import would *write* must pass ``layers.roles``:

- a new row is created for the editor's own agency (a file without an agency
  column gets it), never for another agency;
- an existing row is updated only if ``can_edit`` allows it: the editor's own
  agency's row, still a draft or unpublished (submitted, verified and
  published rows are frozen for editors, as in the admin form).

Rows the file leaves unchanged are not writes and pass. Each refusal is a
rejection naming the row and the reason, so nothing of the file is written.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from layers.errors import NotPermitted
from layers.importing.report import ImportReport, Rejection
from layers.importing.writer import Planned
from layers.models import Agency, PublicationState
from layers.roles import (
    STEWARDS,
    Role,
    agency_id_of,
    can_edit,
    can_view,
    is_owned,
    role_of,
)


def check_ownership(model: type, planned: list[Planned], user: Any,
                    report: ImportReport) -> list[Planned]:
    """The planned rows ``user`` may write; the others become rejections in ``report``."""
    if user is None or not is_owned(model):
        return planned
    role = role_of(user)
    if role in STEWARDS:
        return planned
    own = agency_id_of(user)
    if role is not Role.EDITOR or own is None:
        raise NotPermitted(_("Impor ditolak: hanya editor dengan OPD, walidata atau admin yang "
                             "boleh mengimpor."))
    codes = dict(Agency.objects.values_list("pk", "kode"))
    allowed = []
    for item in planned:
        if item.is_new and item.instance.agency_id is None:
            item.instance.agency_id = own
            item.changed.append("agency_id")
        reason = _refusal(item, user, own, codes)
        if reason is None:
            allowed.append(item)
        else:
            hidden = not item.is_new and not can_view(user, item.stored)
            report.rejected.append(Rejection(
                item.number, "agency", "not_permitted", reason,
                "" if hidden else codes.get(item.instance.agency_id, "")))
    return allowed


def _refusal(item: Planned, user: Any, own: int, codes: dict[int, str]) -> str | None:
    instance = item.instance
    if not item.is_new and not item.changed:
        return None
    if not item.is_new and not can_view(user, item.stored):
        # Another agency's draft: the editor may not learn its agency or state
        # (the write API answers 404 for it); the key is taken, and that is all.
        return _("kunci baris ini sudah dipakai data lain yang tidak dapat Anda lihat atau "
                 "ubah; pakai id_sumber lain")
    if instance.agency_id != own:
        verb = _("membuat") if item.is_new else _("mengubah")
        return (_("milik OPD %(other)s: editor OPD %(own)s hanya boleh %(verb)s data OPD-nya "
                  "sendiri") % {"other": codes.get(instance.agency_id, "?"),
                                "own": codes.get(own, "?"), "verb": verb})
    if item.is_new:
        return None
    stored = item.stored
    if can_edit(user, stored):
        return None
    if stored.agency_id != own:
        return (_("baris tersimpan milik OPD %(other)s: editor hanya mengubah data OPD-nya "
                  "sendiri") % {"other": codes.get(stored.agency_id, "?")})
    return (_("berstatus %(state)s: editor hanya mengubah data berstatus draf atau ditarik; "
              "minta walidata mengembalikannya ke draf")
            % {"state": PublicationState(stored.state).label})
