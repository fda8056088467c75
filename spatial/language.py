"""Bahasa Indonesia by default, English only by the visitor's choice.

Django's ``LocaleMiddleware`` follows the browser's Accept-Language, so a
phone set to English (en-GB, en-US: common in Kupang too) got the English
site although the issue asks for "Bahasa Indonesia by default, English by a
switch". ``ChosenLanguageMiddleware`` activates the language chosen with the
header switch (Django's ``set_language`` view stores it in the language
cookie) and otherwise ``LANGUAGE_CODE`` (``id``), whatever the browser asks.

The OGC API is not affected: pygeoapi negotiates its own language from
``?lang=`` and Accept-Language, as OGC API clients expect.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponseBase
from django.utils import translation
from django.utils.cache import patch_vary_headers


def chosen_language(request: HttpRequest) -> str:
    """The language from the switch's cookie when it names one we offer, else the default."""
    code = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
    if code:
        try:
            return translation.get_supported_language_variant(code)
        except LookupError:
            pass
    return settings.LANGUAGE_CODE


#: Paths whose answers do not depend on Django's active language: the OGC API
#: (pygeoapi picks its own, by ?lang= and Accept-Language), downloads and the
#: catalogue. They get no ``Vary: Cookie``, so caches keep one copy of a tile.
LANGUAGE_NEUTRAL_PREFIXES = ("/ogc", "/download/", "/catalog.jsonld")


class ChosenLanguageMiddleware:
    """Replaces ``django.middleware.locale.LocaleMiddleware`` (same place in MIDDLEWARE)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        translation.activate(chosen_language(request))
        request.LANGUAGE_CODE = translation.get_language()
        response = self.get_response(request)
        if not request.path.startswith(LANGUAGE_NEUTRAL_PREFIXES):
            # The page depends on the cookie only (caches must not mix languages).
            patch_vary_headers(response, ("Cookie",))
            response.headers.setdefault("Content-Language", translation.get_language())
        return response
