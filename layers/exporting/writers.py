"""Writing batches of a layer to one file per format.

GDAL (through pyogrio) writes GeoJSON, GeoPackage, Shapefile and KML, so
each file is what GDAL/QGIS expect to read: a .prj and a .cpg (UTF-8) with
every Shapefile, typed GeoPackage columns, an OGC KML document. Coordinates
are written as stored, EPSG:4326 longitude/latitude, at full precision.

Format-specific choices, all documented in the README ("Downloads"):

- **Shapefile**: a .zip. Field names are cut to the DBF limit of 10
  characters (``kode_kecamatan`` → ``kode_kecam``). A Shapefile holds one
  geometry type, so a layer of mixed geometries (project sites) gets one
  Shapefile per type present: ``projects_point``, ``projects_line``,
  ``projects_polygon``.
- **KML**: the ``nama`` property becomes the placemark's ``<name>`` (what
  Google Earth shows); dates are written as ISO text (``2025-03-01``).
- **CSV**: the properties, then ``wkt`` (the geometry), ``lon`` and ``lat``:
  the point itself for points, the centroid (``ST_Centroid``) for lines and
  polygons, which may lie outside a concave polygon.
"""

from __future__ import annotations

import csv
import datetime as dt
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pyogrio.raw
from django.db.models import QuerySet

from layers.exporting.formats import SHAPEFILE_SPLIT_SUFFIXES, ExportFormat
from layers.exporting.rows import Batch, iter_batches
from layers.registry import LayerDeclaration, Property

CRS = "EPSG:4326"
DBF_NAME_LENGTH = 10
#: One Shapefile per geometry family: (file suffix, PostGIS types it holds, type to
#: declare). A Shapefile line or polygon layer takes multi-part shapes as they are.
POINT, LINE, POLYGON = SHAPEFILE_SPLIT_SUFFIXES
SHAPEFILE_FAMILIES = (
    (POINT, ("POINT",), "Point"),
    (LINE, ("LINESTRING", "MULTILINESTRING"), "LineString"),
    (POLYGON, ("POLYGON", "MULTIPOLYGON"), "Polygon"),
)
_PYOGRIO_TYPES = {"Point": "Point", "MultiPolygon": "MultiPolygon", "Geometry": "Unknown"}


def export_layer(layer: LayerDeclaration, queryset: QuerySet, fmt: ExportFormat,
                 directory: Path) -> Path:
    """Write the queryset's features in ``fmt`` inside ``directory``; return the file."""
    path = directory / f"{layer.id}.{fmt.filename_ext}"
    if fmt.ext == "csv":
        write_csv(layer, queryset, path)
    elif fmt.ext == "shp":
        write_shapefile_zip(layer, queryset, fmt, path)
    else:
        options = {"NameField": layer.title_field} if fmt.ext == "kml" else {}
        _write_gdal(layer, queryset, fmt, path, _PYOGRIO_TYPES[layer.geometry_type],
                    dataset_options=options)
    return path


def write_csv(layer: LayerDeclaration, queryset: QuerySet, path: Path) -> None:
    names = [p.name for p in layer.properties]
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow([*names, "wkt", "lon", "lat"])
        for batch in iter_batches(layer, queryset, text=True):
            for i in range(len(batch)):
                values = [_csv_text(batch.columns[name][i]) for name in names]
                writer.writerow([*values, batch.wkt[i], repr(batch.lon[i]),
                                 repr(batch.lat[i])])


def _csv_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def write_shapefile_zip(layer: LayerDeclaration, queryset: QuerySet, fmt: ExportFormat,
                        path: Path) -> None:
    """One Shapefile (with .shp/.shx/.dbf/.prj/.cpg) per geometry family present, zipped."""
    names = shapefile_field_names(layer)
    parts: list[Path] = []
    for suffix, types, declared in SHAPEFILE_FAMILIES:
        if layer.geometry_type == "Point" and suffix != POINT:
            continue
        if layer.geometry_type == "MultiPolygon" and suffix != POLYGON:
            continue
        subset = queryset.filter(geometry__geom_type__in=types)
        single = layer.geometry_type != "Geometry"
        if not single and not subset.exists():
            continue
        stem = layer.id if single else f"{layer.id}_{suffix}"
        shp = path.parent / f"{stem}.shp"
        _write_gdal(layer, subset, fmt, shp, declared, field_names=names, encoding="UTF-8")
        parts.append(shp)
    if not parts:  # nothing matched a mixed layer: still a valid, empty Shapefile
        shp = path.parent / f"{layer.id}.shp"
        _write_gdal(layer, queryset.none(), fmt, shp, "Point", field_names=names,
                    encoding="UTF-8")
        parts.append(shp)
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for shp in parts:
            for ext in ("shp", "shx", "dbf", "prj", "cpg"):
                sibling = shp.with_suffix(f".{ext}")
                archive.write(sibling, arcname=sibling.name)


def shapefile_field_names(layer: LayerDeclaration) -> list[str]:
    """Declared names cut to DBF's 10 characters; a clash is a declaration error."""
    names = [p.name[:DBF_NAME_LENGTH] for p in layer.properties]
    if len(set(names)) != len(names):
        raise ValueError(f"layer {layer.id}: property names clash when cut to 10 characters")
    return names


def _write_gdal(layer: LayerDeclaration, queryset: QuerySet, fmt: ExportFormat, path: Path,
                geometry_type: str, *, field_names: list[str] | None = None,
                encoding: str | None = None, dataset_options: dict[str, str] | None = None
                ) -> None:
    """Write batch by batch (append) where GDAL does it well; GeoJSON and KML in one call."""
    names = field_names or [p.name for p in layer.properties]
    batches = iter_batches(layer, queryset)
    if not fmt.appendable:
        batches = iter([_concatenate(layer, list(batches))])
    written = False
    for batch in _non_empty_or_one(layer, batches):
        data, masks = zip(*(_column(p, batch.columns[p.name], fmt.ext)
                            for p in layer.properties), strict=True)
        pyogrio.raw.write(
            str(path), np.array(batch.wkb, dtype=object), list(data), names,
            field_mask=list(masks), layer=path.stem, driver=fmt.driver,
            geometry_type=geometry_type, crs=CRS, encoding=encoding,
            promote_to_multi=geometry_type.startswith("Multi"), append=written,
            dataset_options=dataset_options or None,
        )
        written = True


def _non_empty_or_one(layer: LayerDeclaration, batches: Iterator[Batch]) -> Iterator[Batch]:
    """The batches, or one empty batch so that an empty result is still a valid file."""
    empty = True
    for batch in batches:
        empty = False
        yield batch
    if empty:
        yield Batch(columns={p.name: [] for p in layer.properties}, wkb=[])


def _concatenate(layer: LayerDeclaration, batches: list[Batch]) -> Batch:
    return Batch(
        columns={p.name: [v for b in batches for v in b.columns[p.name]]
                 for p in layer.properties},
        wkb=[w for b in batches for w in b.wkb],
    )


def _column(prop: Property, values: list[Any], ext: str) -> tuple[np.ndarray, np.ndarray]:
    """A typed numpy column and its null mask, from the declared JSON type."""
    mask = np.array([v is None for v in values], dtype=bool)
    if prop.type == "integer":
        data = np.array([0 if v is None else int(v) for v in values], dtype=np.int64)
    elif prop.type == "number":
        data = np.array([np.nan if v is None else float(v) for v in values], dtype=np.float64)
    elif prop.type == "boolean":
        data = np.array([bool(v) for v in values], dtype=bool)
    elif prop.type == "date" and ext != "kml":
        data = np.array([np.datetime64("NaT") if v is None else np.datetime64(v, "D")
                         for v in values], dtype="datetime64[D]")
    else:
        data = np.array([None if v is None else _text(v) for v in values], dtype=object)
    return data, mask


def _text(value: Any) -> str:
    return value.isoformat() if isinstance(value, dt.date) else str(value)
