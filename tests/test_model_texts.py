"""The admin's texts from the models: Bahasa Indonesia as the msgid, English in
locale/en/LC_MESSAGES/django.po (the project's convention, see test_map_page.py
for the public pages' catalogue tests).

A help text written in English as the msgid shows up in English in the
Indonesian admin, and nothing in a catalogue test that only asks "is there a
msgstr?" notices. The rule here: every label and help text of the layers
app's models reads differently in Bahasa Indonesia and in English. That fails
on an English msgid without a translation (it reads the same in both), on an
Indonesian msgid without one (the English admin shows Indonesian), and on a
text computed once at import (a plain ``str``, frozen in one language).

Two kinds of text read the same in both languages on purpose: words that are
the same in both (``SAME_IN_BOTH``), and the admin's bilingual labels
"Indonesian / English" (``PublicationState``'s, which import messages quote).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from django.apps import apps
from django.db import models
from django.utils import translation
from django.utils.functional import Promise

#: Words spelled the same in Bahasa Indonesia and English.
SAME_IN_BOTH = {"API", "Admin", "status"}
#: "Draf / Draft": two different halves around one " / ".
BILINGUAL = re.compile(r"^(?P<id>[^/]+?) / (?P<en>[^/]+)$")


def _is_ours(model: type[models.Model]) -> bool:
    """Our models; django-simple-history's Historical* copies repeat our fields
    and add its own (history_date, history_user, ...), which are not ours to word."""
    return not model.__name__.startswith("Historical")


def model_texts() -> Iterator[tuple[str, object]]:
    for model in apps.get_app_config("layers").get_models():
        if not _is_ours(model):
            continue
        meta = model._meta
        for attr in ("verbose_name", "verbose_name_plural"):
            yield f"{meta.label}.Meta.{attr}", meta.original_attrs.get(attr)
        for field in meta.get_fields():
            if field.auto_created or not isinstance(field, models.Field):
                continue  # the "ID" of the primary key, reverse relations
            yield f"{meta.label}.{field.name}.verbose_name", field.verbose_name
            yield f"{meta.label}.{field.name}.help_text", field.help_text
            for value, label in field.flatchoices:
                yield f"{meta.label}.{field.name}.choices[{value}]", label


def _rendered(text: object, language: str) -> str:
    with translation.override(language):
        return str(text)


def _reads_the_same_by_design(text: str) -> bool:
    bilingual = BILINGUAL.match(text)
    return text in SAME_IN_BOTH or bool(
        bilingual and bilingual["id"].lower() != bilingual["en"].lower())


def test_every_model_label_and_help_text_of_the_layers_app_is_indonesian_with_english() -> None:
    texts = [(where, text) for where, text in model_texts() if text]
    assert len(texts) > 120  # the scan really walks the fields
    frozen = [where for where, text in texts if not isinstance(text, Promise)]
    assert frozen == [], "not translatable (a str, not gettext_lazy)"
    same = [f"{where}: {_rendered(text, 'id')!r}" for where, text in texts
            if _rendered(text, "id") == _rendered(text, "en")
            and not _reads_the_same_by_design(_rendered(text, "id"))]
    assert same == [], "no English translation, or an English msgid"


def test_the_known_english_help_texts_are_now_translations() -> None:
    """The audit's examples: Indonesian in the Indonesian admin, the old text in English."""
    from layers.models import ApiToken, Facility, ProjectProgress

    examples = [
        (ApiToken._meta.get_field("name").help_text, "What the token is for, e.g. 'QGIS laptop'."),
        (ApiToken._meta.get_field("expires").help_text, "Empty: valid until revoked."),
        (Facility._meta.get_field("agency").help_text,
         "The agency (OPD) that keeps this record up to date."),
        (ProjectProgress._meta.get_field("spent").help_text,
         "Cumulative realised spending on that date, in whole Rupiah."),
        (Facility._meta.get_field("state").help_text,
         "Changed only through the workflow actions (layers.workflow)."),
        (Facility._meta.get_field("kelurahan").help_text,
         "Set by a spatial join on save, never trusted from the file's text."),
    ]
    for text, english in examples:
        assert _rendered(text, "en") == english
        assert _rendered(text, "id") != english


def test_the_empty_choice_of_a_select_is_indonesian_with_english() -> None:
    """Django 6.1's "- Select an option -" has no Indonesian in Django's catalogue;
    spatial.apps sets the label (as Django documents, in an app's ready())."""
    from layers.models import Facility

    choices = Facility._meta.get_field("category").formfield().choices
    assert choices[0][0] == ""
    assert _rendered(choices[0][1], "id") == "- Pilih salah satu -"
    assert _rendered(choices[0][1], "en") == "- Select an option -"
