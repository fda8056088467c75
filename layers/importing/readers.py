"""Read any agency file into rows of cells plus an optional geometry, through GDAL or openpyxl.

Vector formats (GeoJSON, Shapefile or a zipped Shapefile, GeoPackage, KML/KMZ,
CSV) are read by GDAL through pyogrio's raw interface (no pandas); XLSX by
openpyxl, which gives typed cells (numbers stay numbers, dates stay dates).
Text encodings: GeoJSON, GeoPackage and KML are UTF-8 by specification; a
Shapefile's ``.cpg`` is trusted when present; otherwise (and for CSV) UTF-8 is
tried strictly, then cp1252 (what Windows ArcGIS/Excel write in Indonesia),
then latin-1, which never fails. ``--encoding`` forces one. A CSV in UTF-16
(Excel's "Unicode text") is copied to UTF-8 first. File-level checks and
GDAL's messages: ``layers.importing.files``.
"""

from __future__ import annotations

import codecs
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyogrio
import pyogrio.errors
from django.utils.translation import gettext as _
from pyogrio.raw import read as ogr_read

from layers.errors import BadOption, UnreadableFile
from layers.importing.files import (
    check_not_empty,
    check_zipped_shapefile,
    gdal_reason,
    scratch_folder,
    utf8_copy_if_utf16,
)
from layers.importing.formats import SUFFIXES, VECTOR_SUFFIXES

#: Tried in order when a file does not say its encoding.
FALLBACK_ENCODINGS = ("utf-8", "cp1252", "latin-1")


@dataclass
class SourceRow:
    #: The number the user sees: the spreadsheet line (header = 1) or the feature number.
    number: int
    values: dict[str, Any]
    #: ISO WKB from GDAL, or None when the row has no geometry (yet).
    geometry: bytes | None = None


@dataclass
class Table:
    path: Path
    columns: list[str]
    rows: list[SourceRow]
    #: The CRS the file declares (``EPSG:32751`` or WKT), None when it declares none.
    crs: str | None = None
    encoding: str | None = None
    layer_name: str | None = None
    #: Whether the format carries geometries itself (False for XLSX and plain CSV).
    has_geometry: bool = False


def read_table(
    path: Path, *, source_layer: str | None = None, sheet: str | None = None,
    encoding: str | None = None, name: str | None = None,
) -> Table:
    """Read ``path``; file-level problems raise ``UnreadableFile`` naming the file.

    ``name`` is the name shown in messages (the admin's uploaded file name);
    default: the file's own.
    """
    name = name or path.name
    suffix = path.suffix.lower()
    if not path.is_file():
        raise UnreadableFile(_("%s: berkas tidak ditemukan") % name)
    check_not_empty(path, name)
    if suffix == ".xlsx":
        from layers.importing.xlsx import read_xlsx

        return read_xlsx(path, sheet, name)
    if suffix not in VECTOR_SUFFIXES:
        raise UnreadableFile(
            _("%(file)s: format %(suffix)s tidak didukung; pakai salah satu dari %(formats)s")
            % {"file": name, "suffix": suffix or _("(tanpa akhiran)"),
               "formats": ", ".join(SUFFIXES)}
        )
    if suffix == ".shp":
        missing = [s for s in (".shx", ".dbf") if not path.with_suffix(s).exists()]
        if missing:
            raise UnreadableFile(_("%(file)s: tidak ada %(missing)s di samping .shp")
                                 % {"file": name, "missing": ", ".join(missing)})
    if suffix == ".zip":
        check_zipped_shapefile(path, name)
    with scratch_folder() as folder:
        readable = utf8_copy_if_utf16(path, Path(folder), name) if suffix == ".csv" else path
        layer = _choose_layer(readable, source_layer, name)
        table = _read_vector(readable, layer, encoding, name)
    table.path = path
    return table


def _choose_layer(path: Path, wanted: str | None, name: str) -> str | None:
    try:
        names = [str(row[0]) for row in pyogrio.list_layers(path)]
    except (pyogrio.errors.DataSourceError, pyogrio.errors.DataLayerError) as exc:
        raise UnreadableFile(_("%(file)s: GDAL tidak dapat membukanya (%(reason)s)")
                             % {"file": name, "reason": gdal_reason(exc, path)}) from exc
    if wanted is not None:
        if wanted not in names:
            raise UnreadableFile(
                _("%(file)s: tidak ada layer %(layer)r (--source-layer); layer: %(layers)s")
                % {"file": name, "layer": wanted, "layers": ", ".join(names)}
            )
        return wanted
    if len(names) > 1:
        raise UnreadableFile(
            _("%(file)s memuat %(count)d layer; pilih satu dengan --source-layer: %(layers)s")
            % {"file": name, "count": len(names), "layers": ", ".join(names)}
        )
    return names[0] if names else None


def _declared_encoding(path: Path) -> bool:
    """True when a Shapefile says its encoding (a ``.cpg`` beside it or inside the zip)."""
    if path.suffix.lower() == ".shp":
        return path.with_suffix(".cpg").exists() or path.with_suffix(".CPG").exists()
    if path.suffix.lower() == ".zip":
        with zipfile.ZipFile(path) as archive:
            return any(n.lower().endswith(".cpg") for n in archive.namelist())
    return path.suffix.lower() not in (".csv",)


def _read_vector(path: Path, layer: str | None, encoding: str | None, name: str) -> Table:
    candidates: tuple[str | None, ...]
    if encoding:
        try:
            # GDAL recodes Shapefiles with iconv, which knows iso8859-1 but not latin-1.
            candidates = (codecs.lookup(encoding).name,)
        except LookupError as exc:
            raise BadOption(_("--encoding %s: encoding tidak dikenal") % encoding) from exc
    elif _declared_encoding(path):
        candidates = (None,)
    else:
        candidates = FALLBACK_ENCODINGS
    for index, candidate in enumerate(candidates):
        try:
            meta, _fids, geometries, arrays = ogr_read(
                path, layer=layer, encoding=candidate, force_2d=True
            )
        except UnicodeDecodeError as exc:
            if index + 1 == len(candidates):
                raise UnreadableFile(
                    _("%(file)s: bukan teks %(encoding)s yang sah (%(reason)s)")
                    % {"file": name, "encoding": candidate, "reason": exc.reason}) from exc
            continue
        except (pyogrio.errors.DataSourceError, pyogrio.errors.DataLayerError) as exc:
            raise UnreadableFile(_("%(file)s: GDAL tidak dapat membacanya (%(reason)s)")
                                 % {"file": name, "reason": gdal_reason(exc, path)}) from exc
        return _table(path, layer, meta, geometries, arrays, candidate)
    raise AssertionError("unreachable")


def _table(
    path: Path, layer: str | None, meta: dict[str, Any], geometries: Any, arrays: list[Any],
    encoding: str | None,
) -> Table:
    columns = [str(c) for c in meta["fields"]]
    values = [a.tolist() for a in arrays]
    count = len(geometries) if geometries is not None else (len(values[0]) if values else 0)
    first = 2 if path.suffix.lower() == ".csv" else 1
    rows = [
        SourceRow(
            number=first + i,
            values={c: values[j][i] for j, c in enumerate(columns)},
            geometry=None if geometries is None else geometries[i],
        )
        for i in range(count)
    ]
    return Table(
        path=path, columns=columns, rows=rows, crs=meta.get("crs"),
        encoding=encoding or meta.get("encoding"), layer_name=layer,
        has_geometry=geometries is not None,
    )
