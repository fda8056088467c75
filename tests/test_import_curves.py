"""Curved WKT in a CSV (CAD and ArcGIS exports of roads and parcels) is linearised by GDAL.

GEOS, and so shapely and the PostGIS columns, hold straight segments only;
the importer asks GDAL for the linear geometry (as GDAL does itself for a
GeoPackage's curves) and says so in the report. Curved WKT GDAL cannot read
is that row's rejection, naming row and column. The file is written here.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from layers.errors import ImportRejected
from layers.importing import ImportOptions, import_file
from layers.models import ProjectSite

pytestmark = pytest.mark.django_db

#: Around Fatululi's interior point (123.6088393, -10.1639144).
ARC = "CIRCULARSTRING(123.6080 -10.1640, 123.6088 -10.1632, 123.6096 -10.1640)"
DISC = ("CURVEPOLYGON(CIRCULARSTRING(123.6080 -10.1640, 123.6088 -10.1632, 123.6096 -10.1640, "
        "123.6088 -10.1648, 123.6080 -10.1640))")
ROAD = ("COMPOUNDCURVE((123.6070 -10.1640, 123.6080 -10.1640), "
        "CIRCULARSTRING(123.6080 -10.1640, 123.6088 -10.1632, 123.6096 -10.1640))")
PARCELS = f"MULTISURFACE({DISC})"


def _csv(path: Path, rows: list[tuple[str, str]]) -> Path:
    lines = ["id,nama,opd,tahun,sumber_dana,pagu,status,wkt"]
    lines += [f'{key},Proyek {key},PUPR,2025,APBD,100000000,persiapan,"{wkt}"' for key, wkt in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_curved_wkt_is_linearised_with_a_note_per_row(tmp_path: Path) -> None:
    path = _csv(tmp_path / "lengkung.csv", [("c-1", ARC), ("c-2", DISC), ("c-3", ROAD),
                                            ("c-4", PARCELS)])
    report = import_file("projects", path)
    assert (report.created, report.rejected) == (4, [])
    kinds = {p.external_id: p.geometry.geom_type
             for p in ProjectSite.objects.filter(external_id__startswith="c-")}
    assert kinds == {"c-1": "LineString", "c-2": "Polygon", "c-3": "LineString",
                     "c-4": "Polygon"}
    arc = ProjectSite.objects.get(external_id="c-1").geometry
    assert arc.num_points == 46
    assert arc.coords[0] == pytest.approx((123.6080, -10.1640), abs=1e-9)
    assert arc.coords[-1] == pytest.approx((123.6096, -10.1640), abs=1e-9)
    # The arc's top is on the circle through the three points (centre 123.6088, -10.1640).
    assert max(y for _x, y in arc.coords) == pytest.approx(-10.1632, abs=1e-6)
    assert ("baris 2: geometri lengkung CIRCULARSTRING dilinearkan GDAL menjadi LineString "
            "(46 titik)") in report.notes
    assert any(n.startswith("baris 5: geometri lengkung MULTISURFACE dilinearkan GDAL menjadi "
                            "MultiPolygon") for n in report.notes)


def test_a_curve_gdal_cannot_read_is_the_rows_rejection(tmp_path: Path) -> None:
    path = _csv(tmp_path / "lengkung.csv", [
        ("c-1", ARC), ("c-2", "CIRCULARSTRING(123.6080 -10.1640, 123.6088 -10.1632)")])
    with pytest.raises(ImportRejected) as caught:
        import_file("projects", path, ImportOptions(dry_run=True))
    [rejection] = caught.value.report.rejected
    assert (rejection.row, rejection.field, rejection.code) == (3, "geometry (wkt)",
                                                                "invalid_geometry")
    assert rejection.message.startswith("WKT lengkung tidak dapat dibaca GDAL: ")
    assert not ProjectSite.objects.filter(external_id__startswith="c-").exists()
