"""Parsing of query-string values into typed values for filters."""

from __future__ import annotations

import datetime as dt
import math

from dateutil.parser import isoparse

_TRUE = {"true"}
_FALSE = {"false"}


def coerce_value(json_type: str, raw: str) -> object:
    """Convert a query parameter to the property's type, or raise ValueError."""
    if json_type == "integer":
        try:
            return int(raw)
        except ValueError:
            raise ValueError(f"{raw!r} is not an integer") from None
    if json_type == "number":
        try:
            number = float(raw)
        except ValueError:
            raise ValueError(f"{raw!r} is not a number") from None
        if not math.isfinite(number):
            raise ValueError(f"{raw!r} is not a finite number")
        return number
    if json_type == "boolean":
        lowered = raw.lower()
        if lowered in _TRUE | _FALSE:
            return lowered in _TRUE
        raise ValueError(f"{raw!r} is not true or false")
    if json_type == "date":
        return _parse_date(raw)
    return raw


def _parse_date(raw: str) -> dt.date:
    try:
        return isoparse(raw).date()
    except ValueError:
        raise ValueError(f"{raw!r} is not an RFC 3339 date") from None


def parse_datetime_interval(raw: str) -> tuple[dt.date | None, dt.date | None]:
    """An instant or an interval ``start/end`` with ``..`` for an open end (RFC 3339)."""
    if "/" not in raw:
        instant = _parse_date(raw)
        return instant, instant
    start_raw, _, end_raw = raw.partition("/")
    start = None if start_raw in ("", "..") else _parse_date(start_raw)
    end = None if end_raw in ("", "..") else _parse_date(end_raw)
    if start and end and start > end:
        raise ValueError("the interval ends before it starts")
    return start, end
