"""Export then re-import gives back the same features (issue 3, "Export").

Each layer is downloaded from the real server in every format and the file
goes through ``import_file`` exactly as an agency's file would, twice over:

- into the live data, as a data steward re-imports last month's download:
  every row is matched by its key (``id_sumber`` = ``external_id``, or the
  boundaries' ``kode``) and reported unchanged; nothing is created, updated
  or written to the history;
- after the layer's rows were deleted (inside the rolled-back test
  transaction): the re-created rows match the originals.

Either way: the same count, every published attribute the format can carry,
and coordinates to 1e-7 degrees.
"""

from __future__ import annotations

from collections import Counter
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import shapely

from layers.errors import ImportRejected
from layers.exporting import FORMATS
from layers.importing import ImportOptions, import_file
from layers.models import Facility, ProjectSite
from layers.registry import LayerDeclaration, get_layer

TOLERANCE_DEG = 1e-7
#: What is compared. Facilities' and projects' kelurahan/kecamatan are left out on
#: purpose: the importer recomputes them by spatial join rather than trusting a
#: file's text; agency names come from the agency table, matched by ``kode_opd``.
COMPARED = {
    "kecamatan": ("nama", "kode"),
    "kelurahan": ("nama", "kode", "nama_alt", "kode_kecamatan"),
    "facilities": ("nama", "kategori", "alamat", "kode_opd", "sumber", "id_sumber"),
    "projects": ("nama", "kode_opd", "tahun_anggaran", "sumber_dana", "pagu", "realisasi",
                 "progres", "status", "mulai", "selesai", "kontraktor", "data_contoh",
                 "id_sumber"),
}
#: Shapefiles hold one geometry type; the projects zip carries one layer per type,
#: which the import reads as one file (``layers.importing.splits``).
SHAPEFILE_PARTS = ("projects_point", "projects_line", "projects_polygon")


def _rows(layer: LayerDeclaration) -> list[tuple[str, shapely.Geometry, dict[str, Any]]]:
    """(title, geometry, compared attributes) of every row, sorted for pairing."""
    props = [layer.property_named(name) for name in COMPARED[layer.id]]
    paths = [p.path for p in props if p is not None]
    rows = layer.model.objects.values_list(*paths, "geometry")
    found = []
    for row in rows:
        values = {name: _plain(v) for name, v in zip(COMPARED[layer.id], row, strict=False)}
        found.append((values["nama"], shapely.from_wkb(bytes(row[-1].wkb)), values))
    return sorted(found, key=lambda r: (r[0], r[1].centroid.x, r[1].centroid.y))


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return float(value)
    if value == "":
        return None  # Shapefile and CSV cannot tell an empty text from a null
    return value.isoformat() if hasattr(value, "isoformat") else value


def _download(http, server_url: str, layer_id: str, ext: str, tmp_path: Path) -> Path:
    response = http.get(f"{server_url}/download/{layer_id}.{ext}")
    assert response.status_code == 200, response.text[:300]
    fmt = next(f for f in FORMATS if f.ext == ext)
    path = tmp_path / f"{layer_id}.{fmt.filename_ext}"
    path.write_bytes(response.content)
    return path


def _reimport(layer_id: str, path: Path, ext: str) -> Counter:
    """Created/updated/unchanged/read of the one import of the file (a projects Shapefile
    zip included: its three layers are one file)."""
    report = import_file(layer_id, path, ImportOptions())
    assert report.rejected == [], report.rejected[:3]
    assert [n for n in report.notes if "GDAL" in n] == []  # our own files warn of nothing
    return Counter({key: value for key, value in (
        ("created", report.created), ("updated", report.updated),
        ("unchanged", report.unchanged), ("read", report.read)) if value})


def _history_rows(layer: LayerDeclaration) -> int:
    return layer.model.history.count()


def _assert_same(before: list, after: list) -> None:
    assert len(after) == len(before)
    for (name_a, geom_a, attrs_a), (name_b, geom_b, attrs_b) in zip(before, after, strict=True):
        assert name_a == name_b
        assert geom_a.geom_type == geom_b.geom_type
        # normalize: Shapefile rings run clockwise and may start at another vertex.
        assert shapely.equals_exact(shapely.normalize(geom_a), shapely.normalize(geom_b),
                                    tolerance=TOLERANCE_DEG), name_a
        assert attrs_a == attrs_b, name_a


@pytest.mark.parametrize("ext", [f.ext for f in FORMATS])
@pytest.mark.parametrize("layer_id", ["facilities", "projects", "kecamatan", "kelurahan"])
def test_reimporting_a_download_into_the_live_data_leaves_every_row_unchanged(
    layer_id: str, ext: str, http, server_url: str, tmp_path: Path
) -> None:
    """The download carries each row's key, so nothing is duplicated or rewritten."""
    layer = get_layer(layer_id)
    path = _download(http, server_url, layer_id, ext, tmp_path)
    before, history = _rows(layer), _history_rows(layer)

    counts = _reimport(layer_id, path, ext)

    assert counts == Counter(read=len(before), unchanged=len(before))
    assert layer.model.objects.count() == len(before)
    assert _history_rows(layer) == history
    _assert_same(before, _rows(layer))


@pytest.mark.parametrize("ext", [f.ext for f in FORMATS])
@pytest.mark.parametrize("layer_id", ["facilities", "projects"])
def test_an_exported_file_imports_back_to_the_same_features(
    layer_id: str, ext: str, http, server_url: str, tmp_path: Path
) -> None:
    layer = get_layer(layer_id)
    path = _download(http, server_url, layer_id, ext, tmp_path)
    before = _rows(layer)
    if layer_id == "projects":
        ProjectSite.objects.all().delete()
    else:
        Facility.objects.all().delete()

    assert _reimport(layer_id, path, ext)["created"] == len(before)

    _assert_same(before, _rows(layer))


def test_the_projects_shapefile_zip_reimports_in_one_go_with_one_report(
    http, server_url: str, tmp_path: Path
) -> None:
    """projects → /download/projects.shp.zip (projects_point, _line, _polygon) → one import
    into the live data: every row unchanged, one report naming the three layers."""
    import pyogrio

    path = _download(http, server_url, "projects", "shp", tmp_path)
    assert sorted(str(n) for n, _type in pyogrio.list_layers(path)) == sorted(SHAPEFILE_PARTS)
    layer = get_layer("projects")
    before, history = _rows(layer), _history_rows(layer)

    report = import_file("projects", path, ImportOptions())

    assert (report.read, report.unchanged, report.created, report.updated) == (
        len(before), len(before), 0, 0)
    counts = {part: pyogrio.read_info(path, layer=part)["features"] for part in SHAPEFILE_PARTS}
    points, lines = counts["projects_point"], counts["projects_line"]
    assert report.notes == [
        f"projects.shp.zip: 3 layer dibaca sebagai satu layer projects (satu Shapefile per "
        f"jenis geometri); nomor baris berlanjut: projects_point baris 1–{points}; "
        f"projects_line baris {points + 1}–{points + lines}; projects_polygon baris "
        f"{points + lines + 1}–{len(before)}"]
    assert _history_rows(layer) == history
    _assert_same(before, _rows(layer))


def test_one_bad_row_in_one_split_layer_rejects_the_whole_zip(
    http, server_url: str, tmp_path: Path
) -> None:
    """One file, one transaction: a typo in projects_line leaves projects_point unwritten too;
    the rejection's row number is that line's number in the joined numbering."""
    import zipfile

    import pyogrio.raw

    download = _download(http, server_url, "projects", "shp", tmp_path)
    folder = tmp_path / "edited"
    folder.mkdir()
    numbers, offset = {}, 0
    for part in SHAPEFILE_PARTS:
        meta, _fids, geometries, fields = pyogrio.raw.read(download, layer=part)
        names = list(meta["fields"])
        if part == "projects_line":
            fields[names.index("status")][0] = "Rusak"
            fields[names.index("nama")][1] = "Nama Baru Yang Tidak Tersimpan"
        numbers[part] = offset
        offset += len(geometries)
        pyogrio.raw.write(folder / f"{part}.shp", geometries, fields, names, crs=meta["crs"],
                          geometry_type=meta["geometry_type"], driver="ESRI Shapefile",
                          encoding="UTF-8")
    edited = tmp_path / "projects_edited.zip"
    with zipfile.ZipFile(edited, "w") as archive:
        for member in sorted(folder.iterdir()):
            archive.write(member, member.name)
    before = _rows(get_layer("projects"))

    with pytest.raises(ImportRejected) as caught:
        import_file("projects", edited, ImportOptions())

    assert [(r.row, r.field, r.code, r.value) for r in caught.value.report.rejected] == [
        (numbers["projects_line"] + 1, "status", "unmatched_value", "Rusak")]
    assert not ProjectSite.objects.filter(name="Nama Baru Yang Tidak Tersimpan").exists()
    _assert_same(before, _rows(get_layer("projects")))


@pytest.mark.parametrize("layer_id", ["facilities", "projects", "kelurahan"])
def test_the_ogc_apis_own_geojson_reimports_unchanged_despite_its_seven_decimals(
    layer_id: str, http, server_url: str, tmp_path: Path
) -> None:
    """What QGIS or ogr2ogr save from /ogc has coordinates rounded to 1e-7°."""
    import json

    layer = get_layer(layer_id)
    page = http.get(f"{server_url}/ogc/collections/{layer_id}/items",
                    params={"f": "json", "limit": 1000}, timeout=60).json()
    assert page["numberMatched"] == len(page["features"])
    rounded = [c for f in page["features"][:3]
               for c in shapely.get_coordinates(shapely.geometry.shape(f["geometry"])).ravel()]
    assert all(round(c, 7) == c for c in rounded)
    path = tmp_path / f"{layer_id}-ogc.geojson"
    path.write_text(json.dumps(page), encoding="utf-8")
    before, history = _rows(layer), _history_rows(layer)
    assert _reimport(layer_id, path, "geojson") == Counter(read=len(before),
                                                             unchanged=len(before))
    assert _history_rows(layer) == history
