"""The admin refuses a facility or project site outside Kota Kupang with a field error.

The rule is ``layers.spatial_join.validate_location`` (containing kelurahan,
else the nearest within 50 m, else refused), run by the models' ``clean()``
that the admin form calls; the stored row stays as it was.
"""

from __future__ import annotations

import json

import pytest

from layers.models import Agency, Facility, ProjectSite
from layers.spatial_join import find_kelurahan
from tests.personas import AGENCY_A
from tests.places import off_the_coast

pytestmark = pytest.mark.django_db

#: (lon, lat) of places that are not Kota Kupang.
OUTSIDE = {
    "teluk-kupang": (123.60, -10.11),  # in the bay, 1.5 km off the coast
    "null-island": (0.0, 0.0),
    "jakarta": (106.8456, -6.2088),
}


def _point(lon: float, lat: float) -> str:
    return json.dumps({"type": "Point", "coordinates": [lon, lat]})


def _facility_form(geometry: str, agency: int) -> dict[str, str]:
    return {"external_id": "", "name": "Puskesmas Terapung", "category": "puskesmas",
            "address": "", "agency": str(agency), "source": "uji", "geometry": geometry}


def _project_form(geometry: str, agency: int) -> dict[str, str]:
    return {
        "external_id": "", "name": "Dermaga Terapung", "description": "", "agency": str(agency),
        "fiscal_year": "2025", "funding_source": "APBD", "budget": "1000000", "spent": "0",
        "progress": "0", "status": "preparation", "planned_start": "", "planned_end": "",
        "contractor": "", "is_sample": "", "geometry": geometry,
        "progress_updates-TOTAL_FORMS": "0", "progress_updates-INITIAL_FORMS": "0",
        "progress_updates-MIN_NUM_FORMS": "0", "progress_updates-MAX_NUM_FORMS": "1000",
    }


def _geometry_errors(response) -> list[str]:
    assert response.status_code == 200, response.status_code  # the form again, not a redirect
    return response.context["adminform"].form.errors["geometry"]


@pytest.mark.parametrize("place", list(OUTSIDE))
@pytest.mark.parametrize(("model", "url", "form"), [
    (Facility, "/admin/layers/facility/add/", _facility_form),
    (ProjectSite, "/admin/layers/projectsite/add/", _project_form),
])
def test_adding_a_feature_outside_the_city_is_a_field_error(
        editor_a, place, model, url, form) -> None:
    lon, lat = OUTSIDE[place]
    before = model.objects.count()
    agency = Agency.objects.get(kode=AGENCY_A).pk
    response = editor_a.client.post(url, form(_point(lon, lat), agency))
    [message] = _geometry_errors(response)
    assert message.startswith(f"Lokasi ({lon:.7f} {lat:.7f}) di luar Kota Kupang: tidak ada "
                              "kelurahan yang memuatnya atau dalam 50 m. / Location")
    assert "is outside Kota Kupang" in message
    assert model.objects.count() == before


def test_moving_a_facility_into_the_sea_is_refused_and_the_row_kept(walidata) -> None:
    facility = Facility.objects.get(external_id="rs-2")
    stored = facility.geometry
    data = _facility_form(_point(*OUTSIDE["teluk-kupang"]), facility.agency_id)
    data.update(name=facility.name, category=facility.category,
                external_id=facility.external_id)
    response = walidata.client.post(f"/admin/layers/facility/{facility.pk}/change/", data)
    assert _geometry_errors(response)[0].startswith("Lokasi (123.6000000 -10.1100000) di luar")
    facility.refresh_from_db()
    assert facility.geometry.equals_exact(stored, 0)
    assert facility.kelurahan.nama == "Oetete"


def test_a_point_on_the_shore_within_50_m_is_accepted_and_tagged(editor_a) -> None:
    agency = Agency.objects.get(kode=AGENCY_A).pk
    near, far = off_the_coast(20), off_the_coast(80)
    response = editor_a.client.post("/admin/layers/facility/add/",
                                    _facility_form(_point(*near), agency))
    assert response.status_code == 302
    created = Facility.objects.get(name="Puskesmas Terapung")
    assert created.kelurahan_id == find_kelurahan(created.geometry)[0]
    assert created.external_id.startswith("taksi-")
    response = editor_a.client.post("/admin/layers/facility/add/",
                                    _facility_form(_point(*far), agency))
    assert _geometry_errors(response)[0].startswith("Lokasi (")
