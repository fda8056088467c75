"""Catalogue metadata of a published layer: the Satu Data Indonesia elements.

Perpres 39/2019 (Satu Data Indonesia) requires that data produced by a
*Produsen Data* (the agency, OPD) comes with metadata in a standard structure
and format, curated by the *Walidata* (at city level usually Diskominfo); for
geospatial data the metadata standard is set by BIG (ISO 19115 elements). The
elements kept here are the ones those standards and DCAT-AP share: producing
agency, contact, update frequency, licence, themes, keywords (in the layer
declaration), lineage and dates. ``ogc.catalog`` turns them into OGC API
Records and DCAT; nothing here knows about either format.

Controlled vocabularies are the ones CKAN/DCAT-AP harvesters understand: the
EU "frequency" and "data-theme" authority lists and the INSPIRE themes.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from layers.registry import Text

FREQUENCY_SCHEME = "http://publications.europa.eu/resource/authority/frequency"
DATA_THEME_SCHEME = "http://publications.europa.eu/resource/authority/data-theme"
INSPIRE_THEME_SCHEME = "http://inspire.ec.europa.eu/theme"


@dataclass(frozen=True)
class Frequency:
    """Update frequency (Satu Data "frekuensi pemutakhiran", dct:accrualPeriodicity)."""

    code: str
    label: Text

    @property
    def uri(self) -> str:
        return f"{FREQUENCY_SCHEME}/{self.code}"


ANNUAL = Frequency("ANNUAL", Text("Tahunan", "Annually"))
AS_NEEDED = Frequency("AS_NEEDED", Text("Sesuai kebutuhan", "As needed"))


@dataclass(frozen=True)
class Theme:
    """A concept in a published theme scheme (OGC API Records ``themes``, dcat:theme)."""

    scheme: str
    code: str
    label: Text

    @property
    def uri(self) -> str:
        return f"{self.scheme}/{self.code}"


def data_theme(code: str, id_: str, en: str) -> Theme:
    return Theme(DATA_THEME_SCHEME, code, Text(id_, en))


def inspire_theme(code: str, id_: str, en: str) -> Theme:
    return Theme(INSPIRE_THEME_SCHEME, code, Text(id_, en))


@dataclass(frozen=True)
class Licence:
    """The licence the data is published under, as its sources state it.

    ``spdx`` is an SPDX identifier, or ``"other"`` when the sources state no
    licence (OGC API Records /req/record-core/record-license: then a
    ``license`` link must point to the statement). ``url`` ``None`` means that
    statement is Taksi's own sources page (fixtures/SOURCES.md).
    """

    spdx: str
    title: Text
    url: str | None = None


@dataclass(frozen=True)
class Contact:
    """A vCard-like contact (OGC API Records ``contacts``, dcat:contactPoint)."""

    name: str
    organization: str
    email: str
    phone: str = ""
    address: str = ""


#: The Walidata of Kota Kupang: curates the city's data and answers questions about it.
WALIDATA_KODE = "KOMINFO"
WALIDATA_CONTACT = Contact(
    name="Walidata Kota Kupang",
    organization="Dinas Komunikasi dan Informatika Kota Kupang",
    email="walidata@kupangkota.go.id",
    address="Jl. S. K. Lerik, Kelapa Lima, Kota Kupang, Nusa Tenggara Timur 85228, Indonesia",
)


@dataclass(frozen=True)
class LayerMetadata:
    """What a catalogue says about one layer beyond its title, description and keywords.

    ``producer`` is the kode of the Produsen Data in ``fixtures/agencies.json``.
    The models keep no edit timestamps, so ``issued`` (first published by
    Taksi) and ``modified`` (date of the data version: the source snapshot in
    SOURCES.md) are declared here and must be updated with the data.
    """

    producer: str
    frequency: Frequency
    licence: Licence
    themes: tuple[Theme, ...]
    lineage: Text
    rights: str
    issued: dt.date
    modified: dt.date
    contact: Contact = WALIDATA_CONTACT
    walidata: str = WALIDATA_KODE
