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
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

import pyogrio
import pyogrio.errors
from django.utils.translation import gettext as _
from pyogrio.raw import read as ogr_read

from layers.errors import BadOption, UnreadableFile
from layers.importing.archives import check_archive, unpack_shapefiles
from layers.importing.declarations import (
    cpg_codec,
    geojson_crs_text,
    quoted,
    read_declaration,
    shapefile_path,
    sibling,
    unreadable_crs,
)
from layers.importing.files import (
    check_not_empty,
    gdal_reason,
    quietly,
    scratch_folder,
    utf8_copy_if_utf16,
)
from layers.importing.formats import SUFFIXES, VECTOR_SUFFIXES
from layers.importing.text import check_csv_nul, geojson_strings

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
    #: What the reader noticed but did not refuse (GDAL's warnings, split layers joined).
    notes: list[str] = field(default_factory=list)
    #: A CRS the file declares that PROJ cannot read: (where, text), e.g. ("a.prj", "GARBAGE[").
    unreadable_crs: tuple[str, str] | None = None


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
    _check_options(name, suffix, source_layer, sheet, encoding)
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
        # ArcGIS on Windows writes FASKES.SHP/.SHX/.DBF: either case is a sibling.
        missing = [s for s in (".shx", ".dbf") if sibling(path, s) is None]
        if missing:
            raise UnreadableFile(_("%(file)s: tidak ada %(missing)s di samping .shp")
                                 % {"file": name, "missing": ", ".join(missing)})
    if suffix == ".kmz":
        check_archive(path, name)
    with scratch_folder() as folder:
        readable = path
        if suffix == ".csv":
            readable = utf8_copy_if_utf16(path, Path(folder), name)
            check_csv_nul(readable, name)
        elif suffix == ".zip":
            readable = unpack_shapefiles(path, Path(folder), name)
        layers = _choose_layers(readable, source_layer, name, zipped=suffix == ".zip")
        tables = [_read_vector(readable, layer, encoding, name) for layer in layers]
    if len(tables) == 1:
        table = tables[0]
    else:
        from layers.importing.splits import join_splits

        table = join_splits(tables, name)
    table.path = path
    return table


def _check_options(name: str, suffix: str, source_layer: str | None, sheet: str | None,
                   encoding: str | None) -> None:
    """An option this format does not use is an error, not silently ignored: the user
    meant something by it (``--sheet`` on a GeoPackage is a ``--source-layer``)."""
    if sheet is not None and suffix != ".xlsx":
        raise BadOption(
            _("--sheet %(sheet)s: hanya untuk berkas XLSX, dan %(file)s bukan XLSX; pilih "
              "tabel atau layer dengan --source-layer") % {"sheet": sheet, "file": name})
    if suffix != ".xlsx":
        return
    if source_layer is not None:
        raise BadOption(
            _("--source-layer %(layer)s: %(file)s adalah XLSX, yang tidak memiliki layer; "
              "pilih sheet dengan --sheet") % {"layer": source_layer, "file": name})
    if encoding is not None:
        raise BadOption(
            _("--encoding %(encoding)s: %(file)s adalah XLSX, yang selalu menyatakan "
              "encoding-nya sendiri; --encoding hanya untuk Shapefile dan CSV")
            % {"encoding": encoding, "file": name})


def _choose_layers(path: Path, wanted: str | None, name: str,
                   zipped: bool = False) -> list[str | None]:
    """The layer to read: ``--source-layer``, the only one, or — for a zip of one
    layer's geometry-type splits, as our Shapefile export writes a mixed layer —
    all of them (``splits``)."""
    from layers.importing.splits import split_base, split_order

    try:
        listed, _notes = quietly(lambda: pyogrio.list_layers(path), path, name)
        names = [str(row[0]) for row in listed]
    except (pyogrio.errors.DataSourceError, pyogrio.errors.DataLayerError) as exc:
        if zipped:
            names = []
        else:
            raise UnreadableFile(_("%(file)s: GDAL tidak dapat membukanya (%(reason)s)")
                                 % {"file": name, "reason": gdal_reason(exc, path, name)}) from exc
    if not names:
        raise UnreadableFile(
            _("%(file)s: GDAL tidak menemukan satu layer pun yang dapat dibaca di dalamnya%(shp)s")
            % {"file": name, "shp": _zipped_parts(path) if zipped else ""})
    if wanted is not None:
        if wanted not in names:
            raise UnreadableFile(
                _("%(file)s: tidak ada layer %(layer)r (--source-layer); layer: %(layers)s")
                % {"file": name, "layer": wanted, "layers": ", ".join(names)}
            )
        return [wanted]
    if len(names) > 1:
        if zipped and split_base(names) is not None:
            return list(split_order(names))
        raise UnreadableFile(
            _("%(file)s memuat %(count)d layer; pilih satu dengan --source-layer: %(layers)s")
            % {"file": name, "count": len(names), "layers": ", ".join(sorted(names))}
        )
    return [names[0]]


def _zipped_parts(path: Path) -> str:
    """`` (a.shp, b.shp: not Shapefiles GDAL can read)`` for a zip's unpacked Shapefiles."""
    shps = [path.name] if path.is_file() else sorted(p.name for p in path.glob("*.shp"))
    return _(" (%s: bukan Shapefile yang dapat dibaca GDAL)") % ", ".join(shps)


def _candidates(path: Path, layer: str | None,
                encoding: str | None) -> tuple[tuple[str | None, ...], str | None]:
    """The encodings to try, and the text of a ``.cpg`` that names none GDAL knows.

    A Shapefile's ``.cpg`` is GDAL's to apply (None: GDAL decides) when it names
    a known encoding; else the guess is made as if there were none, and said.
    """
    if encoding:
        try:
            # GDAL recodes Shapefiles with iconv, which knows iso8859-1 but not latin-1.
            return (codecs.lookup(encoding).name,), None
        except LookupError as exc:
            raise BadOption(_("--encoding %s: encoding tidak dikenal") % encoding) from exc
    shp = shapefile_path(path, layer)
    if shp is not None:
        cpg = sibling(shp, ".cpg")
        if cpg is None:
            return FALLBACK_ENCODINGS, None
        text = read_declaration(cpg)
        return ((None,), None) if cpg_codec(text) else (FALLBACK_ENCODINGS, text)
    if path.suffix.lower() == ".csv":
        return FALLBACK_ENCODINGS, None
    return (None,), None


def _crs_problem(path: Path, layer: str | None, crs: str | None) -> tuple[str, str] | None:
    """A declared CRS GDAL dropped (a garbage .prj) or PROJ cannot read (GeoJSON ``crs``)."""
    shp = shapefile_path(path, layer)
    if shp is not None:
        prj = sibling(shp, ".prj")
        if prj is not None and not crs:
            return prj.name, read_declaration(prj)
        return None
    if path.suffix.lower() in (".geojson", ".json"):
        text = geojson_crs_text(path)
        if text is not None and unreadable_crs(text):
            return "crs", text
    return None


def _read_vector(path: Path, layer: str | None, encoding: str | None, name: str) -> Table:
    candidates, unknown_cpg = _candidates(path, layer, encoding)
    for index, candidate in enumerate(candidates):
        try:
            (meta, _fids, geometries, arrays), notes = quietly(
                partial(ogr_read, path, layer=layer, encoding=candidate, force_2d=True),
                path, name)
        except UnicodeDecodeError as exc:
            if index + 1 == len(candidates):
                raise UnreadableFile(
                    _("%(file)s: bukan teks %(encoding)s yang sah (%(reason)s)")
                    % {"file": name, "encoding": candidate, "reason": exc.reason}) from exc
            continue
        except (pyogrio.errors.DataSourceError, pyogrio.errors.DataLayerError) as exc:
            raise UnreadableFile(_("%(file)s: GDAL tidak dapat membacanya (%(reason)s)")
                                 % {"file": name, "reason": gdal_reason(exc, path, name)}) from exc
        table = _table(path, layer, meta, geometries, arrays, candidate)
        table.notes = notes
        if unknown_cpg is not None:
            table.notes.append(
                _("%(file)s: .cpg menyatakan encoding %(cpg)r yang tidak dikenal; atribut dibaca "
                  "sebagai %(used)s (tebakan). Bila huruf salah, paksa dengan --encoding")
                % {"file": name, "cpg": quoted(unknown_cpg), "used": candidate})
        table.unreadable_crs = _crs_problem(path, layer, table.crs)
        if path.suffix.lower() in (".geojson", ".json"):
            geojson_strings(path, table.rows, name)
        return table
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
