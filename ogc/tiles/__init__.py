"""OGC API - Tiles (Part 1) for the published layers: Mapbox vector tiles in
the WebMercatorQuad tile matrix set, built by PostGIS (``ST_AsMVT``), cached
per data version and served with strong ETags.

- ``matrix``: the tile matrix set (morecantile) and path parameter checks;
- ``sql``: the tile query;
- ``cache``: server-side cache, ETag and HTTP caching headers;
- ``documents``: tileset lists, tileset metadata, TileJSON, TMS documents;
- ``views``: the Django views routed in ``ogc.urls``.
"""
