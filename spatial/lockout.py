"""The answer to a locked-out sign-in (django-axes' ``AXES_LOCKOUT_CALLABLE``).

axes renders the lockout template with a 429 but no ``Retry-After``; RFC 6585
§4 says a 429 *may* carry one, and the API's own rate limit does, so a
client (or a person reading the page) learns when to try again the same way
everywhere.
"""

from __future__ import annotations

import math
from typing import Any

from axes.helpers import get_cool_off
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def lockout_response(request: HttpRequest, original_response: HttpResponse | None = None,
                     credentials: dict[str, Any] | None = None) -> HttpResponse:
    cool_off = get_cool_off(request)
    seconds = math.ceil(cool_off.total_seconds()) if cool_off else 900
    response = render(request, "spatial/locked_out.html",
                      {"minutes": math.ceil(seconds / 60)}, status=429)
    response["Retry-After"] = str(seconds)
    return response
