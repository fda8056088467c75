"""Which file column feeds which model field, generated from the layer declaration.

A layer's importable fields are its published properties whose lookup path is
an editable model field (``name``) or an editable foreign key followed by one
field of the related model (``agency__kode``), plus the fields named in the
declaration's ``ImportSpec.aliases``. Fields the spatial join fills
(``kelurahan``, ``kecamatan`` on facilities) are not editable and so are never
taken from a file: agency files carry stale names.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.db.models import Field, ForeignKey
from django.utils.translation import gettext as _

from layers.errors import BadOption
from layers.registry import ImportSpec, LayerDeclaration

#: dBase field names hold at most 10 characters (the Shapefile attribute table).
DBF_NAME_LIMIT = 10


def normalize(name: str) -> str:
    """Column names compare case- and punctuation-insensitively (``Nama Faskes`` = nama_faskes)."""
    return re.sub(r"[^0-9a-z]+", "_", str(name).strip().lower()).strip("_")


@dataclass(frozen=True)
class ImportField:
    #: Model field name (``agency``, ``category``).
    name: str
    #: Normalised column names that feed it, most specific first.
    columns: tuple[str, ...]
    #: For a foreign key: fields of the related model a value may match (``kode``, ``nama``).
    related_lookups: tuple[str, ...] = ()


def _editable(model: type, name: str) -> Field | None:
    try:
        field = model._meta.get_field(name)
    except Exception:
        return None
    if not getattr(field, "concrete", False) or not field.editable or field.primary_key:
        return None
    return field


def import_fields(layer: LayerDeclaration, spec: ImportSpec) -> tuple[ImportField, ...]:
    """The importable fields of a layer, in declaration order."""
    model = layer.model
    columns: dict[str, list[str]] = {}
    lookups: dict[str, list[str]] = {}
    for prop in layer.properties:
        head, _, rest = prop.path.partition("__")
        field = _editable(model, head)
        if field is None or (rest and not isinstance(field, ForeignKey)) or "__" in rest:
            continue
        if spec.area_field == head:
            continue
        columns.setdefault(head, []).append(prop.name)
        if len(prop.name) > DBF_NAME_LIMIT:
            # Our own Shapefile exports (and every DBF) cut names to 10 characters.
            columns[head].append(prop.name[:DBF_NAME_LIMIT])
        if rest:
            lookups.setdefault(head, []).append(rest)
    for name, aliases in spec.aliases:
        field = _editable(model, name)
        if field is None:
            raise BadOption(f"{layer.id}: ImportSpec alias for unknown field {name!r}")
        columns.setdefault(name, []).extend(aliases)
        if isinstance(field, ForeignKey) and name not in lookups:
            lookups[name] = ["kode", "nama"]
    result = []
    for name, names in columns.items():
        unique = tuple(dict.fromkeys(normalize(n) for n in [*names, name]))
        result.append(ImportField(name, unique, tuple(dict.fromkeys(lookups.get(name, ())))))
    return tuple(result)


def parse_mapping(text: str | None) -> dict[str, str]:
    """``--map name=NAMA_FASKES,lon=BUJUR`` → ``{"name": "NAMA_FASKES", "lon": "BUJUR"}``."""
    mapping: dict[str, str] = {}
    for part in filter(None, (p.strip() for p in (text or "").split(","))):
        field, sep, column = part.partition("=")
        if not sep or not field.strip() or not column.strip():
            raise BadOption(_("--map: %r bukan FIELD=KOLOM") % part)
        mapping[field.strip()] = column.strip()
    return mapping


#: A dBase (Shapefile) field name holds at most 10 characters: ``nama_faskes``
#: arrives as ``NAMA_FASKE``.
DBF_NAME_LENGTH = 10


def _with_dbf_names(aliases: tuple[str, ...]) -> list[str]:
    """The aliases, then each long alias cut to the length a Shapefile keeps."""
    cut = [a[:DBF_NAME_LENGTH] for a in aliases if len(a) > DBF_NAME_LENGTH]
    return [*aliases, *(c for c in cut if c not in aliases)]


def resolve_columns(
    fields: tuple[ImportField, ...],
    layer: LayerDeclaration,
    file_columns: list[str],
    mapping: dict[str, str],
    pseudo_fields: tuple[str, ...],
) -> dict[str, str]:
    """Map each field (and pseudo-field such as ``lon``) to the file column that feeds it.

    ``mapping`` keys may be model field names or published property names; a
    mapped column that the file lacks is an error naming the columns it has.
    """
    by_normal = {normalize(c): c for c in file_columns}
    by_property = {p.name: p.path.partition("__")[0] for p in layer.properties}
    known = {f.name for f in fields}
    resolved: dict[str, str] = {}
    for key, column in mapping.items():
        name = key if key in known or key in pseudo_fields else by_property.get(key)
        if name not in known and name not in pseudo_fields:
            choices = ", ".join(sorted(known | set(pseudo_fields)))
            raise BadOption(_("--map: field %(field)r tidak dikenal (field: %(choices)s)")
                            % {"field": key, "choices": choices})
        if normalize(column) not in by_normal:
            raise BadOption(
                _("--map %(field)s=%(column)s: berkas tidak punya kolom %(column)r (kolom: "
                  "%(columns)s)") % {"field": key, "column": column,
                                    "columns": ", ".join(file_columns)}
            )
        resolved[name] = by_normal[normalize(column)]
    taken = set(resolved.values())
    for field in fields:
        if field.name in resolved:
            continue
        column = next((by_normal[c] for c in _with_dbf_names(field.columns)
                       if c in by_normal), None)
        if column is not None and column not in taken:
            resolved[field.name] = column
            taken.add(column)
    return resolved
