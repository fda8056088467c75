"""Import agency files (GeoJSON, Shapefile, GeoPackage, KML/KMZ, CSV, XLSX) into declared layers.

``import_file(layer_id, path, ImportOptions(...))`` is the one entry point; the
``import_layer`` command and the admin upload page are thin wrappers around it.
The names are loaded lazily: GDAL (pyogrio) and PROJ take seconds to import,
and the admin imports this package on every server start.
"""

from __future__ import annotations

from typing import Any

__all__ = ["ImportOptions", "ImportReport", "Rejection", "import_file", "importable_layer"]

_HOMES = {
    "ImportOptions": "layers.importing.run",
    "import_file": "layers.importing.run",
    "importable_layer": "layers.importing.run",
    "ImportReport": "layers.importing.report",
    "Rejection": "layers.importing.report",
}


def __getattr__(name: str) -> Any:
    if name not in _HOMES:
        raise AttributeError(name)
    from importlib import import_module

    return getattr(import_module(_HOMES[name]), name)
