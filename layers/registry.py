"""One declaration per published layer.

Everything that publishes a layer is generated from these declarations: the
pygeoapi resources (``ogc.config``), the map's layer list and legend
(``frontend``), and later exports and catalogue metadata. Adding a layer means
adding a ``LayerDeclaration`` here, nothing else.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from django.apps import apps
from django.db.models import Model

JsonType = Literal["string", "integer", "number", "boolean", "date"]


@dataclass(frozen=True)
class Text:
    """A text in Bahasa Indonesia and English."""

    id: str
    en: str

    def as_dict(self) -> dict[str, str]:
        return {"id": self.id, "en": self.en}


@dataclass(frozen=True)
class Property:
    """A published attribute.

    ``path`` is a Django lookup path from the layer's model (``agency__nama``),
    so related names are joined in SQL by the ORM, never fetched row by row.
    """

    name: str
    path: str
    type: JsonType
    title: Text
    enum: tuple[str, ...] = ()


@dataclass(frozen=True)
class LayerDeclaration:
    id: str
    model_label: str
    title: Text
    description: Text
    keywords: tuple[str, ...]
    properties: tuple[Property, ...]
    geometry_type: Literal["Point", "MultiPolygon", "Geometry"]
    title_field: str = "nama"
    #: (start, end) property names for the temporal extent and ``datetime``.
    time_fields: tuple[str, str] | None = None
    #: Map style: stroke/fill colour and whether the layer starts visible.
    color: str = "#1f78b4"
    visible: bool = True
    sample_field: str | None = None
    #: Properties encoded in the layer's vector tiles besides the feature id: what the
    #: map needs to label and style a feature, nothing more (tiles stay small).
    #: Empty means just the title field.
    tile_properties: tuple[str, ...] = ()

    @property
    def model(self) -> type[Model]:
        return apps.get_model(self.model_label)

    def property_named(self, name: str) -> Property | None:
        return next((p for p in self.properties if p.name == name), None)

    def tile_property_list(self) -> tuple[Property, ...]:
        """The declared properties that go into vector tiles, in declaration order."""
        names = self.tile_properties or (self.title_field,)
        return tuple(p for p in self.properties if p.name in names)


def _t(id_: str, en: str) -> Text:
    return Text(id_, en)


_KECAMATAN = (
    Property("kode_kecamatan", "kecamatan__kode", "string", _t("Kode kecamatan", "District code")),
    Property("kecamatan", "kecamatan__nama", "string", _t("Kecamatan", "District")),
)
_KELURAHAN = (
    Property("kode_kelurahan", "kelurahan__kode", "string", _t("Kode kelurahan", "Village code")),
    Property("kelurahan", "kelurahan__nama", "string", _t("Kelurahan", "Urban village")),
)


def _declarations() -> tuple[LayerDeclaration, ...]:
    from layers.models import FacilityCategory, FundingSource, ProjectStatus

    return (
        LayerDeclaration(
            id="kecamatan",
            model_label="layers.Kecamatan",
            title=_t("Kecamatan Kota Kupang", "Districts of Kota Kupang"),
            description=_t(
                "Batas 6 kecamatan, hasil dissolve batas kelurahan (sumber: cahyadsn/"
                "wilayah_boundaries, MIT).",
                "Boundaries of the 6 districts, dissolved from the kelurahan boundaries "
                "(source: cahyadsn/wilayah_boundaries, MIT).",
            ),
            keywords=("batas administrasi", "kecamatan", "administrative boundaries"),
            properties=(
                Property("kode", "kode", "string", _t("Kode Kemendagri", "Kemendagri code")),
                Property("nama", "nama", "string", _t("Nama", "Name")),
                Property("luas_km2", "luas_km2", "number", _t("Luas (km²)", "Area (km²)")),
            ),
            geometry_type="MultiPolygon",
            color="#6a3d9a",
            tile_properties=("kode", "nama"),
        ),
        LayerDeclaration(
            id="kelurahan",
            model_label="layers.Kelurahan",
            title=_t("Kelurahan Kota Kupang", "Urban villages of Kota Kupang"),
            description=_t(
                "Batas 51 kelurahan dengan kode Kemendagri (sumber: cahyadsn/"
                "wilayah_boundaries, MIT; batas disederhanakan, ada celah dan tumpang "
                "tindih kecil).",
                "Boundaries of the 51 urban villages with Kemendagri codes (source: "
                "cahyadsn/wilayah_boundaries, MIT; simplified, with small gaps and overlaps).",
            ),
            keywords=("batas administrasi", "kelurahan", "administrative boundaries"),
            properties=(
                Property("kode", "kode", "string", _t("Kode Kemendagri", "Kemendagri code")),
                Property("nama", "nama", "string", _t("Nama", "Name")),
                Property("nama_alt", "nama_alt", "string", _t("Nama lain", "Other spelling")),
                *_KECAMATAN,
                Property("luas_km2", "luas_km2", "number", _t("Luas (km²)", "Area (km²)")),
            ),
            geometry_type="MultiPolygon",
            color="#33a02c",
            tile_properties=("kode", "nama"),
        ),
        LayerDeclaration(
            id="facilities",
            model_label="layers.Facility",
            title=_t("Fasilitas umum", "Public facilities"),
            description=_t(
                "Rumah sakit dan gereja GMIT di Kota Kupang (data terbuka, lihat SOURCES).",
                "Hospitals and GMIT churches in Kota Kupang (open data, see SOURCES).",
            ),
            keywords=("fasilitas", "kesehatan", "ibadah", "facilities"),
            properties=(
                Property("nama", "name", "string", _t("Nama", "Name")),
                Property(
                    "kategori", "category", "string", _t("Kategori", "Category"),
                    enum=tuple(FacilityCategory.values),
                ),
                Property("alamat", "address", "string", _t("Alamat", "Address")),
                Property("kode_opd", "agency__kode", "string", _t("Kode OPD", "Agency code")),
                Property("opd", "agency__nama", "string", _t("OPD pengelola", "Agency")),
                Property("sumber", "source", "string", _t("Sumber", "Source")),
                *_KELURAHAN,
                *_KECAMATAN,
            ),
            geometry_type="Point",
            color="#e31a1c",
            tile_properties=("nama", "kategori"),
        ),
        LayerDeclaration(
            id="projects",
            model_label="layers.ProjectSite",
            title=_t("Lokasi proyek pembangunan", "Development project sites"),
            description=_t(
                "Lokasi proyek pembangunan per OPD, anggaran dan progres fisik. Saat ini "
                "berisi DATA CONTOH (bukan data resmi).",
                "Development project sites by agency, with budget and physical progress. "
                "Currently SAMPLE DATA (not official).",
            ),
            keywords=("proyek", "anggaran", "APBD", "OC4IDS", "projects"),
            properties=(
                Property("nama", "name", "string", _t("Nama", "Name")),
                Property("deskripsi", "description", "string", _t("Deskripsi", "Description")),
                Property("kode_opd", "agency__kode", "string", _t("Kode OPD", "Agency code")),
                Property("opd", "agency__nama", "string", _t("OPD", "Agency")),
                Property("tahun_anggaran", "fiscal_year", "integer",
                         _t("Tahun anggaran", "Fiscal year")),
                Property("sumber_dana", "funding_source", "string",
                         _t("Sumber dana", "Funding source"), enum=tuple(FundingSource.values)),
                Property("pagu", "budget", "integer", _t("Pagu (Rp)", "Budget (IDR)")),
                Property("realisasi", "spent", "integer",
                         _t("Realisasi (Rp)", "Spent (IDR)")),
                Property("progres", "progress", "number",
                         _t("Progres fisik (%)", "Physical progress (%)")),
                Property("status", "status", "string", _t("Status", "Status"),
                         enum=tuple(ProjectStatus.values)),
                Property("mulai", "planned_start", "date", _t("Rencana mulai", "Planned start")),
                Property("selesai", "planned_end", "date", _t("Rencana selesai", "Planned end")),
                Property("kontraktor", "contractor", "string", _t("Kontraktor", "Contractor")),
                *_KELURAHAN,
                *_KECAMATAN,
                Property("data_contoh", "is_sample", "boolean",
                         _t("Data contoh", "Sample data")),
            ),
            geometry_type="Geometry",
            time_fields=("mulai", "selesai"),
            color="#ff7f00",
            sample_field="data_contoh",
            tile_properties=("nama", "status", "data_contoh"),
        ),
    )


_CACHE: tuple[LayerDeclaration, ...] | None = None


def published_layers() -> tuple[LayerDeclaration, ...]:
    """All published layers, in map order (bottom to top)."""
    global _CACHE
    if _CACHE is None:
        _CACHE = _declarations()
    return _CACHE


def get_layer(layer_id: str) -> LayerDeclaration:
    for layer in published_layers():
        if layer.id == layer_id:
            return layer
    raise KeyError(layer_id)
