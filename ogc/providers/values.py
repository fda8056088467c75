"""Parsing of query-string values into typed values for filters."""

from __future__ import annotations

import datetime as dt
import math
import re

from dateutil.parser import isoparse
from dateutil.relativedelta import relativedelta

_TRUE = {"true"}
_FALSE = {"false"}
#: ISO 8601 durations as the OGC test suite sends them (``2024-03-01/P1M2D``).
_DURATION = re.compile(
    r"^P(?:(?P<years>\d+)Y)?(?:(?P<months>\d+)M)?(?:(?P<weeks>\d+)W)?(?:(?P<days>\d+)D)?"
    r"(?:T(?:(?P<hours>\d+)H)?(?:(?P<minutes>\d+)M)?(?:(?P<seconds>\d+(?:\.\d+)?)S)?)?$"
)


def coerce_value(json_type: str, raw: str) -> object:
    """Convert a query parameter to the property's type, or raise ValueError."""
    if json_type == "integer":
        try:
            value = int(raw)
        except ValueError:
            raise ValueError(f"{raw!r} is not an integer") from None
        if not -(2**63) <= value < 2**63:
            raise ValueError(f"{raw!r} is out of range")
        return value
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


def _parse_instant(raw: str) -> dt.datetime:
    try:
        return isoparse(raw)
    except (ValueError, OverflowError):
        raise ValueError(f"{raw!r} is not an RFC 3339 date or date-time") from None


def _parse_date(raw: str) -> dt.date:
    return _parse_instant(raw).date()


def _shifted(instant: dt.datetime, span: relativedelta, sign: int, raw: str) -> dt.date:
    """``instant`` ± ``span`` as a date; 9999-12-31/P1D runs past the last date there is."""
    try:
        return (instant + span if sign > 0 else instant - span).date()
    except (OverflowError, ValueError):
        raise ValueError(f"{raw!r} reaches beyond the years 1-9999") from None


def _duration(raw: str) -> relativedelta | None:
    match = _DURATION.match(raw)
    if not match or raw in ("P", "PT"):
        return None
    parts = {k: float(v) for k, v in match.groupdict().items() if v}
    return relativedelta(
        years=int(parts.get("years", 0)), months=int(parts.get("months", 0)),
        weeks=int(parts.get("weeks", 0)), days=int(parts.get("days", 0)),
        hours=int(parts.get("hours", 0)), minutes=int(parts.get("minutes", 0)),
        seconds=int(parts.get("seconds", 0)),
    )


def parse_datetime_interval(raw: str) -> tuple[dt.date | None, dt.date | None]:
    """An instant or an interval ``start/end`` with ``..`` (or empty) for an open end.

    RFC 3339 dates and date-times; one end may be an ISO 8601 duration
    (``2024-03-01/P2D``, ``P1M/2024-03-01``), which the OGC test suite sends.
    Projects are dated by day, so times are truncated to their date.
    """
    if "/" not in raw:
        instant = _parse_date(raw)
        return instant, instant
    start_raw, _, end_raw = raw.partition("/")
    start_span, end_span = _duration(start_raw), _duration(end_raw)
    start = None if start_raw in ("", "..") or start_span else _parse_instant(start_raw)
    end = None if end_raw in ("", "..") or end_span else _parse_instant(end_raw)
    if end_span is not None:
        if start is None:
            raise ValueError("a duration needs a start date before it")
        return _ordered(start.date(), _shifted(start, end_span, +1, raw))
    if start_span is not None:
        if end is None:
            raise ValueError("a duration needs an end date after it")
        return _ordered(_shifted(end, start_span, -1, raw), end.date())
    return _ordered(start.date() if start else None, end.date() if end else None)


def _ordered(start: dt.date | None, end: dt.date | None) -> tuple[dt.date | None, dt.date | None]:
    if start is None and end is None:
        raise ValueError("an interval needs at least one bounded end")
    if start and end and start > end:
        raise ValueError("the interval ends before it starts")
    return start, end
