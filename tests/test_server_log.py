"""The server log: client mistakes are one line each, server faults keep their traceback."""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator

import pytest
from django.contrib.auth.models import User
from django.test import Client

pytestmark = pytest.mark.django_db


@pytest.fixture
def server_log() -> Iterator[io.StringIO]:
    """What the console handler of settings.LOGGING writes, with its filters."""
    (handler,) = [h for h in logging.getLogger().handlers
                  if isinstance(h, logging.StreamHandler) and h.filters]
    stream = io.StringIO()
    previous = handler.setStream(stream)
    try:
        yield stream
    finally:
        handler.setStream(previous)


def test_an_unknown_feature_on_the_html_page_is_logged_without_a_traceback(
        server_log: io.StringIO) -> None:
    response = Client().get("/ogc/collections/facilities/items/999999", {"f": "html"})
    assert response.status_code == 404
    log = server_log.getvalue()
    assert "facilities/999999: fitur tidak ditemukan." in log
    assert "Traceback" not in log


def test_a_forbidden_admin_page_is_logged_without_a_traceback(server_log: io.StringIO) -> None:
    client = Client()
    client.force_login(User.objects.create_user("staf-tanpa-izin", is_staff=True))
    response = client.get("/admin/layers/facility/1/history/")
    assert response.status_code == 403
    log = server_log.getvalue()
    assert "Forbidden (Permission denied): /admin/layers/facility/1/history/" in log
    assert "Traceback" not in log


def test_a_server_fault_keeps_its_traceback(server_log: io.StringIO) -> None:
    try:
        raise RuntimeError("the database went away")
    except RuntimeError:
        logging.getLogger("pygeoapi.api").error("provider failed", exc_info=True)
        logging.getLogger("django.request").error(
            "Internal Server Error: /ogc", exc_info=True, extra={"status_code": 500})
    log = server_log.getvalue()
    assert log.count("Traceback") == 2 and "RuntimeError: the database went away" in log
