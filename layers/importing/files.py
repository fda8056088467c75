"""File-level checks before GDAL reads a file, and GDAL's own complaints made readable.

GDAL answers an empty file, a zip of the wrong things or a text file in
UTF-16 with messages meant for programmers: the server path of the upload
(with its random folder), "/vsizip/", and a hint to prefix the path with
"<DRIVER>:". The user needs to hear "the file is empty", "the zip holds no
.shp", "the zip is missing the .dbf beside jalan.shp" — so those cases are
recognised here first, and whatever GDAL still says is cleaned of paths and
hints; pyogrio's Python warnings become notes of the report (``quietly``).
"""

from __future__ import annotations

import codecs
import re
import tempfile
import threading
import warnings
from collections.abc import Callable
from pathlib import Path

from django.utils.translation import gettext as _

from layers.errors import UnreadableFile

#: Byte-order marks of the text encodings GDAL's CSV driver does not read.
_UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
_DRIVER_HINT = re.compile(r"\s*It might help to specify the correct driver explicitly.*$", re.S)


def check_not_empty(path: Path, name: str) -> None:
    if path.stat().st_size == 0:
        raise UnreadableFile(_("%s: berkas kosong (0 bait)") % name)


def utf8_copy_if_utf16(path: Path, folder: Path, name: str) -> Path:
    """A CSV saved by Excel as "Unicode text" is UTF-16 with a BOM: GDAL reads UTF-8 only.

    Returns a UTF-8 copy in ``folder`` (same name), or ``path`` itself when the
    file is not UTF-16.
    """
    with path.open("rb") as handle:
        head = handle.read(2)
    if head not in _UTF16_BOMS:
        return path
    try:
        text = path.read_bytes().decode("utf-16")
    except UnicodeDecodeError as exc:
        raise UnreadableFile(
            _("%s: berkas bertanda UTF-16 tetapi isinya bukan teks UTF-16 yang sah; simpan "
              "ulang sebagai CSV UTF-8") % name) from exc
    copy = folder / path.name
    # Excel's "Unicode text" is tab-separated; GDAL's CSV driver detects tabs itself.
    copy.write_text(text, encoding="utf-8")
    return copy


def scratch_folder() -> tempfile.TemporaryDirectory:
    return tempfile.TemporaryDirectory(prefix="taksi-import-")


def gdal_reason(message: str, path: Path, shown: str | None = None) -> str:
    """GDAL's message without the server path, ``/vsizip/`` or the "<DRIVER>:" hint.

    ``shown`` is the name the user knows the file by (an admin upload is stored
    as ``unggahan.<suffix>``); it replaces the stored name too.
    """
    shown = shown or path.name
    text = _DRIVER_HINT.sub("", str(message))
    for form in (f"/vsizip/{path}", f"/vsizip//{path}", str(path), str(path.parent)):
        text = text.replace(form, path.name)
    text = text.replace(path.name, shown)
    if ("not recognized as being in a supported file format" in text
            or f"{shown} is not a valid" in text):
        return _("isinya tidak dikenali sebagai format %s") % path.suffix.lstrip(".").upper()
    if "does not exist in the file system" in text:
        return _("berkas tidak dapat dibuka")
    return text.strip().rstrip(".;")


#: ``warnings.catch_warnings`` swaps process-wide state: two imports reading at
#: once in one server process (gunicorn threads) would restore each other's.
_WARNINGS = threading.Lock()
_MEASURES = "Measured (M) geometry types are not supported"


def quietly[T](read: Callable[[], T], path: Path, name: str) -> tuple[T, list[str]]:
    """``read()``'s result and pyogrio's warnings about it, as report notes.

    pyogrio warns through Python's ``warnings`` (``Measured (M) geometry types
    are not supported…`` for a ``POINT ZM`` GeoPackage), which the command
    would print on stderr with the server's site-packages path. The user gets
    a note in the report instead, without paths. Warnings meant for
    developers (pyogrio's DeprecationWarnings about NumPy) and those of other
    code that fall into the same moment are passed on unchanged.
    """
    with _WARNINGS, warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = read()
    notes: list[str] = []
    for warning in caught:
        about_the_file = issubclass(warning.category, UserWarning | RuntimeWarning)
        if "pyogrio" not in str(warning.filename) or not about_the_file:
            warnings.warn_explicit(warning.message, warning.category, warning.filename,
                                   warning.lineno)
        elif _MEASURES in str(warning.message):
            note = _("%s: nilai M (measure) pada geometri dibuang; koordinat disimpan 2D") % name
            if note not in notes:
                notes.append(note)
        else:
            note = _("%(file)s: catatan GDAL: %(message)s") % {
                "file": name, "message": gdal_reason(str(warning.message), path, name)}
            if note not in notes:
                notes.append(note)
    return result, notes
