"""Zip archives (a zipped Shapefile, KMZ, XLSX) checked before anything is unpacked.

An archive says how large its members are once unpacked; a "zip bomb" (200
MB of zeros in 200 kB) would fill the disk or the memory of the server
process, so the sum of those sizes is checked against ``MAX_UNPACKED_BYTES``
first (``zipfile`` never reads past a member's declared size, so the
declaration cannot lie its way past the check).

A zipped Shapefile is unpacked into the import's scratch folder rather than
read through GDAL's ``/vsizip/``: GDAL finds Shapefiles only at the top of a
zip, while agencies zip the folder they work in (``DATA/FASKES.SHP`` with
upper-case suffixes, as ArcGIS on Windows writes them, and macOS's
``__MACOSX/._x.shp`` shadows). Each ``.shp`` is written out with its
siblings under its own base name and lower-case suffixes, so member paths
(``../../x.shp``) never choose where a file goes.
"""

from __future__ import annotations

import shutil
import zipfile
from collections import defaultdict
from pathlib import Path, PurePosixPath

from django.utils.translation import gettext as _

from layers.errors import UnreadableFile

#: Unpacked size above which an archive is refused before it is opened further.
MAX_UNPACKED_BYTES = 200 * 1000 * 1000
#: The parts of a Shapefile that GDAL reads (.shp, .shx, .dbf required).
SHAPEFILE_PARTS = (".shp", ".shx", ".dbf", ".prj", ".cpg")


def open_zip(path: Path, name: str) -> zipfile.ZipFile:
    try:
        return zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise UnreadableFile(_("%s: bukan arsip zip yang sah") % name) from exc


def check_unpacked_size(archive: zipfile.ZipFile, name: str) -> None:
    """Refuse an archive whose members add up to more than ``MAX_UNPACKED_BYTES``."""
    total = sum(info.file_size for info in archive.infolist())
    if total > MAX_UNPACKED_BYTES:
        raise UnreadableFile(
            _("%(file)s: isi arsip %(size)s MB bila dibuka, lebih dari batas %(limit)s MB; "
              "tidak dibuka. Bagi berkas menjadi beberapa bagian")
            % {"file": name, "size": f"{total / 1e6:,.0f}",
               "limit": f"{MAX_UNPACKED_BYTES / 1e6:,.0f}"})


def check_archive(path: Path, name: str) -> None:
    """An archive (KMZ, XLSX) that is a zip at all and within the unpacked-size limit.

    A file that is not a zip is left for its reader to name (GDAL, openpyxl).
    """
    if not zipfile.is_zipfile(path):
        return
    with open_zip(path, name) as archive:
        check_unpacked_size(archive, name)


def _real_members(archive: zipfile.ZipFile) -> list[str]:
    """Member names without folders and macOS's resource-fork shadows (``__MACOSX/``, ``._x``)."""
    names = []
    for member in archive.namelist():
        posix = PurePosixPath(member.replace("\\", "/"))
        if member.endswith(("/", "\\")) or "__MACOSX" in posix.parts:
            continue
        if posix.name.startswith("._") or not posix.name:
            continue
        names.append(member)
    return names


def unpack_shapefiles(path: Path, folder: Path, name: str) -> Path:
    """Each ``.shp`` of the zip with its siblings, flat in ``folder``; the path to read.

    Returns the ``.shp`` itself when the zip holds one Shapefile, else ``folder``
    (GDAL lists each Shapefile in it as a layer, named by its base name).
    """
    with open_zip(path, name) as archive:
        check_unpacked_size(archive, name)
        members = _real_members(archive)
        groups: dict[tuple[str, str], dict[str, str]] = defaultdict(dict)
        for member in members:
            posix = PurePosixPath(member.replace("\\", "/"))
            suffix = posix.suffix.lower()
            if suffix in SHAPEFILE_PARTS:
                groups[(str(posix.parent).lower(), posix.stem.lower())][suffix] = member
        shapefiles = {key: parts for key, parts in groups.items() if ".shp" in parts}
        if not shapefiles:
            listed = ", ".join(members[:10]) or _("(kosong)")
            raise UnreadableFile(
                _("%(file)s: zip tidak memuat berkas .shp (isinya: %(members)s); unggah Shapefile "
                  "yang di-zip (.shp, .shx, .dbf, .prj)") % {"file": name, "members": listed})
        stems: dict[str, str] = {}
        written: list[str] = []
        for parts in shapefiles.values():
            shp = PurePosixPath(parts[".shp"].replace("\\", "/"))
            missing = [ext for ext in (".shx", ".dbf") if ext not in parts]
            if missing:
                raise UnreadableFile(
                    _("%(file)s: zip tidak memuat %(missing)s di samping %(shp)s")
                    % {"file": name, "missing": _(" dan ").join(missing), "shp": shp.name})
            if shp.stem.lower() in stems:
                raise UnreadableFile(
                    _("%(file)s: dua Shapefile bernama %(stem)s (%(first)s, %(second)s); zip "
                      "satu per satu") % {"file": name, "stem": shp.stem,
                                          "first": stems[shp.stem.lower()],
                                          "second": parts[".shp"]})
            stems[shp.stem.lower()] = parts[".shp"]
            # A base name the file system cannot hold (over 255 bytes) gets a short one.
            stem = shp.stem if len(shp.stem.encode()) <= 200 else f"shapefile_{len(written) + 1}"
            written.append(stem)
            for suffix, member in parts.items():
                with archive.open(member) as source, (folder / f"{stem}{suffix}").open(
                        "wb") as target:
                    shutil.copyfileobj(source, target)
    return folder / f"{written[0]}.shp" if len(written) == 1 else folder
