"""``Accept``, ``Accept-Language`` and ``?lang=`` with ``q=0`` made safe for pygeoapi.

RFC 9110 §12.4.2: a weight ``q=0`` means "not acceptable", and a qvalue is
``0`` to ``1`` with at most three decimals. pygeoapi 0.24 ranks choices by
``1 / q`` (``pygeoapi.util.get_choice_from_headers``), so ``text/html;q=0``
divides by zero and ``q=.`` fails in ``float``: a 500 on every page that goes
through ``APIRequest`` for what is a valid (or merely malformed) header.

``PreferenceHeadersMiddleware`` rewrites the three values once, before any
view runs, so that pygeoapi and Taksi's own negotiation
(``ogc.views._format``) read the same thing: members refused with ``q=0``,
and members whose weight is not a qvalue, are dropped; a header left empty
is removed, so the server's default applies. Dropping a refused member loses
nothing: a server never picks a refused type, and RFC 9110 lets it answer
with its default when nothing acceptable remains.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

#: RFC 9110 §12.4.2 ``weight = OWS ";" OWS "q=" qvalue``.
_WEIGHT = re.compile(r"^\s*q\s*=\s*(.*?)\s*$", re.IGNORECASE)
_QVALUE = re.compile(r"^(?:0(?:\.\d{0,3})?|1(?:\.0{0,3})?)$")
#: The request headers pygeoapi ranks by weight (``APIRequest._get_locale``, ``_get_format``).
HEADERS = ("HTTP_ACCEPT", "HTTP_ACCEPT_LANGUAGE")
#: ``?lang=`` goes through the same ranking in pygeoapi.
LANG = "lang"


def _acceptable(member: str) -> bool:
    """False for a member refused with ``q=0`` or whose weight is not a qvalue."""
    for parameter in member.split(";")[1:]:
        weight = _WEIGHT.match(parameter)
        if weight is None:
            continue
        qvalue = weight.group(1)
        return bool(_QVALUE.match(qvalue)) and float(qvalue) > 0
    return True


def without_refusals(value: str) -> str:
    """The header value with refused (``q=0``) and badly weighted members dropped."""
    members = [member.strip() for member in value.split(",")]
    return ", ".join(member for member in members if member and _acceptable(member))


def _needs_rewrite(value: str) -> bool:
    return "q" in value.lower() and not all(_acceptable(m) for m in value.split(","))


class PreferenceHeadersMiddleware:
    """Drops refused members from Accept, Accept-Language and ``?lang=`` (see module doc)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        for name in HEADERS:
            value = request.META.get(name)
            if value is not None and _needs_rewrite(value):
                cleaned = without_refusals(value)
                if cleaned:
                    request.META[name] = cleaned
                else:
                    del request.META[name]
                request.__dict__.pop("headers", None)  # HttpHeaders is cached from META
        if LANG in request.META.get("QUERY_STRING", ""):
            lang = request.GET.get(LANG)
            if lang is not None and _needs_rewrite(lang):
                request.GET = request.GET.copy()
                request.GET[LANG] = without_refusals(lang)
        return self.get_response(request)
