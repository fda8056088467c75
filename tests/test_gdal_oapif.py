"""GDAL's OAPIF driver (what QGIS uses underneath) reads every layer exactly."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

COUNTS = {"kecamatan": 6, "kelurahan": 51, "facilities": 67, "projects": 40}

pytestmark = pytest.mark.skipif(
    shutil.which("ogrinfo") is None, reason="gdal-bin is installed by `make test`"
)


@pytest.mark.parametrize(("layer", "count"), COUNTS.items())
def test_ogrinfo_reports_the_exact_feature_count(server_url: str, layer: str, count: int) -> None:
    result = subprocess.run(
        ["ogrinfo", "-ro", "-so", f"OAPIF:{server_url}/ogc/", layer],
        capture_output=True, text=True, timeout=120, check=True,
    )
    assert re.search(rf"^Feature Count: {count}$", result.stdout, re.MULTILINE), result.stdout


def test_ogr2ogr_copies_every_facility_with_attributes(server_url: str, tmp_path: Path) -> None:
    target = tmp_path / "facilities.geojson"
    subprocess.run(
        ["ogr2ogr", "-f", "GeoJSON", str(target), f"OAPIF:{server_url}/ogc/", "facilities"],
        capture_output=True, text=True, timeout=120, check=True,
    )
    features = json.loads(target.read_text())["features"]
    assert len(features) == 67
    names = {f["properties"]["nama"] for f in features}
    assert "RSUD W. Z. Johannes" in names
    assert sum(f["properties"]["kategori"] == "gereja" for f in features) == 55


def test_ogr2ogr_with_the_readme_page_size_keeps_rupiah_beyond_32_bits(
        server_url: str, tmp_path: Path) -> None:
    """GDAL 3.6 types fields from its first page (10 features by default): there a
    project's realisasi fits 32 bits, and a later 2.4 billion is clipped to
    2147483647 with a warning. With ``-oo PAGE_SIZE=1000`` (README) the first
    page holds every project, so pagu and realisasi become 64-bit integers."""
    import pyogrio

    api = json.loads(subprocess.run(
        ["curl", "-s", f"{server_url}/ogc/collections/projects/items?f=json&limit=1000"],
        capture_output=True, text=True, timeout=120, check=True).stdout)["features"]
    expected = {f["properties"]["id_sumber"]: (f["properties"]["pagu"],
                                               f["properties"]["realisasi"]) for f in api}
    assert max(realisasi for _, realisasi in expected.values()) > 2**31 - 1
    target = tmp_path / "projects.gpkg"
    copied = subprocess.run(
        ["ogr2ogr", "-f", "GPKG", str(target), "-oo", "PAGE_SIZE=1000",
         f"OAPIF:{server_url}/ogc/", "projects"],
        capture_output=True, text=True, timeout=120, check=True)
    assert "overflow" not in copied.stderr.lower()
    meta, _, _, fields = pyogrio.raw.read(target, read_geometry=False,
                                          columns=["id_sumber", "pagu", "realisasi"])
    column = dict(zip(meta["fields"], fields, strict=True))
    copied_values = {kode: (int(pagu), int(realisasi)) for kode, pagu, realisasi in zip(
        column["id_sumber"], column["pagu"], column["realisasi"], strict=True)}
    assert copied_values == expected


def test_ogrinfo_lists_all_four_layers(server_url: str) -> None:
    result = subprocess.run(
        ["ogrinfo", "-ro", "-q", f"OAPIF:{server_url}/ogc"],
        capture_output=True, text=True, timeout=120, check=True,
    )
    for layer in COUNTS:
        assert re.search(rf"^\d+: {layer}\b", result.stdout, re.MULTILINE), result.stdout


def test_ogrinfo_reads_every_listed_layer_without_an_error_and_skips_the_raster(
    server_url: str
) -> None:
    """The coverage is no vector layer: GDAL used to list it and fail on its items."""
    result = subprocess.run(
        ["ogrinfo", "-ro", "-al", "-so", f"OAPIF:{server_url}/ogc/"],
        capture_output=True, text=True, timeout=300, check=True,
    )
    assert "ERROR" not in result.stderr, result.stderr
    layers = re.findall(r"^Layer name: (\S+)$", result.stdout, re.MULTILINE)
    assert layers == [*COUNTS, "catalog"]
