"""The export formats, declared once: the download view, its 404 message and
the collection pages' ``enclosure`` links are all generated from this table."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ExportFormat:
    ext: str
    label: str
    media_type: str
    #: GDAL driver, or None for the CSV written with the csv module.
    driver: str | None
    #: Whether GDAL can append to the file, so it is written batch by batch.
    appendable: bool = True
    #: The downloaded file's extension when it differs from the URL's.
    file_ext: str = ""

    @property
    def filename_ext(self) -> str:
        return self.file_ext or self.ext


FORMATS: tuple[ExportFormat, ...] = (
    # GDAL's GeoJSON driver rewrites the whole file on every append (quadratic
    # time), and its KML driver cannot append: both are written in one call,
    # which the download size cap (TAKSI_EXPORT_MAX_FEATURES) keeps bounded.
    ExportFormat("geojson", "GeoJSON", "application/geo+json", "GeoJSON", appendable=False),
    ExportFormat("csv", "CSV", "text/csv; charset=utf-8", None),
    ExportFormat("gpkg", "GeoPackage", "application/geopackage+sqlite3", "GPKG"),
    # ``.shp.zip``: GDAL and QGIS open such a file directly as a zipped Shapefile.
    ExportFormat("shp", "Shapefile (zip)", "application/zip", "ESRI Shapefile",
                 file_ext="shp.zip"),
    ExportFormat("kml", "KML", "application/vnd.google-earth.kml+xml", "KML", appendable=False),
)


#: A Shapefile holds one geometry type, so a layer of mixed geometries (project
#: sites) is exported as one Shapefile per family present, ``<layer>_<family>``
#: (``projects_point``, ``projects_line``, ``projects_polygon``); the import
#: reads such a zip back as the one layer it is (``layers.importing.readers``).
SHAPEFILE_SPLIT_SUFFIXES = ("point", "line", "polygon")


def get_format(ext: str) -> ExportFormat:
    for fmt in FORMATS:
        if fmt.ext == ext:
            return fmt
    raise KeyError(ext)
