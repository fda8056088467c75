"""Per-user API tokens: issue, authenticate, revoke; and the middleware that reads them.

A token looks like ``tks_1a2b3c4d_<43 random characters>``. Only its SHA-256
is stored (``ApiToken.digest``) with the 8-character prefix in clear; the
whole token is shown once, when it is created in the admin. Clients send it
as ``Authorization: Bearer <token>`` (RFC 6750) to ``/ogc/`` and
``/download/``; a token that is unknown, revoked or expired gets a 401, never
a silent fall-back to anonymous, so a client learns its token is bad.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone

from layers.errors import InvalidToken
from layers.models import ApiToken

TOKEN_START = "tks_"
#: Paths where a bearer token signs the request in; everything else uses sessions.
TOKEN_PATHS = ("/ogc/", "/download/")


def _digest(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def new_secret() -> tuple[str, str, str]:
    """(prefix, whole token, its SHA-256): 256 random bits from the OS (``secrets``)."""
    prefix = secrets.token_hex(4)
    raw = f"{TOKEN_START}{prefix}_{secrets.token_urlsafe(32)}"
    return prefix, raw, _digest(raw)


def issue_token(user: Any, name: str, expires: dt.datetime | None = None
                ) -> tuple[ApiToken, str]:
    """Create a token for ``user``; returns the row and the secret, which is not kept."""
    prefix, raw, digest = new_secret()
    token = ApiToken.objects.create(
        user=user, name=name, prefix=prefix, digest=digest, expires=expires
    )
    return token, raw


def revoke_token(token: ApiToken) -> None:
    """Revoked tokens stay listed (who had access, until when) but no longer sign in."""
    if token.revoked is None:
        token.revoked = timezone.now()
        token.save(update_fields=["revoked"])


def _bearer(header_value: str | None) -> str | None:
    if not header_value:
        return None
    scheme, _, credentials = header_value.strip().partition(" ")
    credentials = credentials.strip()
    if scheme.lower() != "bearer" or not credentials.startswith(TOKEN_START):
        return None
    return credentials


def authenticate_token(header_value: str | None) -> Any | None:
    """The active user a valid ``Authorization: Bearer`` header names, else None."""
    raw = _bearer(header_value)
    if raw is None or len(raw) > 200:
        return None
    token = ApiToken.objects.select_related("user").filter(digest=_digest(raw)).first()
    now = timezone.now()
    if token is None or not token.is_valid(now) or not token.user.is_active:
        return None
    ApiToken.objects.filter(pk=token.pk).update(last_used=now)
    return token.user


def _unauthorized(error: InvalidToken) -> HttpResponse:
    """RFC 6750 §3: 401 with a ``WWW-Authenticate: Bearer error=...`` challenge."""
    response = JsonResponse(
        {"code": error.code, "type": error.code, "description": error.message},
        status=error.status,
    )
    response["WWW-Authenticate"] = 'Bearer realm="taksi", error="invalid_token"'
    return response


class BearerTokenMiddleware:
    """Sets ``request.user`` from a bearer token on the API paths.

    Runs after Django's AuthenticationMiddleware. A token-signed request is
    exempt from CSRF: a browser never adds an Authorization header by itself,
    so a cross-site page cannot forge one (CSRF protects cookie sessions).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        header = request.META.get("HTTP_AUTHORIZATION", "")
        on_api = request.path == "/ogc" or request.path.startswith(TOKEN_PATHS)
        if on_api and header.strip().lower().startswith("bearer"):
            user = authenticate_token(header)
            if user is None:
                return _unauthorized(InvalidToken(
                    "Token API tidak dikenal, dicabut atau kedaluwarsa. / "
                    "The API token is unknown, revoked or expired."))
            request.user = user
            request._dont_enforce_csrf_checks = True
        return self.get_response(request)
