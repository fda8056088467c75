"""The OpenAPI document declares what each process execution really returns.

pygeoapi declared the schema of a process's first output as the whole 200
response: an array for nearest-facilities, which answers
``{"facilities": [...]}`` (schemathesis: response violates schema). Real
answers from the test server are validated here against the declared schema
with jsonschema (``openapi-schema-validator``'s OpenAPI 3.0 dialect, which
knows ``nullable``).
"""

from __future__ import annotations

from typing import Any

import pytest
import requests
from jsonschema.exceptions import ValidationError
from openapi_schema_validator import OAS30Validator

#: Inputs that reach each kind of answer: found, outside the city, empty.
CASES = [
    ("locate", {"lon": 123.5858, "lat": -10.1681}),
    ("locate", {"lon": 123.0, "lat": -10.5}),  # the sea: nulls and a message
    ("nearest-facilities", {"lon": 123.6070, "lat": -10.1772, "category": "kesehatan", "n": 3}),
    ("nearest-facilities", {"lon": 123.6, "lat": -10.17, "n": 50}),
    ("kelurahan-summary", {"kode": "53.71.04.1008"}),
    ("kelurahan-summary", {"kode": "53.71.01.1001"}),
]


@pytest.fixture(scope="module")
def declared(server_url: str) -> dict[str, dict[str, Any]]:
    paths = requests.get(f"{server_url}/ogc/openapi?f=json", timeout=60).json()["paths"]
    return {path.split("/")[2]: item["post"]["responses"]["200"]["content"]
            ["application/json"]["schema"]
            for path, item in paths.items()
            if path.startswith("/processes/") and path.endswith("/execution")}


@pytest.mark.parametrize(("process", "inputs"), CASES)
def test_each_execution_answer_matches_the_declared_200_schema(
    http: requests.Session, server_url: str, declared: dict[str, dict[str, Any]],
    process: str, inputs: dict[str, Any]
) -> None:
    response = http.post(f"{server_url}/ogc/processes/{process}/execution",
                         json={"inputs": inputs})
    assert response.status_code == 200, response.text[:300]
    OAS30Validator(declared[process]).validate(response.json())


def test_the_declared_schema_is_an_object_of_the_outputs_and_refuses_a_bare_array(
    http: requests.Session, server_url: str, declared: dict[str, dict[str, Any]]
) -> None:
    schema = declared["nearest-facilities"]
    assert (schema["type"], schema["required"]) == ("object", ["facilities"])
    described = http.get(f"{server_url}/ogc/processes/locate?f=json").json()["outputs"]
    assert set(declared["locate"]["properties"]) == set(described)
    assert declared["locate"]["required"] == ["kelurahan", "kecamatan"]  # message: outside only
    with pytest.raises(ValidationError):  # what the old declaration said the answer was
        OAS30Validator(schema).validate([{"id": 1, "nama": "x", "kategori": "klinik",
                                          "distance_m": 1.0, "lon": 123.6, "lat": -10.2}])
