from django.urls import path

from frontend import dashboard, project_page, views

urlpatterns = [
    path("", views.map_page, name="map"),
    path("sumber-data/", views.sources_page, name="sources"),
    path("proyek/<int:project_id>/", project_page.project_page, name="project"),
    path("dasbor/", dashboard.views.dashboard_page, name="dashboard"),
    path("dasbor/data.json", dashboard.views.dashboard_json, name="dashboard-json"),
    path("dasbor/data/<slug:chart_id>.csv", dashboard.views.chart_csv, name="dashboard-csv"),
]
