from django.urls import path, register_converter

from frontend import project_page, views
from frontend.dashboard import views as dashboard


class FeatureIdConverter:
    """A feature id as the OGC API writes it: no sign, no leading zero, at most 18 digits.

    Django's ``int`` converter also takes ``011``, a second address for
    project 11 (one page, one URL: caches and shared links stay unambiguous),
    and numbers beyond PostgreSQL's bigint.
    """

    regex = "[1-9][0-9]{0,17}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value: int) -> str:
        return str(value)


register_converter(FeatureIdConverter, "feature_id")

urlpatterns = [
    path("", views.map_page, name="map"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("sumber-data/", views.sources_page, name="sources"),
    path("proyek/<feature_id:project_id>/", project_page.project_page, name="project"),
    path("dasbor/", dashboard.dashboard_page, name="dashboard"),
    path("dasbor/data.json", dashboard.dashboard_json, name="dashboard-json"),
    path("dasbor/data/<slug:chart_id>.csv", dashboard.chart_csv, name="dashboard-csv"),
]
