"""Who is writing, and may they write at all.

Two ways to sign a write, as for reads:

- ``Authorization: Bearer tks_…`` (``layers.tokens``; the middleware has
  already set ``request.user`` or answered 401 for a bad token). A browser
  never adds this header by itself, so token writes need no CSRF token;
- the Django session cookie (the admin's sign-in). A cookie *is* added by the
  browser to a forged cross-site request, so session writes must carry the
  CSRF token (``X-CSRFToken`` header = the ``csrftoken`` cookie), checked here
  with Django's own ``CsrfViewMiddleware`` logic.

The write views are ``csrf_exempt`` only so that an anonymous write gets a
401 with a ``WWW-Authenticate`` challenge (RFC 9110 §11.6.1) instead of
Django's HTML CSRF page; the check itself runs here, for every session write.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import CsrfViewMiddleware

from layers.roles import STEWARDS, Role, agency_id_of, can_delete, can_edit, role_of
from layers.workflow import allowed_targets
from ogc.errors import Forbidden, Unauthorized

CHALLENGE = 'Bearer realm="taksi"'


class _CsrfCheck(CsrfViewMiddleware):
    """Django's CSRF check, answering with the reason instead of its HTML page."""

    def _reject(self, request: HttpRequest, reason: str) -> str:  # type: ignore[override]
        return reason


def _no_view(request: HttpRequest) -> HttpResponse:  # never called: only a callback to check
    raise AssertionError


_CSRF = _CsrfCheck(_no_view)


def writer(request: HttpRequest) -> Any:
    """The signed-in user of a write request: 401 without one, 403 on a CSRF failure."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not user.is_active:
        raise Unauthorized(
            "Masuk dulu: kirim 'Authorization: Bearer <token API>' (token dibuat di admin) "
            "atau pakai sesi admin dengan token CSRF. / Sign in first: send "
            "'Authorization: Bearer <API token>' (tokens are made in the admin) or use an "
            "admin session with its CSRF token.",
            headers={"WWW-Authenticate": CHALLENGE})
    if not getattr(request, "_dont_enforce_csrf_checks", False):  # a session, not a token
        reason = _CSRF.process_view(request, _no_view, (), {})
        if reason is not None:
            raise Forbidden(
                f"Pemeriksaan CSRF gagal ({reason}): penulisan dengan sesi memerlukan header "
                "X-CSRFToken berisi cookie csrftoken, atau pakai token API. / CSRF check failed "
                f"({reason}): a write with a session needs the X-CSRFToken header holding the "
                "csrftoken cookie, or use an API token.")
    return user


def may_write(user: Any) -> bool:
    """Has a role that writes agency data: an editor with an agency, the walidata, admins."""
    role = role_of(user)
    if role in STEWARDS:
        return True
    return role is Role.EDITOR and agency_id_of(user) is not None


def item_methods(user: Any, obj: Any) -> tuple[str, ...]:
    """The write methods ``user`` may use on this row, for ``Allow`` (RFC 9110 §10.2.1).

    QGIS makes a layer editable from the ``Allow`` of an item (PUT: change
    attributes and geometry; DELETE: delete features), so it must not offer
    what the write would refuse with a 403: PUT when ``can_edit`` (another
    agency's row, or a row frozen under review or published, is not), PATCH
    also when only a state move is left (an editor withdrawing their submitted
    row), DELETE when ``can_delete``. A row the user may not read (``obj``
    None) offers nothing, as a row that does not exist: no write tells which.
    """
    if obj is None:
        return ()
    editable = can_edit(user, obj)
    methods = ["PUT"] if editable else []
    if editable or allowed_targets(obj, user):
        methods.append("PATCH")
    if can_delete(user, obj):
        methods.append("DELETE")
    return tuple(methods)


def require_write_role(user: Any) -> None:
    if not may_write(user):
        raise Forbidden(
            f"Peran '{role_of(user)}' tidak boleh mengubah data lewat API; perlu peran editor "
            "(dengan OPD), walidata atau admin. / Role "
            f"'{role_of(user)}' may not change data through the API; it takes the editor "
            "role (with an agency), walidata or admin.")


def require_history_reader(request: HttpRequest) -> Any:
    """History is for staff with a role: 401 anonymous, 403 signed in without one."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not user.is_active:
        raise Unauthorized(
            "Riwayat fitur hanya untuk staf yang masuk (token API atau sesi). / "
            "A feature's history is for signed-in staff (API token or session).",
            headers={"WWW-Authenticate": CHALLENGE})
    if role_of(user) in (Role.ANONYMOUS, Role.STAFF):
        raise Forbidden(
            "Riwayat fitur memerlukan peran editor, walidata atau admin. / "
            "A feature's history needs the editor, walidata or admin role.")
    return user
