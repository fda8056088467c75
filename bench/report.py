"""The benchmark table (stdout and docs/performance.md) and its ratios."""

from __future__ import annotations

from pathlib import Path
from typing import Any

SERVERS = ("taksi", "tipg", "floor")


def _ratio(results: dict[str, dict[str, float]], a: str, b: str) -> str:
    if a in results and b in results and results[b]["rps"]:
        return f"{results[a]['rps'] / results[b]['rps']:.2f}"
    return "–"


def rows(outcome: dict[str, Any]) -> list[list[str]]:
    table = []
    for scenario, results in outcome["results"].items():
        cells = [outcome["titles"][scenario]]
        for server in SERVERS:
            found = results.get(server)
            cells.append(
                f"{found['rps']:.0f} / {found['p50_ms']:.1f} / {found['p99_ms']:.1f}"
                + (f" ({found['errors']} err)" if found["errors"] else "")
                if found else "–"
            )
        cells += [_ratio(results, "taksi", "tipg"), _ratio(results, "taksi", "floor")]
        table.append(cells)
    return table


HEADER = ["scenario", "taksi req/s / p50 / p99 ms", "tipg", "floor", "taksi/tipg",
          "taksi/floor"]


def memory_line(outcome: dict[str, Any]) -> str:
    m = outcome.get("export_memory") or {}
    if not m:
        return "export memory: not measured"
    return (f"export memory: 50,256-feature GeoJSON download ({m['bytes'] / 1e6:.1f} MB in "
            f"{m['seconds']} s): server {m['idle_mb']} MB idle, {m['peak_mb']} MB peak "
            f"(+{m['export_cost_mb']} MB); largest process {m['peak_worker_mb']} MB peak")


def import_line(outcome: dict[str, Any]) -> str:
    m = outcome.get("import") or {}
    if not m:
        return "import: not measured"
    return (f"import: {m['rows']:,} points from GeoPackage: import_layer {m['taksi_s']} s, "
            f"ogr2ogr {m['ogr2ogr_s']} s (ratio {m['ratio']})")


def tile_line(outcome: dict[str, Any]) -> str:
    """What each server put in the central tiles (same features = a fair comparison)."""
    content = outcome.get("tile_content") or {}
    if not content:
        return "central tiles: not checked"
    parts = [
        f"{server} " + ", ".join(f"{zoom} {c['features']:,} features ({c['bytes'] / 1e6:.2f} MB)"
                                 for zoom, c in zooms.items())
        for server, zooms in content.items()
    ]
    return "central tiles: " + "; ".join(parts)


def table(outcome: dict[str, Any]) -> str:
    lines = [HEADER, *rows(outcome)]
    widths = [max(len(line[i]) for line in lines) for i in range(len(HEADER))]
    body = "\n".join("  ".join(c.ljust(w) for c, w in zip(line, widths, strict=True))
                      for line in lines)
    return f"{body}\n\n{tile_line(outcome)}\n{memory_line(outcome)}\n{import_line(outcome)}"


def markdown_table(outcome: dict[str, Any]) -> str:
    lines = ["| " + " | ".join(HEADER) + " |", "|" + "---|" * len(HEADER)]
    lines += ["| " + " | ".join(r) + " |" for r in rows(outcome)]
    return "\n".join(lines)


def write_markdown(outcome: dict[str, Any], path: Path) -> None:
    """Replace the generated block of docs/performance.md, keep the prose around it."""
    start, end = "<!-- bench:start -->", "<!-- bench:end -->"
    m = outcome["machine"]
    block = (f"{start}\nMeasured {outcome['when']} on {m['cpu']} ({m['cores']} cores), "
             f"Python {m['python']}, settings `{outcome['settings']}`.\n\n"
             f"{markdown_table(outcome)}\n\n{tile_line(outcome)}\n\n{memory_line(outcome)}\n\n"
             f"{import_line(outcome)}\n"
             f"{end}")
    text = path.read_text() if path.exists() else f"# Performance\n\n{start}\n{end}\n"
    before, _, rest = text.partition(start)
    _, _, after = rest.partition(end)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(before + block + after)
