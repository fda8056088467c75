"""The admin's "Impor berkas / Import file" page: upload, see the dry-run report, confirm.

The uploaded file is kept server-side in a private temporary folder named by
a random token (remembered in the staff member's session), so the confirm
step imports exactly the file that was checked, without a second upload.
The work is ``layers.importing.import_file``, the same function as the
``import_layer`` command; every ``LayerError`` becomes a message on the page.
"""

from __future__ import annotations

import secrets
import shutil
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from layers.errors import ImportRejected, LayerError
from layers.importing.fields import parse_mapping
from layers.importing.formats import SUFFIXES

if TYPE_CHECKING:
    from layers.importing.report import ImportReport
    from layers.importing.run import ImportOptions

#: Where uploads wait for confirmation; swept of folders older than a day.
UPLOAD_ROOT = Path(tempfile.gettempdir()) / "taksi-imports"
MAX_UPLOAD_BYTES = 50 * 1024 * 1024
#: A Shapefile is several files: the admin takes it zipped.
UPLOAD_SUFFIXES = tuple(s for s in SUFFIXES if s != ".shp")


class UploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Berkas / File"),
        help_text=gettext_lazy("GeoJSON, Shapefile (.zip), GeoPackage, KML/KMZ, CSV, XLSX"),
    )
    mapping = forms.CharField(
        label=gettext_lazy("Pemetaan kolom / Column mapping"), required=False,
        help_text="name=NAMA_FASKES,lon=BUJUR,lat=LINTANG",
    )
    srid = forms.IntegerField(label=gettext_lazy("EPSG jika berkas tanpa CRS / EPSG if no CRS"),
                              required=False, min_value=1)
    encoding = forms.CharField(label=gettext_lazy("Encoding teks / Text encoding"),
                               required=False, max_length=30)
    source_layer = forms.CharField(label=gettext_lazy("Tabel GeoPackage / GeoPackage table"),
                                   required=False, max_length=200)
    sheet = forms.CharField(label=gettext_lazy("Sheet XLSX / XLSX sheet"), required=False,
                            max_length=200)
    fix_swapped = forms.BooleanField(
        label=gettext_lazy("Tukar lintang/bujur yang tertukar / Fix swapped lat/lon"),
        required=False,
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("Berkas lebih dari 50 MB / File over 50 MB"))
        if Path(upload.name).suffix.lower() not in UPLOAD_SUFFIXES:
            raise forms.ValidationError(
                _("Format tidak didukung / Unsupported format: %s") % ", ".join(UPLOAD_SUFFIXES)
            )
        return upload

    def clean_mapping(self) -> dict[str, str]:
        try:
            return parse_mapping(self.cleaned_data["mapping"])
        except LayerError as exc:
            raise forms.ValidationError(str(exc)) from exc


def _sweep(now: float) -> None:
    if UPLOAD_ROOT.is_dir():
        for folder in UPLOAD_ROOT.iterdir():
            if now - folder.stat().st_mtime > 86400:
                shutil.rmtree(folder, ignore_errors=True)


def _store(upload: Any) -> tuple[str, Path]:
    _sweep(time.time())
    token = secrets.token_urlsafe(16)
    folder = UPLOAD_ROOT / token
    folder.mkdir(parents=True, mode=0o700)
    target = folder / get_valid_filename(Path(upload.name).name)
    with target.open("wb") as handle:
        for chunk in upload.chunks():
            handle.write(chunk)
    return token, target


class ImportAdminMixin:
    """Adds ``import/`` to a layer model's admin; set ``import_layer_id``."""

    import_layer_id: str
    change_list_template = "admin/layers/change_list_import.html"

    def get_urls(self) -> list:
        opts = self.model._meta
        view = self.admin_site.admin_view(self.import_view)
        name = f"{opts.app_label}_{opts.model_name}_import"
        return [path("import/", view, name=name), *super().get_urls()]

    def _session_key(self, token: str) -> str:
        return f"layers-import-{self.import_layer_id}-{token}"

    def import_view(self, request: HttpRequest) -> HttpResponse:
        if not (self.has_add_permission(request) and self.has_change_permission(request)):
            raise PermissionDenied
        if request.method == "POST" and "token" in request.POST:
            return self._confirm(request, request.POST["token"])
        form = UploadForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            return self._check(request, form)
        return self._render(request, {"form": form})

    def _options(self, request: HttpRequest, data: dict[str, Any], name: str,
                 dry_run: bool) -> ImportOptions:
        from layers.importing.run import ImportOptions

        return ImportOptions(
            dry_run=dry_run, mapping=data["mapping"], srid=data["srid"],
            encoding=data["encoding"] or None, source_layer=data["source_layer"] or None,
            sheet=data["sheet"] or None, fix_swapped=data["fix_swapped"], display_name=name,
            state=self._created_state(request),
        )

    def _created_state(self, request: HttpRequest) -> str:
        """Walidata and admins publish what they import; anyone else's rows are drafts."""
        from layers.roles import STEWARDS, role_of

        return "published" if role_of(request.user) in STEWARDS else "draft"

    def _run(self, request: HttpRequest, file: Path, options: ImportOptions) -> ImportReport | None:
        from layers.importing.run import import_file

        try:
            return import_file(self.import_layer_id, file, options)
        except ImportRejected as rejected:
            return rejected.report
        except LayerError as exc:
            messages.error(request, str(exc))
            return None

    def _check(self, request: HttpRequest, form: UploadForm) -> HttpResponse:
        upload = form.cleaned_data["file"]
        token, stored = _store(upload)
        data = {k: v for k, v in form.cleaned_data.items() if k != "file"}
        report = self._run(request, stored, self._options(request, data, upload.name, dry_run=True))
        if report is None or not report.ok:
            shutil.rmtree(stored.parent, ignore_errors=True)
            return self._render(request, {"form": form, "report": report})
        request.session[self._session_key(token)] = {
            "file": str(stored), "name": upload.name, "options": data,
        }
        return self._render(request, {"report": report, "token": token})

    def _confirm(self, request: HttpRequest, token: str) -> HttpResponse:
        """Import the file checked under ``token`` (or drop it on cancel)."""
        pending = request.session.pop(self._session_key(token), None)
        if pending is None or not Path(pending["file"]).is_file():
            messages.error(request, _("Unggahan tidak ditemukan atau kedaluwarsa; unggah lagi. / "
                                      "Upload not found or expired; upload again."))
            return HttpResponseRedirect(request.path)
        stored = Path(pending["file"])
        try:
            if "confirm" not in request.POST:
                messages.info(request, _("Impor dibatalkan. / Import cancelled."))
                return HttpResponseRedirect(request.path)
            options = self._options(request, pending["options"], pending["name"],
                                    dry_run=False)
            report = self._run(request, stored, options)
        finally:
            shutil.rmtree(stored.parent, ignore_errors=True)
        if report is not None and report.ok:
            messages.success(request, report.summary())
            opts = self.model._meta
            changelist = f"admin:{opts.app_label}_{opts.model_name}_changelist"
            return HttpResponseRedirect(reverse(changelist))
        return self._render(request, {"form": UploadForm(), "report": report})

    def _render(self, request: HttpRequest, context: dict[str, Any]) -> HttpResponse:
        return TemplateResponse(request, "admin/layers/import.html", {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Impor berkas / Import file: %s") % self.model._meta.verbose_name_plural,
            **context,
        })
