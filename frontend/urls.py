from django.urls import path

from frontend import project_page, views
from frontend.dashboard import views as dashboard

urlpatterns = [
    path("", views.map_page, name="map"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("sumber-data/", views.sources_page, name="sources"),
    path("proyek/<int:project_id>/", project_page.project_page, name="project"),
    path("dasbor/", dashboard.dashboard_page, name="dashboard"),
    path("dasbor/data.json", dashboard.dashboard_json, name="dashboard-json"),
    path("dasbor/data/<slug:chart_id>.csv", dashboard.chart_csv, name="dashboard-csv"),
]
