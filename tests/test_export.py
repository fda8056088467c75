"""Downloads of every layer in every format, read back with GDAL and compared
with the database: feature count, every published attribute, and coordinates
to 1e-7 degrees.

The files come from the real gunicorn server (``http``); the cases that need
changed settings or data of their own (a low size cap, a new facility) use
Django's test client inside the rolled-back ``db`` transaction.
"""

from __future__ import annotations

import datetime as dt
import math
import zipfile
from decimal import Decimal
from pathlib import Path
from typing import Any

import numpy as np
import pyogrio
import pytest
import requests
import shapely
from django.test import Client, override_settings
from django.utils import timezone

from layers.exporting import FORMATS
from layers.models import Facility
from layers.registry import LayerDeclaration, get_layer, published_layers

LAYERS = [layer.id for layer in published_layers()]
EXTS = [fmt.ext for fmt in FORMATS]
MEDIA_TYPES = {fmt.ext: fmt.media_type for fmt in FORMATS}
TOLERANCE_DEG = 1e-7


# -- what the database holds ---------------------------------------------------


def _expected(layer: LayerDeclaration, **filters: Any) -> list[dict[str, Any]]:
    """Rows as the declaration publishes them, by id, straight from the ORM."""
    paths = [p.path for p in layer.properties]
    rows = layer.model.objects.filter(**filters).order_by("id").values_list(*paths, "geometry")
    return [
        {
            **{p.name: _plain(v) for p, v in zip(layer.properties, row, strict=False)},
            "geometry": shapely.from_wkb(bytes(row[-1].wkb)),
        }
        for row in rows
    ]


def _plain(value: Any) -> Any:
    """One comparable Python value: None for nulls, float for numbers, ISO text for dates."""
    if value is None:
        return None
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


# -- what the file holds -------------------------------------------------------


def _read(path: Path) -> list[tuple[dict[str, Any], shapely.Geometry]]:
    """Every feature of every layer in the file (a zip: every Shapefile in it)."""
    features = []
    for name, _ in pyogrio.list_layers(path):
        options = {"GEOM_POSSIBLE_NAMES": "wkt", "KEEP_GEOM_COLUMNS": "NO"} \
            if path.suffix == ".csv" else {}
        meta, _, geometry, fields = pyogrio.raw.read(path, layer=name, **options)
        for i, wkb in enumerate(geometry):
            props = {str(f): _plain(column[i]) for f, column in zip(meta["fields"], fields,
                                                                   strict=True)}
            features.append((props, shapely.from_wkb(wkb)))
    return features


def _attributes_as_written(layer: LayerDeclaration, ext: str, row: dict[str, Any]
                           ) -> dict[str, Any]:
    """The database row as each format can carry it (documented in the README)."""
    values = {}
    for prop in layer.properties:
        name, value = prop.name, row[prop.name]
        if ext == "shp":  # DBF: 10-character names, no null distinct from ""
            name, value = name[:10], (None if value == "" else value)
        elif ext == "csv":  # CSV: text only, no null
            value = "" if value is None else _as_text(value)
        elif ext == "kml":  # the title is the placemark's <name>; 64-bit integers as text
            name = "Name" if name == layer.title_field else name
            if prop.type == "integer" and value is not None:
                value = str(value)
            elif prop.type == "boolean":
                value = int(value)
        values[name] = value
    return values


def _as_text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _in_file_order(layer: LayerDeclaration, ext: str, rows: list[dict[str, Any]]
                   ) -> list[dict[str, Any]]:
    """By id; a zipped Shapefile of mixed geometries holds points, then lines, then polygons."""
    if ext != "shp" or layer.geometry_type != "Geometry":
        return rows
    family = {"Point": 0, "LineString": 1, "MultiLineString": 1, "Polygon": 2, "MultiPolygon": 2}
    return sorted(rows, key=lambda row: family[row["geometry"].geom_type])


def _same_geometry(expected: shapely.Geometry, got: shapely.Geometry) -> bool:
    if expected.geom_type.startswith("Multi") and not got.geom_type.startswith("Multi"):
        got = shapely.multipolygons([got]) if got.geom_type == "Polygon" else got
    return shapely.normalize(expected).equals_exact(shapely.normalize(got), TOLERANCE_DEG)


def _download(http: requests.Session, url: str, tmp_path: Path, ext: str) -> Path:
    response = http.get(url, timeout=60)
    assert response.status_code == 200, response.text
    assert response.headers["Content-Type"] == MEDIA_TYPES[ext]
    name = response.headers["Content-Disposition"].split("filename=")[1].strip('"')
    path = tmp_path / name
    path.write_bytes(response.content)
    return path


# -- every layer, every format -------------------------------------------------


@pytest.mark.parametrize("ext", EXTS)
@pytest.mark.parametrize("layer_id", LAYERS)
def test_every_layer_downloads_in_every_format_and_reads_back_as_the_database_holds_it(
    http: requests.Session, server_url: str, tmp_path: Path, layer_id: str, ext: str
) -> None:
    layer = get_layer(layer_id)
    path = _download(http, f"{server_url}/download/{layer_id}.{ext}", tmp_path, ext)
    today = timezone.localdate().isoformat()
    assert path.name == f"{layer_id}-{today}.{'shp.zip' if ext == 'shp' else ext}"
    expected = _in_file_order(layer, ext, _expected(layer))
    got = _read(path)
    assert len(got) == len(expected)
    for (props, geometry), row in zip(got, expected, strict=True):
        wanted = _attributes_as_written(layer, ext, row)
        assert {k: props.get(k) for k in wanted} == wanted, row["nama"]
        assert _same_geometry(row["geometry"], geometry), row["nama"]
        if ext == "csv":  # the point itself, or the (planar, lon/lat) centroid
            centroid = row["geometry"].centroid
            assert float(props["lon"]) == pytest.approx(centroid.x, abs=1e-9)
            assert float(props["lat"]) == pytest.approx(centroid.y, abs=1e-9)


# -- filters, errors and the size cap ------------------------------------------

BBOX = "123.57,-10.18,123.60,-10.15"


def _count(http: requests.Session, url: str, tmp_path: Path) -> int:
    ext = url.split("?")[0].rsplit(".", 1)[1]
    return len(_read(_download(http, url, tmp_path, ext)))


def test_bbox_and_property_filters_reduce_the_download_exactly_as_in_the_database(
    http: requests.Session, server_url: str, tmp_path: Path
) -> None:
    from django.contrib.gis.geos import Polygon

    box = Polygon.from_bbox((123.57, -10.18, 123.60, -10.15))
    in_box = Facility.objects.filter(geometry__intersects=box)
    base = f"{server_url}/download/facilities"
    assert _count(http, f"{base}.geojson?bbox={BBOX}", tmp_path) == in_box.count() == 15
    assert _count(http, f"{base}.csv?kategori=rumah_sakit", tmp_path) == 12
    assert _count(http, f"{base}.gpkg?kategori=gereja&bbox={BBOX}", tmp_path) == (
        in_box.filter(category="gereja").count())
    kelurahan = get_layer("kelurahan").model.objects.filter(kecamatan__nama="Alak").count()
    assert _count(http, f"{server_url}/download/kelurahan.shp?kecamatan=Alak",
                  tmp_path) == kelurahan == 12


def test_a_download_holds_the_features_that_items_report_for_the_same_filters(
    http: requests.Session, server_url: str, tmp_path: Path
) -> None:
    query = "datetime=2025-01-01/2025-12-31&sumber_dana=APBD"
    items = http.get(f"{server_url}/ogc/collections/projects/items?{query}&f=json"
                     "&resulttype=hits", timeout=30).json()
    assert items["numberMatched"] > 0
    assert _count(http, f"{server_url}/download/projects.kml?{query}",
                  tmp_path) == items["numberMatched"]


def test_a_filter_that_matches_nothing_still_gives_a_valid_empty_file(
    http: requests.Session, server_url: str, tmp_path: Path
) -> None:
    sea = "bbox=123.0,-10.9,123.1,-10.8"
    for ext in EXTS:
        assert _count(http, f"{server_url}/download/projects.{ext}?{sea}", tmp_path) == 0


@pytest.mark.parametrize(("url", "status", "named"), [
    ("/download/facilities.geojson?limit=5", 400, "limit"),
    ("/download/facilities.geojson?kategori=pasar_malam", 400, "kategori"),
    ("/download/facilities.geojson?bbox=123.5,-10.2", 400, "bbox"),
    ("/download/facilities.geojson?datetime=2025-01-01", 400, "datetime"),
    ("/download/projects.csv?tahun_anggaran=dua", 400, "tahun_anggaran"),
    ("/download/projects.csv?datetime=../..", 400, "datetime"),
    ("/download/jalan.geojson", 404, "jalan"),
    ("/download/facilities.xlsx", 404, "geojson, csv, gpkg, shp, kml"),
])
def test_a_bad_download_request_is_refused_with_a_message_naming_the_problem(
    http: requests.Session, server_url: str, url: str, status: int, named: str
) -> None:
    response = http.get(f"{server_url}{url}", timeout=30)
    assert response.status_code == status
    assert named in response.json()["description"]


@pytest.mark.django_db
@override_settings(TAKSI_EXPORT_MAX_FEATURES=66)
def test_a_download_over_the_size_cap_is_a_413_in_indonesian_and_english() -> None:
    client = Client()
    response = client.get("/download/facilities.csv")
    assert response.status_code == 413
    message = response.json()["description"]
    assert "67 fitur, melebihi batas 66" in message
    assert "67 features, over the limit of 66" in message
    assert client.get("/download/facilities.csv?kategori=rumah_sakit").status_code == 200


# -- Shapefile details and the collection pages --------------------------------


@pytest.mark.django_db
def test_the_shapefile_zip_carries_prj_and_utf8_cpg_and_keeps_non_ascii_names(
    tmp_path: Path,
) -> None:
    name = "Pasar Oebobo – Kios Ñ"
    created = Facility.objects.create(name=name, category="pasar", address="Jl. Frans Seda, Oebobo",
                            geometry="SRID=4326;POINT(123.6110 -10.1660)", state="published")
    response = Client().get("/download/facilities.shp", {"nama": name})
    assert response.status_code == 200
    path = tmp_path / "pasar.shp.zip"
    path.write_bytes(b"".join(response.streaming_content))
    with zipfile.ZipFile(path) as archive:
        assert sorted(archive.namelist()) == [f"facilities.{e}" for e in
                                              ("cpg", "dbf", "prj", "shp", "shx")]
        assert archive.read("facilities.cpg").decode().strip() == "UTF-8"
        assert 'GEOGCS["GCS_WGS_1984"' in archive.read("facilities.prj").decode()
    (props, geometry), = _read(path)
    assert (props["nama"], props["kategori"], props["kelurahan"]) == (
        name, "pasar", created.kelurahan.nama)
    assert (geometry.x, geometry.y) == (123.611, -10.166)
    assert any(ord(c) > 127 for row in _expected(get_layer("facilities"))
               for c in row["sumber"])  # the real data's "©" also survives (round trip above)


def test_each_collection_links_its_downloads_as_enclosures(
    http: requests.Session, server_url: str
) -> None:
    collection = http.get(f"{server_url}/ogc/collections/kelurahan?f=json", timeout=30).json()
    enclosures = [link for link in collection["links"] if link["rel"] == "enclosure"]
    assert [(link["type"], link["href"]) for link in enclosures] == [
        (fmt.media_type, f"{server_url}/download/kelurahan.{fmt.ext}") for fmt in FORMATS
    ]
    html = http.get(f"{server_url}/ogc/collections/kelurahan?f=html", timeout=30).text
    assert f"{server_url}/download/kelurahan.shp" in html
    assert "Unduh seluruh lapisan sebagai GeoPackage" in html
    assert http.head(enclosures[0]["href"], timeout=30).status_code == 200


@override_settings(TAKSI_EXPORT_MAX_FEATURES=0)
def test_a_size_cap_below_one_is_reported_by_the_system_checks() -> None:
    from spatial.checks import check_environment

    assert "spatial.E003" in [error.id for error in check_environment()]


@pytest.mark.django_db
@pytest.mark.parametrize("ext", EXTS)
def test_files_written_in_many_small_batches_hold_every_feature_once_in_order(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, ext: str
) -> None:
    """The Kupang layers fit in one batch; 7 rows a batch exercises the appends."""
    from layers.exporting import export_layer, get_format, rows

    monkeypatch.setattr(rows, "BATCH_SIZE", 7)
    layer = get_layer("facilities")
    path = export_layer(layer, layer.model.objects.all(), get_format(ext), tmp_path)
    names = [props["Name" if ext == "kml" else "nama"] for props, _ in _read(path)]
    assert names == [row["nama"] for row in _expected(layer)]
    assert len(names) == 67
