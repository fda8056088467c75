"""Process ``nearest-facilities``: the n facilities nearest to a point, in metres.

How the SQL finds them, and why in two steps:

1. ``ORDER BY geometry <-> point LIMIT n`` is PostGIS's KNN search: it walks
   the GiST index on ``layers_facility.geometry`` and stops after n rows, so it
   costs the same for 67 facilities or 67,000. But ``<->`` on EPSG:4326
   measures in degrees, and a degree of longitude is shorter than a degree of
   latitude (by 1.5 % at Kupang, far more near the poles), so its order is not
   the order in metres.
2. The n-th KNN distance ``d`` (degrees) bounds the answer: every facility
   among the true n nearest lies within ``d * stretch`` degrees, where
   ``stretch`` is the largest ratio of metres-per-degree between two directions
   near this latitude. Those candidates (found with the index through
   ``ST_DWithin`` on the geometry) are ranked by ``ST_Distance`` on the
   ``geography`` type: the geodesic distance on the WGS 84 spheroid in metres.
"""

from __future__ import annotations

import math
from typing import Any

from django.db import connection

from layers.models import FacilityCategory
from layers.models.facility import CATEGORY_GROUPS
from ogc.processes.base import (
    TaksiProcessor,
    choice_input,
    integer_input,
    point_inputs,
    point_schema,
)

DEFAULT_N = 5
MAX_N = 50
GROUPS: tuple[str, ...] = tuple(sorted(set(CATEGORY_GROUPS.values())))
CATEGORY_CHOICES: tuple[str, ...] = tuple(dict.fromkeys((*FacilityCategory.values, *GROUPS)))

_SQL = """
WITH p AS (SELECT ST_SetSRID(ST_MakePoint(%(lon)s, %(lat)s), 4326) AS g),
knn AS (
    SELECT f.geometry <-> p.g AS deg FROM layers_facility f, p
    WHERE f.category = ANY(%(categories)s) AND f.state = 'published'
    ORDER BY f.geometry <-> p.g LIMIT %(n)s
),
radius AS (SELECT max(deg) * %(stretch)s + 1e-9 AS deg FROM knn)
SELECT f.id, f.name, f.category,
       ST_Distance(f.geometry::geography, p.g::geography) AS distance_m,
       ST_X(f.geometry), ST_Y(f.geometry)
FROM layers_facility f, p, radius
WHERE f.category = ANY(%(categories)s) AND f.state = 'published'
  AND ST_DWithin(f.geometry, p.g, radius.deg)
ORDER BY distance_m, f.id
LIMIT %(n)s
"""


def _stretch(lat: float) -> float:
    """Largest ratio of metres per degree between directions within ~10° of ``lat``.

    East-west a degree is about 111.32 km x cos(latitude); north-south between
    110.57 and 111.69 km. The margin of 10° covers candidates up to ~1,000 km
    away; beyond 80° the bound is capped (there is no Taksi data there).
    """
    cos_far = math.cos(math.radians(min(abs(lat) + 10.0, 80.0)))
    return (111.69 / (110.57 * cos_far)) * 1.01


METADATA: dict[str, Any] = {
    "version": "1.0.0",
    "id": "nearest-facilities",
    "title": {"id": "Fasilitas terdekat", "en": "Nearest facilities"},
    "description": {
        "id": "n fasilitas terdekat dari sebuah titik, dengan jarak geodesik dalam meter, "
              "urut dari yang terdekat; bisa dibatasi satu kategori atau kelompok "
              "(mis. kesehatan = rumah sakit, puskesmas, klinik).",
        "en": "The n facilities nearest to a point, with geodesic distance in metres, "
              "nearest first; optionally one category or group (e.g. kesehatan = "
              "hospital, puskesmas, clinic).",
    },
    "jobControlOptions": ["sync-execute"],
    "outputTransmission": ["value"],
    "keywords": ["fasilitas", "kesehatan", "nearest", "distance"],
    "inputs": {
        **point_schema(),
        "category": {
            "title": {"id": "Kategori atau kelompok", "en": "Category or group"},
            "description": {"id": "Kode kategori fasilitas atau kelompok; kosong = semua",
                            "en": "Facility category code or group; omitted = all"},
            "schema": {"type": "string", "enum": list(CATEGORY_CHOICES)},
            "minOccurs": 0, "maxOccurs": 1,
        },
        "n": {
            "title": {"id": "Jumlah", "en": "Count"},
            "description": {"id": f"Berapa fasilitas (bawaan {DEFAULT_N}, maks. {MAX_N})",
                            "en": f"How many facilities (default {DEFAULT_N}, max {MAX_N})"},
            "schema": {"type": "integer", "minimum": 1, "maximum": MAX_N,
                       "default": DEFAULT_N},
            "minOccurs": 0, "maxOccurs": 1,
        },
    },
    "outputs": {
        "facilities": {
            "title": {"id": "Fasilitas", "en": "Facilities"},
            "description": {"id": "Urut dari yang terdekat", "en": "Nearest first"},
            "schema": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["id", "nama", "kategori", "distance_m", "lon", "lat"],
                    "properties": {
                        "id": {"type": "integer"}, "nama": {"type": "string"},
                        "kategori": {"type": "string"}, "distance_m": {"type": "number"},
                        "lon": {"type": "number"}, "lat": {"type": "number"},
                    },
                },
            },
        },
    },
    "example": {"inputs": {"lon": 123.6070, "lat": -10.1772, "category": "kesehatan", "n": 3}},
}


def _categories(choice: str | None) -> list[str]:
    if choice is None:
        return list(FacilityCategory.values)
    if choice in GROUPS:
        return [code for code, group in CATEGORY_GROUPS.items() if group == choice]
    return [choice]


class NearestFacilitiesProcessor(TaksiProcessor):
    metadata_dict = METADATA

    def execute(self, data: dict[str, Any], outputs: dict | None = None
                ) -> tuple[str, dict[str, Any]]:
        inputs = self.read_inputs(data)
        lon, lat = point_inputs(inputs)
        categories = _categories(choice_input(inputs, "category", CATEGORY_CHOICES))
        n = integer_input(inputs, "n", DEFAULT_N, 1, MAX_N)
        params = {"lon": lon, "lat": lat, "categories": categories, "n": n,
                  "stretch": _stretch(lat)}
        with connection.cursor() as cursor:
            cursor.execute(_SQL, params)
            rows = cursor.fetchall()
        return "application/json", {"facilities": [
            {"id": id_, "nama": name, "kategori": category,
             "distance_m": round(distance, 1), "lon": round(x, 7), "lat": round(y, 7)}
            for id_, name, category, distance, x, y in rows
        ]}
