"""Root URLs: the public pages, the OGC API under /ogc, layer downloads and the admin."""

from django.contrib import admin
from django.urls import include, path

from ogc.dcat import catalog_jsonld
from ogc.downloads import download
from ogc.views import landing_page

urlpatterns = [
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    # /ogc answers too, without a redirect: QGIS does not follow one there.
    path("ogc", landing_page, name="ogc-landing"),
    path("ogc/", include("ogc.urls")),
    path("catalog.jsonld", catalog_jsonld, name="catalog-jsonld"),
    path("download/<str:layer>.<str:ext>", download, name="download"),
    path("", include("frontend.urls")),
]

# Django's own 400s (too many query fields, ...) in the OGC/dashboard JSON shape.
handler400 = "spatial.errors.bad_request"
