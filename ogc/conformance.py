"""The conformance classes Taksi declares at /ogc/conformance — exactly what passes.

One flat list of OGC URIs, grouped by standard. ``tests/test_conformance_classes.py``
holds, for each URI, the requests that show the class holds, and fails when
this list and that evidence differ: add a URI only together with its check.

Two claims need a word:

- Processes 1.0 Core with no job ever found: every process runs synchronously
  (``jobControlOptions: [sync-execute]``) and the standard does not ask a server
  to create jobs for synchronous execution (/per/core/process-execute-sync-job),
  so ``/jobs/{jobId}`` and ``/jobs/{jobId}/results`` answer the no-such-job
  exception (/req/core/job-exception-no-such-job).
- OGC API - Coverages is a draft (OGC 19-087); the URIs are the draft's
  (core, subsetting-spatial, geotiff, coveragejson) and what they require was
  checked against its requirement classes: the coverage link and media types,
  ``storageCrs``/``storageCrsBbox``, Content-Crs/Content-Bbox, subset, subset-crs,
  bbox, bbox-crs, several subset parameters, subset and bbox exclusive.
"""

from __future__ import annotations

CONFORMANCE: list[str] = [
    # OGC API - Common Part 1 (landing page, conformance, OpenAPI, JSON, HTML)
    "http://www.opengis.net/spec/ogcapi-common-1/1.0/conf/core",
    "http://www.opengis.net/spec/ogcapi-common-1/1.0/conf/landing-page",
    "http://www.opengis.net/spec/ogcapi-common-1/1.0/conf/json",
    "http://www.opengis.net/spec/ogcapi-common-1/1.0/conf/html",
    "http://www.opengis.net/spec/ogcapi-common-1/1.0/conf/oas30",
    # OGC API - Common Part 2 (collections)
    "http://www.opengis.net/spec/ogcapi-common-2/1.0/conf/collections",
    # OGC API - Features Part 1: Core
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/html",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30",
    # OGC API - Features Part 2: Coordinate Reference Systems by Reference
    "http://www.opengis.net/spec/ogcapi-features-2/1.0/conf/crs",
    # OGC API - Features Part 3: Filtering
    "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/queryables",
    "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/queryables-query-parameters",
    "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/filter",
    "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/features-filter",
    # OGC API - Features Part 4: Create, Replace, Update and Delete (the draft's URIs,
    # OGC 20-002 clause 2), on facilities and projects (``ogc.writes``;
    # tests/test_write_api_*.py)
    "http://www.opengis.net/spec/ogcapi-features-4/1.0/conf/create-replace-delete",
    "http://www.opengis.net/spec/ogcapi-features-4/1.0/conf/update",
    "http://www.opengis.net/spec/ogcapi-features-4/1.0/conf/optimistic-locking-etags",
    "http://www.opengis.net/spec/ogcapi-features-4/1.0/conf/features",
    # Common Query Language (CQL2)
    "http://www.opengis.net/spec/cql2/1.0/conf/cql2-text",
    "http://www.opengis.net/spec/cql2/1.0/conf/cql2-json",
    "http://www.opengis.net/spec/cql2/1.0/conf/basic-cql2",
    "http://www.opengis.net/spec/cql2/1.0/conf/advanced-comparison-operators",
    "http://www.opengis.net/spec/cql2/1.0/conf/basic-spatial-functions",
    "http://www.opengis.net/spec/cql2/1.0/conf/basic-spatial-functions-plus",
    "http://www.opengis.net/spec/cql2/1.0/conf/spatial-functions",
    # OGC API - Tiles Part 1 (vector tiles, WebMercatorQuad; tests/test_tiles.py)
    "http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/core",
    "http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/tileset",
    "http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/tilesets-list",
    "http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/geodata-tilesets",
    "http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/mvt",
    "http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/oas30",
    # OGC API - Coverages Part 1, draft names (tests/test_coverage.py)
    "http://www.opengis.net/spec/ogcapi-coverages-1/1.0/conf/core",
    "http://www.opengis.net/spec/ogcapi-coverages-1/1.0/conf/subsetting-spatial",
    "http://www.opengis.net/spec/ogcapi-coverages-1/1.0/conf/geotiff",
    "http://www.opengis.net/spec/ogcapi-coverages-1/1.0/conf/coveragejson",
    # OGC API - Processes Part 1 (synchronous; tests/test_processes.py)
    "http://www.opengis.net/spec/ogcapi-processes-1/1.0/conf/core",
    "http://www.opengis.net/spec/ogcapi-processes-1/1.0/conf/json",
    "http://www.opengis.net/spec/ogcapi-processes-1/1.0/conf/ogc-process-description",
    "http://www.opengis.net/spec/ogcapi-processes-1/1.0/conf/oas30",
    # OGC API - Records Part 1 (the `catalog` collection; tests/test_catalog.py)
    "http://www.opengis.net/spec/ogcapi-records-1/1.0/conf/record-core",
    "http://www.opengis.net/spec/ogcapi-records-1/1.0/conf/record-collection",
]
