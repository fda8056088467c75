"""OGC API - Processes: pygeoapi process plugins and their configuration.

Each process is a ``pygeoapi.process.base.BaseProcessor`` referenced by
dotted path (``type: process`` resources), run synchronously by
``TaksiManager``, with JSON inputs and outputs.
"""

from __future__ import annotations

from typing import Any

PROCESSORS: dict[str, str] = {
    "locate": "ogc.processes.locate.LocateProcessor",
    "nearest-facilities": "ogc.processes.nearest.NearestFacilitiesProcessor",
    "kelurahan-summary": "ogc.processes.summary.KelurahanSummaryProcessor",
}


def process_resources() -> dict[str, dict[str, Any]]:
    """pygeoapi ``resources`` entries for the processes."""
    return {pid: {"type": "process", "processor": {"name": name}}
            for pid, name in PROCESSORS.items()}


def process_manager() -> dict[str, Any]:
    """pygeoapi ``server.manager``: synchronous, no job store."""
    return {"name": "ogc.processes.manager.TaksiManager", "connection": None,
            "output_dir": None}
