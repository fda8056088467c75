"""Text PostgreSQL cannot store: NUL characters and lone UTF-16 surrogates.

A PostgreSQL ``text`` value cannot hold U+0000, and UTF-8 cannot encode a
lone surrogate (``"\\ud800"`` is legal JSON escaping, not a character). GDAL
does not refuse either: it cuts a GeoJSON string at its NUL (``"a\\u0000b"``
becomes ``"a"``), turns a lone surrogate into U+FFFD, and ends a CSV line at
a NUL byte (the rest of the row reads as empty cells). Each would be stored
silently altered, so such a value is the row's rejection (GeoJSON, naming
row and field: the strings are taken from Python's JSON parser, which keeps
them as they are) or, for a CSV whose rows GDAL cannot even split, the
file's, naming every row and column.
"""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _

from layers.errors import UnreadableFile

UNSTORABLE = re.compile("[\x00\ud800-\udfff]")
_ESCAPED = re.compile(rb"\\u0000|\\u[dD][89a-fA-F][0-9a-fA-F]{2}")


def unstorable_reason(value: str) -> str | None:
    """Why ``value`` cannot be stored, or None."""
    found = UNSTORABLE.search(value)
    if found is None:
        return None
    char = found.group()
    what = (_("karakter NUL (\\u0000)") if char == "\x00"
            else _("surrogate UTF-16 tunggal (\\u%04x)") % ord(char))
    return (_("teks memuat %(what)s pada posisi %(pos)d, yang tidak dapat disimpan "
              "PostgreSQL; hapus dari berkas") % {"what": what, "pos": found.start() + 1})


def shown(value: str) -> str:
    """``value`` with NUL and surrogates escaped, safe to print and write as UTF-8."""
    return UNSTORABLE.sub(lambda m: f"\\u{ord(m.group()):04x}", value)


def geojson_strings(path: Path, rows: list[Any], name: str) -> None:
    """Put back the GeoJSON property strings GDAL altered (see module docstring).

    Only when the file escapes a NUL or a surrogate at all (a byte search);
    a property *name* with one is the whole file's problem.
    """
    data = path.read_bytes()
    if not _ESCAPED.search(data):
        return
    try:
        document = json.loads(data)
    except (ValueError, RecursionError):
        return
    features = document.get("features") if isinstance(document, dict) else None
    if not isinstance(features, list) or len(features) != len(rows):
        return
    for row, feature in zip(rows, features, strict=True):
        properties = feature.get("properties") if isinstance(feature, dict) else None
        for key, value in (properties or {}).items() if isinstance(properties, dict) else ():
            if UNSTORABLE.search(key):
                raise UnreadableFile(
                    _("%(file)s: fitur %(row)d: nama properti '%(key)s': %(reason)s")
                    % {"file": name, "row": row.number, "key": shown(key),
                       "reason": unstorable_reason(key)})
            if isinstance(value, str) and UNSTORABLE.search(value) and key in row.values:
                row.values[key] = value


def check_csv_nul(path: Path, name: str) -> None:
    """A CSV with NUL bytes is refused naming each row and column that holds one."""
    data = path.read_bytes()
    if b"\x00" not in data:
        return
    text = data.decode("utf-8", "replace")
    try:
        dialect: Any = csv.Sniffer().sniff(text[:20000].replace("\x00", ""), ",;\t|")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text.replace("\r\n", "\n")), dialect)
    header: list[str] = []
    places = []
    for number, cells in enumerate(reader, start=1):
        if number == 1:
            header = cells
        for index, cell in enumerate(cells):
            if "\x00" in cell:
                column = header[index] if index < len(header) else f"#{index + 1}"
                places.append(_("baris %(row)d kolom %(column)s")
                              % {"row": number, "column": shown(column)})
    raise UnreadableFile(
        _("%(file)s: karakter NUL (\\u0000) di %(places)s; teks PostgreSQL tidak dapat "
          "memuatnya dan GDAL memotong barisnya di situ. Hapus karakter itu, lalu simpan ulang")
        % {"file": name, "places": ", ".join(places[:10]) or _("berkas")})
