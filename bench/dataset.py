"""A deterministic, province-sized synthetic dataset for the benchmark.

200,000 facility points and 10,000 project sites (points, lines, polygons)
spread over the real Kupang kelurahan, generated inside PostGIS in one
transaction. Every value is a function of the row number (and PostGIS's seeded
``ST_GeneratePoints``), so two runs on two machines hold the same rows: a
benchmark that compares servers must compare them on identical data.

The rows replace the facilities and projects of the benchmark database only;
the boundaries stay the real ones loaded by ``load_kupang``.
"""

from __future__ import annotations

import psycopg

#: Bump when the generator changes so an existing benchmark database is rebuilt.
DATASET_VERSION = 3
SEED = 5371

#: Categories weighted roughly like a real city register (schools and
#: churches many, hospitals few): each appears this many times in 100.
CATEGORY_WEIGHTS = {
    "sd": 18, "gereja": 16, "smp": 8, "masjid": 7, "kantor_pemerintah": 8, "sma_smk": 6,
    "klinik": 6, "pasar": 5, "puskesmas": 4, "lainnya": 8, "perguruan_tinggi": 3,
    "pura": 3, "vihara": 2, "rumah_sakit": 6,
}
STATUSES = ["identification", "preparation", "implementation", "implementation",
            "completion", "completed", "completed", "cancelled"]
FUNDING = ["APBD", "APBD", "APBN", "DAK", "lainnya"]


def _category_array() -> str:
    """A 100-element SQL array: row n takes element 1 + (n * 37 % 100)."""
    items: list[str] = []
    for name, weight in CATEGORY_WEIGHTS.items():
        items += [name] * weight
    assert len(items) == 100
    return "ARRAY[" + ",".join(f"'{c}'" for c in items) + "]"


FACILITIES_SQL = f"""
WITH city AS (SELECT ST_Union(geometry) AS g FROM layers_kelurahan),
points AS (
    SELECT (d).path[1] AS n, (d).geom AS geom
      FROM (SELECT ST_Dump(ST_GeneratePoints(g, %(facilities)s, {SEED})) AS d FROM city) s
),
agencies AS (SELECT array_agg(id ORDER BY kode) AS ids FROM layers_agency),
cats AS (SELECT {_category_array()} AS c)
INSERT INTO layers_facility
    (external_id, name, category, address, agency_id, source, geometry, kelurahan_id, kecamatan_id,
     state)
SELECT 'bench-f-' || p.n,
       initcap(replace(cats.c[1 + (p.n * 37 %% 100)], '_', ' ')) || ' Sintetis ' || p.n,
       cats.c[1 + (p.n * 37 %% 100)],
       'Jl. Contoh No. ' || (1 + p.n %% 250),
       agencies.ids[1 + (p.n * 31 %% array_length(agencies.ids, 1))],
       'Data sintetis untuk benchmark / synthetic benchmark data',
       p.geom, k.id, k.kecamatan_id, 'published'
  FROM points p CROSS JOIN agencies CROSS JOIN cats
  CROSS JOIN LATERAL (
      SELECT id, kecamatan_id FROM layers_kelurahan kl
       WHERE ST_Intersects(kl.geometry, p.geom) ORDER BY kode LIMIT 1) k
 ORDER BY p.n
"""

PROJECTS_SQL = f"""
WITH city AS (SELECT ST_Union(geometry) AS g FROM layers_kelurahan),
points AS (
    SELECT (d).path[1] AS n, (d).geom AS geom
      FROM (SELECT ST_Dump(ST_GeneratePoints(g, %(projects)s, {SEED + 1})) AS d FROM city) s
),
agencies AS (SELECT array_agg(id ORDER BY kode) AS ids FROM layers_agency),
shaped AS (
    SELECT n,
           CASE n %% 3
             WHEN 0 THEN geom
             WHEN 1 THEN ST_MakeLine(geom, ST_Translate(geom, 0.002 + (n %% 7) * 0.0004,
                                                         0.001 - (n %% 5) * 0.0004))
             ELSE ST_Buffer(geom::geography, 30 + n %% 60, 2)::geometry
           END AS geom,
           (100 + n * 7919 %% 1000) * 10000000::bigint AS budget,
           (n * 37 %% 1001) / 10.0 AS progress
      FROM points
)
INSERT INTO layers_projectsite
    (external_id, name, description, agency_id, fiscal_year, funding_source, budget, spent,
     progress, status, planned_start, planned_end, contractor, geometry, kelurahan_id,
     kecamatan_id, is_sample, state)
SELECT 'bench-p-' || s.n,
       'Proyek Sintetis ' || s.n,
       'Data sintetis untuk benchmark / synthetic benchmark data',
       agencies.ids[1 + (s.n * 13 %% array_length(agencies.ids, 1))],
       2019 + s.n %% 8,
       (ARRAY{FUNDING!r})[1 + s.n %% {len(FUNDING)}],
       s.budget, (s.budget * s.progress / 100)::bigint, s.progress,
       (ARRAY{STATUSES!r})[1 + s.n * 7 %% {len(STATUSES)}],
       DATE '2019-01-01' + (s.n %% 2000), DATE '2019-01-01' + (s.n %% 2000) + 90 + s.n %% 300,
       'CV Contoh ' || (1 + s.n %% 50),
       s.geom, k.id, k.kecamatan_id, true, 'published'
  FROM shaped s CROSS JOIN agencies
  LEFT JOIN LATERAL (
      SELECT id, kecamatan_id FROM layers_kelurahan kl
       WHERE ST_Intersects(kl.geometry, ST_PointOnSurface(s.geom)) ORDER BY kode LIMIT 1) k ON true
 ORDER BY s.n
"""


def dataset_marker(facilities: int, projects: int) -> str:
    return f"taksi-bench v{DATASET_VERSION} f={facilities} p={projects}"


def build(dsn: str, facilities: int = 200_000, projects: int = 10_000) -> bool:
    """Fill the benchmark database; False when it already holds this dataset.

    The marker is a comment on the facility table, so a rerun skips the
    minute of generation and the comparison always runs on the same rows.
    """
    marker = dataset_marker(facilities, projects)
    with psycopg.connect(dsn) as conn:
        found = conn.execute(
            "SELECT obj_description('layers_facility'::regclass, 'pg_class')"
        ).fetchone()
        if found and found[0] == marker:
            return False
        params = {"facilities": facilities, "projects": projects}
        conn.execute("TRUNCATE layers_facility, layers_projectsite RESTART IDENTITY CASCADE")
        conn.execute(FACILITIES_SQL, params)
        conn.execute(PROJECTS_SQL, params)
        conn.execute(f"COMMENT ON TABLE layers_facility IS '{marker}'")
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE layers_facility")
        conn.execute("VACUUM ANALYZE layers_projectsite")
    return True


def is_built(dsn: str, facilities: int = 200_000, projects: int = 10_000) -> bool:
    with psycopg.connect(dsn) as conn:
        found = conn.execute(
            "SELECT obj_description('layers_facility'::regclass, 'pg_class')"
        ).fetchone()
    return bool(found and found[0] == dataset_marker(facilities, projects))


if __name__ == "__main__":
    import sys

    # `python -m bench.dataset DSN`: exit 0 when the default dataset is in place.
    sys.exit(0 if is_built(sys.argv[1]) else 1)
