"""One declaration per published layer.

Everything that publishes a layer is generated from these declarations: the
pygeoapi resources (``ogc.config``), the map's layer list and legend
(``frontend``), and later exports and catalogue metadata. Adding a layer means
adding a ``LayerDeclaration`` here, nothing else.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from django.apps import apps
from django.db.models import Model, QuerySet

if TYPE_CHECKING:
    from layers.metadata import LayerMetadata

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
    #: Catalogue metadata (Satu Data elements, ``layers.metadata``).
    metadata: LayerMetadata | None = None

    @property
    def model(self) -> type[Model]:
        return apps.get_model(self.model_label)

    def property_named(self, name: str) -> Property | None:
        return next((p for p in self.properties if p.name == name), None)

    # -- who sees what (issue 7): every public read path starts from these ----

    @property
    def has_workflow(self) -> bool:
        """True for agency-owned layers whose rows carry a publication ``state``."""
        return any(f.name == "state" for f in self.model._meta.concrete_fields)

    def public_queryset(self) -> QuerySet:
        """What anonymous users may read: published rows only; boundaries whole."""
        queryset = self.model._default_manager.all()
        if self.has_workflow:
            queryset = queryset.filter(state="published")
        return queryset

    @property
    def public_sql_predicate(self) -> str:
        """``public_queryset`` as a constant SQL condition on the layer's own table.

        For raw-SQL readers (MVT tiles, exports): ``WHERE <predicate>``, with the
        table unaliased or the column qualified by the caller. No user input.
        """
        return "state = 'published'" if self.has_workflow else "TRUE"

    def public_sql_predicate_on(self, alias: str) -> str:
        """``public_sql_predicate`` with the column qualified by a table alias (``t``),
        for statements that join other tables."""
        if not alias.isidentifier():
            raise ValueError(f"not an SQL alias: {alias!r}")
        return f"{alias}.\"state\" = 'published'" if self.has_workflow else "TRUE"

    def visible_queryset(self, user: Any) -> QuerySet:
        """What ``user`` may read: the public rows, plus for staff their agency's
        unpublished rows (editors) or every row (walidata, admin)."""
        from layers.roles import visible_filter

        queryset = self.model._default_manager.all()
        if not self.has_workflow:
            return queryset
        condition = visible_filter(user)
        return queryset if condition is None else queryset.filter(condition)


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


def _boundary_metadata(what: Text) -> LayerMetadata:
    """Kecamatan and kelurahan share source, licence and dates (fixtures/SOURCES.md)."""
    from layers.metadata import AS_NEEDED, LayerMetadata, Licence, data_theme, inspire_theme

    return LayerMetadata(
        producer="BAPPEDA",
        frequency=AS_NEEDED,  # boundaries change only with a new Kepmendagri
        licence=Licence("MIT", _t("Lisensi MIT", "MIT License"),
                        "https://spdx.org/licenses/MIT.html"),
        themes=(
            data_theme("REGI", "Wilayah dan kota", "Regions and cities"),
            inspire_theme("au", "Unit administrasi", "Administrative units"),
        ),
        lineage=_t(
            f"{what.id} dari cahyadsn/wilayah_boundaries, commit 3c5a7960 (2026-08-20); "
            "nama menurut Kepmendagri 300.2.2-2138/2025.",
            f"{what.en} from cahyadsn/wilayah_boundaries, commit 3c5a7960 (2026-08-20); "
            "names per Kepmendagri 300.2.2-2138/2025.",
        ),
        rights="© 2024 Cahya DSN (cahyadsn/wilayah_boundaries), MIT",
        issued=dt.date(2026, 12, 3),
        modified=dt.date(2026, 8, 20),
    )


def _facility_metadata() -> LayerMetadata:
    """No source states a licence; SOURCES.md says what is known (hospitals: likely OSM)."""
    from layers.metadata import ANNUAL, LayerMetadata, Licence, data_theme, inspire_theme

    return LayerMetadata(
        producer="BAPPEDA",
        frequency=ANNUAL,
        licence=Licence("other", _t(
            "Sumber tidak menyatakan lisensi; koordinat rumah sakit kemungkinan dari "
            "OpenStreetMap (ODbL). Lihat catatan sumber data.",
            "The sources state no licence; hospital coordinates are probably from "
            "OpenStreetMap (ODbL). See the source notes.",
        )),
        themes=(
            data_theme("HEAL", "Kesehatan", "Health"),
            data_theme("SOCI", "Kependudukan dan masyarakat", "Population and society"),
            inspire_theme("us", "Utilitas dan layanan pemerintah",
                          "Utility and governmental services"),
        ),
        lineage=_t(
            "Rumah sakit: acaxoxo/ga-rs-kupang commit 7a319e60 (2025-12-04); gereja GMIT: "
            "yufri28/sig-persebaran-gereja-gmit-di-kota-kupang commit f50f1db0 (2022-05-26).",
            "Hospitals: acaxoxo/ga-rs-kupang commit 7a319e60 (2025-12-04); GMIT churches: "
            "yufri28/sig-persebaran-gereja-gmit-di-kota-kupang commit f50f1db0 (2022-05-26).",
        ),
        rights="Rumah sakit / hospitals: © OpenStreetMap contributors (menurut sumber / "
               "per the source); gereja / churches: yufri28",
        issued=dt.date(2026, 12, 3),
        modified=dt.date(2025, 12, 4),
    )


def _project_metadata() -> LayerMetadata:
    """Sample data generated by Taksi itself, so Taksi chooses its licence."""
    from layers.metadata import ANNUAL, LayerMetadata, Licence, data_theme

    return LayerMetadata(
        producer="BAPPEDA",
        frequency=ANNUAL,  # per tahun anggaran / fiscal year
        licence=Licence("CC-BY-4.0", _t("Creative Commons Atribusi 4.0 Internasional",
                                        "Creative Commons Attribution 4.0 International"),
                        "https://creativecommons.org/licenses/by/4.0/"),
        themes=(
            data_theme("GOVE", "Pemerintahan dan sektor publik", "Government and public sector"),
            data_theme("ECON", "Ekonomi dan keuangan", "Economy and finance"),
        ),
        lineage=_t(
            "DATA CONTOH: 40 lokasi dibuat secara deterministik oleh Taksi "
            "(layers/sample_projects.py, seed 5371); bukan data resmi.",
            "SAMPLE DATA: 40 sites generated deterministically by Taksi "
            "(layers/sample_projects.py, seed 5371); not official.",
        ),
        rights="Data contoh Taksi / Taksi sample data, CC BY 4.0",
        issued=dt.date(2026, 12, 3),
        modified=dt.date(2026, 12, 3),
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
            metadata=_boundary_metadata(_t("Dissolve batas kelurahan", "Dissolved kelurahan")),
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
            metadata=_boundary_metadata(_t("Batas kelurahan", "Kelurahan boundaries")),
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
            metadata=_facility_metadata(),
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
            metadata=_project_metadata(),
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
