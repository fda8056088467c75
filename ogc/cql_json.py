"""CQL2 JSON checked for shape, and brought to what pygeofilter 0.4 reads.

pygeofilter builds its AST from CQL2 JSON without checking the shape of a
node: ``{"op": "in", "args": [{"property": "kategori"}, "klinik"]}`` becomes
an IN over the characters of ``klinik``, and ``{"op": "=", "args": [x]}``
fails inside a constructor with Python's own words. CQL2 1.0 (the JSON schema
``cql2.json``) fixes how many arguments each operator takes and what kind of
node each argument is; this module checks exactly that, before pygeofilter
runs, so that a malformed filter is a 400 naming the operator, the arguments
it expects and where in the document the problem is (``filter.args[1]``).
It checks structure only; the parsing itself stays pygeofilter's.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

from dateutil.parser import isoparse
from pygeofilter import ast, values
from pygeofilter.cql2 import BINARY_OP_PREDICATES_MAP

from ogc.cql_literals import check_text
from ogc.errors import InvalidParameterValue

#: What each operator takes, as CQL2 1.0 writes it, for the error message.
_SIGNATURES = {
    "and": "two or more conditions", "or": "two or more conditions", "not": "one condition",
    "isNull": "one value", "like": "a value and a pattern", "casei": "one value",
    "between": "a value, a lower and an upper bound", "in": "a value and a list of values",
}
_LITERAL_KEYS = ("property", "bbox", "interval", "date", "timestamp", "op")


def _fail(path: str, problem: str) -> InvalidParameterValue:
    return InvalidParameterValue(f"filter: CQL2 JSON at {path}: {problem}")


def _args(node: dict[str, Any], path: str) -> list[Any]:
    op = node["op"]
    if not isinstance(op, str):
        raise _fail(path, f"'op' must be an operator name, not {op!r}")
    if op not in BINARY_OP_PREDICATES_MAP and op not in _SIGNATURES:
        raise _fail(path, f"unknown or unsupported operator {op!r}")
    args = node.get("args")
    if op in ("not", "isNull") and isinstance(args, dict):
        args = [args]  # CQL2 drafts wrote a single argument without the array
    if not isinstance(args, list):
        raise _fail(path, f"{op!r} needs 'args', an array of {_signature(op)}")
    return args


def _signature(op: str) -> str:
    return _SIGNATURES.get(op, "two operands")


def _check_count(op: str, args: list[Any], path: str) -> None:
    expected = {"and": None, "or": None, "not": 1, "isNull": 1, "casei": 1,
                "between": 3}.get(op, 2)
    ok = len(args) >= 2 if expected is None else len(args) == expected
    if op == "between" and len(args) == 2 and isinstance(args[1], list):
        ok = len(args[1]) == 2  # the draft form [value, [low, high]]
    if not ok:
        raise _fail(path, f"{op!r} takes {_signature(op)}; got {len(args)} argument(s)")


def _bbox(numbers: Any, path: str) -> values.Envelope:
    """``{"bbox": [minx, miny, maxx, maxy]}`` (or 6 numbers with heights).

    pygeofilter 0.4 hands the array to ``Envelope(x1, x2, y1, y2)`` in array
    order, which reads minx, miny, maxx, maxy as minx, maxx, miny, maxy: the
    box is built here with its axes in the right places.
    """
    if (not isinstance(numbers, list) or len(numbers) not in (4, 6)
            or not all(isinstance(n, int | float) and not isinstance(n, bool)
                       and math.isfinite(n) for n in numbers)):
        raise _fail(path, "'bbox' takes an array of 4 (or 6) finite numbers "
                          "minx, miny, maxx, maxy")
    if len(numbers) == 6:
        numbers = [numbers[0], numbers[1], numbers[3], numbers[4]]
    minx, miny, maxx, maxy = numbers
    if minx > maxx or miny > maxy:
        raise _fail(path, "in 'bbox' each minimum must not exceed its maximum")
    return values.Envelope(minx, maxx, miny, maxy)


def _instant(raw: Any, path: str) -> dt.date | dt.datetime:
    """An RFC 3339 date or timestamp (pygeofilter would accept "tomorrow" too)."""
    if isinstance(raw, str):
        try:
            return dt.date.fromisoformat(raw) if len(raw) == 10 else isoparse(raw)
        except (ValueError, OverflowError):
            pass
    raise _fail(path, f"{raw!r} is not an RFC 3339 date or timestamp")


def _interval_end(end: Any, path: str) -> Any:
    if end == "..":
        return None
    if isinstance(end, dict) and set(end) == {"property"} and isinstance(end["property"], str):
        return ast.Attribute(end["property"])
    if isinstance(end, dict) and len(end) == 1 and ("date" in end or "timestamp" in end):
        return _instant(next(iter(end.values())), path)
    return _instant(end, path)


def _object(node: dict[str, Any], path: str) -> Any:
    if "op" in node:
        return _operation(node, path)
    if "bbox" in node:
        return _bbox(node["bbox"], f"{path}.bbox")
    if "type" in node and ("coordinates" in node or "geometries" in node):
        return values.Geometry(node)  # checked against shapely in ogc.cql_literals
    if "property" in node:
        if not isinstance(node["property"], str):
            raise _fail(path, f"'property' must be a name, not {node['property']!r}")
        return node
    if "interval" in node:
        ends = node["interval"]
        if not isinstance(ends, list) or len(ends) != 2:
            raise _fail(path, "'interval' takes an array of two instants ('..' for an open end)")
        return values.Interval(*(_interval_end(end, f"{path}.interval[{i}]")
                                 for i, end in enumerate(ends)))
    for key in ("date", "timestamp"):
        if key in node:
            return _instant(node[key], f"{path}.{key}")
    raise _fail(path, f"not a CQL2 JSON expression (an object with one of "
                      f"{', '.join(repr(k) for k in _LITERAL_KEYS)} or a GeoJSON geometry)")


def _operation(node: dict[str, Any], path: str) -> dict[str, Any]:
    args = _args(node, path)
    op = node["op"]
    _check_count(op, args, path)
    where = [f"{path}.args[{i}]" for i in range(len(args))]
    if op in ("and", "or", "not"):
        for arg, at in zip(args, where, strict=True):
            if not isinstance(arg, dict | bool):
                raise _fail(at, f"{op!r} takes conditions; {arg!r} is not one")
    if op == "in" and not isinstance(args[1], list):
        raise _fail(where[1], f"'in' takes a list of values as its second argument, "
                              f"not {args[1]!r}")
    if op == "in" and not args[1]:
        raise _fail(where[1], "'in' needs at least one value in its list")
    if op == "like" and not isinstance(args[1], str | dict):
        raise _fail(where[1], f"'like' takes a pattern string, not {args[1]!r}")
    if op == "between" and len(args) == 3:
        args = [args[0], [args[1], args[2]]]  # pygeofilter 0.4 reads the draft form
        where = [where[0], f"{path}.args[1:3]"]
    return {"op": op, "args": [_operand(arg, at) for arg, at in zip(args, where, strict=True)]}


def _operand(value: Any, path: str) -> Any:
    if isinstance(value, list):
        return [_operand(item, f"{path}[{i}]") for i, item in enumerate(value)]
    return normalise(value, path)


def normalise(node: Any, path: str = "filter") -> Any:
    """The document, checked, in the form pygeofilter 0.4 reads (see the module doc).

    Literals (strings, numbers, booleans) pass unchanged; objects must be one
    of the CQL2 JSON node kinds; arrays only appear where an operator takes
    a list (``in``, ``between`` in the draft form).
    """
    if isinstance(node, dict):
        return _object(node, path)
    if isinstance(node, list):
        raise _fail(path, "an array is only allowed as the list of 'in'")
    if node is None:
        raise _fail(path, "null is not a CQL2 value; use {'op': 'isNull', ...}")
    if isinstance(node, float) and not math.isfinite(node):
        raise _fail(path, "numbers must be finite")
    if isinstance(node, str):
        check_text(node, f"filter: CQL2 JSON at {path}")
    return node


def normalise_filter(document: Any) -> Any:
    """The whole ``filter`` document: a condition (an ``op`` object) or a boolean."""
    if not isinstance(document, dict | bool):
        raise _fail("filter", f"a filter is a condition (an object with 'op') or true/false, "
                              f"not {document!r}")
    return normalise(document)
