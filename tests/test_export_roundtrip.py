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
#: Shapefiles hold one geometry type; the projects zip carries one layer per type.
SHAPEFILE_PARTS = {"projects": ("projects_point", "projects_line", "projects_polygon")}


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
    """Created/updated/unchanged/read over the file (each layer of a projects Shapefile)."""
    counts: Counter = Counter()
    parts = SHAPEFILE_PARTS.get(layer_id, (None,)) if ext == "shp" else (None,)
    for part in parts:
        report = import_file(layer_id, path, ImportOptions(source_layer=part))
        assert report.rejected == [], report.rejected[:3]
        counts.update(created=report.created, updated=report.updated,
                      unchanged=report.unchanged, read=report.read)
    return counts


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
