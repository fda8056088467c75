"""check_topology on the real Kupang boundaries: the figures in the README, and a
repair that is deterministic and leaves no overlap or gap.

Every test runs in the ``db`` fixture's transaction, which is rolled back, so
the repair never reaches the data other tests (and the test server) read.
"""

from __future__ import annotations

import hashlib
import io
import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction

from layers.models import Facility, Kecamatan, Kelurahan, ProjectSite
from layers.topology import check_topology, fix_topology

pytestmark = pytest.mark.django_db


class _Rollback(Exception):
    pass


def _fingerprint() -> str:
    """A digest of every kelurahan and kecamatan geometry (as WKB) and area, by kode."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT kode, md5(ST_AsBinary(geometry)), luas_km2 FROM layers_kelurahan "
            "UNION ALL SELECT kode, md5(ST_AsBinary(geometry)), luas_km2 FROM layers_kecamatan "
            "ORDER BY 1"
        )
        return hashlib.sha256(repr(cursor.fetchall()).encode()).hexdigest()


def test_the_kupang_boundaries_have_83_overlapping_pairs_30_of_them_over_500_m2() -> None:
    report = check_topology(min_area_m2=500)
    assert len(report.overlaps) == 83
    assert len(report.significant_overlaps) == 30
    largest = report.overlaps[0]
    assert (largest.kode_a, largest.nama_a, largest.kode_b, largest.nama_b) == (
        "53.71.02.1004", "Naimata", "53.71.04.1010", "Liliba")
    assert largest.area_m2 == pytest.approx(2873.0, abs=1)
    assert sum(o.area_m2 for o in report.overlaps) == pytest.approx(41016, abs=5)


def test_the_kupang_boundaries_have_169_gaps_29_of_them_over_500_m2() -> None:
    report = check_topology(min_area_m2=500)
    assert len(report.gaps) == 169
    assert len(report.significant_gaps) == 29
    assert report.gaps[0].area_m2 == pytest.approx(1669.2, abs=1)
    assert report.gaps[0].neighbours == ("53.71.04.1001 Oebobo", "53.71.05.1004 Naikoten Satu")
    assert sum(g.area_m2 for g in report.gaps) == pytest.approx(47176, abs=5)


def test_the_command_prints_the_pairs_and_writes_the_problem_areas_as_geojson(
    tmp_path: Path,
) -> None:
    out = io.StringIO()
    target = tmp_path / "masalah.geojson"
    call_command("check_topology", "--min-area", "500", "--geojson", str(target), stdout=out)
    text = out.getvalue()
    assert "Overlaps (pairs): 83, of which 30 ≥ 500 m²" in text
    assert "Gaps: 169, of which 29 ≥ 500 m²" in text
    assert "53.71.02.1004 Naimata / 53.71.04.1010 Liliba" in text
    collection = json.loads(target.read_text(encoding="utf-8"))
    kinds = [f["properties"]["jenis"] for f in collection["features"]]
    assert (kinds.count("overlap"), kinds.count("gap")) == (30, 29)
    assert {f["geometry"]["type"] for f in collection["features"]} <= {"Polygon", "MultiPolygon"}


def test_a_negative_minimum_area_is_refused_naming_the_option() -> None:
    with pytest.raises(CommandError, match="--min-area"):
        call_command("check_topology", "--min-area", "-1", stdout=io.StringIO())


def test_the_fix_is_deterministic_and_leaves_no_overlap_or_gap() -> None:
    original = _fingerprint()
    try:
        with transaction.atomic():
            first = fix_topology(min_area_m2=500)
            fixed_once = _fingerprint()
            raise _Rollback
    except _Rollback:
        pass
    assert _fingerprint() == original  # the savepoint really rolled the repair back
    assert (len(first.before.overlaps), len(first.before.gaps)) == (83, 169)
    assert (len(first.after.overlaps), len(first.after.gaps)) == (0, 0)
    assert first.kelurahan_changed == 50
    assert first.retagged == []  # no facility or project lies on a piece that moved

    out = io.StringIO()
    call_command("check_topology", "--fix", stdout=out)
    assert _fingerprint() == fixed_once
    assert "After:\n  Overlaps (pairs): 0," in out.getvalue()
    assert "  Gaps: 0," in out.getvalue()


def test_after_the_fix_the_kecamatan_tile_the_city_and_every_feature_is_tagged() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT ST_Area(ST_Union(geometry)::geography) FROM layers_kelurahan")
        union_before = cursor.fetchone()[0]
    fix_topology()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT ST_Area(ST_Union(geometry)::geography), sum(ST_Area(geometry::geography)) "
            "FROM layers_kecamatan"
        )
        union_after, sum_after = cursor.fetchone()
    # The gaps (47,176 m²) are now land of some kelurahan; the kecamatan do not overlap.
    assert union_after == pytest.approx(union_before + 47176, abs=10)
    assert sum_after == pytest.approx(union_after, abs=1)
    assert sum(k.luas_km2 for k in Kelurahan.objects.all()) == pytest.approx(
        union_after / 1e6, abs=0.001)
    assert Kecamatan.objects.count() == 6
    assert Facility.objects.filter(kelurahan__isnull=True).count() == 0
    assert ProjectSite.objects.filter(kelurahan__isnull=True).count() == 0
    assert fix_topology().kelurahan_changed == 0  # a second run has nothing left to do


def test_a_fix_that_fails_half_way_leaves_the_boundaries_untouched(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from layers import topology

    def fail() -> list[str]:
        raise RuntimeError("re-tagging failed")

    original = _fingerprint()
    monkeypatch.setattr(topology, "_retag", fail)  # after the boundaries were rewritten
    with pytest.raises(RuntimeError):
        fix_topology()
    assert _fingerprint() == original
    assert len(check_topology().gaps) == 169


def test_an_unwritable_geojson_path_is_reported_naming_the_option(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match=r"--geojson .*missing"):
        call_command("check_topology", "--geojson", str(tmp_path / "missing" / "x.geojson"),
                     stdout=io.StringIO())


def test_fix_with_an_unwritable_geojson_path_is_refused_before_it_changes_anything(
        tmp_path: Path) -> None:
    from layers.models import Kelurahan

    before = {k.kode: k.geometry.wkb for k in Kelurahan.objects.all()}
    out = io.StringIO()
    with pytest.raises(CommandError, match=r"nothing was checked or changed"):
        call_command("check_topology", "--fix", "--geojson",
                     str(tmp_path / "missing" / "x.geojson"), stdout=out)
    assert out.getvalue() == ""
    assert {k.kode: k.geometry.wkb for k in Kelurahan.objects.all()} == before
