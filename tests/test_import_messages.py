"""Import messages are Indonesian first, with an English translation in the catalogue.

Every text the importer passes to gettext (``_("...")`` in layers/importing,
and the write API's per-property messages in ogc/writes) must have an English
msgstr in locale/en/LC_MESSAGES/django.po (compiled to the committed .mo;
``tests/test_map_page.py`` checks the two agree), and an import run in
English says everything in English.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from django.utils import translation

from layers.errors import ImportRejected, NoKeyColumn
from layers.importing import import_file
from tests.test_map_page import LOCALE, _po_entries

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).parent / "data" / "import"
#: The importer, and the write API whose per-property messages are the import's kind.
MODULES = sorted([*(ROOT / "layers" / "importing").glob("*.py"),
                  *(ROOT / "ogc" / "writes").glob("*.py")])


def _gettext_texts(path: Path) -> list[str]:
    texts = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
                and node.func.id == "_" and node.args
                and isinstance(node.args[0], ast.Constant)):
            texts.append(node.args[0].value)
    return texts


def test_every_import_message_has_an_english_translation() -> None:
    entries = _po_entries(LOCALE / "django.po")
    texts = {text for module in MODULES for text in _gettext_texts(module)}
    assert len(texts) > 60
    missing = sorted(text for text in texts if not entries.get(text))
    assert missing == []


def test_a_rejected_import_reads_in_english_when_the_user_reads_english() -> None:
    with translation.override("en"):
        with pytest.raises(ImportRejected) as caught:
            import_file("facilities", DATA / "facilities_one_bad_row.geojson")
        report = caught.value.report
        assert str(report.rejected[0]).startswith(
            "row 3, category (kategori): 'Toko' is not a known value; choices: rumah_sakit, ")
        assert report.summary() == (
            "facilities_one_bad_row.geojson → facilities (REJECTED, nothing written): read 4, "
            "created 0, updated 0, unchanged 0, rejected 1")


def test_file_level_refusals_read_in_english_too() -> None:
    with translation.override("en"), pytest.raises(NoKeyColumn) as caught:
        import_file("facilities", DATA / "facilities_no_key.csv")
    assert str(caught.value).startswith(
        "facilities_no_key.csv: no key column external_id (looked for: id_sumber, id, ")
    with translation.override("en"), pytest.raises(ImportRejected) as caught:
        import_file("facilities", DATA / "facilities_one_typo_coordinate.csv")
    assert caught.value.report.rejected[0].message == (
        "coordinates (1236088393 -10.1639144) are not a valid longitude/latitude "
        "(longitude -180..180, latitude -90..90)")
