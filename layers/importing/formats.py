"""The file formats the importer reads, by suffix (kept free of GDAL imports for the admin)."""

VECTOR_SUFFIXES = (".geojson", ".json", ".shp", ".zip", ".gpkg", ".kml", ".kmz", ".csv")
SUFFIXES = (*VECTOR_SUFFIXES, ".xlsx")
