"""Taksi's spatial data model: boundaries, agencies, facilities and project sites.

Every geometry column is stored in EPSG:4326 (WGS 84 longitude/latitude): it is
what the OGC API serves by default (CRS84), what GPS and the national geoportal
exchange, and PostGIS can reproject at the edges (import, ``crs=`` output).
"""

from layers.models.agency import Agency, AgencyKind
from layers.models.boundaries import Kecamatan, Kelurahan
from layers.models.facility import Facility, FacilityCategory
from layers.models.history import Origin
from layers.models.progress import ProjectProgress
from layers.models.project import FundingSource, ProjectSite, ProjectStatus
from layers.models.staff import ApiToken, StaffMembership
from layers.models.workflow import PublicationState

__all__ = [
    "Agency",
    "AgencyKind",
    "ApiToken",
    "Facility",
    "FacilityCategory",
    "FundingSource",
    "Kecamatan",
    "Kelurahan",
    "Origin",
    "ProjectProgress",
    "ProjectSite",
    "ProjectStatus",
    "PublicationState",
    "StaffMembership",
]
