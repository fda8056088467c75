"""The catalogue: one metadata record per published layer (OGC API Records, DCAT).

Everything comes from the layer declarations (``layers.registry``, with their
``layers.metadata.LayerMetadata``) plus what only the data knows: the spatial
extent and the time span, computed in PostGIS, and the agencies' names from
the Agency table. ``layer_facts`` gathers those once per request;
``record`` shapes one OGC API Records record (GeoJSON) from them and
``ogc.dcat`` the DCAT dataset. The pygeoapi side is ``catalog_resource`` (the
``catalog`` collection in the config) and ``ogc.providers.records``.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.gis.db.models import Extent
from django.db.models import Max, Min

from layers.exporting.formats import FORMATS
from layers.metadata import LayerMetadata
from layers.models import Agency
from layers.registry import LayerDeclaration, published_layers
from ogc.errors import InvalidParameterValue
from ogc.parameters import COMMON, check_parameters

CATALOG_ID = "catalog"
CRS84 = "http://www.opengis.net/def/crs/OGC/1.3/CRS84"
RECORD_CORE = "http://www.opengis.net/spec/ogcapi-records-1/1.0/req/record-core"
OGC_REL = "http://www.opengis.net/def/rel/ogc/1.0"
RECORD_PROFILE = "http://www.opengis.net/def/profile/OGC/0/ogc-record"
CATALOG_TITLE = "Katalog data Kota Kupang"
#: Record properties a client may filter and sort on (queryables of ``catalog``).
RECORD_FIELDS = {
    "type": "Jenis sumber daya / Resource type",
    "title": "Judul / Title",
    "license": "Lisensi (SPDX) / Licence (SPDX)",
    "producer": "Kode produsen data / Producing agency code",
    "updateFrequency": "Frekuensi pemutakhiran / Update frequency",
}
RECORD_PARAMETERS = COMMON | {
    "limit", "offset", "bbox", "datetime", "q", "ids", "externalIds", "sortby", *RECORD_FIELDS,
}
#: What pygeoapi renders records as (its CSV writer fails on records: a 500).
RECORD_FORMATS = ("json", "html", "jsonld")


#: The file exports under ``/download/<layer>.<ext>``, declared once in layers.exporting.
DOWNLOAD_FORMATS = FORMATS


@dataclass(frozen=True)
class LayerFacts:
    """A layer's declaration plus what the database says about it today."""

    layer: LayerDeclaration
    meta: LayerMetadata
    bbox: tuple[float, float, float, float] | None
    time: tuple[dt.date | None, dt.date | None] | None
    producer: str
    walidata: str


def site_url() -> str:
    return settings.TAKSI_BASE_URL


def _bbox(layer: LayerDeclaration) -> tuple[float, float, float, float] | None:
    """PostGIS ST_Extent; rounded to 6 decimals (~0.1 m), as the collection extents are."""
    extent = layer.public_queryset().aggregate(bbox=Extent("geometry"))["bbox"]
    return tuple(round(v, 6) for v in extent) if extent else None  # type: ignore[return-value]


def _time(layer: LayerDeclaration) -> tuple[dt.date | None, dt.date | None] | None:
    if layer.time_fields is None:
        return None
    start, end = (layer.property_named(name) for name in layer.time_fields)
    assert start is not None and end is not None
    found = layer.public_queryset().aggregate(begin=Min(start.path), end=Max(end.path))
    return (found["begin"], found["end"]) if found["begin"] or found["end"] else None


def layer_facts() -> list[LayerFacts]:
    """Every published layer that carries catalogue metadata, in registry order."""
    layers = [layer for layer in published_layers() if layer.metadata is not None]
    codes = {c for layer in layers for c in (layer.metadata.producer, layer.metadata.walidata)}
    names = dict(Agency.objects.filter(kode__in=codes).values_list("kode", "nama"))
    return [
        LayerFacts(
            layer=layer,
            meta=layer.metadata,
            bbox=_bbox(layer),
            time=_time(layer),
            producer=names.get(layer.metadata.producer, layer.metadata.producer),
            walidata=names.get(layer.metadata.walidata, layer.metadata.walidata),
        )
        for layer in layers
    ]


def licence_url(meta: LayerMetadata) -> str:
    """The licence text, or Taksi's source notes when the sources state no licence."""
    return meta.licence.url or f"{site_url()}/sumber-data/#sources-md"


def bbox_polygon(bbox: tuple[float, float, float, float]) -> dict[str, Any]:
    minx, miny, maxx, maxy = bbox
    ring = [[minx, miny], [maxx, miny], [maxx, maxy], [minx, maxy], [minx, miny]]
    return {"type": "Polygon", "coordinates": [ring]}


def _stamp(day: dt.date) -> str:
    return f"{day.isoformat()}T00:00:00Z"


def _contacts(facts: LayerFacts) -> list[dict[str, Any]]:
    """OGC API Records ``contacts``: the Walidata to ask, the Produsen Data that made it."""
    contact = facts.meta.contact
    return [
        {
            "name": contact.name,
            "organization": contact.organization,
            "emails": [{"value": contact.email}],
            "addresses": [{"deliveryPoint": [contact.address]}] if contact.address else [],
            "roles": ["pointOfContact", "custodian"],
        },
        {"organization": facts.producer, "roles": ["originator", "producer"]},
    ]


def _themes(meta: LayerMetadata) -> list[dict[str, Any]]:
    schemes: dict[str, list[dict[str, str]]] = {}
    for theme in meta.themes:
        schemes.setdefault(theme.scheme, []).append(
            {"id": theme.code, "title": theme.label.en, "url": theme.uri}
        )
    return [{"scheme": scheme, "concepts": concepts} for scheme, concepts in schemes.items()]


def record_properties(facts: LayerFacts) -> dict[str, Any]:
    layer, meta = facts.layer, facts.meta
    return {
        "type": "dataset",
        "title": layer.title.id,
        "description": f"{layer.description.id}\n\n{layer.description.en}",
        "keywords": list(layer.keywords),
        "themes": _themes(meta),
        "language": {"code": "id", "name": "Bahasa Indonesia"},
        "resourceLanguages": [{"code": "id"}, {"code": "en"}],
        "formats": [{"name": f.label, "mediaType": f.media_type} for f in DOWNLOAD_FORMATS],
        "contacts": _contacts(facts),
        "license": meta.licence.spdx,
        "rights": meta.rights,
        "created": _stamp(meta.issued),
        "updated": _stamp(max(meta.issued, meta.modified)),
        # Satu Data elements with no core Records property (additional properties):
        "producer": meta.producer,
        "producerName": facts.producer,
        "updateFrequency": meta.frequency.code,
        "updateFrequencyLabel": f"{meta.frequency.label.id} / {meta.frequency.label.en}",
        "lineage": meta.lineage.id,
        "titleEn": layer.title.en,
    }


def record(facts: LayerFacts, in_list: bool = True) -> dict[str, Any]:
    """One OGC API Records record (GeoJSON Feature) describing a published layer.

    /req/record-core/links wants exactly one ``collection`` link per record:
    pygeoapi adds it to a single record (``in_list=False``), we add it in lists.
    """
    begin, end = facts.time or (None, None)
    links = record_links(facts)
    if in_list:
        links.append({"rel": "collection", "type": "application/json", "title": CATALOG_TITLE,
                      "href": f"{site_url()}/ogc/collections/{CATALOG_ID}"})
    return {
        "id": facts.layer.id,
        "type": "Feature",
        "conformsTo": [RECORD_CORE],
        "time": {"interval": [_iso(begin), _iso(end)]} if facts.time else None,
        "geometry": bbox_polygon(facts.bbox) if facts.bbox else None,
        "properties": record_properties(facts),
        "links": links,
    }


def _iso(day: dt.date | None) -> str:
    return day.isoformat() if day else ".."


def record_links(facts: LayerFacts) -> list[dict[str, Any]]:
    """Where the data is: OGC API items, queryables, tiles, file downloads, licence."""
    layer_id, title = facts.layer.id, facts.layer.title.id
    collection = f"{site_url()}/ogc/collections/{layer_id}"
    links = [
        # /req/record-core/default-mediatype: JSON records name their profile.
        {"rel": "profile", "href": RECORD_PROFILE, "title": "OGC API - Records record"},
        {"rel": "describes", "type": "application/json", "href": f"{collection}?f=json",
         "title": f"{title} (OGC API collection)"},
        {"rel": "items", "type": "application/geo+json", "href": f"{collection}/items?f=json",
         "title": f"{title} — fitur / features (OGC API - Features)"},
        {"rel": f"{OGC_REL}/queryables", "type": "application/schema+json",
         "href": f"{collection}/queryables?f=json", "title": "Queryables"},
        {"rel": f"{OGC_REL}/tilesets-vector", "type": "application/json",
         "href": f"{collection}/tiles?f=json", "title": "Vector tiles (OGC API - Tiles)"},
    ]
    links += [
        {"rel": "enclosure", "type": f.media_type, "title": f"{title} ({f.label})",
         "href": f"{site_url()}/download/{layer_id}.{f.ext}"}
        for f in DOWNLOAD_FORMATS
    ]
    links.append({"rel": "license", "type": "text/html", "href": licence_url(facts.meta),
                  "title": facts.meta.licence.title.id})
    return links


def catalog_resource() -> dict[str, Any]:
    """The pygeoapi ``catalog`` collection (itemType record), served by our record provider."""
    boxes = [f.bbox for f in layer_facts() if f.bbox]
    bbox = [min(b[0] for b in boxes), min(b[1] for b in boxes),
            max(b[2] for b in boxes), max(b[3] for b in boxes)] if boxes else [-180, -90, 180, 90]
    return {
        "type": "collection",
        "title": {"id": CATALOG_TITLE, "en": "Kota Kupang data catalogue"},
        "description": {
            "id": "Metadata setiap lapisan yang diterbitkan (elemen Satu Data Indonesia).",
            "en": "Metadata of every published layer (Satu Data Indonesia elements).",
        },
        "keywords": ["katalog", "metadata", "Satu Data Indonesia", "catalogue"],
        "extents": {"spatial": {"bbox": bbox, "crs": CRS84}},
        "links": [{
            "type": "application/ld+json", "rel": "alternate",
            "title": "Katalog DCAT (JSON-LD) / DCAT catalogue (JSON-LD)",
            "href": f"{site_url()}/catalog.jsonld",
        }],
        "providers": [{
            "type": "record",
            "name": "ogc.providers.records.CatalogueProvider",
            "data": "layers.registry",
            "id_field": "id",
            "title_field": "title",
            "time_field": "time",
            # pygeoapi hands ids/externalIds/type to the provider only with this set;
            # ogc.catalog.check_record_parameters has already refused anything else.
            "include_extra_query_parameters": True,
        }],
    }


def is_record_collection(collection_id: str) -> bool:
    return collection_id == CATALOG_ID


def check_record_parameters(params: Mapping[str, str]) -> None:
    """OGC API Records core query parameters; unknown ones are a 400, as for features."""
    check_parameters(params, frozenset(RECORD_PARAMETERS))
    check_record_format(params)
    if "sortby" in params:
        _check_sortby(params["sortby"])
    if "bbox" in params:
        try:
            numbers = [float(part) for part in params["bbox"].split(",")]
        except ValueError:
            return  # pygeoapi answers a malformed bbox with its own 400
        if not all(math.isfinite(n) for n in numbers):
            raise InvalidParameterValue("bbox: every value must be a finite number")


def check_record_format(params: Mapping[str, str]) -> None:
    if "f" in params and params["f"] not in RECORD_FORMATS:
        raise InvalidParameterValue(
            f"f: {params['f']!r} is not one of {', '.join(RECORD_FORMATS)}")


def _check_sortby(value: str) -> None:
    """``sortby`` on record properties (the queryables); pygeoapi would only say
    "bad sortby property". A raw ``+`` decodes to a space, as for features."""
    for term in value.split(","):
        name = term.strip().lstrip("+-")
        if name not in RECORD_FIELDS:
            raise InvalidParameterValue(
                f"sortby: unknown record property {name!r}; sortable: "
                f"{', '.join(sorted(RECORD_FIELDS))}"
            )
