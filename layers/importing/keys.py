"""The key a re-import matches rows on, and what happens to rows that have none.

A file without the layer's key column (``external_id`` for facilities and
projects, ``kode`` for boundaries) would create every row anew on each
import: a city data steward re-importing last month's register would find
each facility twice. So such a file is refused, with the names the column is
looked for under, unless ``--no-key`` says that every row without a key is
meant to be new. Rows created that way get a generated source id
(``layers.models.located``), so the next export carries a key.
"""

from __future__ import annotations

from django.db.models import Model
from django.utils.translation import gettext as _

from layers.errors import BadOption, NoKeyColumn
from layers.importing.fields import ImportField
from layers.importing.prepare import PreparedRow
from layers.importing.report import ImportReport, Rejection
from layers.registry import ImportSpec, LayerDeclaration


def key_field(layer: LayerDeclaration, spec: ImportSpec, wanted: str | None) -> str:
    """``--key`` or the declaration's key; it must be a unique field of the model."""
    key = wanted or spec.key
    unique = [f.name for f in layer.model._meta.fields if f.unique and not f.primary_key]
    if key not in unique:
        raise BadOption(
            _("--key %(key)s: bukan kolom unik layer %(layer)s (%(unique)s)")
            % {"key": key, "layer": layer.id, "unique": ", ".join(unique)}
        )
    return key


def require_key_column(file_name: str, key: str, fields: tuple[ImportField, ...],
                       columns: dict[str, str], file_columns: list[str], no_key: bool) -> None:
    """Refuse a file that has no column for the key, unless ``no_key``."""
    if key in columns or no_key:
        return
    field = next((f for f in fields if f.name == key), None)
    looked_for = ", ".join(field.columns) if field else key
    raise NoKeyColumn(
        _("%(file)s: tidak ada kolom kunci %(key)s (dicari: %(names)s; kolom berkas: "
          "%(columns)s). Tanpa kunci, setiap impor ulang menggandakan baris. Tambahkan "
          "kolom itu, tunjuk kolomnya dengan --map %(key)s=KOLOM atau --key, atau pakai "
          "--no-key bila semua baris memang baru.")
        % {"file": file_name, "key": key, "names": looked_for,
           "columns": ", ".join(file_columns)}
    )


def check_keys(rows: list[PreparedRow], model: type[Model], key: str, column: str | None,
               no_key: bool, report: ImportReport) -> None:
    """Reject a key used twice in the file, and an empty key unless ``no_key``."""
    attname = model._meta.get_field(key).attname
    label = f"{key} ({column})" if column and column != key else key
    first: dict[object, int] = {}
    keyless = 0
    for row in rows:
        value = row.values.get(attname)
        if value in (None, ""):
            keyless += 1
            if column is not None and not no_key:
                report.rejected.append(Rejection(
                    row.number, label, "missing_key",
                    _("kunci %(key)s kosong: baris ini akan dibuat baru pada setiap impor; "
                      "isi kuncinya, atau pakai --no-key bila memang baru") % {"key": key},
                ))
            continue
        if value in first:
            report.rejected.append(Rejection(
                row.number, label, "duplicate_key",
                _("%(key)s %(value)r sudah dipakai di baris %(first)d")
                % {"key": key, "value": value, "first": first[value]}, str(value),
            ))
        else:
            first[value] = row.number
    if no_key and keyless:
        report.notes.append(
            _("%(count)d baris tanpa kunci %(key)s dibuat sebagai baris baru (--no-key)")
            % {"count": keyless, "key": key}
        )
