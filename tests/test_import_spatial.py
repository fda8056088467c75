"""Geometry repair and spatial integrity: re-imported boundaries re-tag facilities and projects."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.db import connection
from pyproj import Transformer

from layers.errors import BadOption, ImportRejected
from layers.importing import ImportOptions, import_file
from layers.models import Facility, Kelurahan, ProjectSite
from layers.spatial_join import find_kelurahan
from tests.places import off_the_coast

pytestmark = pytest.mark.django_db

DATA = Path(__file__).parent / "data" / "import"
NAMOSAIN, MANUTAPEN = "53.71.01.1001", "53.71.01.1006"


def _scalar(sql: str, params: list | None = None) -> object:
    with connection.cursor() as cursor:
        cursor.execute(sql, params or [])
        return cursor.fetchone()[0]


def test_a_self_intersecting_kelurahan_is_repaired_and_its_area_recomputed() -> None:
    before = Kelurahan.objects.get(kode=NAMOSAIN)
    report = import_file("kelurahan", DATA / "kelurahan_self_intersecting.geojson")
    assert (report.read, report.updated, report.created, report.rejected) == (1, 1, 0, [])
    assert report.notes[0].startswith("baris 1: geometri diperbaiki (Self-intersection[123.5596")
    after = Kelurahan.objects.get(kode=NAMOSAIN)
    assert after.geometry.valid and after.geometry.geom_type == "MultiPolygon"
    assert after.geometry.area == pytest.approx(before.geometry.area, rel=1e-4)
    assert after.kecamatan_id == before.kecamatan_id
    geodesic = _scalar("SELECT round((ST_Area(geometry::geography) / 1e6)::numeric, 4)::float "
                       "FROM layers_kelurahan WHERE kode = %s", [NAMOSAIN])
    assert after.luas_km2 == geodesic == pytest.approx(before.luas_km2, abs=0.001)
    assert Facility.objects.filter(kelurahan=after).count() == 5


def test_a_bowtie_kelurahan_is_rejected_and_the_boundary_kept() -> None:
    before = Kelurahan.objects.get(kode=NAMOSAIN).geometry
    with pytest.raises(ImportRejected) as caught:
        import_file("kelurahan", DATA / "kelurahan_bowtie.geojson")
    [rejection] = caught.value.report.rejected
    assert (rejection.row, rejection.field, rejection.code) == (1, "geometry", "invalid_geometry")
    assert rejection.message == (
        "geometri tidak sah (Self-intersection[123.5545747 -10.175975]) dan tidak dapat "
        "diperbaiki tanpa mengubah jenis atau luas lebih dari 1%"
    )
    assert Kelurahan.objects.get(kode=NAMOSAIN).geometry.equals_exact(before, 0)


def _boundaries_swapped(tmp_path: Path) -> Path:
    """Namosain and Manutapen with each other's boundary, as a GeoJSON from PostGIS."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT kode, nama, ST_AsGeoJSON(geometry, 15) FROM layers_kelurahan "
                       "WHERE kode IN (%s, %s) ORDER BY kode", [NAMOSAIN, MANUTAPEN])
        (kode_a, nama_a, geom_a), (kode_b, nama_b, geom_b) = cursor.fetchall()
    features = [
        {"type": "Feature", "properties": {"kode": kode_a, "nama": nama_a},
         "geometry": json.loads(geom_b)},
        {"type": "Feature", "properties": {"kode": kode_b, "nama": nama_b},
         "geometry": json.loads(geom_a)},
    ]
    path = tmp_path / "swapped.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}))
    return path


def test_reimported_boundaries_retag_all_facilities_and_projects_in_the_same_import(
    tmp_path: Path,
) -> None:
    def count(model: type, kode: str) -> int:
        return model.objects.filter(kelurahan__kode=kode).count()

    facilities = (count(Facility, NAMOSAIN), count(Facility, MANUTAPEN))
    projects = (count(ProjectSite, NAMOSAIN), count(ProjectSite, MANUTAPEN))
    assert facilities == (5, 4)
    report = import_file("kelurahan", _boundaries_swapped(tmp_path))
    assert (report.read, report.updated) == (2, 2)
    assert (count(Facility, NAMOSAIN), count(Facility, MANUTAPEN)) == facilities[::-1]
    assert (count(ProjectSite, NAMOSAIN), count(ProjectSite, MANUTAPEN)) == projects[::-1]
    assert report.notes == [
        "layers_facility: 9 ditandai ulang, 0 di luar semua kelurahan",
        f"layers_projectsite: {sum(projects)} ditandai ulang, 0 di luar semua kelurahan",
    ]
    # The set-based UPDATE agrees with the per-row rule used on save().
    for facility in Facility.objects.all():
        assert find_kelurahan(facility.geometry) == (facility.kelurahan_id,
                                                     facility.kecamatan_id)


def test_a_dry_run_of_boundaries_leaves_the_tags_alone(tmp_path: Path) -> None:
    import_file("kelurahan", _boundaries_swapped(tmp_path), ImportOptions(dry_run=True))
    assert Facility.objects.filter(kelurahan__kode=NAMOSAIN).count() == 5


def test_a_point_just_off_every_kelurahan_goes_to_the_nearest_within_50_m(tmp_path: Path) -> None:
    near, far = off_the_coast(20), off_the_coast(80)
    path = tmp_path / "coast.csv"
    path.write_text(f"id,nama,kategori,lon,lat\nc-1,Dermaga,lainnya,{near[0]!r},{near[1]!r}\n")
    import_file("facilities", path)
    dermaga = Facility.objects.get(external_id="c-1")
    assert dermaga.kelurahan is not None
    assert dermaga.kelurahan_id == find_kelurahan(dermaga.geometry)[0]
    path.write_text(f"id,nama,kategori,lon,lat\nc-2,Pelampung,lainnya,{far[0]!r},{far[1]!r}\n")
    with pytest.raises(ImportRejected) as caught:
        import_file("facilities", path)
    assert [r.code for r in caught.value.report.rejected] == ["outside_city"]


def test_a_wkt_line_in_web_mercator_becomes_a_project_line(tmp_path: Path) -> None:
    to_3857 = Transformer.from_crs(4326, 3857, always_xy=True)
    ends = [(123.6080000, -10.1640000), (123.6095000, -10.1635000)]
    xy = [to_3857.transform(*end) for end in ends]
    wkt = f"LINESTRING ({xy[0][0]!r} {xy[0][1]!r}, {xy[1][0]!r} {xy[1][1]!r})"
    path = tmp_path / "drain.csv"
    path.write_text("kode_proyek,nama_paket,opd,tahun,sumber_dana,pagu,status,wkt\n"
                    f'L-1,Saluran Fatululi,PUPR,2025,APBD,"1.000.000",selesai,"{wkt}"\n')
    report = import_file("projects", path, ImportOptions(srid=3857))
    assert report.created == 1
    line = ProjectSite.objects.get(external_id="L-1")
    assert line.geometry.geom_type == "LineString"
    for (lon, lat), (x, y) in zip(ends, line.geometry.coords, strict=True):
        assert (x, y) == pytest.approx((lon, lat), abs=1e-7)
    assert (line.budget, line.status, line.kelurahan.nama) == (1_000_000, "completed", "Fatululi")


def test_multi_part_geometries_are_promoted_or_rejected(tmp_path: Path) -> None:
    path = tmp_path / "multi.csv"
    path.write_text(
        "id,nama,kategori,wkt\n"
        'mp-1,Satu titik,lainnya,"MULTIPOINT Z ((123.6088393 -10.1639144 12))"\n'
        'mp-2,Dua titik,lainnya,"MULTIPOINT ((123.6088393 -10.1639144), (123.6 -10.16))"\n'
        "mp-3,Kosong,lainnya,POINT EMPTY\n"
    )
    with pytest.raises(ImportRejected) as caught:
        import_file("facilities", path)
    assert [(r.row, r.code, r.message) for r in caught.value.report.rejected] == [
        (3, "wrong_geometry_type",
         "jenis geometri MultiPoint tidak diterima; layer ini menyimpan Point"),
        (4, "empty_geometry", "geometri kosong (empty)"),
    ]
    path.write_text("id,nama,kategori,wkt\n"
                    'mp-1,Satu titik,lainnya,"MULTIPOINT Z ((123.6088393 -10.1639144 12))"\n')
    import_file("facilities", path)
    point = Facility.objects.get(external_id="mp-1").geometry
    assert (point.geom_type, point.hasz, point.x, point.y) == (
        "Point", False, 123.6088393, -10.1639144)


@pytest.mark.parametrize(("layer", "name", "rows"), [
    ("kecamatan", "kecamatan.geojson", 6), ("kelurahan", "kelurahan.geojson", 51),
])
def test_reimporting_the_bundled_boundaries_changes_nothing(
    layer: str, name: str, rows: int,
) -> None:
    path = Path(__file__).resolve().parent.parent / "fixtures" / name
    report = import_file(layer, path)
    assert (report.read, report.created, report.updated, report.unchanged) == (rows, 0, 0, rows)
    assert report.notes == [
        "layers_facility: 0 ditandai ulang, 0 di luar semua kelurahan",
        "layers_projectsite: 0 ditandai ulang, 0 di luar semua kelurahan",
    ]


def test_key_must_be_a_unique_field() -> None:
    with pytest.raises(BadOption) as caught:
        import_file("facilities", DATA / "facilities_reimport_v1.geojson",
                    ImportOptions(key="name"))
    assert str(caught.value) == "--key name: bukan kolom unik layer facilities (external_id)"


def test_a_null_geometry_is_reported_with_the_rows_other_problems(tmp_path: Path) -> None:
    path = tmp_path / "null.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"id": "n-1", "nama": "Tanpa lokasi", "kategori": "toko"},
         "geometry": None},
    ]}))
    with pytest.raises(ImportRejected) as caught:
        import_file("facilities", path)
    assert [(r.row, r.field, r.code) for r in caught.value.report.rejected] == [
        (1, "category (kategori)", "unmatched_value"), (1, "geometry", "missing_geometry"),
    ]
    assert caught.value.report.rejected_rows == 1


def test_a_project_ending_before_it_starts_is_rejected_naming_both_dates(
        tmp_path: Path) -> None:
    path = tmp_path / "backwards.csv"
    path.write_text("kode_proyek,nama_paket,opd,tahun,sumber_dana,pagu,status,tgl_mulai,"
                    "tgl_selesai,lon,lat\n"
                    "B-1,Saluran Terbalik,PUPR,2025,APBD,1000000,selesai,2025-02-01,2025-01-01,"
                    "123.6088393,-10.1639144\n")
    with pytest.raises(ImportRejected) as caught:
        import_file("projects", path)
    (rejection,) = caught.value.report.rejected
    assert (rejection.row, rejection.field, rejection.code) == (
        2, "planned_end, planned_start", "invalid_value")
    assert rejection.message == (
        "Tanggal selesai rencana tidak boleh sebelum tanggal mulai rencana.")
    assert not ProjectSite.objects.filter(external_id="B-1").exists()
