"""Export of a published layer to the files GIS users exchange.

The formats are declared once in ``formats.FORMATS``; rows are read in
batches from any queryset of the layer's model (``rows``), so the HTTP view
decides which features (filters, size cap) and this package only how they
are written (``writers``). GeoJSON, GeoPackage, Shapefile and KML are written
by GDAL through pyogrio; CSV by the standard ``csv`` module.
"""

from layers.exporting.formats import FORMATS, ExportFormat, get_format
from layers.exporting.writers import export_layer

__all__ = ["FORMATS", "ExportFormat", "export_layer", "get_format"]
