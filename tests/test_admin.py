"""The admin edits every model, with Leaflet map widgets for geometries."""

from __future__ import annotations

import pytest
from django.test import Client

from layers.models import Facility, Kecamatan, Kelurahan, ProjectSite

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("model", [Kecamatan, Kelurahan, Facility, ProjectSite])
def test_change_page_shows_a_leaflet_map_widget(admin_client: Client, model: type) -> None:
    obj = model.objects.order_by("pk").first()
    url = f"/admin/layers/{model._meta.model_name}/{obj.pk}/change/"
    response = admin_client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "leaflet" in html.lower()
    assert 'id="id_geometry"' in html


@pytest.mark.parametrize(
    "name", ["kecamatan", "kelurahan", "agency", "facility", "projectsite"]
)
def test_every_layer_model_is_listed(admin_client: Client, name: str) -> None:
    assert admin_client.get(f"/admin/layers/{name}/").status_code == 200


def test_the_admin_asks_anonymous_visitors_to_sign_in(client: Client) -> None:
    response = client.get("/admin/layers/facility/")
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
