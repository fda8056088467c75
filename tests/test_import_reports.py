"""What the report shows: values as the file gives them, and no server internals.

- pyogrio's warnings (``POINT ZM`` in a GeoPackage: "Measured (M) geometry
  types are not supported") never reach the terminal with the server's
  site-packages path: they become a note of the report;
- a mistyped coordinate is shown as typed, or, from a file GDAL parsed, in
  exponent form instead of 300 digits; the ``value`` of a rejected location
  is the coordinates as given (the ``--report`` CSV's value column).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import warnings
from pathlib import Path

import pytest

from layers.errors import ImportRejected
from layers.importing import ImportOptions, import_file
from tests.conftest import BASE_DIR, _test_database_url

pytestmark = pytest.mark.django_db

DATA = Path(__file__).parent / "data" / "import"
M_NOTE = "facilities_zm.gpkg: nilai M (measure) pada geometri dibuang; koordinat disimpan 2D"


def test_pyogrios_warning_about_measures_becomes_a_note_of_the_report() -> None:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        report = import_file("facilities", DATA / "facilities_zm.gpkg",
                             ImportOptions(dry_run=True))
    assert [str(w.message) for w in caught if "pyogrio" in str(w.filename)] == []
    assert report.notes == [M_NOTE]
    assert report.lines()[0] == M_NOTE


def test_the_command_prints_no_warning_and_no_server_path() -> None:
    """The real command line, as a data steward runs it (warnings shown as Python does)."""
    env = {**os.environ, "DATABASE_URL": _test_database_url(), "PYTHONWARNINGS": "default"}
    done = subprocess.run(
        [sys.executable, "manage.py", "import_layer", "facilities",
         str(DATA / "facilities_zm.gpkg"), "--dry-run"],
        cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    assert done.stdout.splitlines() == [
        M_NOTE,
        "facilities_zm.gpkg → facilities (uji coba, tidak ada yang ditulis): dibaca 2, baru 2, "
        "diperbarui 0, tetap 0, ditolak 0"]
    assert "site-packages" not in done.stdout + done.stderr


def test_a_huge_coordinate_from_a_geojson_is_shown_in_exponent_form(tmp_path: Path) -> None:
    path = tmp_path / "besar.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"id": "b-1", "nama": "Besar", "kategori": "pasar"},
         "geometry": {"type": "Point", "coordinates": [1e308, -10.1639144]}},
        {"type": "Feature", "properties": {"id": "b-2", "nama": "Baik", "kategori": "pasar"},
         "geometry": {"type": "Point", "coordinates": [123.6088393, -10.1639144]}},
    ]}))
    with pytest.raises(ImportRejected) as caught:
        import_file("facilities", path)
    [rejection] = caught.value.report.rejected
    assert (rejection.row, rejection.code, rejection.message, rejection.value) == (
        1, "invalid_coordinate",
        "koordinat (1e+308 -10.1639144) bukan bujur/lintang yang sah (bujur -180..180, "
        "lintang -90..90)", "1e+308 -10.1639144")


def test_a_point_outside_the_city_in_a_projected_file_is_given_in_the_files_numbers(
        tmp_path: Path) -> None:
    """The value column says what the file says (UTM metres), not the reprojected degrees."""
    import numpy as np
    import shapely
    from pyogrio.raw import write

    path = tmp_path / "laut.gpkg"
    sea = shapely.Point(589012.25, 8882201.5)  # EPSG:32751, in Teluk Kupang
    write(path, np.array([shapely.to_wkb(sea)], dtype=object),
          [np.array(["l-1"], dtype=object), np.array(["Di Laut"], dtype=object),
           np.array(["pasar"], dtype=object)], ["id", "nama", "kategori"], driver="GPKG",
          geometry_type="Point", crs="EPSG:32751")
    with pytest.raises(ImportRejected) as caught:
        import_file("facilities", path)
    [rejection] = caught.value.report.rejected
    assert (rejection.code, rejection.value) == ("outside_city", "589012.25 8882201.5")
    assert rejection.message.startswith("di luar Kota Kupang: tidak ada kelurahan dalam 50 m "
                                        "dari (123.")
