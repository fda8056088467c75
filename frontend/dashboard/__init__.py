"""The dashboard (``/dasbor/``): totals, charts, tables, CSV and a choropleth.

``filters`` reads the map's filter parameters from the URL, ``charts`` runs
the aggregations in SQL through the ORM, ``views`` renders them as HTML,
JSON and CSV.
"""
