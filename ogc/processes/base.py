"""What Taksi's processes share: reading and checking the execute inputs.

OGC API - Processes 1.0 (/req/core/process-execute-input-validation) lets a
server refuse inputs that do not match the process description; Taksi does so
with a 400 whose message names the input, as for query parameters. Inputs may
be given bare (``"lon": 123.6``) or qualified (``"lon": {"value": 123.6}``).
"""

from __future__ import annotations

import copy
import math
from http import HTTPStatus
from typing import Any

from pygeoapi.process.base import BaseProcessor, ProcessorExecuteError


class ProcessInputError(ProcessorExecuteError):
    """An input is missing, unknown or has a value the process does not accept."""

    ogc_exception_code = "InvalidParameterValue"
    http_status_code = HTTPStatus.BAD_REQUEST


def _bad(name: str, reason: str) -> ProcessInputError:
    return ProcessInputError(user_msg=f"input {name!r}: {reason}")


class TaksiProcessor(BaseProcessor):
    """A synchronous process with JSON inputs checked against its description."""

    metadata_dict: dict[str, Any] = {}
    #: Outputs that only some answers carry (all others are always there).
    optional_outputs: frozenset[str] = frozenset()

    @classmethod
    def response_schema(cls) -> dict[str, Any]:
        """The execute response (200) as an OpenAPI 3.0 schema: one object, a member per output.

        Every output here is a JSON value returned as a member of one object
        (``{"facilities": [...]}``), for ``response=raw`` and ``document``
        alike (``ogc.processes.manager``). pygeoapi's OpenAPI document declares
        the schema of the first output alone instead, which no answer matches.
        """
        outputs = cls.metadata_dict["outputs"]
        return {
            "type": "object",
            "required": [name for name in outputs if name not in cls.optional_outputs],
            "properties": {name: copy.deepcopy(output["schema"])
                           for name, output in outputs.items()},
            "additionalProperties": False,
        }

    def __init__(self, processor_def: dict[str, Any]) -> None:
        super().__init__(processor_def, self.metadata_dict)

    def read_inputs(self, data: dict[str, Any]) -> dict[str, Any]:
        """The inputs with qualified values unwrapped; unknown or missing ones refused."""
        declared = self.metadata["inputs"]
        unknown = sorted(set(data) - set(declared))
        if unknown:
            raise _bad(unknown[0], f"unknown input; accepted: {', '.join(declared)}")
        inputs = {}
        for name, value in data.items():
            if isinstance(value, dict) and set(value) == {"value"}:
                value = value["value"]
            inputs[name] = value
        for name, spec in declared.items():
            if spec.get("minOccurs", 1) > 0 and inputs.get(name) is None:
                raise _bad(name, "is required")
        return inputs


def number_input(inputs: dict[str, Any], name: str, low: float, high: float) -> float:
    value = inputs[name]
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise _bad(name, f"must be a number, not {value!r}")
    if not low <= value <= high:
        raise _bad(name, f"{value} is out of range [{low}, {high}]")
    return float(value)


def integer_input(inputs: dict[str, Any], name: str, default: int, low: int, high: int) -> int:
    value = inputs.get(name)
    if value is None:
        return default
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int):
        raise _bad(name, f"must be a whole number, not {value!r}")
    if not low <= value <= high:
        raise _bad(name, f"{value} is out of range [{low}, {high}]")
    return value


def choice_input(inputs: dict[str, Any], name: str, choices: tuple[str, ...]) -> str | None:
    value = inputs.get(name)
    if value is None:
        return None
    if value not in choices:
        raise _bad(name, f"{value!r} is not one of {', '.join(choices)}")
    return value


def point_inputs(inputs: dict[str, Any]) -> tuple[float, float]:
    """``lon``/``lat`` in WGS 84 degrees (EPSG:4326 values, longitude first)."""
    return number_input(inputs, "lon", -180, 180), number_input(inputs, "lat", -90, 90)


def point_schema() -> dict[str, Any]:
    """The ``lon``/``lat`` input descriptions shared by the point processes."""
    def degrees(title: dict[str, str], low: int, high: int) -> dict[str, Any]:
        return {
            "title": title,
            "description": {"id": f"{title['id']} WGS 84 dalam derajat desimal",
                            "en": f"{title['en']} WGS 84 in decimal degrees"},
            "schema": {"type": "number", "minimum": low, "maximum": high},
            "minOccurs": 1, "maxOccurs": 1,
        }

    return {
        "lon": degrees({"id": "Bujur", "en": "Longitude"}, -180, 180),
        "lat": degrees({"id": "Lintang", "en": "Latitude"}, -90, 90),
    }


#: A kelurahan or kecamatan, or null outside the city. Process descriptions use
#: OpenAPI 3.0 schema objects (Processes 1.0 /req/ogc-process-description), which
#: have no "null" type: null is allowed with ``nullable``.
AREA_SCHEMA: dict[str, Any] = {
    "type": "object", "nullable": True, "required": ["kode", "nama"],
    "properties": {"kode": {"type": "string"}, "nama": {"type": "string"}},
}
