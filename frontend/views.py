"""Public pages. They never read the models: data comes from /ogc/ like any client."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def map_page(request: HttpRequest) -> HttpResponse:
    return render(request, "frontend/map.html", {})
