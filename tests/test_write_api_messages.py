"""What the write API says about a bad geometry, a hidden feature, and in which language.

The geometry rules and their words are the import's: a mistyped longitude is
``invalid_coordinate`` in both (compared with the import of the same row), a
huge number is shown in exponent form, a swapped point gets a hint a client
can act on. A feature the user may not read gets the same bilingual 404
from every method as one that does not exist. Per-property messages follow
the request's language (Indonesian; English with ``?lang=en`` or the
language cookie); everything else is in both.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from layers.errors import ImportRejected
from layers.importing import import_file
from tests.write_api_support import SITE, Api, committed_facility, items_path, point_feature

DATA = Path(__file__).parent / "data" / "import"
NOT_DEGREES = ("bukan bujur/lintang yang sah (bujur -180..180, lintang -90..90)")


def _count(committed) -> int:
    return committed.execute("SELECT count(*) FROM layers_facility").fetchone()[0]


def _post(write_api: Api, coordinates: list, **kwargs):
    feature = point_feature("Puskesmas Koordinat")
    feature["geometry"]["coordinates"] = coordinates
    return write_api.call("editor-a", "POST", items_path(), json=feature, **kwargs)


def _problem(response) -> dict[str, str]:
    assert response.status_code == 422, response.text
    [problem] = response.json()["errors"]
    return problem


def test_a_mistyped_longitude_is_the_imports_invalid_coordinate_in_the_imports_words(
        write_api: Api, committed, db) -> None:
    """Row 3 of facilities_one_typo_coordinate.csv, 1236088393 with the decimal point lost."""
    with pytest.raises(ImportRejected) as caught:
        import_file("facilities", DATA / "facilities_one_typo_coordinate.csv")
    imported = next(r for r in caught.value.report.rejected if r.row == 3)
    before = _count(committed)
    problem = _problem(_post(write_api, [1236088393, -10.1639144]))
    assert problem == {"property": "geometry", "code": imported.code,
                       "message": imported.message}
    assert problem["code"] == "invalid_coordinate"
    assert problem["message"] == f"koordinat (1236088393 -10.1639144) {NOT_DEGREES}"
    assert _count(committed) == before


def test_a_huge_coordinate_is_shown_in_exponent_form_not_300_digits(write_api: Api,
                                                                     committed) -> None:
    response = _post(write_api, [1e308, 1e308])
    assert _problem(response) == {"property": "geometry", "code": "invalid_coordinate",
                                  "message": f"koordinat (1e+308 1e+308) {NOT_DEGREES}"}
    assert len(response.json()["description"]) < 200


def test_a_swapped_point_gets_a_hint_for_api_clients_not_a_command_line_option(
        write_api: Api, committed) -> None:
    problem = _problem(_post(write_api, [SITE[1], SITE[0]]))
    assert problem["code"] == "swapped"
    assert problem["message"] == (
        "lintang dan bujur tertukar (swapped): (-10.1681000 123.5858000) di luar Kota Kupang, "
        "setelah ditukar di dalamnya; kirim koordinat sebagai [bujur, lintang], urutan GeoJSON "
        "(RFC 7946)")
    english = _problem(_post(write_api, [SITE[1], SITE[0]], params={"lang": "en"}))
    assert english["message"] == (
        "latitude and longitude swapped: (-10.1681000 123.5858000) is outside Kota Kupang and "
        "inside it once swapped; send coordinates as [longitude, latitude], the GeoJSON order "
        "(RFC 7946)")
    assert "--fix-swapped" not in problem["message"] + english["message"]


@pytest.mark.parametrize(("coordinates", "says"), [
    (["a", 1], 'geometry.coordinates[0]: "a" bukan angka; koordinat GeoJSON adalah angka, '
               'mis. [123.5858, -10.1681]. / geometry.coordinates[0]: "a" is not a number; '
               "GeoJSON coordinates are numbers, e.g. [123.5858, -10.1681]."),
    ([123.5858, True], 'geometry.coordinates[1]: true bukan angka'),
    ([[123.5858, -10.1681]], "geometry.coordinates: [[123.5858, -10.1681]] tidak sesuai "
                             "susunan Point (RFC 7946 §3.1), mis. [123.5858, -10.1681]. / "),
    ("123,-10", 'geometry.coordinates: "123,-10" does not fit the layout of a Point'),
    ([123.5858], "geometry.coordinates: [123.5858] tidak sesuai susunan Point"),
])
def test_coordinates_that_are_not_geojson_positions_are_named_cleanly(
        write_api: Api, committed, coordinates, says: str) -> None:
    before = _count(committed)
    response = _post(write_api, coordinates)
    assert response.status_code == 400, response.text
    description = response.json()["description"]
    assert says in description
    assert "np." not in description and "str_" not in description
    assert _count(committed) == before


def test_an_unknown_geometry_type_is_named_with_the_choices(write_api: Api, committed) -> None:
    feature = point_feature("Jenis Asing")
    feature["geometry"] = {"type": "Circle", "coordinates": [123.5858, -10.1681]}
    response = write_api.call("editor-a", "POST", items_path(), json=feature)
    assert response.status_code == 400
    assert response.json()["description"].startswith(
        'geometry.type: "Circle" bukan jenis geometri GeoJSON; pilihan: Point, MultiPoint, ')


def test_another_agencys_draft_is_the_same_bilingual_404_as_no_feature_for_every_method(
        write_api: Api, committed) -> None:
    fid = committed_facility(committed, "Draf Rahasia", "draft")
    absent = fid + 1000
    answers = {}
    for method in ("GET", "PUT", "PATCH", "DELETE", "HISTORY"):
        for which, pk in (("hidden", fid), ("absent", absent)):
            path = items_path(fid=pk) + ("/history" if method == "HISTORY" else "")
            response = write_api.call("editor-b", "GET" if method == "HISTORY" else method,
                                      path, headers={"If-Match": "*"},
                                      json=point_feature("Ganti") if method != "GET" else None)
            assert response.status_code == 404, (method, which, response.text)
            answers[method, which] = response.json()["description"]
    for method in ("GET", "PUT", "PATCH", "DELETE", "HISTORY"):
        assert answers[method, "hidden"] == (
            f"facilities/{fid}: fitur tidak ditemukan. / facilities/{fid}: feature not found.")
        assert answers[method, "absent"] == answers[method, "hidden"].replace(
            str(fid), str(absent))


def test_property_messages_follow_the_request_language(write_api: Api, committed) -> None:
    """Indonesian by default, English with ?lang=en or the site's language cookie."""
    feature = point_feature("Bioskop", category="bioskop", kolom_baru=1)
    answers = {
        "default": write_api.call("editor-a", "POST", items_path(), json=feature),
        "lang": write_api.call("editor-a", "POST", items_path(), json=feature,
                               params={"lang": "en"}),
        "cookie": write_api.call("editor-a", "POST", items_path(), json=feature,
                                 cookies={"django_language": "en"}),
        "lang over cookie": write_api.call("editor-a", "POST", items_path(), json=feature,
                                           params={"lang": "id"},
                                           cookies={"django_language": "en"}),
    }
    messages = {}
    for how, response in answers.items():
        assert response.status_code == 422, (how, response.text)
        messages[how] = {e["property"]: e["message"] for e in response.json()["errors"]}
    assert messages["default"]["kategori"].startswith("'bioskop' bukan nilai yang dikenal")
    assert messages["default"]["kolom_baru"].startswith(
        "properti tidak dikenal; yang dapat ditulis: nama, ")
    for how in ("lang", "cookie"):
        assert messages[how]["kategori"].startswith("'bioskop' is not a known value")
        assert messages[how]["kolom_baru"].startswith("unknown property; writable: nama, ")
        assert answers[how].headers["Content-Language"] == "en"
    assert messages["lang over cookie"] == messages["default"]
    assert answers["default"].headers["Content-Language"] == "id"
    # The description keeps its bilingual lead, then the problems in that language.
    assert answers["lang"].json()["description"].startswith(
        "Fitur ditolak / Feature rejected — kategori: 'bioskop' is not a known value")


def test_lang_is_the_one_query_parameter_a_write_takes(write_api: Api, committed) -> None:
    before = _count(committed)
    french = write_api.call("editor-a", "POST", items_path(), json=point_feature("Klinik"),
                            params={"lang": "fr"})
    assert french.status_code == 400
    assert french.json()["description"] == (
        "lang: 'fr' tidak tersedia; pilihan: id, en. / lang: 'fr' is not offered; choose one "
        "of: id, en.")
    other = write_api.call("editor-a", "POST", items_path(), json=point_feature("Klinik"),
                           params={"lang": "en", "f": "json"})
    assert other.status_code == 400
    assert "takes no query parameters but lang: f." in other.json()["description"]
    assert _count(committed) == before
    created = write_api.call("editor-a", "POST", items_path(),
                             json=point_feature("Klinik Bahasa", category="klinik"),
                             params={"lang": "en"})
    assert created.status_code == 201, created.text


def test_the_openapi_document_declares_lang_on_every_write(write_api: Api) -> None:
    paths = write_api.get("anonim", "/ogc/openapi", params={"f": "json"}).json()["paths"]
    operations = [paths["/collections/facilities/items"]["post"],
                  *(paths["/collections/facilities/items/{featureId}"][m]
                    for m in ("put", "patch", "delete")),
                  paths["/collections/facilities/items/{featureId}/history/{version}/restore"]
                  ["post"]]
    for operation in operations:
        [lang] = [p for p in operation["parameters"] if p["name"] == "lang"]
        assert (lang["in"], lang["schema"]["enum"]) == ("query", ["id", "en"])
