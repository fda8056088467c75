"""One layer exported as several Shapefiles, one per geometry type, read back as one file.

A Shapefile holds one geometry type, so our export writes a layer of mixed
geometries (project sites) as ``projects_point``, ``projects_line`` and
``projects_polygon`` in one zip (``layers.exporting.formats``). Asking for
``--source-layer`` three times would make three imports, three reports and
three transactions of what is one download; instead such a zip — every
layer named ``<x>_<family>`` for the same ``<x>`` — is read as one table:
the layers' rows one after another, numbered on across them (a note in the
report says which numbers are which layer's), one import, all or nothing.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from layers.errors import UnreadableFile
from layers.exporting.formats import SHAPEFILE_SPLIT_SUFFIXES
from layers.importing.readers import Table


def split_base(names: list[str]) -> str | None:
    """``projects`` for ``projects_point, projects_line``; None unless every name is
    ``<base>_<family>`` of one base, each family once."""
    bases: set[str] = set()
    families: list[str] = []
    for name in names:
        base, sep, family = name.rpartition("_")
        if not sep or not base or family not in SHAPEFILE_SPLIT_SUFFIXES:
            return None
        bases.add(base)
        families.append(family)
    if len(bases) != 1 or len(set(families)) != len(families):
        return None
    return bases.pop()


def split_order(names: list[str]) -> list[str]:
    """Points, then lines, then polygons: the order the export writes them."""
    return sorted(names, key=lambda n: SHAPEFILE_SPLIT_SUFFIXES.index(n.rpartition("_")[2]))


def join_splits(tables: list[Table], name: str) -> Table:
    """The split layers' rows as one table; their CRS must be one."""
    base = split_base([str(t.layer_name) for t in tables])
    assert base is not None
    if len({t.crs for t in tables}) > 1:
        raise UnreadableFile(
            _("%(file)s: layer %(layers)s menyatakan CRS yang berbeda; impor satu per satu "
              "dengan --source-layer") % {"file": name,
                                          "layers": ", ".join(str(t.layer_name) for t in tables)})
    rows = []
    parts = []
    for table in tables:
        offset = len(rows)
        for row in table.rows:
            row.number += offset
        rows.extend(table.rows)
        parts.append(_("%(layer)s baris %(first)d–%(last)d")
                     % {"layer": table.layer_name, "first": offset + 1, "last": len(rows)}
                     if table.rows else _("%(layer)s kosong") % {"layer": table.layer_name})
    notes = [n for t in tables for n in t.notes]
    notes.append(
        _("%(file)s: %(count)d layer dibaca sebagai satu layer %(base)s (satu Shapefile per "
          "jenis geometri); nomor baris berlanjut: %(parts)s")
        % {"file": name, "count": len(tables), "base": base, "parts": "; ".join(parts)})
    first = tables[0]
    return Table(path=first.path, columns=list(dict.fromkeys(c for t in tables for c in t.columns)),
                 rows=rows, crs=first.crs, encoding=first.encoding, layer_name=base,
                 has_geometry=True, notes=list(dict.fromkeys(notes)),
                 unreadable_crs=next((t.unreadable_crs for t in tables if t.unreadable_crs), None))
