"""The raster of straight-line distance to the nearest health facility.

A 50 m grid over Kota Kupang whose cells hold the distance in metres from the
cell centre to the nearest hospital, puskesmas or clinic in the database;
cells outside the city outline (the union of the kecamatan) are nodata.
Planners overlay it on the kelurahan to see which are far from care.

Why these choices:

- **EPSG:32751 (WGS 84 / UTM zone 51S).** Kupang (123.5-123.7° E, 10.1-10.3° S)
  lies 0.6° east of the zone's central meridian (123° E), where the UTM scale
  factor is 0.99960-0.99965: square 50 m cells are 50 m on the ground and a
  Euclidean distance in the plane is the ground distance within 0.04 % (under
  half a metre over a kilometre). In EPSG:4326 cells would be degrees, neither
  square nor metric.
- **Distances from a KD-tree** (``scipy.spatial.cKDTree``) of the facility
  coordinates queried at every cell centre: exact Euclidean distances to the
  facility points themselves, not to the cell a facility was rasterised into.
- **The city mask** from ``rasterio.features.rasterize`` with ``all_touched``,
  so thin coastal cells that the outline only grazes still get a value.
- **Written as a Cloud-Optimized GeoTIFF** (GDAL's COG driver: 256 px tiles,
  DEFLATE with the floating-point predictor, overviews) to a temporary file
  that then replaces the old one atomically, so a reader never sees half a
  file and a failed build leaves the previous raster in place.

The build is a function (``rebuild_health_distance``) so that the management
command, the test set-up and facility imports all call the same code.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import rasterio
import rasterio.features
import rasterio.shutil
from django.conf import settings
from django.contrib.gis.db.models import Union
from django.contrib.gis.db.models.functions import Transform
from django.db.models import FloatField, Func
from rasterio.transform import Affine
from scipy.spatial import cKDTree

from layers.models import Facility, Kecamatan
from layers.models.facility import CATEGORY_GROUPS

logger = logging.getLogger(__name__)

#: File name of the raster inside ``settings.TAKSI_RASTER_DIR``.
HEALTH_DISTANCE_FILE = "jarak-faskes.tif"
#: UTM zone 51S: metric, square cells over Kupang (see the module docstring).
RASTER_SRID = 32751
CELL_M = 50.0
NODATA = -9999.0
HEALTH_CATEGORIES: tuple[str, ...] = tuple(
    sorted(code for code, group in CATEGORY_GROUPS.items() if group == "kesehatan")
)
#: Band name and unit, read back by the coverage provider.
BAND_NAME = "jarak_m"
BAND_UNIT = "m"


class RasterBuildError(Exception):
    """The raster cannot be built from what is in the database."""


@dataclass(frozen=True)
class BuildReport:
    path: Path
    width: int
    height: int
    facilities: int
    cells_with_data: int
    max_distance_m: float


def health_distance_path() -> Path:
    return Path(settings.TAKSI_RASTER_DIR) / HEALTH_DISTANCE_FILE


def _city_outline() -> dict:
    """The union of the kecamatan in EPSG:32751, dissolved in PostGIS."""
    outline = Kecamatan.objects.aggregate(
        outline=Union(Transform("geometry", RASTER_SRID))
    )["outline"]
    if outline is None:
        raise RasterBuildError("no kecamatan in the database; run load_kupang first")
    return json.loads(outline.geojson)


def _facility_coordinates() -> np.ndarray:
    """(n, 2) array of health-facility x/y in EPSG:32751, reprojected by PostGIS.

    The coordinates come as two floats (``ST_X``/``ST_Y``), not as points: a
    GEOS object per facility cost 1.4 s of a 100,000-facility import's rebuild.
    """
    utm = Transform("geometry", RASTER_SRID)
    rows = (
        Facility.objects.filter(category__in=HEALTH_CATEGORIES, state="published")
        .annotate(x=Func(utm, function="ST_X", output_field=FloatField()),
                  y=Func(utm, function="ST_Y", output_field=FloatField()))
        .order_by("id")
        .values_list("x", "y")
    )
    points = list(rows)
    if not points:
        raise RasterBuildError(
            f"no health facility ({', '.join(HEALTH_CATEGORIES)}) in the database"
        )
    return np.asarray(points, dtype=np.float64)


def _grid(outline: dict) -> tuple[Affine, int, int]:
    """Transform and size of a 50 m grid snapped to whole cells around the outline."""
    west, south, east, north = rasterio.features.bounds(outline)
    west = np.floor(west / CELL_M) * CELL_M
    south = np.floor(south / CELL_M) * CELL_M
    east = np.ceil(east / CELL_M) * CELL_M
    north = np.ceil(north / CELL_M) * CELL_M
    width = round((east - west) / CELL_M)
    height = round((north - south) / CELL_M)
    return Affine(CELL_M, 0.0, west, 0.0, -CELL_M, north), width, height


def compute_distances(outline: dict, facilities: np.ndarray) -> tuple[np.ndarray, Affine]:
    """Distance (m) from each cell centre inside the outline to the nearest facility."""
    transform, width, height = _grid(outline)
    inside = rasterio.features.rasterize(
        [(outline, 1)], out_shape=(height, width), transform=transform,
        fill=0, all_touched=True, dtype="uint8",
    ).astype(bool)
    rows, cols = np.nonzero(inside)
    xs = transform.c + (cols + 0.5) * CELL_M
    ys = transform.f - (rows + 0.5) * CELL_M
    distances, _ = cKDTree(facilities).query(np.column_stack([xs, ys]))
    grid = np.full((height, width), NODATA, dtype=np.float32)
    grid[rows, cols] = distances
    return grid, transform


def _write_cog(grid: np.ndarray, transform: Affine, path: Path, facilities: int) -> None:
    """Write a GeoTIFF, then copy it as COG next to ``path`` and swap it in."""
    path.parent.mkdir(parents=True, exist_ok=True)
    profile = {
        "driver": "GTiff", "width": grid.shape[1], "height": grid.shape[0], "count": 1,
        "dtype": "float32", "crs": f"EPSG:{RASTER_SRID}", "transform": transform,
        "nodata": NODATA,
    }
    with tempfile.TemporaryDirectory(dir=path.parent) as work:
        plain = Path(work) / "plain.tif"
        with rasterio.open(plain, "w", **profile) as dst:
            dst.write(grid, 1)
            dst.set_band_description(1, BAND_NAME)
            dst.units = (BAND_UNIT,)
            dst.update_tags(
                TITLE="Jarak ke fasilitas kesehatan / Distance to health facility",
                CATEGORIES=",".join(HEALTH_CATEGORIES),
                FACILITIES=str(facilities),
                BUILT=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            )
        cog = Path(work) / "cog.tif"
        rasterio.shutil.copy(
            plain, cog, driver="COG", compress="DEFLATE", predictor="FLOATING_POINT",
            blocksize=256, overview_resampling="average",
        )
        os.replace(cog, path)


def rebuild_health_distance(path: Path | None = None, *, dry_run: bool = False) -> BuildReport:
    """Rebuild the distance raster from the database (after any facility change).

    Called by ``manage.py build_rasters``, by the test set-up and after facility
    imports. Raises ``RasterBuildError`` (and leaves any existing file alone)
    when the database has no kecamatan or no health facility.
    """
    target = path or health_distance_path()
    outline = _city_outline()
    facilities = _facility_coordinates()
    grid, transform = compute_distances(outline, facilities)
    if not dry_run:
        _write_cog(grid, transform, target, len(facilities))
    data = grid[grid != NODATA]
    return BuildReport(
        path=target, width=grid.shape[1], height=grid.shape[0],
        facilities=len(facilities), cells_with_data=int(data.size),
        max_distance_m=float(data.max()) if data.size else 0.0,
    )


def _rebuild_logged() -> None:
    try:
        rebuild_health_distance()
    except RasterBuildError as exc:
        logger.warning("distance raster not rebuilt: %s", exc)


def rebuild_after_commit() -> None:
    """Rebuild once the current transaction commits (a publish, an edit, an import).

    At most once per transaction, however many rows changed in it. A failure
    then (no health facility left) must not undo what committed; it is logged
    and the previous raster stays served.
    """
    from django.db import connection, transaction

    if any(entry[1] is _rebuild_logged for entry in connection.run_on_commit):
        return
    transaction.on_commit(_rebuild_logged)
