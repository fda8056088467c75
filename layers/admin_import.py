"""The admin's "Impor berkas / Import file" page: upload, see the dry-run report, confirm.

The uploaded file is kept server-side in a private temporary folder named by
a random token (remembered in the staff member's session), so the confirm
step imports exactly the file that was checked, without a second upload.
The work is ``layers.importing.import_file``, the same function as the
``import_layer`` command, run as the signed-in user (an editor writes only
their own agency's rows, like in the admin form; every write is recorded in
the history with origin "import"); every ``LayerError`` becomes a message on
the page. A rejected file's rows can be downloaded as CSV (``--report``),
kept for a day in the upload's folder and only for the session that checked
it.
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
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from layers.errors import ImportRejected, LayerError, NoKeyColumn
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
    # Each label names the import_layer option it stands for: the report's messages
    # (shared with the command line) refer to the options by those names.
    mapping = forms.CharField(
        label=gettext_lazy("Pemetaan kolom / Column mapping (--map)"), required=False,
        help_text="name=NAMA_FASKES,lon=BUJUR,lat=LINTANG",
    )
    key = forms.ChoiceField(
        label=gettext_lazy("Kolom kunci / Key field (--key)"), required=False,
        help_text=gettext_lazy("Baris dicocokkan dengan kunci ini pada impor ulang. / Rows are "
                               "matched on this key when a file is imported again."),
    )
    no_key = forms.BooleanField(
        label=gettext_lazy("Berkas tanpa kunci: semua baris baru / No key: every row is new "
                           "(--no-key)"), required=False,
    )
    srid = forms.IntegerField(
        label=gettext_lazy("EPSG jika berkas tanpa CRS / EPSG if no CRS (--srid)"),
        required=False, min_value=1)
    encoding = forms.CharField(label=gettext_lazy("Encoding teks / Text encoding (--encoding)"),
                               required=False, max_length=30)
    source_layer = forms.CharField(
        label=gettext_lazy("Tabel GeoPackage / GeoPackage table (--source-layer)"),
        required=False, max_length=200)
    sheet = forms.CharField(label=gettext_lazy("Sheet XLSX / XLSX sheet (--sheet)"),
                            required=False, max_length=200)
    fix_swapped = forms.BooleanField(
        label=gettext_lazy("Tukar lintang/bujur yang tertukar / Fix swapped lat/lon "
                           "(--fix-swapped)"),
        required=False,
    )

    def __init__(self, *args: Any, keys: tuple[str, ...] = (), default_key: str = "",
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["key"].choices = [(k, k) for k in keys]
        self.fields["key"].initial = default_key

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


#: Longest uploaded name shown in reports and messages (in characters).
DISPLAY_NAME_CHARS = 100


def display_name(name: str) -> str:
    """The uploaded file's own name for messages, cut in the middle of a long stem.

    The suffix stays (it says the format); a stem of hundreds of characters
    keeps its start and end around "…".
    """
    path = Path(name.replace("\\", "/"))
    stem, suffix = path.stem, path.suffix
    if len(path.name) <= DISPLAY_NAME_CHARS:
        return path.name
    keep = DISPLAY_NAME_CHARS - len(suffix) - 1
    return f"{stem[: keep - keep // 4]}…{stem[len(stem) - keep // 4:]}{suffix}"


def _store(upload: Any) -> tuple[str, Path]:
    _sweep(time.time())
    token = secrets.token_urlsafe(16)
    folder = UPLOAD_ROOT / token
    folder.mkdir(parents=True, mode=0o700)
    # The file is kept under a name of our own: the uploaded one may be longer than
    # the file system allows (255 bytes; ENAMETOOLONG) or hold anything else. Only
    # its suffix, already checked against UPLOAD_SUFFIXES, tells the reader the format.
    target = folder / f"unggahan{Path(upload.name).suffix.lower()}"
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
        name = f"{opts.app_label}_{opts.model_name}_import"
        return [
            path("import/", self.admin_site.admin_view(self.import_view), name=name),
            path("import/rejected/<str:token>/",
                 self.admin_site.admin_view(self.rejected_view), name=f"{name}_rejected"),
            *super().get_urls(),
        ]

    def _session_key(self, token: str, kind: str = "pending") -> str:
        return f"layers-import-{kind}-{self.import_layer_id}-{token}"

    def _form(self, request: HttpRequest, bound: bool = True) -> UploadForm:
        from layers.importing.run import importable_layer

        layer, spec = importable_layer(self.import_layer_id)
        keys = tuple(f.name for f in layer.model._meta.fields if f.unique and not f.primary_key)
        data = (request.POST or None, request.FILES or None) if bound else ()
        return UploadForm(*data, keys=keys, default_key=spec.key)

    def _may_import(self, request: HttpRequest) -> None:
        if not (self.has_add_permission(request) and self.has_change_permission(request)):
            raise PermissionDenied

    def import_view(self, request: HttpRequest) -> HttpResponse:
        self._may_import(request)
        if request.method == "POST" and "token" in request.POST:
            return self._confirm(request, request.POST["token"])
        form = self._form(request)
        if request.method == "POST" and form.is_valid():
            return self._check(request, form)
        return self._render(request, {"form": form})

    def rejected_view(self, request: HttpRequest, token: str) -> HttpResponse:
        """The rejected rows of this user's last check of a file, as CSV (``--report``)."""
        self._may_import(request)
        kept = request.session.get(self._session_key(token, "rejected"))
        if kept is None or not Path(kept["file"]).is_file():
            raise Http404(_("Laporan tidak ditemukan atau kedaluwarsa. / Report not found or "
                            "expired."))
        return FileResponse(Path(kept["file"]).open("rb"), as_attachment=True,
                            filename=kept["name"], content_type="text/csv; charset=utf-8")

    def _options(self, request: HttpRequest, data: dict[str, Any], name: str,
                 dry_run: bool) -> ImportOptions:
        from layers.importing.run import ImportOptions

        return ImportOptions(
            dry_run=dry_run, mapping=data["mapping"], srid=data["srid"],
            encoding=data["encoding"] or None, source_layer=data["source_layer"] or None,
            sheet=data["sheet"] or None, fix_swapped=data["fix_swapped"], display_name=name,
            key=data.get("key") or None, no_key=data.get("no_key", False),
            state=self._created_state(request), user=request.user,
        )

    def _created_state(self, request: HttpRequest) -> str:
        """Walidata and admins publish what they import; anyone else's rows are drafts."""
        from layers.roles import STEWARDS, role_of

        return "published" if role_of(request.user) in STEWARDS else "draft"

    def _run(self, request: HttpRequest, file: Path, options: ImportOptions,
             form: UploadForm | None = None) -> ImportReport | None:
        from layers.importing.run import import_file

        try:
            return import_file(self.import_layer_id, file, options)
        except ImportRejected as rejected:
            return rejected.report
        except NoKeyColumn as exc:
            if form is not None:  # said beside the option that resolves it
                form.add_error("no_key", str(exc))
            else:
                messages.error(request, str(exc))
        except LayerError as exc:
            messages.error(request, str(exc))
        return None

    def _keep_rejected(self, request: HttpRequest, token: str, folder: Path,
                       report: ImportReport) -> str:
        """Write the rejected rows beside the upload (the file itself is dropped)."""
        target = folder / "ditolak.csv"
        report.write_csv(target)
        request.session[self._session_key(token, "rejected")] = {
            "file": str(target), "name": f"ditolak-{Path(report.file).stem}.csv",
        }
        opts = self.model._meta
        return reverse(f"admin:{opts.app_label}_{opts.model_name}_import_rejected", args=[token])

    def _check(self, request: HttpRequest, form: UploadForm) -> HttpResponse:
        upload = form.cleaned_data["file"]
        token, stored = _store(upload)
        data = {k: v for k, v in form.cleaned_data.items() if k != "file"}
        name = display_name(upload.name)
        options = self._options(request, data, name, dry_run=True)
        report = self._run(request, stored, options, form)
        if report is None or not report.ok:
            stored.unlink(missing_ok=True)
            context: dict[str, Any] = {"form": form, "report": report}
            if report is not None:
                context["rejected_url"] = self._keep_rejected(request, token, stored.parent,
                                                              report)
            else:
                shutil.rmtree(stored.parent, ignore_errors=True)
            return self._render(request, context)
        request.session[self._session_key(token)] = {
            "file": str(stored), "name": name, "options": data,
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
        if "confirm" not in request.POST:
            shutil.rmtree(stored.parent, ignore_errors=True)
            messages.info(request, _("Impor dibatalkan. / Import cancelled."))
            return HttpResponseRedirect(request.path)
        options = self._options(request, pending["options"], pending["name"], dry_run=False)
        report = self._run(request, stored, options)
        stored.unlink(missing_ok=True)
        if report is not None and report.ok:
            shutil.rmtree(stored.parent, ignore_errors=True)
            messages.success(request, report.summary())
            opts = self.model._meta
            changelist = f"admin:{opts.app_label}_{opts.model_name}_changelist"
            return HttpResponseRedirect(reverse(changelist))
        context: dict[str, Any] = {"form": self._form(request, bound=False), "report": report}
        if report is not None:
            context["rejected_url"] = self._keep_rejected(request, token, stored.parent, report)
        else:
            shutil.rmtree(stored.parent, ignore_errors=True)
        return self._render(request, context)

    def _render(self, request: HttpRequest, context: dict[str, Any]) -> HttpResponse:
        report = context.get("report")
        unmatched = sorted(report.unmatched.items()) if report is not None else []
        return TemplateResponse(request, "admin/layers/import.html", {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Impor berkas / Import file: %s") % self.model._meta.verbose_name_plural,
            "unmatched": unmatched,
            **context,
        })
