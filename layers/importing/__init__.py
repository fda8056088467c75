"""Import agency files (GeoJSON, Shapefile, GeoPackage, KML/KMZ, CSV, XLSX) into declared layers.

``import_file(layer_id, path, ImportOptions(...))`` is the one entry point; the
``import_layer`` command and the admin upload page are thin wrappers around it.
"""

from layers.importing.report import ImportReport, Rejection
from layers.importing.run import ImportOptions, import_file, importable_layer

__all__ = ["ImportOptions", "ImportReport", "Rejection", "import_file", "importable_layer"]
