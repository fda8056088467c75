"""Language of the public pages: Bahasa Indonesia unless the visitor chose English.

Django's ``LocaleMiddleware`` would follow the browser's Accept-Language, so a
phone set to English (common in Kupang) would open the map in English. The
city publishes in Bahasa Indonesia first; English is an explicit choice made
with the switch in the page header (Django's ``set_language`` view, which
stores the choice in the language cookie). This middleware keeps everything
``LocaleMiddleware`` does (Content-Language, ``request.LANGUAGE_CODE``) and
only changes where the language comes from: the cookie, else ``LANGUAGE_CODE``.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from django.middleware.locale import LocaleMiddleware
from django.utils import translation


def chosen_language(request: HttpRequest) -> str:
    """The supported language in the language cookie, else the site default."""
    code = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
    if code:
        try:
            return translation.get_supported_language_variant(code)
        except LookupError:
            pass  # an unknown or stale cookie value: fall back to the default
    return settings.LANGUAGE_CODE


class ChosenLanguageMiddleware(LocaleMiddleware):
    """``LocaleMiddleware`` that ignores Accept-Language (see the module docstring)."""

    def process_request(self, request: HttpRequest) -> None:
        translation.activate(chosen_language(request))
        request.LANGUAGE_CODE = translation.get_language()
