"""CQL2 filters (OGC API Features Part 3): parsing with pygeofilter.

CQL2 text and CQL2 JSON both become pygeofilter's AST; ``ogc.cql_sql`` turns
that AST into SQL. A syntax error is a 400 that says where the text went
wrong (line, column, character and the text around it); a CQL2 JSON document
of the wrong shape is a 400 that names the operator and the path
(``ogc.cql_json``).
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

from ogc.cql_json import normalise_filter
from ogc.errors import InvalidParameterValue

FILTER_LANGS = ("cql2-text", "cql2-json")
#: Conditions nested deeper than this (``NOT (NOT (...))``, brackets; a chain
#: ``a AND b AND c`` counts once) are refused: the checks and the SQL compiler
#: walk the tree recursively, and Python's stack is ~1,000 frames deep.
MAX_NESTING = 64
#: The CQL2 JSON document itself: objects and arrays (an operation is two
#: levels, an operation and its ``args``; a MultiPolygon literal four more).
MAX_JSON_DEPTH = 2 * MAX_NESTING + 8


@v_args(inline=True)
class _Transformer(cql2_text.CQLTransformer):
    """pygeofilter's transformer, plus the rules ``_text_parser`` adds."""

    def temporal_function(self, op: Any, lhs: Any, rhs: Any) -> ast.Node:
        return self.binary_temporal_predicate(lhs, op, rhs)

    def bound(self, value: Any) -> Any:
        return value

    def open_bound(self, *_: Any) -> None:
        return None

    def boolean_predicate(self, value: bool) -> ast.Node:
        """``TRUE``/``FALSE`` as a whole condition: pygeofilter's INCLUDE/EXCLUDE."""
        return ast.Include(not value)

    def SINGLE_QUOTED(self, token: Any) -> str:  # lark calls it by the terminal's name
        """CQL2 /req/basic-cql2: a quote inside a string is written twice (``'it''s'``)."""
        return token[1:-1].replace("''", "'")


_INTERVAL_RULES = "\n".join([
    '?interval: "INTERVAL"i "(" ibound "," ibound ")" -> interval',
    'ibound: "\'" DATETIME "\'" -> bound',
    '      | "\'" DATE "\'" -> bound',
    '      | "\'..\'" -> open_bound',
    "      | attribute -> bound",
])


#: pygeofilter 0.4's rules, and what ``_text_parser`` puts in their place.
_GRAMMAR_CHANGES = [
    # CQL2 (/req/temporal-functions) intervals of dates, '..' and properties.
    ("""?interval: "INTERVAL" "("  "'" DATETIME "'" "," "'" DATETIME "'" ")\"""",
     _INTERVAL_RULES),
    # CQL2 writes T_INTERSECTS(a, b); pygeofilter only reads the infix form.
    ("?temporal_predicate: expression _binary_temporal_predicate_func expression "
     "-> binary_temporal_predicate",
     "?temporal_predicate: expression _binary_temporal_predicate_func expression "
     "-> binary_temporal_predicate\n"
     '    | _binary_temporal_predicate_func "(" expression "," expression ")" '
     "-> temporal_function"),
    # booleanFactor = [NOT] booleanPrimary, and "(" booleanExpression ")" is one:
    # NOT (NOT (a = 1)) and NOT (a = 1 AND b = 2).
    ('"NOT"i "(" predicate ")"', '"NOT"i "(" condition ")"'),
    # booleanPrimary includes booleanLiteral: TRUE, a IS NULL OR TRUE.
    ("          | spatial_predicate\n",
     "          | spatial_predicate\n          | boolean_predicate\n"),
    # A doubled quote is a quote inside the string ('it''s'), not its end.
    ("""SINGLE_QUOTED: "'" /.*?/ "'\"""", """SINGLE_QUOTED: /'(?:[^']|'')*'/"""),
]
#: After ``(TRUE`` LALR cannot tell a condition from a value compared later;
#: the priority reads it as the condition (so ``(TRUE) = x`` is refused).
_BOOLEAN_PREDICATE = "\nboolean_predicate.2: BOOLEAN\n"


@functools.cache
def _text_parser() -> Lark:
    """pygeofilter 0.4's CQL2 text grammar with its gaps against CQL2 1.0 closed.

    The grammar file is pygeofilter's own, with the rules in
    ``_GRAMMAR_CHANGES`` replaced (each change says which CQL2 rule it
    follows); the parse tree becomes pygeofilter's AST as usual.
    """
    lark_logger.setLevel(logging.WARNING)  # pygeofilter sets it to DEBUG on import
    grammar = Path(cql2_text.__file__).with_name("grammar.lark").read_text()
    for old, new in _GRAMMAR_CHANGES:
        if old not in grammar:
            raise RuntimeError("pygeofilter's CQL2 grammar changed; review ogc.cql._text_parser")
        grammar = grammar.replace(old, new)
    grammar += _BOOLEAN_PREDICATE
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
        return _check_nesting(_parse_json(text))
    parser = _text_parser()
    try:
        return _check_nesting(parser.parse(text))
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


def _too_deep() -> InvalidParameterValue:
    return InvalidParameterValue(
        f"filter: nested too deeply (more than {MAX_NESTING} levels of conditions)")


def _check_nesting(node: Any) -> Any:
    """The AST, unless its conditions nest deeper than ``MAX_NESTING`` (see there).

    Walked with a list, not recursion, for the very reason it is checked.
    """
    pending = [(node, 1 if isinstance(node, ast.Condition) else 0)]
    while pending:
        current, depth = pending.pop()
        if depth > MAX_NESTING:
            raise _too_deep()
        children = current.get_sub_nodes() if isinstance(current, ast.Node) else (
            current if isinstance(current, list) else [])
        for child in children:
            same_chain = isinstance(current, ast.Combination) and type(child) is type(current)
            deeper = isinstance(child, ast.Condition) and not same_chain
            pending.append((child, depth + 1 if deeper else depth))
    return node


def _check_json_depth(document: Any) -> None:
    pending = [(document, 0)]
    while pending:
        current, depth = pending.pop()
        if depth > MAX_JSON_DEPTH:
            raise _too_deep()
        members = current.values() if isinstance(current, dict) else (
            current if isinstance(current, list) else ())
        pending.extend((member, depth + 1) for member in members)


def _parse_json(text: str) -> ast.Node:
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InvalidParameterValue(
            f"filter: invalid JSON at line {exc.lineno}, column {exc.colno} "
            f"(character {exc.pos}): {exc.msg}"
        ) from exc
    except RecursionError:  # json's C scanner has its own depth limit
        raise _too_deep() from None
    _check_json_depth(document)
    checked = normalise_filter(document)
    try:
        return parse_cql2_json(checked)
    except (ValueError, TypeError, KeyError, AttributeError, IndexError) as exc:
        # What the shape check lets through and pygeofilter still cannot build;
        # its Python message would say nothing to the client.
        raise InvalidParameterValue(
            f"filter: not a CQL2 JSON expression: {json.dumps(document)[:200]}"
        ) from exc
