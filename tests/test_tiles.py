"""OGC API - Tiles: vector tiles over real HTTP (gunicorn, PostGIS), decoded
with mapbox-vector-tile and checked against the database.

The reference tile is z14 row 8657 col 13816: central Kupang around RSUD
W. Z. Johannes, the z14 tile with the most facilities (12).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor

import mapbox_vector_tile
import morecantile
import pytest
import requests
from django.contrib.gis.geos import Polygon
from django.db import connection

from layers.models import Facility, Kecamatan, Kelurahan, ProjectSite
from layers.registry import published_layers
from ogc.versions import layer_tables, layer_version

TMS = morecantile.tms.get("WebMercatorQuad")
CENTRAL = morecantile.Tile(x=13816, y=8657, z=14)
#: Kupang Bay, north of the city: no data at all.
SEA = TMS.tile(123.58, -10.08, 14)
MVT = "application/vnd.mapbox-vector-tile"
EXTENT = 4096


def _tile_url(server_url: str, collection: str, tile: morecantile.Tile) -> str:
    return (f"{server_url}/ogc/collections/{collection}/tiles/WebMercatorQuad/"
            f"{tile.z}/{tile.y}/{tile.x}")


def _features(response: requests.Response, layer: str) -> list[dict]:
    assert response.status_code == 200, response.text
    assert response.headers["Content-Type"] == MVT
    decoded = mapbox_vector_tile.decode(response.content)
    assert list(decoded) == [layer]  # one MVT layer, named by the collection id
    assert decoded[layer]["extent"] == EXTENT
    return decoded[layer]["features"]


def _tile_polygon(tile: morecantile.Tile) -> Polygon:
    """The tile's bounds in EPSG:4326, from morecantile (independent of PostGIS)."""
    bounds = TMS.bounds(tile)
    return Polygon.from_bbox((bounds.left, bounds.bottom, bounds.right, bounds.top))


def _on_other_connection(work: Callable[[], object]) -> object:
    """Run ORM code on a fresh connection in autocommit, so it really commits.

    The test itself runs inside pytest-django's rolled-back transaction,
    which the server process would never see.
    """

    def run() -> object:
        try:
            return work()
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(run).result()


# -- tile matrix sets and tileset metadata ---------------------------------------------


def test_tile_matrix_sets_list_web_mercator_quad_with_its_ogc_uri(
    http: requests.Session, server_url: str
) -> None:
    body = http.get(f"{server_url}/ogc/tileMatrixSets").json()
    (tms,) = body["tileMatrixSets"]
    assert tms["id"] == "WebMercatorQuad"
    assert tms["uri"] == "http://www.opengis.net/def/tilematrixset/OGC/1.0/WebMercatorQuad"
    assert tms["crs"] == "http://www.opengis.net/def/crs/EPSG/0/3857"
    assert tms["links"][0]["href"] == f"{server_url}/ogc/tileMatrixSets/WebMercatorQuad"


def test_web_mercator_quad_document_describes_25_tile_matrices(
    http: requests.Session, server_url: str
) -> None:
    body = http.get(f"{server_url}/ogc/tileMatrixSets/WebMercatorQuad").json()
    matrices = {m["id"]: m for m in body["tileMatrices"]}
    assert len(matrices) == 25
    assert (matrices["14"]["matrixWidth"], matrices["14"]["matrixHeight"]) == (16384, 16384)
    assert body["crs"] == "http://www.opengis.net/def/crs/EPSG/0/3857"


def test_landing_page_link_to_tiling_schemes_as_html_works(
    http: requests.Session, server_url: str
) -> None:
    response = http.get(f"{server_url}/ogc/TileMatrixSets?f=html")
    assert response.status_code == 200
    assert "WebMercatorQuad" in response.text


@pytest.mark.parametrize("layer", ["kecamatan", "kelurahan", "facilities", "projects"])
def test_each_collection_links_its_vector_tileset_and_item_template(
    http: requests.Session, server_url: str, layer: str
) -> None:
    collection = http.get(f"{server_url}/ogc/collections/{layer}?f=json").json()
    (link,) = [lnk for lnk in collection["links"]
               if lnk["rel"] == "http://www.opengis.net/def/rel/ogc/1.0/tilesets-vector"]
    tilesets = http.get(link["href"]).json()["tilesets"]
    assert [t["tileMatrixSetURI"] for t in tilesets] == [
        "http://www.opengis.net/def/tilematrixset/OGC/1.0/WebMercatorQuad"]
    metadata = http.get(tilesets[0]["links"][0]["href"]).json()
    assert metadata["dataType"] == "vector"
    (item,) = [lnk for lnk in metadata["links"] if lnk["rel"] == "item"]
    assert item["type"] == MVT and item["templated"] is True
    assert item["href"].endswith(f"/{layer}/tiles/WebMercatorQuad/"
                                 "{tileMatrix}/{tileRow}/{tileCol}")
    assert [v["id"] for v in metadata["layers"]] == [layer]
    assert (metadata["minTileMatrix"], metadata["maxTileMatrix"]) == ("0", "22")


def test_tileset_metadata_gives_bounds_and_property_schema(
    http: requests.Session, server_url: str
) -> None:
    metadata = http.get(f"{server_url}/ogc/collections/facilities/tiles/WebMercatorQuad").json()
    lower_left, upper_right = metadata["boundingBox"]["lowerLeft"], metadata["boundingBox"][
        "upperRight"]
    assert 123.5 < lower_left[0] < upper_right[0] < 123.75
    assert -10.3 < lower_left[1] < upper_right[1] < -10.1
    schema = metadata["layers"][0]["propertiesSchema"]["properties"]
    assert set(schema) == {"id", "nama", "kategori"}
    assert metadata["layers"][0]["geometryDimension"] == 0


def test_openapi_declares_every_tile_path_and_its_parameters(
    http: requests.Session, server_url: str
) -> None:
    oas = http.get(f"{server_url}/ogc/openapi?f=json").json()
    template = "/collections/facilities/tiles/{tileMatrixSetId}/{tileMatrix}/{tileRow}/{tileCol}"
    for layer in ("kecamatan", "kelurahan", "facilities", "projects"):
        assert f"/collections/{layer}/tiles" in oas["paths"]
        assert f"/collections/{layer}/tiles/{{tileMatrixSetId}}" in oas["paths"]
    assert {"/tileMatrixSets", "/tileMatrixSets/{tileMatrixSetId}"} <= set(oas["paths"])
    operation = oas["paths"][template]["get"]
    names = {oas["components"]["parameters"][ref["$ref"].rsplit("/", 1)[1]]["name"]
             for ref in operation["parameters"]}
    assert names == {"tileMatrixSetId", "tileMatrix", "tileRow", "tileCol", "f", "lang"}
    assert set(operation["responses"]["200"]["content"]) == {MVT}
    assert "204" in operation["responses"]


def test_tilejson_points_at_the_same_tiles(http: requests.Session, server_url: str) -> None:
    body = http.get(
        f"{server_url}/ogc/collections/kelurahan/tiles/WebMercatorQuad?f=tilejson&lang=en"
    ).json()
    assert body["tilejson"] == "3.0.0"
    assert body["tiles"] == [
        f"{server_url}/ogc/collections/kelurahan/tiles/WebMercatorQuad/{{z}}/{{y}}/{{x}}"]
    assert body["vector_layers"][0]["id"] == "kelurahan"
    assert body["vector_layers"][0]["fields"] == {"kode": "Kemendagri code", "nama": "Name"}
    assert body["name"] == "Urban villages of Kota Kupang"


# -- tile content -----------------------------------------------------------------------


def test_central_kupang_tile_holds_the_kelurahan_it_covers_with_code_and_name(
    http: requests.Session, server_url: str
) -> None:
    features = _features(http.get(_tile_url(server_url, "kelurahan", CENTRAL)), "kelurahan")
    in_tile = {k.pk: (k.kode, k.nama) for k in
               Kelurahan.objects.filter(geometry__intersects=_tile_polygon(CENTRAL))}
    decoded = {f["id"]: (f["properties"]["kode"], f["properties"]["nama"]) for f in features}
    # Polygons also reach the tile's 64-unit buffer, so the tile may hold a
    # neighbour touching only the buffer, never fewer than the tile proper.
    assert in_tile.items() <= decoded.items()
    assert len(decoded) - len(in_tile) <= 2
    assert decoded[Kelurahan.objects.get(kode="53.71.05.1006").pk] == (
        "53.71.05.1006", "Kuanino")
    assert {f["properties"]["nama"] for f in features} >= {"Oebobo", "Fontein", "Naikoten Satu"}
    assert all(set(f["properties"]) == {"kode", "nama"} for f in features)


def test_central_kupang_tile_holds_exactly_the_facilities_inside_it(
    http: requests.Session, server_url: str
) -> None:
    features = _features(http.get(_tile_url(server_url, "facilities", CENTRAL)), "facilities")
    expected = Facility.objects.filter(geometry__intersects=_tile_polygon(CENTRAL))
    assert len(features) == expected.count() == 12
    assert {f["id"] for f in features} == set(expected.values_list("pk", flat=True))
    by_name = {f["properties"]["nama"]: f for f in features}
    assert by_name["RSUD W. Z. Johannes"]["properties"]["kategori"] == "rumah_sakit"
    assert all(set(f["properties"]) == {"nama", "kategori"} for f in features)


def test_facility_point_lands_where_the_database_has_it(
    http: requests.Session, server_url: str
) -> None:
    features = _features(http.get(_tile_url(server_url, "facilities", CENTRAL)), "facilities")
    hospital = Facility.objects.get(name="RSUD W. Z. Johannes")
    (feature,) = [f for f in features if f["id"] == hospital.pk]
    col, row = feature["geometry"]["coordinates"]  # y up from the tile's bottom edge
    box = TMS.xy_bounds(CENTRAL)
    x = box.left + (col / EXTENT) * (box.right - box.left)
    y = box.bottom + (row / EXTENT) * (box.top - box.bottom)
    lon, lat = TMS.lnglat(x, y)
    # One grid cell at z14 is 2.4 m / 4096 * 256 = ~0.6 m, about 6e-6 degrees.
    assert lon == pytest.approx(hospital.geometry.x, abs=1e-5)
    assert lat == pytest.approx(hospital.geometry.y, abs=1e-5)


def test_project_tiles_carry_name_status_and_the_sample_flag(
    http: requests.Session, server_url: str
) -> None:
    tile = TMS.tile(123.6, -10.17, 12)
    features = _features(http.get(_tile_url(server_url, "projects", tile)), "projects")
    inside = ProjectSite.objects.filter(geometry__intersects=_tile_polygon(tile))
    ids = {f["id"] for f in features}
    assert set(inside.values_list("pk", flat=True)) <= ids
    # Only lines and polygons reach into the tile buffer; points never do.
    extra = ProjectSite.objects.filter(pk__in=ids - set(inside.values_list("pk", flat=True)))
    assert all(site.geometry.geom_type != "Point" for site in extra)
    assert len(features) >= 25
    assert all(f["properties"]["data_contoh"] is True for f in features)
    assert all(set(f["properties"]) == {"nama", "status", "data_contoh"} for f in features)


def _vertices(coordinates: list) -> int:
    if isinstance(coordinates[0], (int, float)):
        return 1
    return sum(_vertices(part) for part in coordinates)


def test_boundaries_are_simplified_to_the_tile_grid_at_low_zoom(
    http: requests.Session, server_url: str
) -> None:
    counts = {}
    for zoom in (6, 10):
        tile = TMS.tile(123.6, -10.2, zoom)
        features = _features(http.get(_tile_url(server_url, "kecamatan", tile)), "kecamatan")
        assert len(features) == Kecamatan.objects.count() == 6
        counts[zoom] = sum(_vertices(f["geometry"]["coordinates"]) for f in features)
    with connection.cursor() as cursor:
        cursor.execute("SELECT sum(ST_NPoints(geometry)) FROM layers_kecamatan")
        stored = cursor.fetchone()[0]
    assert counts[6] < counts[10] <= stored
    assert counts[6] < 0.6 * stored


@pytest.mark.parametrize("layer", ["kecamatan", "kelurahan", "facilities", "projects"])
def test_a_tile_in_the_sea_is_204_without_body(
    http: requests.Session, server_url: str, layer: str
) -> None:
    model = next(lay.model for lay in published_layers() if lay.id == layer)
    assert not model.objects.filter(geometry__intersects=_tile_polygon(SEA)).exists()
    response = http.get(_tile_url(server_url, layer, SEA))
    assert response.status_code == 204
    assert response.content == b""
    assert response.headers["ETag"].startswith('"')


# -- bad requests -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "status", "words"),
    [
        ("facilities/tiles/WebMercatorQuad/23/0/0", 404, "tileMatrix 23"),
        ("facilities/tiles/WebMercatorQuad/2/4/0", 404, "tileRow 4"),
        ("facilities/tiles/WebMercatorQuad/2/0/4", 404, "tileCol 4"),
        ("facilities/tiles/WebMercatorQuad/14/abc/1", 404, "tileRow 'abc'"),
        ("facilities/tiles/WebMercatorQuad/-1/0/0", 404, "tileMatrix '-1'"),
        ("facilities/tiles/WebMercatorQuad/014/8657/13816", 404, "tileMatrix '014'"),
        ("facilities/tiles/WorldCRS84Quad/1/0/0", 404, "tileMatrixSet 'WorldCRS84Quad'"),
        ("facilities/tiles/WorldCRS84Quad", 404, "tileMatrixSet 'WorldCRS84Quad'"),
        ("sekolah/tiles/WebMercatorQuad/14/8657/13816", 404, "collection 'sekolah'"),
        ("sekolah/tiles", 404, "collection 'sekolah'"),
        ("facilities/tiles/WebMercatorQuad/14/8657/13816?f=png", 400, "f='png'"),
        ("facilities/tiles/WebMercatorQuad/14/8657/13816?zoom=3", 400, "zoom"),
        ("facilities/tiles/WebMercatorQuad?f=xml", 400, "f='xml'"),
    ],
)
def test_bad_tile_requests_get_a_message_naming_the_parameter(
    http: requests.Session, server_url: str, path: str, status: int, words: str
) -> None:
    response = http.get(f"{server_url}/ogc/collections/{path}")
    assert response.status_code == status
    assert words in response.json()["description"]


def test_unknown_tile_matrix_set_document_is_404(
    http: requests.Session, server_url: str
) -> None:
    response = http.get(f"{server_url}/ogc/tileMatrixSets/GoogleCRS84Quad")
    assert response.status_code == 404
    assert "GoogleCRS84Quad" in response.json()["description"]


def test_f_mvt_is_accepted(http: requests.Session, server_url: str) -> None:
    plain = http.get(_tile_url(server_url, "facilities", CENTRAL))
    explicit = http.get(_tile_url(server_url, "facilities", CENTRAL) + "?f=mvt")
    assert explicit.status_code == 200
    assert explicit.content == plain.content


# -- caching ----------------------------------------------------------------------------


def test_repeated_tile_has_the_same_strong_etag_and_revalidates_with_304(
    http: requests.Session, server_url: str
) -> None:
    url = _tile_url(server_url, "kelurahan", CENTRAL)
    first, second = http.get(url), http.get(url)
    tag = first.headers["ETag"]
    assert tag == second.headers["ETag"] and not tag.startswith("W/")
    assert first.content == second.content
    assert first.headers["Cache-Control"] == "public, max-age=60, stale-while-revalidate=300"
    revalidated = http.get(url, headers={"If-None-Match": tag})
    assert revalidated.status_code == 304
    assert revalidated.content == b""
    assert revalidated.headers["ETag"] == tag
    stale = http.get(url, headers={"If-None-Match": '"something-else"'})
    assert stale.status_code == 200
    neighbour = http.get(_tile_url(server_url, "kelurahan", morecantile.Tile(13817, 8657, 14)))
    assert neighbour.headers["ETag"] != tag


@pytest.fixture
def renamed_hospital() -> Iterator[Facility]:
    """RSUD W. Z. Johannes renamed and committed, restored afterwards."""
    original = Facility.objects.get(name="RSUD W. Z. Johannes")

    def rename(name: str) -> None:
        facility = Facility.objects.get(pk=original.pk)
        facility.name = name
        facility.save()

    _on_other_connection(lambda: rename("RSUD Prof. Dr. W. Z. Johannes"))
    try:
        yield original
    finally:
        _on_other_connection(lambda: rename(original.name))


def test_a_committed_write_changes_the_etag_and_the_tile(
    http: requests.Session, server_url: str, request: pytest.FixtureRequest
) -> None:
    url = _tile_url(server_url, "facilities", CENTRAL)
    before = http.get(url)
    names_before = {f["properties"]["nama"] for f in _features(before, "facilities")}
    assert "RSUD W. Z. Johannes" in names_before

    request.getfixturevalue("renamed_hospital")
    after = http.get(url, headers={"If-None-Match": before.headers["ETag"]})
    assert after.status_code == 200  # not 304: the data changed
    assert after.headers["ETag"] != before.headers["ETag"]
    names_after = {f["properties"]["nama"] for f in _features(after, "facilities")}
    assert names_after == names_before - {"RSUD W. Z. Johannes"} | {
        "RSUD Prof. Dr. W. Z. Johannes"}
    # Other layers' tiles keep their ETag: kecamatan does not read facilities.
    kecamatan = _tile_url(server_url, "kecamatan", CENTRAL)
    assert http.get(kecamatan).headers["ETag"] == http.get(kecamatan).headers["ETag"]


# -- data versions ----------------------------------------------------------------------


def test_every_table_a_layer_reads_has_the_version_trigger(db: None) -> None:
    tables = {table for layer in published_layers() for table in layer_tables(layer.id)}
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
            "WHERE t.tgname = 'ogc_version_bump'"
        )
        triggered = {row[0] for row in cursor.fetchall()}
    assert tables <= triggered
    assert layer_tables("facilities") == (
        "layers_agency", "layers_facility", "layers_kecamatan", "layers_kelurahan")


def test_a_write_to_a_joined_table_bumps_only_the_layers_that_read_it(db: None) -> None:
    before = {layer.id: layer_version(layer).version for layer in published_layers()}
    with connection.cursor() as cursor:  # raw SQL: the trigger catches every writer
        cursor.execute("UPDATE layers_agency SET nama = nama WHERE kode = 'DINKES'")
    after = {layer.id: layer_version(layer).version for layer in published_layers()}
    assert after["facilities"] > before["facilities"]
    assert after["projects"] > before["projects"]
    assert after["kelurahan"] == before["kelurahan"]
    assert after["kecamatan"] == before["kecamatan"]


# -- the server-side tile cache ---------------------------------------------------------


def test_tile_cache_evicts_least_recently_used_tiles_past_its_byte_budget() -> None:
    from ogc.tiles.lru import ByteBoundedCache

    cache = ByteBoundedCache("test-lru", {"OPTIONS": {"MAX_BYTES": 1000, "MAX_ITEM_BYTES": 600}})
    cache.clear()
    cache.set("a", b"x" * 400)
    cache.set("b", b"y" * 400)
    assert cache.get("a") == b"x" * 400  # "a" is now the most recently used
    cache.set("c", b"z" * 400)  # 1200 bytes > 1000: the least recently used ("b") goes
    assert (cache.get("a"), cache.get("b"), cache.get("c")) == (b"x" * 400, None, b"z" * 400)
    assert cache.size_bytes == 800
    cache.set("huge", b"h" * 601)  # larger than one item may be: not kept, nothing evicted
    assert cache.get("huge") is None and cache.size_bytes == 800
    cache.set("a", b"short")
    assert cache.size_bytes == 405
