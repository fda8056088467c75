"""Numbers and coordinates written the way Indonesian spreadsheets write them.

Excel in an Indonesian locale writes ``-10,1772`` (decimal comma) and
``1.500.000`` (dot thousands); field surveys write degrees-minutes-seconds
such as ``10°10'12"S 123°35'40"E`` or ``10°10'12" LS`` (lintang selatan).
These are values inside cells, not file formats: the files themselves are
read by GDAL or openpyxl.
"""

from __future__ import annotations

import re

from django.utils.translation import gettext as _

_DOT_THOUSANDS = re.compile(r"^-?\d{1,3}(\.\d{3})+(,\d+)?$")
_COMMA_THOUSANDS = re.compile(r"^-?\d{1,3}(,\d{3})+(\.\d+)?$")

#: Hemisphere letters in English and Indonesian (Utara/Selatan/Timur/Barat,
#: LU/LS = lintang utara/selatan, BT/BB = bujur timur/barat).
_HEMISPHERES = {
    "N": ("lat", 1), "U": ("lat", 1), "LU": ("lat", 1),
    "S": ("lat", -1), "LS": ("lat", -1),
    "E": ("lon", 1), "T": ("lon", 1), "BT": ("lon", 1),
    "W": ("lon", -1), "B": ("lon", -1), "BB": ("lon", -1),
}
_HEM = r"LU|LS|BT|BB|[NSEWUTB]"
_DEGREES = (
    r"(?P<sign>[-−])?\s*(?P<deg>\d+(?:[.,]\d+)?)\s*[°º˚]\s*"
    r"(?:(?P<min>\d+(?:[.,]\d+)?)\s*['′’m]\s*)?"
    r"(?:(?P<sec>\d+(?:[.,]\d+)?)\s*(?:\"|″|''|’’|s)\s*)?"
)
#: ``10°10'12"S`` / ``10°10'12" LS``: the hemisphere after the number.
_DMS = re.compile(_DEGREES + rf"(?P<hem>{_HEM})?", re.IGNORECASE)
#: ``S 10°10'12"``: as GPS units show it, the hemisphere before the number.
_DMS_PREFIXED = re.compile(rf"(?P<hem>{_HEM})\s*" + _DEGREES, re.IGNORECASE)
_STARTS_WITH_HEMISPHERE = re.compile(rf"^\s*(?:{_HEM})\s*[-−]?\d", re.IGNORECASE)


class DmsRangeError(ValueError):
    """Minutes or seconds of 60 or more: the message says which (translated)."""


def parse_number(value: object) -> float:
    """A float from a number or from text with a decimal comma or thousands separators.

    Raises ``ValueError`` for anything else (the caller names row and field).
    """
    if isinstance(value, bool):
        raise ValueError(value)
    if isinstance(value, int | float):
        return float(value)
    text = str(value).strip().replace("\u2212", "-").replace(" ", "").replace("\u00a0", "")
    text = re.sub(r"^(?i:rp\.?)", "", text)
    if _DOT_THOUSANDS.match(text) and (text.count(".") > 1 or "," in text):
        text = text.replace(".", "").replace(",", ".")
    elif _COMMA_THOUSANDS.match(text) and (text.count(",") > 1 or "." in text):
        text = text.replace(",", "")
    elif text.count(",") == 1 and "." not in text:
        text = text.replace(",", ".")
    return float(text)


def _dms_value(match: re.Match[str]) -> float:
    def part(name: str) -> float:
        return float((match.group(name) or "0").replace(",", "."))

    # 10°70'05" is no position: minutes and seconds count to 60.
    for name, label in (("min", _("menit")), ("sec", _("detik"))):
        if part(name) >= 60:
            raise DmsRangeError(_("%(text)s: %(part)s harus di bawah 60")
                                % {"text": match.group(0).strip(), "part": label})
    value = part("deg") + part("min") / 60 + part("sec") / 3600
    return -value if match.group("sign") else value


def _dms_matches(text: str) -> list[re.Match[str]]:
    pattern = _DMS_PREFIXED if _STARTS_WITH_HEMISPHERE.match(text) else _DMS
    return [m for m in pattern.finditer(text) if re.search("[°º˚]", m.group(0))]


def parse_coordinate(value: object, axis: str) -> float:
    """One coordinate (``axis`` is "lat" or "lon"): a number or DMS text."""
    text = str(value).strip() if not isinstance(value, int | float) else ""
    matches = _dms_matches(text) if text else []
    if len(matches) != 1:
        return parse_number(value)
    match = matches[0]
    number = _dms_value(match)
    hem = (match.group("hem") or "").upper()
    if hem:
        hem_axis, sign = _HEMISPHERES[hem]
        if hem_axis != axis:
            raise ValueError(f"{text!r} is a {hem_axis} value, expected {axis}")
        number = abs(number) * sign
    return number


def parse_pair(value: object) -> tuple[float, float]:
    """``(lon, lat)`` from one cell: DMS with hemispheres in either order, or ``lat, lon``.

    Decimal pairs follow the order phones and Google Maps copy: latitude first.
    """
    text = str(value).strip()
    matches = _dms_matches(text)
    if len(matches) == 2:
        found: dict[str, float] = {}
        for index, match in enumerate(matches):
            hem = (match.group("hem") or "").upper()
            axis, sign = _HEMISPHERES[hem] if hem else (("lat", "lon")[index], 0)
            number = _dms_value(match)
            found[axis] = abs(number) * sign if sign else number
        if set(found) != {"lat", "lon"}:
            raise ValueError(f"{text!r}: two latitudes or two longitudes")
        return found["lon"], found["lat"]
    parts = [p for p in re.split(r"[;\s]+|,\s+", text) if p]
    if len(parts) != 2:
        raise ValueError(f"{text!r} is not 'lat, lon'")
    return parse_number(parts[1]), parse_number(parts[0])
