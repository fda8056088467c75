"""``make bench``: Taksi against tipg and a raw-PostGIS floor on one dataset."""
