"""Curved WKT (CIRCULARSTRING, COMPOUNDCURVE, CURVEPOLYGON, MULTICURVE, MULTISURFACE).

GEOS, and so shapely, has no curves ("Nonlinear geometry types are not
currently supported"), and PostGIS columns of the layers hold straight
segments only. CAD and ArcGIS exports of parcels and roads carry arcs in WKT,
so a WKT cell with a curve is linearised by GDAL (``OGR_G_GetLinearGeometry``
through GeoDjango's GDAL bindings, GDAL's default step of 4 degrees of arc),
exactly as GDAL linearises the curves of a GeoPackage it reads, and the row
gets a note saying so; a curve GDAL cannot read is the row's rejection.
"""

from __future__ import annotations

from ctypes import byref, c_char_p, c_void_p
from typing import Any

import shapely
from django.contrib.gis.gdal import GDALException, OGRGeometry
from django.contrib.gis.gdal.prototypes import geom as capi
from django.utils.translation import gettext as _

from layers.importing.values import ValueProblem


def linearise(text: str) -> tuple[Any, str]:
    """The linear geometry of curved WKT ``text``, and a note naming the change."""
    try:
        # GeoDjango's OGRGeometry(str) checks WKT with a pattern that lacks some curve
        # types (MULTISURFACE); GDAL's own parser is given the text instead.
        pointer = capi.from_wkt(byref(c_char_p(text.encode())), None, byref(c_void_p()))
        curved = OGRGeometry(pointer)
        linear = curved.get_linear_geometry()
        geometry = shapely.force_2d(shapely.from_wkb(bytes(linear.wkb)))
    except (GDALException, TypeError, ValueError, shapely.errors.ShapelyError) as exc:
        raise ValueProblem("invalid_geometry",
                           _("WKT lengkung tidak dapat dibaca GDAL: %s") % exc) from exc
    note = _("geometri lengkung %(curve)s dilinearkan GDAL menjadi %(linear)s (%(points)d titik)"
             ) % {"curve": curved.geom_name, "linear": geometry.geom_type,
                  "points": shapely.get_num_coordinates(geometry)}
    return geometry, note
