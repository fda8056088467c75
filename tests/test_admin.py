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


@pytest.mark.parametrize("path", [
    "/admin/layers/facility/?state=%00", "/admin/layers/facility/?category__exact=%00",
    "/admin/layers/projectsite/?status__exact=a%00b", "/admin/layers/projectprogress/?state=%00",
])
def test_a_nul_byte_in_a_changelist_filter_is_a_400_naming_it(admin_client, path) -> None:
    response = admin_client.get(path)
    assert response.status_code == 400
    assert "contains a NUL character" in response.content.decode()


@pytest.mark.parametrize("path", [
    "/admin/layers/facility/abc/history/", "/admin/layers/kelurahan/1e3/history/",
    "/admin/layers/agency/%C2%B2/history/", "/admin/layers/facility/1/history/x/",
])
def test_a_history_page_of_an_id_that_is_no_integer_is_a_404(admin_client, path) -> None:
    assert admin_client.get(path).status_code == 404
