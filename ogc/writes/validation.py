"""A GeoJSON Feature through the same rules as an agency file (``layers.importing``).

Nothing is re-implemented here: the writable fields are the import's
(``import_fields``: published properties whose path is an editable model
field), values are converted by the import's ``Converter`` (categories and
statuses by code or label, agencies by code or name, Indonesian number and
date spellings), geometries are promoted or refused by the import's ``fit``
(the stored types), located by the import's ``check_locations`` (inside Kota
Kupang, swapped lat/lon caught; ``ogc.writes.geometry``), and the instance is
checked by the model's ``full_clean`` (required fields, ranges, check
constraints) as the import does.

Properties the API shows but that are derived (``kelurahan``,
``kecamatan``, their codes) are accepted and ignored, so a client may send
back what it read (QGIS does); an unknown property is refused, since a typo
would otherwise be silently dropped. ``state`` asks for a workflow move
(``ogc.writes.operations``).

A body that is no Feature at all is a 400 (``InvalidRequestBody``, in
Indonesian and English like every other write-API refusal); a Feature whose
content breaks a rule is a 422 (``InvalidFeature``) listing every problem
with its property, each message in the request's language (the import's and
Django's catalogue: Indonesian, or English for ``?lang=en`` or the language
cookie; ``ogc.writes.views.write_endpoint`` activates it).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.contrib.gis.geos import GEOSGeometry
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models
from django.utils.translation import gettext as _

from layers.importing.fields import import_fields
from layers.importing.validation import constraint_fields
from layers.importing.values import Converter, ValueProblem
from layers.models.workflow import PublicationState
from layers.registry import LayerDeclaration
from ogc.crs import CRS84, Crs
from ogc.errors import InvalidFeature, InvalidRequestBody
from ogc.writes.geometry import request_geometry

STATE = "state"


@dataclass
class FeatureInput:
    #: Model attname → value, for the fields the request gave.
    values: dict[str, Any] = field(default_factory=dict)
    #: Model field names the request gave (``agency`` for kode_opd/opd).
    given: set[str] = field(default_factory=set)
    #: None: the request did not give one (a PATCH that keeps the geometry).
    geometry: GEOSGeometry | None = None
    #: The workflow state asked for, if any.
    state: str | None = None

    @property
    def changes_data(self) -> bool:
        return bool(self.given) or self.geometry is not None


class Problems:
    """Every problem of one request, each naming its property."""

    def __init__(self) -> None:
        self.items: list[dict[str, str]] = []

    def add(self, prop: str, code: str, message: str) -> None:
        self.items.append({"property": prop, "code": code, "message": str(message)})

    def raise_if_any(self) -> None:
        if self.items:
            listed = "; ".join(f"{p['property']}: {p['message']}" for p in self.items)
            raise InvalidFeature(f"Fitur ditolak / Feature rejected — {listed}",
                                 details=self.items)


def writable_properties(layer: LayerDeclaration) -> dict[str, str]:
    """Published property name → model field, for the fields a client may set."""
    spec = layer.import_spec
    assert spec is not None, layer.id
    editable = {f.name for f in import_fields(layer, spec)}
    heads = {p.name: p.path.partition("__")[0] for p in layer.properties}
    return {name: head for name, head in heads.items() if head in editable}


def property_of_field(layer: LayerDeclaration) -> dict[str, str]:
    """Model field → the first property that sets it (for messages about fields)."""
    found: dict[str, str] = {}
    for name, head in writable_properties(layer).items():
        found.setdefault(head, name)
    return found


def touches_data(document: Any) -> bool:
    """Does a (patch) document change data, not just ask for a ``state`` move?"""
    if not isinstance(document, dict):
        return True
    properties = document.get("properties")
    others = set(properties) - {STATE} if isinstance(properties, dict) else set()
    return "geometry" in document or bool(others) or (properties is not None and not isinstance(
        properties, dict))


def parse_feature(document: Any, layer: LayerDeclaration, *, partial: bool,
                  content_crs: Crs = CRS84) -> FeatureInput:
    """A Feature (``partial``: a merge patch of one) as field values, or 400/422."""
    if not isinstance(document, dict):
        raise InvalidRequestBody("Isi permintaan harus sebuah objek GeoJSON Feature. / "
                                 "The request body must be a GeoJSON Feature object.")
    kind = document.get("type")
    if (kind is not None or not partial) and kind != "Feature":
        raise InvalidRequestBody(
            f"type harus 'Feature', bukan {kind!r}: satu fitur per permintaan. / "
            f"type must be 'Feature', not {kind!r}: one feature per request.")
    properties = document.get("properties")
    if properties is not None and not isinstance(properties, dict):
        raise InvalidRequestBody("properties harus sebuah objek. / properties must be an object.")
    problems = Problems()
    result = FeatureInput()
    _properties(properties or {}, layer, result, problems)
    if "geometry" in document or not partial:
        result.geometry = request_geometry(document.get("geometry"), layer, content_crs,
                                           problems)
    problems.raise_if_any()
    return result


def _properties(properties: dict[str, Any], layer: LayerDeclaration, result: FeatureInput,
                problems: Problems) -> None:
    writable = writable_properties(layer)
    derived = {p.name for p in layer.properties} - set(writable)
    spec = layer.import_spec
    assert spec is not None
    fields = tuple(f for f in import_fields(layer, spec) if f.name in set(writable.values()))
    converter = Converter(layer.model, fields)
    by_field: dict[str, tuple[str, Any]] = {}
    for name, raw in properties.items():
        if name == STATE:
            if raw not in PublicationState.values:
                problems.add(STATE, "unknown_state", _("%(value)r bukan status; pilihan: "
                             "%(choices)s") % {"value": raw,
                                               "choices": ", ".join(PublicationState.values)})
            else:
                result.state = raw
            continue
        if name in derived or name == "id":
            continue  # shown by the API, computed by Taksi: a client may send it back
        if name not in writable:
            problems.add(name, "unknown_property",
                         _("properti tidak dikenal; yang dapat ditulis: %(writable)s")
                         % {"writable": ", ".join([*writable, STATE])})
            continue
        if isinstance(raw, dict | list):
            problems.add(name, "invalid_value", _("harus satu nilai, bukan objek atau daftar"))
            continue
        if isinstance(raw, str) and "\x00" in raw:
            problems.add(name, "invalid_value", _("berisi karakter NUL"))
            continue
        try:
            attname, value = converter.convert(writable[name], raw)
        except ValueProblem as problem:
            problems.add(name, problem.code, str(problem))
            continue
        earlier = by_field.get(writable[name])
        if earlier is not None and earlier[1] != value:
            problems.add(name, "conflicting_values", _("menunjuk nilai lain dari %(other)s")
                         % {"other": earlier[0]})
            continue
        by_field[writable[name]] = (name, value)
        result.values[attname] = value
        result.given.add(writable[name])


def apply(instance: models.Model, layer: LayerDeclaration, feature: FeatureInput,
          *, replace: bool) -> None:
    """Set the given values on ``instance``; with ``replace`` the others back to defaults."""
    if replace:
        for name in set(writable_properties(layer).values()) - feature.given:
            model_field = layer.model._meta.get_field(name)
            setattr(instance, model_field.attname, model_field.get_default())
    for attname, value in feature.values.items():
        setattr(instance, attname, value)
    if feature.geometry is not None:
        instance.geometry = feature.geometry


def clean(instance: models.Model, layer: LayerDeclaration) -> None:
    """The model's own validation (required, lengths, ranges, constraints) as the import runs it."""
    derived = [f.name for f in layer.model._meta.fields
               if isinstance(f, models.ForeignKey) and not f.editable]
    try:
        instance.full_clean(exclude=derived, validate_unique=False)
    except ValidationError as exc:
        names = property_of_field(layer)
        problems = Problems()
        for name, messages in exc.message_dict.items():
            for message in messages:
                prop = (_constraint_properties(layer, message, names)
                        if name == NON_FIELD_ERRORS else names.get(name, name))
                problems.add(prop, "invalid_value", message)
        problems.raise_if_any()


def _constraint_properties(layer: LayerDeclaration, message: str, names: dict[str, str]) -> str:
    """The properties a violated check constraint reads (``mulai, selesai``), from its
    condition; ``properties`` when the message matches no constraint."""
    fields = constraint_fields(layer.model, message)
    labels: list[str] = []
    for name in fields:
        label = "geometry" if name == "geometry" else names.get(name, name)
        if label not in labels:
            labels.append(label)
    return ", ".join(labels) or "properties"
