"""The catalogue as DCAT (JSON-LD) at ``/catalog.jsonld``, for CKAN and data portals.

One ``dcat:Catalog`` with one ``dcat:Dataset`` per published layer, built from
the same facts as the OGC API Records records (``ogc.catalog``). The shapes
follow DCAT-AP and GeoDCAT-AP as ckanext-dcat's RDF parser reads them (it
parses JSON-LD with rdflib): ``dct:publisher`` a ``foaf:Organization`` with
``foaf:name``; ``dcat:contactPoint`` a ``vcard:Organization`` with ``vcard:fn``
and ``vcard:hasEmail``; ``dct:license`` on the dataset and on every
distribution (CKAN takes the dataset licence from its distributions);
``dct:spatial`` a ``dct:Location`` with ``dcat:bbox`` (WKT) and
``locn:geometry`` (GeoJSON and WKT literals); ``dct:temporal`` a
``dct:PeriodOfTime`` with ``dcat:startDate``/``dcat:endDate`` (DCAT-AP 2) and
their schema.org twins (ckanext-dcat's DCAT-AP 1 reader).

In Satu Data terms the publisher is the Walidata (it makes the data
available) and ``dct:creator`` the Produsen Data (the agency that made it).
"""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpRequest, JsonResponse

from layers.metadata import WALIDATA_CONTACT, Contact
from ogc.catalog import (
    DOWNLOAD_FORMATS,
    LayerFacts,
    bbox_polygon,
    layer_facts,
    licence_url,
    site_url,
)
from ogc.parameters import check_parameters
from ogc.views import ogc_view

CONTEXT = {
    "dcat": "http://www.w3.org/ns/dcat#",
    "dct": "http://purl.org/dc/terms/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "vcard": "http://www.w3.org/2006/vcard/ns#",
    "locn": "http://www.w3.org/ns/locn#",
    "gsp": "http://www.opengis.net/ont/geosparql#",
    "schema": "http://schema.org/",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}
GEOJSON_LITERAL = "https://www.iana.org/assignments/media-types/application/vnd.geo+json"
IANA = "https://www.iana.org/assignments/media-types"
EU_LANGUAGE = "http://publications.europa.eu/resource/authority/language"
PUBLIC_ACCESS = "http://publications.europa.eu/resource/authority/access-right/PUBLIC"
FEATURES_CORE = "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core"
MEDIA_TYPE = "application/ld+json"


def _texts(id_: str, en: str) -> list[dict[str, str]]:
    return [{"@value": id_, "@language": "id"}, {"@value": en, "@language": "en"}]


def _date(day: Any) -> dict[str, str]:
    return {"@value": day.isoformat(), "@type": "xsd:date"}


def _organization(name: str) -> dict[str, Any]:
    return {"@type": ["foaf:Organization", "foaf:Agent"], "foaf:name": name}


def _contact_point(contact: Contact) -> dict[str, Any]:
    point: dict[str, Any] = {
        "@type": "vcard:Organization",
        "vcard:fn": contact.name,
        "vcard:organization-name": contact.organization,
        "vcard:hasEmail": {"@id": f"mailto:{contact.email}"},
    }
    if contact.address:
        point["vcard:hasAddress"] = {"@type": "vcard:Address",
                                     "vcard:street-address": contact.address}
    return point


def _spatial(bbox: tuple[float, float, float, float]) -> dict[str, Any]:
    """GeoDCAT-AP: the extent as WKT (``dcat:bbox``) and as GeoJSON (``locn:geometry``)."""
    minx, miny, maxx, maxy = bbox
    wkt = (f"POLYGON(({minx} {miny},{maxx} {miny},{maxx} {maxy},"
           f"{minx} {maxy},{minx} {miny}))")
    return {
        "@type": "dct:Location",
        "dcat:bbox": {"@value": wkt, "@type": "gsp:wktLiteral"},
        "locn:geometry": [
            {"@value": json.dumps(bbox_polygon(bbox)), "@type": GEOJSON_LITERAL},
            {"@value": wkt, "@type": "gsp:wktLiteral"},
        ],
    }


def _temporal(facts: LayerFacts) -> dict[str, Any]:
    begin, end = facts.time or (None, None)
    period: dict[str, Any] = {"@type": "dct:PeriodOfTime"}
    if begin:
        period["dcat:startDate"] = period["schema:startDate"] = _date(begin)
    if end:
        period["dcat:endDate"] = period["schema:endDate"] = _date(end)
    return period


def _licence(facts: LayerFacts) -> dict[str, Any]:
    title = facts.meta.licence.title
    return {"@id": licence_url(facts.meta), "@type": "dct:LicenseDocument",
            "dct:title": _texts(title.id, title.en), "dct:identifier": facts.meta.licence.spdx}


def _distributions(facts: LayerFacts) -> list[dict[str, Any]]:
    """The OGC API - Features endpoint, then one file download per export format."""
    layer_id, licence = facts.layer.id, {"@id": licence_url(facts.meta)}
    items = f"{site_url()}/ogc/collections/{layer_id}/items"
    distributions = [{
        "@id": f"{items}#distribution",
        "@type": "dcat:Distribution",
        "dct:title": "OGC API - Features",
        "dcat:accessURL": {"@id": items},
        "dcat:mediaType": {"@id": f"{IANA}/application/geo+json"},
        "dct:format": "OGC API - Features",
        "dct:conformsTo": {"@id": FEATURES_CORE},
        "dct:license": licence,
    }]
    for fmt in DOWNLOAD_FORMATS:
        url = f"{site_url()}/download/{layer_id}.{fmt.ext}"
        distributions.append({
            "@id": f"{url}#distribution",
            "@type": "dcat:Distribution",
            "dct:title": f"{facts.layer.title.id} ({fmt.label})",
            "dcat:accessURL": {"@id": url},
            "dcat:downloadURL": {"@id": url},
            "dcat:mediaType": {"@id": f"{IANA}/{fmt.media_type}"},
            "dct:format": fmt.label,
            "dct:license": licence,
        })
    return distributions


def dataset(facts: LayerFacts) -> dict[str, Any]:
    layer, meta = facts.layer, facts.meta
    uri = f"{site_url()}/ogc/collections/{layer.id}"
    node: dict[str, Any] = {
        "@id": uri,
        "@type": "dcat:Dataset",
        "dct:identifier": uri,
        "dct:title": _texts(layer.title.id, layer.title.en),
        "dct:description": _texts(layer.description.id, layer.description.en),
        "dcat:keyword": list(layer.keywords),
        "dcat:theme": [{"@id": theme.uri} for theme in meta.themes],
        "dct:publisher": _organization(facts.walidata),
        "dct:creator": _organization(facts.producer),
        "dcat:contactPoint": _contact_point(meta.contact),
        "dct:license": _licence(facts),
        "dct:rights": {"@type": "dct:RightsStatement", "rdfs:label": meta.rights},
        "dct:accessRights": {"@id": PUBLIC_ACCESS},
        "dct:accrualPeriodicity": {"@id": meta.frequency.uri},
        "dct:provenance": {"@type": "dct:ProvenanceStatement",
                           "rdfs:label": _texts(meta.lineage.id, meta.lineage.en)},
        "dct:language": [{"@id": f"{EU_LANGUAGE}/IND"}, {"@id": f"{EU_LANGUAGE}/ENG"}],
        "dct:issued": _date(meta.issued),
        "dct:modified": _date(meta.modified),
        "dcat:landingPage": {"@id": f"{uri}?f=html"},
        "dcat:distribution": _distributions(facts),
    }
    if facts.bbox:
        node["dct:spatial"] = _spatial(facts.bbox)
    if facts.time:
        node["dct:temporal"] = _temporal(facts)
    return node


def catalog_document() -> dict[str, Any]:
    """The whole ``dcat:Catalog`` as a JSON-LD document."""
    all_facts = layer_facts()
    datasets = [dataset(facts) for facts in all_facts]
    modified = max((f.meta.modified for f in all_facts), default=None)
    document: dict[str, Any] = {
        "@context": CONTEXT,
        "@id": f"{site_url()}/catalog.jsonld",
        "@type": "dcat:Catalog",
        "dct:title": _texts("Katalog data Kota Kupang (Taksi)",
                            "Kota Kupang data catalogue (Taksi)"),
        "dct:description": _texts(
            "Data spasial terbuka Pemerintah Kota Kupang, dengan elemen metadata Satu Data "
            "Indonesia.",
            "Open spatial data of the City of Kupang, with Satu Data Indonesia metadata.",
        ),
        "dct:publisher": _organization(
            all_facts[0].walidata if all_facts else WALIDATA_CONTACT.organization),
        "dcat:contactPoint": _contact_point(WALIDATA_CONTACT),
        "foaf:homepage": {"@id": f"{site_url()}/"},
        "dct:language": [{"@id": f"{EU_LANGUAGE}/IND"}, {"@id": f"{EU_LANGUAGE}/ENG"}],
        "dcat:dataset": datasets,
    }
    if modified:
        document["dct:modified"] = _date(modified)
    return document


@ogc_view
def catalog_jsonld(request: HttpRequest) -> JsonResponse:
    """``GET /catalog.jsonld``: the DCAT catalogue; a harvester's entry point.

    It takes no query parameter: any is a 400 naming it, as everywhere in the
    API (a harvester's typo should not pass for the whole catalogue).
    """
    check_parameters(request.GET, frozenset())
    return JsonResponse(catalog_document(), content_type=MEDIA_TYPE,
                        json_dumps_params={"ensure_ascii": False})
