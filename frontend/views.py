"""Public pages. They never read the models: data comes from /ogc/ like any client.

The map page gets the layer declarations (``layers.registry``), the OGC API
items URL of each layer and the label maps of the coded properties; the
browser then reads every feature from the OGC API (``frontend/map.js``).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from layers.models import FacilityCategory, FundingSource, ProjectStatus
from layers.registry import LayerDeclaration, Text, published_layers

#: Features per OGC API request; the page follows rel=next links for the rest.
PAGE_SIZE = 1000

#: Label maps for coded properties, by property name (labels from the model choices).
CODED_PROPERTIES = {
    "kategori": FacilityCategory,
    "status": ProjectStatus,
    "sumber_dana": FundingSource,
}

#: Marker colour per facility category (ColorBrewer "Paired"/"Dark2" tones,
#: all readable against white and against the base map). Unknown codes fall
#: back to the layer colour.
CATEGORY_COLORS = {
    FacilityCategory.RUMAH_SAKIT: "#e31a1c",
    FacilityCategory.PUSKESMAS: "#fb6a4a",
    FacilityCategory.KLINIK: "#a50f15",
    FacilityCategory.SD: "#1b9e77",
    FacilityCategory.SMP: "#168a68",
    FacilityCategory.SMA_SMK: "#0f6b50",
    FacilityCategory.PERGURUAN_TINGGI: "#084a37",
    FacilityCategory.GEREJA: "#1f78b4",
    FacilityCategory.MASJID: "#2c7d3f",
    FacilityCategory.PURA: "#b15928",
    FacilityCategory.VIHARA: "#cab22c",
    FacilityCategory.KANTOR_PEMERINTAH: "#6a3d9a",
    FacilityCategory.PASAR: "#e7298a",
    FacilityCategory.LAINNYA: "#666666",
}

#: Fill colour per OC4IDS project status: planning in blues, work in progress
#: in amber, done in greens, cancelled in grey.
STATUS_COLORS = {
    ProjectStatus.IDENTIFICATION: "#9ecae1",
    ProjectStatus.PREPARATION: "#4292c6",
    ProjectStatus.IMPLEMENTATION: "#fdae2b",
    ProjectStatus.COMPLETION: "#a1d99b",
    ProjectStatus.COMPLETED: "#238b45",
    ProjectStatus.CANCELLED: "#969696",
}

#: Property colour maps: features of a layer with one of these properties are
#: coloured by its value, and the legend lists the values found.
PROPERTY_COLORS = {"kategori": CATEGORY_COLORS, "status": STATUS_COLORS}

#: Properties shown in a popup under the feature's title, by layer; a layer
#: not listed shows its first three properties.
POPUP_PROPERTIES = {
    "kecamatan": ("kode", "luas_km2"),
    "kelurahan": ("kode", "kecamatan"),
    "facilities": ("kategori", "alamat", "kelurahan"),
    "projects": (
        "status", "opd", "pagu", "realisasi", "progres", "tahun_anggaran", "sumber_dana",
        "mulai", "selesai", "kelurahan",
    ),
}

#: Layers drawn from OGC API - Tiles vector tiles instead of GeoJSON: the
#: boundaries, the heaviest geometry on the map (kelurahan 23 KB and kecamatan
#: 11 KB of gzipped GeoJSON, against ~18 KB of tiles for the whole city at
#: zoom 12, and far less when zoomed in on a few kelurahan). Facilities and
#: project sites stay GeoJSON: 7.5 KB together, drawn with category icons and
#: filtered, counted and listed in the page by properties their tiles do not
#: carry (agency, fiscal year, funding source).
TILED_GEOMETRY_TYPES = ("MultiPolygon",)

#: How the page formats a property value (default: as text).
PROPERTY_FORMATS = {
    "pagu": "rupiah",
    "realisasi": "rupiah",
    "progres": "percent",
    "luas_km2": "number",
}


def _text(text: Text) -> str:
    """The declaration text in the active language (Bahasa Indonesia by default)."""
    return text.en if (get_language() or "").startswith("en") else text.id


def _layer_config(layer: LayerDeclaration) -> dict[str, Any]:
    items_url = reverse("ogc-items", kwargs={"collection_id": layer.id})
    names = [p.name for p in layer.properties]
    popup = [
        name
        for name in POPUP_PROPERTIES.get(layer.id, [n for n in names if n != layer.title_field][:3])
        if name in names
    ]
    color_by = next((name for name in PROPERTY_COLORS if name in names), None)
    tiles_url = None
    if layer.geometry_type in TILED_GEOMETRY_TYPES:
        tiles_url = reverse("ogc-tile", kwargs={
            "collection_id": layer.id, "tms_id": "WebMercatorQuad",
            "tile_matrix": "0", "tile_row": "0", "tile_col": "0",
        }).replace("/0/0/0", "/{z}/{y}/{x}") + "?f=mvt"
    return {
        "id": layer.id,
        "title": _text(layer.title),
        "description": _text(layer.description),
        "color": layer.color,
        "visible": layer.visible,
        "geometryType": layer.geometry_type,
        "titleField": layer.title_field,
        "sampleField": layer.sample_field,
        "itemsUrl": f"{items_url}?f=json&limit={PAGE_SIZE}",
        # Leaflet's {z}/{x}/{y} template in OGC API - Tiles order (tileMatrix/tileRow/tileCol).
        "tilesUrl": tiles_url,
        "collectionUrl": reverse("ogc-collection", kwargs={"collection_id": layer.id}),
        "colorBy": color_by,
        "popup": popup,
        "properties": {
            p.name: {
                "title": _text(p.title),
                "type": p.type,
                "format": PROPERTY_FORMATS.get(p.name, "text"),
            }
            for p in layer.properties
        },
    }



def _project_url() -> str:
    """The project page's URL with an ``{id}`` placeholder the map fills in."""
    return reverse("project", kwargs={"project_id": 987654321}).replace("987654321", "{id}")


#: Map filters in URL order: (query parameter, label). Which feature property
#: each one reads is decided in frontend/static/frontend/map/filters.js.
FILTERS = (
    ("kecamatan", gettext_lazy("Kecamatan")),
    ("kelurahan", gettext_lazy("Kelurahan")),
    ("kategori", gettext_lazy("Kategori fasilitas")),
    ("status", gettext_lazy("Status proyek")),
    ("tahun", gettext_lazy("Tahun anggaran")),
    ("opd", gettext_lazy("OPD")),
    ("sumber_dana", gettext_lazy("Sumber dana")),
)


def _messages() -> dict[str, str]:
    """Every text map.js shows, translated here so one catalogue covers the page."""
    return {
        "sampleBadge": _("Data contoh"),
        "sampleNote": _("Data contoh, bukan data resmi"),
        "loading": _("memuat…"),
        "loadError": _("Gagal memuat lapisan"),
        "features": _("objek"),
        "inView": _("terlihat di peta"),
        "dataAttribution": _("Data: lihat sumber data"),
        "noValue": _("—"),
        "yes": _("ya"),
        "no": _("tidak"),
        "viewInApi": _("Lihat di API OGC"),
        "detail": _("Detail proyek"),
        "all": _("Semua"),
        "noResults": _("Tidak ditemukan"),
        "results": _("%(n)s hasil"),
        "listEmpty": _("Tidak ada objek yang cocok dengan filter."),
        "filtersReset": _("Filter direset agar hasil pencarian terlihat."),
        "locating": _("Mencari lokasi Anda…"),
        "youAreIn": _("Anda berada di Kelurahan %(kelurahan)s, Kecamatan %(kecamatan)s."),
        "outside": _("Lokasi Anda di luar kelurahan Kota Kupang."),
        "nearestHealth": _("Fasilitas kesehatan terdekat"),
        "noHealth": _("Belum ada data fasilitas kesehatan."),
        "locateUnsupported": _("Peramban ini tidak dapat menentukan lokasi."),
        # By GeolocationPositionError code (the browser's own text is English).
        "locateDenied": _("Izin lokasi ditolak. Izinkan akses lokasi untuk situs ini di "
                          "pengaturan peramban, lalu coba lagi."),
        "locateUnavailable": _("Lokasi Anda tidak dapat ditentukan saat ini (sinyal GPS atau "
                               "jaringan tidak tersedia)."),
        "locateTimeout": _("Waktu habis saat mencari lokasi Anda. Coba lagi."),
        "locateFailed": _("Lokasi Anda tidak dapat diperiksa sekarang. Coba lagi nanti."),
        "unknownFilter": _("Nilai “%(value)s” untuk filter “%(name)s” tidak dikenal; "
                           "filter itu diabaikan."),
        "yourLocation": _("Lokasi Anda"),
        "close": _("Tutup"),
    }


def map_config() -> dict[str, Any]:
    """Everything map.js needs, passed to the page with ``json_script``."""
    return {
        "layers": [_layer_config(layer) for layer in published_layers()],
        "labels": {
            name: {str(value): str(label) for value, label in choices.choices}
            for name, choices in CODED_PROPERTIES.items()
        },
        "colors": {
            name: {str(value): color for value, color in colors.items()}
            for name, colors in PROPERTY_COLORS.items()
        },
        "sourcesUrl": reverse("sources"),
        "projectUrl": _project_url(),
        "processesUrl": reverse("ogc-processes"),
        "language": "en" if (get_language() or "").startswith("en") else "id",
        "filters": [param for param, _label in FILTERS],
        "messages": _messages(),
    }


def map_page(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "frontend/map.html",
        {"map_config": map_config(), "filters": FILTERS},
    )


def _read_fixture(name: str) -> str:
    return (settings.BASE_DIR / "fixtures" / name).read_text(encoding="utf-8")


def sources_page(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "frontend/sources.html",
        {
            "sources_md": _read_fixture("SOURCES.md"),
            "license_text": _read_fixture("LICENSE-cahyadsn-wilayah_boundaries.txt"),
            "ogc_url": reverse("ogc-landing-slash"),
        },
    )


#: The site's icon (also linked from every page's <head>, frontend/base.html).
FAVICON = "frontend/favicon.svg"


@require_safe
def favicon(request: HttpRequest) -> HttpResponse:
    """``/favicon.ico``: browsers and feed readers ask for it whatever a page links,
    so without an answer every visit logs a 404. A temporary redirect (cached for a
    day) rather than a permanent one: should the static file's name ever change
    (a hashed static storage), no browser keeps a stale address forever."""
    response = HttpResponseRedirect(static(FAVICON))
    response["Cache-Control"] = "public, max-age=86400"
    return response
