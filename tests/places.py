"""Places computed from the loaded kelurahan, for tests of the 50 m rule."""

from __future__ import annotations

from django.db import connection


def off_the_coast(metres: float) -> tuple[float, float]:
    """A point ``metres`` out to sea from the coast nearest to Teluk Kupang (123.60 -10.11)."""
    with connection.cursor() as cursor:
        cursor.execute("""
            WITH sea AS (SELECT ST_SetSRID(ST_MakePoint(123.60, -10.11), 4326) AS p),
                 coast AS (SELECT ST_ClosestPoint(ST_Union(k.geometry), sea.p) AS c, sea.p
                           FROM layers_kelurahan k, sea GROUP BY sea.p)
            SELECT ST_X(q), ST_Y(q) FROM (
                SELECT ST_Project(c::geography, %s, ST_Azimuth(c, p))::geometry AS q FROM coast
            ) s""", [metres])
        return cursor.fetchone()
