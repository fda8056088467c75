"""The bundled Kota Kupang data as loaded into PostGIS."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from django.contrib.gis.geos import MultiPoint, Point
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction

from layers import sample_projects
from layers.errors import OutsideCity
from layers.kupang_fixtures import FIXTURES_DIR, load_kupang
from layers.models import Facility, Kecamatan, Kelurahan, ProjectSite
from layers.spatial_join import validate_location

pytestmark = pytest.mark.django_db

KELURAHAN_PER_KECAMATAN = {
    "Alak": 12, "Maulafa": 9, "Kelapa Lima": 5, "Oebobo": 7, "Kota Raja": 8, "Kota Lama": 10,
}


def test_the_city_has_6_kecamatan_and_51_kelurahan_in_the_official_split() -> None:
    assert Kecamatan.objects.count() == 6
    assert Kelurahan.objects.count() == 51
    counts = {k.nama: k.kelurahan.count() for k in Kecamatan.objects.all()}
    assert counts == KELURAHAN_PER_KECAMATAN


def test_kode_values_follow_kemendagri_format_and_nest() -> None:
    for kecamatan in Kecamatan.objects.all():
        assert re.fullmatch(r"53\.71\.0[1-6]", kecamatan.kode)
    for kelurahan in Kelurahan.objects.select_related("kecamatan"):
        assert re.fullmatch(r"53\.71\.0[1-6]\.\d{4}", kelurahan.kode)
        assert kelurahan.kode.startswith(kelurahan.kecamatan.kode + ".")
    assert Kelurahan.objects.get(kode="53.71.01.1001").nama == "Namosain"


def test_spelling_variants_are_kept_for_search() -> None:
    assert Kelurahan.objects.get(nama="Airnona").nama_alt == "Air Nona"


def test_67_facilities_55_churches_and_12_hospitals() -> None:
    assert Facility.objects.count() == 67
    assert Facility.objects.filter(category="gereja").count() == 55
    assert Facility.objects.filter(category="rumah_sakit").count() == 12
    assert set(
        Facility.objects.filter(category="rumah_sakit").values_list("agency__kode", flat=True)
    ) == {"DINKES"}


def test_every_facility_lies_in_the_kelurahan_it_is_tagged_with() -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            """SELECT count(*) FROM layers_facility f
               JOIN layers_kelurahan k ON k.id = f.kelurahan_id
               WHERE ST_Intersects(k.geometry, f.geometry)
                 AND f.kecamatan_id = k.kecamatan_id"""
        )
        assert cursor.fetchone()[0] == 67


def test_facility_tags_agree_with_the_source_files_join() -> None:
    expected = {}
    for name, prefix in (("facilities-hospitals.geojson", "rs"),
                         ("facilities-churches-gmit.geojson", "gmit")):
        for feature in json.loads((FIXTURES_DIR / name).read_text())["features"]:
            props = feature["properties"]
            expected[f"{prefix}-{props['id']}"] = props["kode_kel"]
    tagged = dict(Facility.objects.values_list("external_id", "kelurahan__kode"))
    assert tagged == expected


def test_sample_projects_are_40_labelled_sites_inside_real_kelurahan() -> None:
    assert ProjectSite.objects.count() == 40
    assert ProjectSite.objects.filter(is_sample=True).count() == 40
    assert ProjectSite.objects.filter(kelurahan__isnull=True).count() == 0
    kinds = set(ProjectSite.objects.values_list("geometry", flat=True).iterator())
    assert {g.geom_type for g in kinds} == {"Point", "LineString", "Polygon"}
    with connection.cursor() as cursor:
        cursor.execute(
            """SELECT count(*) FROM layers_projectsite p
               JOIN layers_kelurahan k ON k.id = p.kelurahan_id
               WHERE ST_Intersects(k.geometry, p.geometry)"""
        )
        assert cursor.fetchone()[0] == 40
    descriptions = ProjectSite.objects.values_list("description", flat=True)
    assert all("Data contoh" in d for d in descriptions)


def test_sample_projects_are_generated_deterministically() -> None:
    first = sample_projects.generate(Path(FIXTURES_DIR) / "kelurahan.geojson")
    second = sample_projects.generate(Path(FIXTURES_DIR) / "kelurahan.geojson")
    assert first == second
    assert first[0].values["name"] == "Rehabilitasi Ruang Kelas SD Negeri Oesapa Barat"
    assert first[0].values["budget"] == 883_000_000


def _layers_writes() -> int:
    """Rows written to layers tables as this backend counts them.

    Since PostgreSQL 15 the counts of earlier, rolled-back transactions of the
    same connection may still be pending in this view (flushed at most once a
    second), so a test compares before and after, never with zero.
    """
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT coalesce(sum(n_tup_ins + n_tup_upd + n_tup_del), 0)"
            " FROM pg_stat_xact_user_tables WHERE relname LIKE 'layers_%'"
        )
        return cursor.fetchone()[0]


def test_loading_the_fixtures_again_changes_nothing() -> None:
    before = _layers_writes()
    report = load_kupang()
    assert {key.split()[1] for key in report} == {"unchanged"}
    assert report["kelurahan unchanged"] == 51
    assert report["project unchanged"] == 40
    assert Kelurahan.objects.count() == 51
    assert Facility.objects.count() == 67
    assert _layers_writes() == before


def test_a_row_edited_by_staff_is_kept_by_the_next_load() -> None:
    """make run loads on every start: an edit (a fixed boundary, a corrected name) survives."""
    Kelurahan.objects.filter(kode="53.71.01.1001").update(nama="Namosain (diperbaiki)")
    before = _layers_writes()
    report = load_kupang()
    assert report["kelurahan kept"] == 1 and report["kelurahan unchanged"] == 50
    assert Kelurahan.objects.get(kode="53.71.01.1001").nama == "Namosain (diperbaiki)"
    assert _layers_writes() == before


def test_a_changed_row_is_restored_by_a_load_with_restore() -> None:
    Kelurahan.objects.filter(kode="53.71.01.1001").update(nama="Salah ketik")
    report = load_kupang(restore=True)
    assert report["kelurahan updated"] == 1
    assert Kelurahan.objects.get(kode="53.71.01.1001").nama == "Namosain"


def test_a_row_staff_deleted_stays_deleted_unless_restored() -> None:
    church = Facility.objects.filter(category="gereja").order_by("pk").first()
    key = church.external_id
    church.delete()  # through the model, as the admin and the API do: recorded
    assert load_kupang()["facility deleted"] == 1
    assert not Facility.objects.filter(external_id=key).exists()
    assert load_kupang(restore=True)["facility created"] == 1
    assert Facility.objects.filter(external_id=key, state="published").exists()


def test_saving_a_facility_tags_it_by_spatial_join_not_by_text() -> None:
    # RSUD W. Z. Johannes lies in Oetete, Oebobo.
    facility = Facility.objects.create(
        name="Klinik uji", category="klinik",
        geometry=Point(123.58578843996008, -10.168121004087805, srid=4326),
    )
    assert facility.kelurahan.kode == "53.71.04.1008"
    assert facility.kecamatan.kode == "53.71.04"
    assert facility.external_id.startswith("taksi-")  # generated: every row has a key


SAVU_SEA = Point(123.40, -10.00, srid=4326)
REFUSED = ("Lokasi (123.4000000 -10.0000000) di luar Kota Kupang: tidak ada kelurahan yang "
           "memuatnya atau dalam 50 m. / Location (123.4000000 -10.0000000) is outside Kota "
           "Kupang: no kelurahan contains it or lies within 50 m.")


@pytest.mark.parametrize("model", [Facility, ProjectSite])
def test_a_feature_outside_every_kelurahan_fails_validation_and_save(model) -> None:
    """Tagged on every save; no kelurahan within 50 m: refused, the stored row unchanged."""
    feature = model.objects.order_by("pk").first()
    stored = feature.geometry
    feature.geometry = SAVU_SEA
    with pytest.raises(ValidationError) as caught:
        feature.full_clean()
    assert caught.value.message_dict == {"geometry": [REFUSED]}
    with pytest.raises(OutsideCity) as refused, transaction.atomic():
        feature.save()
    assert str(refused.value) == REFUSED
    feature.refresh_from_db()
    assert feature.geometry.equals_exact(stored, 0) and feature.kelurahan is not None


def test_validate_location_names_the_kelurahan_or_refuses_with_a_reason() -> None:
    found = validate_location(Point(123.58578843996008, -10.168121004087805, srid=4326))
    assert (found.kelurahan, found.distance_m) == ("Oetete", 0.0)
    with pytest.raises(OutsideCity, match=r"^Koordinat lokasi bukan bujur/lintang yang sah"):
        validate_location(Point(1236088393, -10.16, srid=4326))
    with pytest.raises(OutsideCity, match=r"^Lokasi kosong\. / The location is empty\.$"):
        validate_location(Point(srid=4326))


def test_a_project_site_must_be_a_point_line_or_polygon() -> None:
    project = ProjectSite.objects.first()
    project.geometry = MultiPoint(Point(123.60, -10.17), Point(123.61, -10.18), srid=4326)
    with pytest.raises(ValidationError, match="Point, LineString atau Polygon"):
        project.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        project.save()
