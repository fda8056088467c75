"""Client mistakes are one log line, not a traceback.

pygeoapi's ``API.get_exception`` logs every error it answers (a 404 for an
unknown id, a 400 for a bad parameter) at ERROR with the active exception's
traceback, and Django's request logger attaches the exception of every 403.
A server log that prints tracebacks for ordinary 4xx answers hides the real
faults, so these filters keep the message and drop the traceback when the
answer is a client error; a 5xx keeps its traceback.
"""

from __future__ import annotations

import logging


def _drop_traceback(record: logging.LogRecord) -> None:
    record.exc_info = None
    record.exc_text = None


class ProviderClientErrorFilter(logging.Filter):
    """pygeoapi: the traceback of a provider error whose HTTP status is 4xx goes."""

    def filter(self, record: logging.LogRecord) -> bool:
        error = record.exc_info[1] if record.exc_info else None
        status = getattr(error, "http_status_code", None)
        if status is not None and 400 <= int(status) < 500:
            _drop_traceback(record)
        return True


class RequestClientErrorFilter(logging.Filter):
    """django.request: a 4xx answer (403, 404, 400) is logged without its traceback."""

    def filter(self, record: logging.LogRecord) -> bool:
        status = getattr(record, "status_code", None)
        if isinstance(status, int) and 400 <= status < 500:
            _drop_traceback(record)
        return True
