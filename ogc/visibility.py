"""Who is reading: the public, or staff who may also see unpublished rows.

Every OGC view runs inside ``reading_as(request.user)`` (``ogc.views.ogc_view``).
The readers below the views — the feature provider's SQL, the tile query, the
downloads — ask this module for *which rows*, so a staff view and the public
view are decided in one place, from ``LayerDeclaration.visible_queryset``
(``layers.roles``: an editor adds their agency's unpublished rows, the
walidata and admins see everything).

The request's user is carried in a ``ContextVar`` because pygeoapi calls the
provider (HTML, CSV, JSON-LD rendering) through its own interface, which has
no argument for it. Anonymous requests get exactly the constant SQL they got
before (``public_sql_predicate_on``), so the public fast path is unchanged.

Caching: a staff view must never be served to the public or the other way
round. ``view_key`` names the view (``public``, ``all`` or a digest of the
editor's condition); tile cache keys and ETags include it, and
``private_response`` marks what staff get as ``private`` for HTTP caches.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q, QuerySet
from django.http import HttpResponse
from django.utils.cache import patch_vary_headers

from layers.models.workflow import PublicationState
from layers.registry import LayerDeclaration
from layers.roles import visible_filter

PUBLIC = "public"
#: The header values a staff response carries: browsers may keep it for this
#: user only and must ask again before reusing it (a sign-out then gets the
#: public answer, whose ETag differs).
PRIVATE_CACHE_CONTROL = "private, no-cache"
_PUBLISHED = Q(state=PublicationState.PUBLISHED)


@dataclass
class Reader:
    user: Any = None
    _condition: Any = field(default=None, init=False)
    _resolved: bool = field(default=False, init=False)

    @property
    def signed_in(self) -> bool:
        return self.user is not None and getattr(self.user, "is_authenticated", False)

    def condition(self) -> Q | None:
        """``visible_filter(user)`` once per request (it reads groups and membership)."""
        if not self._resolved:
            self._condition = visible_filter(self.user) if self.signed_in else _PUBLISHED
            self._resolved = True
        return self._condition

    @property
    def sees_only_public(self) -> bool:
        condition = self.condition()
        return condition is not None and condition == _PUBLISHED


_READER: ContextVar[Reader | None] = ContextVar("taksi_reader", default=None)


@contextmanager
def reading_as(user: Any) -> Iterator[Reader]:
    """Everything read inside the block is what ``user`` may see."""
    reader = Reader(user)
    token = _READER.set(reader)
    try:
        yield reader
    finally:
        _READER.reset(token)


def current_reader() -> Reader:
    """The reader of the current request; outside one (a shell, a task): the public."""
    return _READER.get() or Reader()


def view_key(layer: LayerDeclaration) -> str:
    """A name for the rows the current reader sees of ``layer`` (for cache keys, ETags)."""
    reader = current_reader()
    if not layer.has_workflow or reader.sees_only_public:
        return PUBLIC
    condition = reader.condition()
    if condition is None:
        return "all"
    return "v" + hashlib.sha256(str(condition).encode()).hexdigest()[:12]


def visible_queryset(layer: LayerDeclaration) -> QuerySet:
    """The layer's rows for the current reader (the public queryset for anonymous)."""
    reader = current_reader()
    if not layer.has_workflow or reader.sees_only_public:
        return layer.public_queryset()
    return layer.visible_queryset(reader.user)


def visible_sql(layer: LayerDeclaration, alias: str = "t") -> tuple[str, list[Any]]:
    """``visible_queryset`` as an SQL condition on ``alias`` and its bound values.

    The public condition is the declaration's constant predicate; a staff
    condition is compiled by the ORM from the same ``Q`` as
    ``visible_queryset`` (``alias.id IN (SELECT ...)``), so the SQL readers
    and the ORM readers cannot disagree.
    """
    reader = current_reader()
    if not layer.has_workflow or reader.sees_only_public:
        return layer.public_sql_predicate_on(alias), []
    condition = reader.condition()
    if not alias.isidentifier():
        raise ValueError(f"not an SQL alias: {alias!r}")
    if condition is None:
        return "TRUE", []
    ids = layer.model._default_manager.filter(condition).order_by().values("pk")
    sql, params = ids.query.sql_with_params()
    return f'{alias}."id" IN ({sql})', list(params)


def mark_response(response: HttpResponse) -> HttpResponse:
    """``Vary`` on the credentials for everyone; ``private`` caching for signed-in users.

    A shared cache then keeps anonymous and signed-in answers apart, and never
    stores a staff answer at all (RFC 9111 §5.2.2.7).
    """
    patch_vary_headers(response, ("Authorization", "Cookie"))
    if current_reader().signed_in:
        response["Cache-Control"] = PRIVATE_CACHE_CONTROL
    return response
