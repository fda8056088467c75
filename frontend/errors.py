"""The frontend app's errors and their one mapping to HTTP.

Pages answer a client mistake (a bad filter in the URL) with a 400 that names
the parameter, in the shape the caller asked for: an HTML page for people, CSV
downloads as plain text, JSON for scripts. Never a 500, and nothing stored.
"""

from __future__ import annotations

from http import HTTPStatus
from typing import Literal

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render


class FrontendError(Exception):
    status = HTTPStatus.INTERNAL_SERVER_ERROR

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class InvalidFilter(FrontendError):
    """A query parameter that is unknown, repeated, or has a value that does not exist."""

    status = HTTPStatus.BAD_REQUEST

    def __init__(self, parameter: str, message: str) -> None:
        super().__init__(message)
        self.parameter = parameter


def error_response(request: HttpRequest, error: FrontendError,
                   shape: Literal["html", "text", "json"] = "html") -> HttpResponse:
    parameter = getattr(error, "parameter", None)
    if shape == "json":
        return JsonResponse(
            {"parameter": parameter, "description": error.message}, status=error.status
        )
    if shape == "text":
        return HttpResponse(
            f"{error.message}\n", status=error.status, content_type="text/plain; charset=utf-8"
        )
    return render(
        request, "frontend/error.html",
        {"message": error.message, "parameter": parameter}, status=error.status,
    )
