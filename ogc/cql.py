"""CQL2 filters (OGC API Features Part 3): parsing with pygeofilter.

CQL2 text and CQL2 JSON both become pygeofilter's AST; ``ogc.cql_sql`` turns
that AST into SQL. A syntax error is a 400 that says where the text went
wrong (line, column, character and the text around it).
"""

from __future__ import annotations

import functools
import json
import logging
from pathlib import Path
from typing import Any

import pygeofilter.parsers.cql2_text.parser as cql2_text
from lark import Lark, v_args
from lark import logger as lark_logger
from lark.exceptions import UnexpectedInput, VisitError
from pygeofilter import ast
from pygeofilter.parsers.cql2_json import parse as parse_cql2_json

from ogc.errors import InvalidParameterValue

FILTER_LANGS = ("cql2-text", "cql2-json")


@v_args(inline=True)
class _Transformer(cql2_text.CQLTransformer):
    """pygeofilter's transformer, plus the two rules ``_text_parser`` adds."""

    def temporal_function(self, op: Any, lhs: Any, rhs: Any) -> ast.Node:
        return self.binary_temporal_predicate(lhs, op, rhs)

    def bound(self, value: Any) -> Any:
        return value

    def open_bound(self, *_: Any) -> None:
        return None


_INTERVAL_RULES = "\n".join([
    '?interval: "INTERVAL"i "(" ibound "," ibound ")" -> interval',
    'ibound: "\'" DATETIME "\'" -> bound',
    '      | "\'" DATE "\'" -> bound',
    '      | "\'..\'" -> open_bound',
    "      | attribute -> bound",
])


@functools.cache
def _text_parser() -> Lark:
    """pygeofilter 0.4's CQL2 text grammar with two gaps of it closed.

    Its grammar only has the infix ``mulai T_INTERSECTS ...`` and intervals of
    two timestamps; CQL2 (/req/temporal-functions) writes
    ``T_INTERSECTS(a, b)`` and allows dates, ``'..'`` and properties as
    interval ends. The grammar file is pygeofilter's own, with those two rules
    extended; the parse tree becomes pygeofilter's AST as usual.
    """
    lark_logger.setLevel(logging.WARNING)  # pygeofilter sets it to DEBUG on import
    grammar = Path(cql2_text.__file__).with_name("grammar.lark").read_text()
    interval = """?interval: "INTERVAL" "("  "'" DATETIME "'" "," "'" DATETIME "'" ")\""""
    temporal = (
        "?temporal_predicate: expression _binary_temporal_predicate_func expression "
        "-> binary_temporal_predicate"
    )
    if interval not in grammar or temporal not in grammar:
        raise RuntimeError("pygeofilter's CQL2 grammar changed; review ogc.cql._text_parser")
    grammar = grammar.replace(interval, _INTERVAL_RULES).replace(temporal, f"""{temporal}
    | _binary_temporal_predicate_func "(" expression "," expression ")" -> temporal_function""")
    return Lark(
        grammar, parser="lalr", maybe_placeholders=False, transformer=_Transformer(), cache=True,
        import_paths=[str(Path(cql2_text.__file__).parent.parent)],
    )


def parse_filter(text: str, lang: str | None) -> ast.Node:
    """The AST of ``filter``; a syntax error is a 400 that says where it is."""
    lang = lang or "cql2-text"
    if lang not in FILTER_LANGS:
        raise InvalidParameterValue(
            f"filter-lang: {lang!r} is not supported; use one of {', '.join(FILTER_LANGS)}"
        )
    if lang == "cql2-json":
        return _parse_json(text)
    parser = _text_parser()
    try:
        return parser.parse(text)
    except UnexpectedInput as exc:
        context = exc.get_context(text, span=20).rstrip()
        raise InvalidParameterValue(
            f"filter: invalid CQL2 text at line {exc.line}, column {exc.column} "
            f"(character {exc.pos_in_stream}):\n{context}"
        ) from exc
    except VisitError as exc:  # a literal the grammar accepts but cannot be built
        raise InvalidParameterValue(f"filter: invalid CQL2 text: {exc.orig_exc}") from exc
    except (ValueError, TypeError) as exc:
        raise InvalidParameterValue(f"filter: invalid CQL2 text: {exc}") from exc


def _parse_json(text: str) -> ast.Node:
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InvalidParameterValue(
            f"filter: invalid JSON at line {exc.lineno}, column {exc.colno} "
            f"(character {exc.pos}): {exc.msg}"
        ) from exc
    try:
        return parse_cql2_json(_normalise_json(document))
    except (ValueError, TypeError, KeyError, AttributeError, IndexError) as exc:
        raise InvalidParameterValue(
            f"filter: not a CQL2 JSON expression ({type(exc).__name__}: {exc}) in "
            f"{json.dumps(document)[:200]}"
        ) from exc




def _normalise_json(node: Any) -> Any:
    """CQL2 1.0 JSON as pygeofilter 0.4 reads it.

    CQL2 1.0 writes ``{"op": "between", "args": [value, low, high]}``;
    pygeofilter 0.4 still expects the draft's ``[value, [low, high]]``.
    """
    if isinstance(node, list):
        return [_normalise_json(item) for item in node]
    if not isinstance(node, dict):
        return node
    node = {key: _normalise_json(value) for key, value in node.items()}
    args = node.get("args")
    if node.get("op") == "between" and isinstance(args, list) and len(args) == 3:
        node["args"] = [args[0], [args[1], args[2]]]
    return node
