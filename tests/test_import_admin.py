"""Staff import a file from the admin: upload, read the dry-run report, then confirm."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.contrib.auth.models import Permission, User
from django.test import Client

from layers.admin_import import UPLOAD_ROOT
from layers.models import Facility

pytestmark = pytest.mark.django_db

DATA = Path(__file__).parent / "data" / "import"
URL = "/admin/layers/facility/import/"
KUPANG_FACILITIES = 67


@pytest.fixture
def agency_editor(walidata) -> Client:
    """The city's data steward (walidata), who imports agency files and publishes them."""
    return walidata.client


def _upload(client: Client, name: str, **fields: str):
    with (DATA / name).open("rb") as handle:
        return client.post(URL, {"file": handle, **fields})


def test_the_changelist_links_to_the_import_page(agency_editor: Client) -> None:
    html = agency_editor.get("/admin/layers/facility/").content.decode()
    assert f'href="{URL}"' in html
    assert "Impor berkas / Import file" in html
    assert agency_editor.get(URL).status_code == 200


def test_upload_shows_the_dry_run_then_confirm_imports_the_kept_file(
    agency_editor: Client,
) -> None:
    response = _upload(agency_editor, "facilities_reimport_v1.geojson")
    assert response.status_code == 200
    html = response.content.decode()
    assert ("facilities_reimport_v1.geojson → facilities (uji coba, tidak ada yang ditulis): "
            "dibaca 3, baru 3, diperbarui 0, tetap 0, ditolak 0") in html
    assert Facility.objects.count() == KUPANG_FACILITIES
    token = response.context["token"]
    assert (UPLOAD_ROOT / token / "unggahan.geojson").is_file()

    confirmed = agency_editor.post(URL, {"token": token, "confirm": "1"})
    assert confirmed.status_code == 302
    assert confirmed["Location"] == "/admin/layers/facility/"
    assert Facility.objects.count() == KUPANG_FACILITIES + 3
    assert Facility.objects.get(external_id="ri-2").kelurahan.nama == "Airnona"
    assert not (UPLOAD_ROOT / token).exists()
    # The list says what happened, with the file's name as it is (no capfirst).
    changelist = agency_editor.get("/admin/layers/facility/").content.decode()
    assert ('<li class="success">facilities_reimport_v1.geojson → facilities (tersimpan): '
            "dibaca 3, baru 3, diperbarui 0, tetap 0, ditolak 0</li>") in changelist
    # The token was used up: confirming again imports nothing twice.
    again = agency_editor.post(URL, {"token": token, "confirm": "1"}, follow=True)
    assert "Unggahan tidak ditemukan atau kedaluwarsa" in again.content.decode()
    assert Facility.objects.count() == KUPANG_FACILITIES + 3


def test_a_rejected_upload_lists_rows_and_offers_no_confirm(agency_editor: Client) -> None:
    response = _upload(agency_editor, "facilities_decimal_comma_swapped.csv")
    html = response.content.decode()
    assert response.status_code == 200
    assert "DITOLAK, tidak ada yang ditulis" in html
    assert "<td>2</td><td>geometry</td>" in html and "<td>3</td><td>geometry</td>" in html
    assert html.count("<code>swapped</code>") == 2
    assert 'name="confirm"' not in html
    fixed = _upload(agency_editor, "facilities_decimal_comma_swapped.csv", fix_swapped="on")
    assert 'name="confirm"' in fixed.content.decode()
    agency_editor.post(URL, {"token": fixed.context["token"], "confirm": "1"})
    assert Facility.objects.get(external_id="csv-1").kelurahan.nama == "Airnona"


def test_cancel_drops_the_upload_and_writes_nothing(agency_editor: Client) -> None:
    token = _upload(agency_editor, "facilities_reimport_v1.geojson").context["token"]
    response = agency_editor.post(URL, {"token": token, "cancel": "1"})
    assert response.status_code == 302
    assert not (UPLOAD_ROOT / token).exists()
    assert Facility.objects.count() == KUPANG_FACILITIES


def test_a_bare_shp_upload_is_refused_with_a_hint(agency_editor: Client) -> None:
    response = _upload(agency_editor, "facilities_cp1252.shp")
    assert response.status_code == 200
    assert "Format tidak didukung / Unsupported format" in response.content.decode()


def test_staff_without_change_permission_get_403(client: Client) -> None:
    user = User.objects.create_user("viewer", password=None, is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="view_facility"))
    client.force_login(user)
    assert client.get(URL).status_code == 403


def test_anonymous_visitors_are_sent_to_the_login(client: Client) -> None:
    response = client.get(URL)
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
