"""Taksi's spatial data model: boundaries, agencies, facilities and project sites.

Every geometry column is stored in EPSG:4326 (WGS 84 longitude/latitude): it is
what the OGC API serves by default (CRS84), what GPS and the national geoportal
exchange, and PostGIS can reproject at the edges (import, ``crs=`` output).
"""

from layers.models.agency import Agency, AgencyKind
from layers.models.boundaries import Kecamatan, Kelurahan
from layers.models.facility import Facility, FacilityCategory
from layers.models.progress import ProjectProgress
from layers.models.project import FundingSource, ProjectSite, ProjectStatus

__all__ = [
    "Agency",
    "AgencyKind",
    "Facility",
    "FacilityCategory",
    "FundingSource",
    "Kecamatan",
    "Kelurahan",
    "ProjectProgress",
    "ProjectSite",
    "ProjectStatus",
]
