"""The pygeoapi configuration, built in code from ``layers.registry``.

No YAML is kept by hand: each published layer declaration becomes one
pygeoapi collection, with spatial (and temporal) extents computed from the
data. The config, the OpenAPI document generated from it (``get_oas``) and the
``pygeoapi.api.API`` object are built once per process and rebuilt only when
data changes (model signals) or after ``REBUILD_AFTER_S`` seconds, so other
worker processes pick up new extents too.
"""

from __future__ import annotations

import datetime as dt
import math
import threading
import time
from typing import Any

from django.conf import settings
from django.contrib.gis.db.models import Extent
from django.db.models import Max, Min
from pygeoapi.api import API
from pygeoapi.openapi import get_oas
from pygeoapi.plugin import load_plugin

from layers.exporting import FORMATS
from layers.registry import LayerDeclaration, get_layer, published_layers
from ogc.catalog import CATALOG_ID, catalog_resource
from ogc.coverages import coverage_resources
from ogc.crs import CRS84_URI, URIS
from ogc.openapi import DEFAULT_ITEMS, MAX_ITEMS, taksi_oas
from ogc.openapi_refs import localise_refs
from ogc.openapi_services import add_service_parameters
from ogc.processes import process_manager, process_resources
from ogc.providers.features import LayerProvider
from ogc.tiles.openapi import add_tile_paths
from ogc.writes.openapi import add_write_paths

#: Other processes see changed extents within this many seconds.
REBUILD_AFTER_S = 60.0
#: Kota Kupang's envelope, used while a layer is still empty.
KUPANG_BBOX = [123.52, -10.30, 123.70, -10.12]
CRS84 = CRS84_URI

_lock = threading.Lock()
_state: dict[str, Any] = {"api": None, "built_at": 0.0}
_providers: dict[str, LayerProvider] = {}


def ogc_base_url() -> str:
    return f"{settings.TAKSI_BASE_URL}/ogc"


def _spatial_extent(layer: LayerDeclaration) -> list[float]:
    """The data's envelope, rounded outwards to 6 decimals (~0.1 m).

    Rounded to the nearest, a point on the edge would fall outside the
    advertised extent, and a client using the extent as ``bbox`` would miss it.
    """
    extent = layer.public_queryset().aggregate(bbox=Extent("geometry"))["bbox"]
    if not extent:
        return list(KUPANG_BBOX)
    minx, miny, maxx, maxy = extent
    scale = 10**6
    return [math.floor(minx * scale) / scale, math.floor(miny * scale) / scale,
            math.ceil(maxx * scale) / scale, math.ceil(maxy * scale) / scale]


def _temporal_extent(layer: LayerDeclaration) -> dict[str, Any] | None:
    if layer.time_fields is None:
        return None
    start = layer.property_named(layer.time_fields[0])
    end = layer.property_named(layer.time_fields[1])
    assert start is not None and end is not None
    found = layer.public_queryset().aggregate(begin=Min(start.path), end=Max(end.path))
    return {
        "begin": _as_datetime(found["begin"]),
        "end": _as_datetime(found["end"]),
        "trs": "http://www.opengis.net/def/uom/ISO-8601/0/Gregorian",
    }


def _as_datetime(day: dt.date | None) -> dt.datetime | None:
    """pygeoapi compares temporal extents as aware datetimes (what YAML would give)."""
    return dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC) if day else None


def _vector_tiles_link(layer: LayerDeclaration) -> dict[str, Any]:
    """OGC API Tiles /req/geodata-tilesets: the collection links its vector tilesets."""
    return {
        "type": "application/json",
        "rel": "http://www.opengis.net/def/rel/ogc/1.0/tilesets-vector",
        "title": {"id": "Tile vektor (Mapbox Vector Tiles)",
                  "en": "Vector tiles (Mapbox Vector Tiles)"},
        "href": f"{ogc_base_url()}/collections/{layer.id}/tiles",
    }


def provider_definition(layer: LayerDeclaration) -> dict[str, Any]:
    """The feature provider, by dotted path (pygeoapi's plugin loader imports it)."""
    return {
        "type": "feature",
        "name": "ogc.providers.features.LayerProvider",
        "data": layer.id,
        "id_field": "id",
        "title_field": layer.title_field,
        "crs": list(URIS),
        "storage_crs": CRS84,
    }


def collection_resource(layer: LayerDeclaration) -> dict[str, Any]:
    extents: dict[str, Any] = {"spatial": {"bbox": _spatial_extent(layer), "crs": CRS84}}
    temporal = _temporal_extent(layer)
    if temporal:
        extents["temporal"] = temporal
    return {
        "type": "collection",
        "title": layer.title.as_dict(),
        "description": layer.description.as_dict(),
        "keywords": list(layer.keywords),
        "extents": extents,
        "links": [
            {
                "type": "text/html",
                "rel": "license",
                "title": "Sumber dan lisensi / Sources and licence",
                "href": f"{settings.TAKSI_BASE_URL}/sumber-data/",
            },
            *download_links(layer),
            _vector_tiles_link(layer),
        ],
        "limits": {"default_items": DEFAULT_ITEMS, "max_items": MAX_ITEMS, "on_exceed": "error"},
        "providers": [provider_definition(layer)],
    }


def download_links(layer: LayerDeclaration) -> list[dict[str, str]]:
    """One ``enclosure`` link per export format (OGC API Features /rec/core/links:
    "enclosure" is the relation for a download of the whole collection)."""
    return [
        {
            "type": fmt.media_type,
            "rel": "enclosure",
            "title": f"Unduh seluruh lapisan sebagai {fmt.label} / "
                     f"Download the whole layer as {fmt.label}",
            "href": f"{settings.TAKSI_BASE_URL}/download/{layer.id}.{fmt.ext}",
        }
        for fmt in FORMATS
    ]


def build_config() -> dict[str, Any]:
    """The whole pygeoapi configuration as a dict."""
    title = {"id": "Taksi — Data Kota Kupang Terintegrasi", "en": "Taksi — Kota Kupang open data"}
    description = {
        "id": "Data spasial terpadu Pemerintah Kota Kupang sebagai OGC API.",
        "en": "Integrated spatial data of the City of Kupang as OGC API.",
    }
    return {
        "server": {
            "bind": {"host": "127.0.0.1", "port": 8000},
            "url": ogc_base_url(),
            "mimetype": "application/json; charset=UTF-8",
            "encoding": "utf-8",
            "gzip": False,
            "languages": ["id", "en"],
            "pretty_print": False,
            "limits": {"default_items": DEFAULT_ITEMS, "max_items": MAX_ITEMS,
                       "on_exceed": "error"},
            "map": {
                "url": settings.TAKSI_BASEMAP_URL,
                "attribution": settings.TAKSI_BASEMAP_ATTRIBUTION,
            },
            "api_rules": {"strict_slashes": True},
            "manager": process_manager(),
        },
        "logging": {"level": "ERROR"},
        "metadata": {
            "identification": {
                "title": title,
                "description": description,
                "keywords": ["Kota Kupang", "NTT", "data terbuka", "open data", "OGC API"],
                "keywords_type": "theme",
                "terms_of_service": f"{settings.TAKSI_BASE_URL}/sumber-data/",
                "url": settings.TAKSI_BASE_URL,
            },
            "license": {
                "name": "Lisensi per lapisan, lihat sumber data / licence per layer",
                "url": f"{settings.TAKSI_BASE_URL}/sumber-data/",
            },
            "provider": {
                "name": "Pemerintah Kota Kupang — Dinas Komunikasi dan Informatika",
                "url": settings.TAKSI_BASE_URL,
            },
            "contact": {
                "name": "Walidata Kota Kupang",
                "position": "Dinas Komunikasi dan Informatika",
                "address": "Jl. S. K. Lerik, Kelapa Lima",
                "city": "Kota Kupang",
                "stateorprovince": "Nusa Tenggara Timur",
                "postalcode": "85228",
                "country": "Indonesia",
                "email": "walidata@kupangkota.go.id",
                "url": settings.TAKSI_BASE_URL,
                "hours": "Senin–Jumat 08.00–16.00 WITA",
                "instructions": "Hubungi pada jam kerja / contact during office hours",
                "role": "pointOfContact",
            },
        },
        "resources": {
            **{layer.id: collection_resource(layer) for layer in published_layers()},
            CATALOG_ID: catalog_resource(),
            **coverage_resources(),
            **process_resources(),
        },
    }


def get_api() -> API:
    """The pygeoapi ``API`` for this process, rebuilt when data changed."""
    with _lock:
        stale = time.monotonic() - _state["built_at"] > REBUILD_AFTER_S
        if _state["api"] is None or stale:
            config = build_config()
            oas = taksi_oas(get_oas(config))
            add_tile_paths(oas)  # Taksi's own tile views (pygeoapi describes only its own)
            add_service_parameters(oas)  # records, coverage, processes, jobs: as checked
            add_write_paths(oas)  # OGC API Features Part 4 (``ogc.writes``)
            localise_refs(oas)  # no $ref to another host: the document validates offline
            _state["api"] = API(config, oas)
            _state["built_at"] = time.monotonic()
        return _state["api"]


def get_provider(collection_id: str) -> LayerProvider:
    """The feature provider of a layer, loaded by pygeoapi's plugin loader once.

    Independent of the API object: the provider needs no extents, so the
    items path never waits while ``get_api`` rebuilds the configuration.
    """
    provider = _providers.get(collection_id)
    if provider is None:
        provider = load_plugin("provider", provider_definition(get_layer(collection_id)))
        _providers[collection_id] = provider
    return provider


def invalidate(**_: Any) -> None:
    """Forget the built API so the next request recomputes the extents."""
    _state["api"] = None

