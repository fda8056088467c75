"""Root URLs: the public pages, the OGC API under /ogc, layer downloads and the admin.

Error pages: the site's own, in its languages, and OGC exceptions in JSON under
/ogc, /download/ and /catalog.jsonld (frontend.error_pages).
"""

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

# Django's 400s for a limit it enforces (too many query fields, ...) name the
# limit, in JSON on the API and the dashboard data (spatial.errors); every
# other 400 is the site's page (frontend.error_pages).
handler400 = "spatial.errors.bad_request"
handler403 = "frontend.error_pages.permission_denied"
handler404 = "frontend.error_pages.page_not_found"
handler500 = "frontend.error_pages.server_error"
