"""Views for the raster coverage (OGC API - Coverages) and processes (OGC API - Processes).

They hand requests to pygeoapi's API core like ``ogc.views`` does, after
Taksi's own checks: every query parameter and the execute request body are
checked here so that a client mistake is a 400 naming the parameter or input,
never a 500 (pygeoapi answers a bad coverage ``bbox`` with 500).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pygeoapi.api.coverages as coverages_api
import pygeoapi.api.processes as processes_api
from django.http import HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt
from pygeoapi.api import APIRequest
from rasterio.io import MemoryFile

from layers.health_distance import CELL_M
from ogc.config import get_api
from ogc.coverages import (
    COVERAGEJSON_TYPE,
    NATIVE_FORMAT,
    PYGEOAPI_COVERAGEJSON_TYPE,
    check_coverage_parameters,
)
from ogc.errors import (
    InvalidParameterValue,
    InvalidRequestBody,
    NotFound,
    OgcError,
    error_response,
    method_not_allowed,
)
from ogc.parameters import PROCESS_LIST_PARAMETERS, check_parameters
from ogc.providers.coverage import EPSG_URI
from ogc.pygeoapi_calls import dispatch, pygeoapi_response
from ogc.views import ogc_view
from ogc.writes.body import check_declared_length, parse_json

JSON_TYPES = ("application/json",)


def _dispatch_any_format(function: Callable[..., tuple[dict, int, Any]],
                         request: HttpRequest, *args: str) -> HttpResponse:
    """``ogc.pygeoapi_calls.dispatch`` without pygeoapi's format check.

    pygeoapi's format list has no GeoTIFF, so its check would refuse
    ``f=GTiff`` (its own Django coverage view skips the check too);
    ``check_coverage_parameters`` has already checked ``f``.
    """
    api = get_api()
    return pygeoapi_response(*function(api, APIRequest.from_django(request, api.locales), *args))


def _coverage_or_404(collection_id: str) -> None:
    resource = get_api().config["resources"].get(collection_id, {})
    providers = resource.get("providers", []) if resource.get("type") == "collection" else []
    if not any(p["type"] == "coverage" for p in providers):
        raise NotFound(f"collection {collection_id!r} has no coverage")


def _negotiate_coverage_format(request: HttpRequest) -> None:
    """Map ``Accept: image/tiff`` to ``f=GTiff`` (/req/geotiff/coverage A).

    pygeoapi negotiates only the media types it knows, GeoTIFF not among them;
    CoverageJSON is its default and needs no mapping.
    """
    if "f" not in request.GET and "image/tiff" in request.headers.get("Accept", ""):
        request.GET = request.GET.copy()
        request.GET["f"] = NATIVE_FORMAT["name"]


def _cell_edges(axis: dict[str, float]) -> tuple[float, float]:
    """Outer cell edges of a CoverageJSON regular axis whose values are cell centres."""
    step = abs(axis["stop"] - axis["start"]) / (axis["num"] - 1) if axis["num"] > 1 else CELL_M
    low, high = sorted((axis["start"], axis["stop"]))
    return low - step / 2, high + step / 2


def _coverage_headers(response: HttpResponse) -> None:
    """CoverageJSON's registered media type, and ``Content-Crs``/``Content-Bbox``
    (/req/core/response-headers) read back from the content itself."""
    content_type = response.get("Content-Type", "")
    if response.status_code != 200:
        return
    if content_type.startswith(PYGEOAPI_COVERAGEJSON_TYPE):
        response["Content-Type"] = COVERAGEJSON_TYPE
        domain = json.loads(response.content)["domain"]
        (west, east), (south, north) = (_cell_edges(domain["axes"][axis]) for axis in "xy")
        bounds = (west, south, east, north)
        crs = domain["referencing"][0]["system"]["id"]
    elif content_type.startswith("image/tiff"):
        with MemoryFile(response.content) as memfile, memfile.open() as src:
            bounds, crs = tuple(src.bounds), EPSG_URI.format(src.crs.to_epsg())
    else:
        return
    response["Content-Crs"] = f"<{crs}>"
    response["Content-Bbox"] = ",".join(f"{v:.2f}".rstrip("0").rstrip(".") for v in bounds)


def _merge_subsets(request: HttpRequest) -> None:
    """/req/subsetting-spatial/multiple-subset: ``subset=Lon(..)&subset=Lat(..)`` is one
    subset; pygeoapi (and a plain dict) would keep only the last of them."""
    values = request.GET.getlist("subset")
    if len(values) > 1:
        request.GET = request.GET.copy()
        request.GET.setlist("subset", [",".join(values)])


@ogc_view
def coverage(request: HttpRequest, collection_id: str) -> HttpResponse:
    """GET /collections/{id}/coverage: CoverageJSON (default), GeoTIFF (f=GTiff) or HTML."""
    _coverage_or_404(collection_id)
    _merge_subsets(request)
    check_coverage_parameters(request.GET)
    _negotiate_coverage_format(request)
    response = _dispatch_any_format(coverages_api.get_collection_coverage, request,
                                    collection_id)
    _coverage_headers(response)
    return response


def _process_or_404(process_id: str) -> None:
    if process_id not in get_api().manager.processes:
        raise NotFound(f"process {process_id!r} not found")


@ogc_view
def processes(request: HttpRequest) -> HttpResponse:
    check_parameters(request.GET, PROCESS_LIST_PARAMETERS)
    return dispatch(processes_api.describe_processes, request)


@ogc_view
def process(request: HttpRequest, process_id: str) -> HttpResponse:
    _process_or_404(process_id)
    check_parameters(request.GET)
    return dispatch(processes_api.describe_processes, request, process_id)


@ogc_view
def job(request: HttpRequest, job_id: str, results: bool = False) -> HttpResponse:
    """GET /jobs/{jobId} and /jobs/{jobId}/results: always no-such-job.

    Processes 1.0 Core asks for both operations; it does not ask a server to
    create jobs for synchronous execution (/per/core/process-execute-sync-job),
    and every process here runs synchronously, so no job id ever exists
    (/req/core/job-exception-no-such-job, job-results-exception-no-such-job).
    """
    check_parameters(request.GET)
    return error_response(NoSuchJob(f"job {job_id!r} not found: processes here run "
                                    "synchronously and keep no jobs"))


class NoSuchJob(NotFound):
    code = "http://www.opengis.net/def/exceptions/ogcapi-processes-1/1.0/no-such-job"


def _declared_outputs(process_id: str) -> set[str]:
    from django.utils.module_loading import import_string

    from ogc.processes import PROCESSORS

    return set(import_string(PROCESSORS[process_id]).metadata_dict["outputs"])


def _check_outputs(outputs: object, process_id: str) -> None:
    """OGC API - Processes 1.0, execute: ``outputs`` selects among the declared
    outputs; an unknown one is a 400 naming it, not silently ignored."""
    if not isinstance(outputs, dict):
        raise InvalidParameterValue("outputs: must be a JSON object keyed by output id")
    declared = _declared_outputs(process_id)
    unknown = sorted(set(outputs) - declared)
    if unknown:
        raise InvalidParameterValue(
            f"outputs: unknown output(s) {', '.join(map(repr, unknown))}; "
            f"{process_id} has {', '.join(sorted(declared))}")


def _check_execute_body(request: HttpRequest, process_id: str) -> None:
    """An execute request is a JSON object whose ``inputs`` is an object.

    The body is read with the write API's strict parser (``ogc.writes.body``):
    nesting past its depth limit, integers too long for ``int()`` (Python
    refuses more than 4,300 digits), NaN and invalid UTF-8 are 400s naming
    the body, where ``json.loads`` would raise RecursionError or ValueError (500).
    """
    content_type = request.content_type or ""
    if content_type not in JSON_TYPES:
        raise InvalidParameterValue(
            f"Content-Type: send the execute request as application/json, not {content_type!r}"
        )
    check_declared_length(request)  # 411/413 before Django reads the body
    raw = request.body  # not read_body(): pygeoapi reads request.body again
    if not raw.strip():
        raise InvalidRequestBody(
            'Isi permintaan eksekusi kosong; kirim {"inputs": {...}}. / '
            'The execute request body is empty; send {"inputs": {...}}.')
    try:
        body = parse_json(raw)
    except InvalidRequestBody as error:
        raise InvalidRequestBody(f"Isi permintaan eksekusi / execute request body: "
                                 f"{error.description}") from error
    if not isinstance(body, dict):
        raise InvalidParameterValue("request body: must be a JSON object with 'inputs'")
    if not isinstance(body.get("inputs"), dict):
        raise InvalidParameterValue("inputs: must be a JSON object of input values")
    if "outputs" in body:
        _check_outputs(body["outputs"], process_id)


@csrf_exempt  # a machine API without cookies or sessions; nothing for CSRF to protect
def execution(request: HttpRequest, process_id: str) -> HttpResponse:
    """POST /processes/{id}/execution: synchronous execute, JSON in and out."""
    try:
        if request.method != "POST":
            raise method_not_allowed(request.method, ("POST",))
        _process_or_404(process_id)
        check_parameters(request.GET)
        if request.GET.get("f", "json") != "json":
            raise InvalidParameterValue("f: an execute request is answered in json only")
        _check_execute_body(request, process_id)
    except OgcError as error:
        return error_response(error)
    return dispatch(processes_api.execute_process, request, process_id)
