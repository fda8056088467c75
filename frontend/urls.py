from django.urls import path

from frontend import views

urlpatterns = [
    path("", views.map_page, name="map"),
    path("sumber-data/", views.sources_page, name="sources"),
]
