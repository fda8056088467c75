"""Awkward uploads on the admin's import page: each a message on the page, never a 500.

Files are the committed fixtures under names no file system takes, or made
here (a zip bomb, a damaged XLSX, a zip of junk), posted through Django's
test client as a browser would.
"""

from __future__ import annotations

import zipfile
from io import BytesIO
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from layers.admin_import import UPLOAD_ROOT
from layers.importing.archives import MAX_UNPACKED_BYTES
from layers.models import Facility

pytestmark = pytest.mark.django_db

DATA = Path(__file__).parent / "data" / "import"
URL = "/admin/layers/facility/import/"
KUPANG_FACILITIES = 67


@pytest.fixture
def steward(walidata) -> Client:
    return walidata.client


def _post(client: Client, name: str, data: bytes):
    return client.post(URL, {"file": SimpleUploadedFile(name, data)})


def _messages(html: str) -> str:
    return html.split('<ul class="messagelist">', 1)[-1].split("</ul>", 1)[0]


def test_a_file_name_longer_than_the_file_system_allows_is_kept_and_shown_shortened(
        steward: Client) -> None:
    name = "é" * 200 + "-faskes.geojson"
    assert len(name.encode()) > 255
    response = _post(steward, name, (DATA / "facilities_reimport_v1.geojson").read_bytes())
    assert response.status_code == 200
    html = response.content.decode()
    shown = "é" * 69 + "…" + "é" * 15 + "-faskes.geojson"
    assert len(shown) == 100
    assert (f"{shown} → facilities (uji coba, tidak ada yang ditulis): dibaca 3, baru 3, "
            "diperbarui 0, tetap 0, ditolak 0") in html
    token = response.context["token"]
    assert [p.name for p in (UPLOAD_ROOT / token).iterdir()] == ["unggahan.geojson"]
    confirmed = steward.post(URL, {"token": token, "confirm": "1"})
    assert confirmed.status_code == 302
    assert Facility.objects.count() == KUPANG_FACILITIES + 3


def test_a_zip_bomb_upload_is_refused_naming_the_limit(steward: Client) -> None:
    buffer = BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        with archive.open("a.shp", "w", force_zip64=True) as member:
            for _ in range(MAX_UNPACKED_BYTES // (1 << 20) + 10):
                member.write(bytes(1 << 20))
        archive.writestr("a.shx", b"x")
        archive.writestr("a.dbf", b"x")
    response = _post(steward, "bom.zip", buffer.getvalue())
    assert response.status_code == 200
    assert ("bom.zip: isi arsip 210 MB bila dibuka, lebih dari batas 200 MB; tidak dibuka."
            in _messages(response.content.decode()))
    assert 'name="confirm"' not in response.content.decode()


@pytest.mark.parametrize(("name", "data", "message"), [
    ("rusak.zip", None, "rusak.zip: GDAL tidak menemukan satu layer pun yang dapat dibaca di "
                        "dalamnya (a.shp: bukan Shapefile yang dapat dibaca GDAL)"),
    ("aset.xlsx", b"PK\x03\x04" + b"\x00" * 60, "aset.xlsx: bukan"),
])
def test_junk_uploads_get_a_message_on_the_page(steward: Client, name: str, data: bytes | None,
                                                message: str) -> None:
    if data is None:
        buffer = BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            for suffix in (".shp", ".shx", ".dbf"):
                archive.writestr(f"a{suffix}", b"x" * 100)
        data = buffer.getvalue()
    response = _post(steward, name, data)
    assert response.status_code == 200
    assert message in _messages(response.content.decode())
    assert Facility.objects.count() == KUPANG_FACILITIES
