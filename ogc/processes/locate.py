"""Process ``locate``: the kelurahan and kecamatan at a point.

Uses the same rule as the tagging of facilities and projects
(``layers.spatial_join``): the containing kelurahan, else the nearest within
50 m (the boundaries have digitising gaps), else none, so a point gets the
same answer here as a facility saved at that point.
"""

from __future__ import annotations

from typing import Any

from django.contrib.gis.geos import Point

from layers.models import Kelurahan
from layers.spatial_join import NEAREST_WITHIN_M, find_kelurahan
from ogc.processes.base import AREA_SCHEMA, TaksiProcessor, point_inputs, point_schema

OUTSIDE = (
    f"Titik di luar Kota Kupang (lebih dari {NEAREST_WITHIN_M} m dari kelurahan mana pun) / "
    f"the point is outside Kota Kupang (more than {NEAREST_WITHIN_M} m from any kelurahan)"
)

METADATA: dict[str, Any] = {
    "version": "1.0.0",
    "id": "locate",
    "title": {"id": "Cari kelurahan", "en": "Locate"},
    "description": {
        "id": "Kelurahan dan kecamatan (kode Kemendagri dan nama) yang memuat sebuah titik; "
              f"titik di celah batas mendapat kelurahan terdekat dalam {NEAREST_WITHIN_M} m.",
        "en": "The kelurahan and kecamatan (Kemendagri code and name) holding a point; a "
              f"point on a boundary gap gets the nearest kelurahan within {NEAREST_WITHIN_M} m.",
    },
    "jobControlOptions": ["sync-execute"],
    "outputTransmission": ["value"],
    "keywords": ["kelurahan", "kecamatan", "geocoding", "point in polygon"],
    "inputs": point_schema(),
    "outputs": {
        "kelurahan": {
            "title": {"id": "Kelurahan", "en": "Urban village"},
            "description": {"id": "Kode dan nama, atau null di luar kota",
                            "en": "Code and name, or null outside the city"},
            "schema": AREA_SCHEMA,
        },
        "kecamatan": {
            "title": {"id": "Kecamatan", "en": "District"},
            "description": {"id": "Kode dan nama, atau null di luar kota",
                            "en": "Code and name, or null outside the city"},
            "schema": AREA_SCHEMA,
        },
        "message": {
            "title": {"id": "Pesan", "en": "Message"},
            "description": {"id": "Hanya bila titik di luar kota",
                            "en": "Only when the point is outside the city"},
            "schema": {"type": "string"},
        },
    },
    "example": {"inputs": {"lon": 123.5858, "lat": -10.1681}},
}


class LocateProcessor(TaksiProcessor):
    metadata_dict = METADATA
    optional_outputs = frozenset({"message"})  # only outside the city

    def execute(self, data: dict[str, Any], outputs: dict | None = None
                ) -> tuple[str, dict[str, Any]]:
        lon, lat = point_inputs(self.read_inputs(data))
        found = find_kelurahan(Point(lon, lat, srid=4326))
        if found is None:
            return "application/json", {"kelurahan": None, "kecamatan": None,
                                        "message": OUTSIDE}
        kelurahan = Kelurahan.objects.select_related("kecamatan").get(pk=found[0])
        return "application/json", {
            "kelurahan": {"kode": kelurahan.kode, "nama": kelurahan.nama},
            "kecamatan": {"kode": kelurahan.kecamatan.kode, "nama": kelurahan.kecamatan.nama},
        }
