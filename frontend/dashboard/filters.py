"""The map's filters, read from the URL for the dashboard.

The parameter names are shared with the public map (``/``), so a link can
carry a selection from one to the other: ``kecamatan`` and ``kelurahan`` take
Kemendagri codes, ``opd`` an agency code, ``kategori``/``status``/
``sumber_dana`` the stored codes, ``tahun`` a fiscal year. An empty value
means "all" (what an empty <select> submits). Anything else — an unknown
parameter, a repeated one, a code that does not exist — is an ``InvalidFilter``
naming the parameter, answered with a 400.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass

from django.db.models import Q, QuerySet
from django.http import QueryDict
from django.utils.translation import gettext as _

from frontend.errors import InvalidFilter
from layers.models import (
    Agency,
    Facility,
    FacilityCategory,
    FundingSource,
    Kecamatan,
    Kelurahan,
    ProjectSite,
    ProjectStatus,
)
from layers.registry import get_layer

FILTER_NAMES = ("kecamatan", "kelurahan", "kategori", "status", "tahun", "opd", "sumber_dana")
YEAR = re.compile(r"^\d{4}$")


@dataclass(frozen=True)
class Filters:
    kecamatan: str | None = None
    kelurahan: str | None = None
    kategori: str | None = None
    status: str | None = None
    tahun: int | None = None
    opd: str | None = None
    sumber_dana: str | None = None

    def as_query(self) -> dict[str, str]:
        """The active filters as URL parameters (for CSV links and the form)."""
        return {name: str(value) for name, value in asdict(self).items() if value is not None}

    def _area(self, prefix: str = "") -> Q:
        q = Q()
        if self.kecamatan:
            q &= Q(**{f"{prefix}kecamatan__kode": self.kecamatan})
        if self.kelurahan:
            q &= Q(**{f"{prefix}kelurahan__kode": self.kelurahan})
        return q

    def projects(self) -> QuerySet[ProjectSite]:
        """Projects matching every filter (``kategori`` is a facility filter)."""
        q = self._area()
        for field, value in (("status", self.status), ("fiscal_year", self.tahun),
                             ("agency__kode", self.opd), ("funding_source", self.sumber_dana)):
            if value is not None:
                q &= Q(**{field: value})
        return get_layer("projects").public_queryset().filter(q)

    def facility_q(self, prefix: str = "") -> Q:
        """Facility conditions (status, tahun and sumber_dana are project filters)."""
        q = self._area(prefix) & Q(**{f"{prefix}state": "published"})
        if self.kategori:
            q &= Q(**{f"{prefix}category": self.kategori})
        if self.opd:
            q &= Q(**{f"{prefix}agency__kode": self.opd})
        return q

    def facilities(self) -> QuerySet[Facility]:
        return Facility.objects.filter(self.facility_q())

    def kelurahan_areas(self) -> QuerySet[Kelurahan]:
        """The kelurahan inside the area filters, for the density map."""
        q = Q()
        if self.kecamatan:
            q &= Q(kecamatan__kode=self.kecamatan)
        if self.kelurahan:
            q &= Q(kode=self.kelurahan)
        return Kelurahan.objects.filter(q)


def _single(query: QueryDict, name: str) -> str | None:
    values = query.getlist(name)
    if len(values) > 1:
        raise InvalidFilter(name, _("Parameter '%(name)s' hanya boleh diberikan sekali.")
                            % {"name": name})
    value = values[0].strip() if values else ""
    if "\x00" in value:  # PostgreSQL text cannot hold NUL: refuse it before any query
        raise _unknown(name, value.replace("\x00", "\\x00"))
    return value or None


def _unknown(name: str, value: str) -> InvalidFilter:
    return InvalidFilter(
        name, _("Nilai '%(value)s' untuk parameter '%(name)s' tidak dikenal.")
        % {"value": value, "name": name},
    )


def _check_code(name: str, value: str | None, allowed: QuerySet | list[str]) -> str | None:
    if value is None:
        return None
    exists = value in allowed if isinstance(allowed, list) else allowed.filter(
        kode=value).exists()
    if not exists:
        raise _unknown(name, value)
    return value


def _year(value: str | None) -> int | None:
    if value is None:
        return None
    if not YEAR.match(value) or not 2000 <= int(value) <= 2100:
        raise InvalidFilter(
            "tahun", _("Parameter 'tahun' harus tahun anggaran empat angka (2000–2100), "
                       "bukan '%(value)s'.") % {"value": value},
        )
    return int(value)


def parse_filters(query: QueryDict) -> Filters:
    """The filters of a request, or ``InvalidFilter`` naming the first bad parameter."""
    for name in query:
        if name not in FILTER_NAMES:
            raise InvalidFilter(name, _("Parameter '%(name)s' tidak dikenal; yang diterima: "
                                        "%(names)s.") % {"name": name,
                                                         "names": ", ".join(FILTER_NAMES)})
    raw = {name: _single(query, name) for name in FILTER_NAMES}
    return Filters(
        kecamatan=_check_code("kecamatan", raw["kecamatan"], Kecamatan.objects.all()),
        kelurahan=_check_code("kelurahan", raw["kelurahan"], Kelurahan.objects.all()),
        kategori=_check_code("kategori", raw["kategori"], list(FacilityCategory.values)),
        status=_check_code("status", raw["status"], list(ProjectStatus.values)),
        tahun=_year(raw["tahun"]),
        opd=_check_code("opd", raw["opd"], Agency.objects.all()),
        sumber_dana=_check_code("sumber_dana", raw["sumber_dana"], list(FundingSource.values)),
    )
