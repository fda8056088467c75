"""What a file says about itself (.cpg encoding, .prj or GeoJSON ``crs``), checked.

GDAL reads a declaration it does not understand as if it were not there: a
``.cpg`` of ``NOT-A-CODEPAGE`` falls back to a guess, a ``.prj`` of garbage
or a GeoJSON ``crs`` of ``EPSG::999999`` gives EPSG:4326 or no CRS at all.
The agency meant something by it, so the importer says so: an unknown
``.cpg`` becomes a note naming it and the encoding actually used (the
``--encoding`` to force another), an unreadable CRS a refusal naming the
text and ``--srid`` (the one case where ``--srid`` replaces what a file
declares: it declares nothing PROJ can use).
"""

from __future__ import annotations

import codecs
import json
import re
from pathlib import Path

from pyproj import CRS
from pyproj.exceptions import CRSError

#: How much of a declaration a message quotes.
_QUOTED = 80


def quoted(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= _QUOTED else text[:_QUOTED] + "…"


def sibling(shp: Path, suffix: str) -> Path | None:
    """``x.cpg`` (or ``x.CPG``) beside ``x.shp``."""
    for candidate in (shp.with_suffix(suffix), shp.with_suffix(suffix.upper())):
        if candidate.is_file():
            return candidate
    return None


def shapefile_path(path: Path, layer: str | None) -> Path | None:
    """The ``.shp`` GDAL reads for ``layer`` of ``path`` (a .shp, or a folder of them)."""
    if path.suffix.lower() == ".shp":
        return path
    if path.is_dir() and layer:
        return path / f"{layer}.shp"
    return None


def read_declaration(path: Path) -> str:
    return path.read_bytes().decode("utf-8", "replace").strip()


def cpg_codec(text: str) -> str | None:
    """The Python codec for a ``.cpg`` text as GDAL interprets it, None when unknown.

    GDAL reads a number as a Windows/DOS code page (``1252``, ``850``;
    ``65001`` is UTF-8), ``8859_1``-style as ISO-8859, ``ANSI 1252`` as that
    code page, and passes anything else to iconv by name.
    """
    value = text.strip()
    ansi = re.fullmatch(r"(?i)ansi\s*(\d+)", value)
    if ansi:
        value = ansi.group(1)
    if value.isdigit():
        value = "utf-8" if value == "65001" else f"cp{int(value)}"
    elif re.fullmatch(r"8859[_-]\d+", value):
        value = f"iso8859-{value[5:]}"
    try:
        return codecs.lookup(value).name if value else None
    except LookupError:
        return None


def geojson_crs_text(path: Path) -> str | None:
    """The top-level ``crs`` member's name (GeoJSON 2008), None when there is none.

    RFC 7946 dropped ``crs``; GDAL still honours a legacy ``name`` and gives
    EPSG:4326 for one it does not know, so the name is looked at here.
    """
    data = path.read_bytes()
    if b'"crs"' not in data:
        return None
    try:
        document = json.loads(data)
    except (ValueError, RecursionError):
        return None
    crs = document.get("crs") if isinstance(document, dict) else None
    if not isinstance(crs, dict):
        return None
    properties = crs.get("properties")
    name = properties.get("name") if isinstance(properties, dict) else None
    return str(name) if name is not None else json.dumps(crs, ensure_ascii=False)


def unreadable_crs(text: str) -> bool:
    try:
        CRS.from_user_input(text)
    except CRSError:
        return True
    return False
