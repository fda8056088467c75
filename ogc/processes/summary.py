"""Process ``kelurahan-summary``: what a kelurahan has, for planners.

Facility counts by category (every category, zeros included, so the shape is
the same for every kelurahan), project count, total budget (pagu) and realised
spending (realisasi) in whole Rupiah, and area. Facilities and projects count
where the spatial join placed them (``layers.spatial_join``), the same rule the
map and the feature collections use. Projects are sample data for now, and the
output says how many of them are.
"""

from __future__ import annotations

import re
from typing import Any

from django.db.models import Count, Q, Sum

from layers.models import FacilityCategory, Kelurahan
from layers.registry import get_layer
from ogc.processes.base import AREA_SCHEMA, ProcessInputError, TaksiProcessor

KODE = re.compile(r"^53\.71\.\d{2}\.\d{4}$")

METADATA: dict[str, Any] = {
    "version": "1.0.0",
    "id": "kelurahan-summary",
    "title": {"id": "Ringkasan kelurahan", "en": "Kelurahan summary"},
    "description": {
        "id": "Jumlah fasilitas per kategori, jumlah proyek, total pagu dan realisasi (Rp), "
              "dan luas (km²) sebuah kelurahan Kota Kupang. Proyek saat ini DATA CONTOH.",
        "en": "Facility counts by category, project count, total budget and realised "
              "spending (IDR), and area (km²) of a kelurahan of Kota Kupang. Projects are "
              "currently SAMPLE DATA.",
    },
    "jobControlOptions": ["sync-execute"],
    "outputTransmission": ["value"],
    "keywords": ["kelurahan", "fasilitas", "proyek", "anggaran", "summary"],
    "inputs": {
        "kode": {
            "title": {"id": "Kode kelurahan", "en": "Kelurahan code"},
            "description": {"id": "Kode Kemendagri, mis. 53.71.04.1008",
                            "en": "Kemendagri code, e.g. 53.71.04.1008"},
            "schema": {"type": "string", "pattern": KODE.pattern},
            "minOccurs": 1, "maxOccurs": 1,
        },
    },
    "outputs": {
        "kelurahan": {"title": {"id": "Kelurahan", "en": "Urban village"},
                      "schema": AREA_SCHEMA},
        "kecamatan": {"title": {"id": "Kecamatan", "en": "District"}, "schema": AREA_SCHEMA},
        "luas_km2": {"title": {"id": "Luas (km²)", "en": "Area (km²)"},
                     "schema": {"type": "number", "nullable": True}},  # no boundary: null
        "fasilitas": {
            "title": {"id": "Fasilitas per kategori", "en": "Facilities by category"},
            "schema": {"type": "object", "additionalProperties": {"type": "integer"}},
        },
        "jumlah_fasilitas": {"title": {"id": "Jumlah fasilitas", "en": "Facility count"},
                             "schema": {"type": "integer"}},
        "proyek": {
            "title": {"id": "Proyek", "en": "Projects"},
            "schema": {"type": "object", "properties": {
                "jumlah": {"type": "integer"}, "pagu": {"type": "integer"},
                "realisasi": {"type": "integer"}, "data_contoh": {"type": "integer"},
            }},
        },
    },
    "example": {"inputs": {"kode": "53.71.04.1008"}},
}


def _kelurahan(kode: Any) -> Kelurahan:
    if not isinstance(kode, str) or not KODE.match(kode):
        raise ProcessInputError(user_msg=(
            f"input 'kode': {kode!r} is not a Kota Kupang kelurahan code like 53.71.04.1008"
        ))
    found = Kelurahan.objects.select_related("kecamatan").filter(kode=kode).first()
    if found is None:
        raise ProcessInputError(user_msg=f"input 'kode': no kelurahan has code {kode}")
    return found


class KelurahanSummaryProcessor(TaksiProcessor):
    metadata_dict = METADATA

    def execute(self, data: dict[str, Any], outputs: dict | None = None
                ) -> tuple[str, dict[str, Any]]:
        kelurahan = _kelurahan(self.read_inputs(data)["kode"])
        counts = dict.fromkeys(FacilityCategory.values, 0)
        for row in (get_layer("facilities").public_queryset().filter(kelurahan=kelurahan).order_by()
                    .values("category").annotate(n=Count("id"))):
            counts[row["category"]] = row["n"]
        projects = get_layer("projects").public_queryset().filter(kelurahan=kelurahan).aggregate(
            jumlah=Count("id"), pagu=Sum("budget"), realisasi=Sum("spent"),
            data_contoh=Count("id", filter=Q(is_sample=True)),
        )
        area = kelurahan.luas_km2
        return "application/json", {
            "kelurahan": {"kode": kelurahan.kode, "nama": kelurahan.nama},
            "kecamatan": {"kode": kelurahan.kecamatan.kode, "nama": kelurahan.kecamatan.nama},
            "luas_km2": round(area, 3) if area is not None else None,
            "fasilitas": counts,
            "jumlah_fasilitas": sum(counts.values()),
            "proyek": {key: value or 0 for key, value in projects.items()},
        }
