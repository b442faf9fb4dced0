"""Scale check: run the pipeline on a synthesized spec N times the size of a vendored one.

`nox -s scale` prints wall time and peak memory for 1× and N× side by side, and the normalizer's work
counted in schema visits per schema (deterministic), which stays flat when nothing is quadratic.
"""

from __future__ import annotations

import copy
import dataclasses
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from ..normalize.context import Overrides
from ..spec.pointer import component_name, schema_ref
from ..spec.registry import Api
from ..spec.yamlio import Document, dump_document, load_document


def multiply_spec(doc: Document, factor: int) -> Document:
    """`factor` copies of every path and component, renamed so that none collides with another."""
    out = copy.deepcopy(doc)
    paths = out.get("paths") or {}
    schemas = (out.get("components") or {}).get("schemas") or {}
    base_paths = dict(paths)
    base_schemas = dict(schemas)
    op_ids = sorted(
        {
            str(op["operationId"])
            for item in base_paths.values()
            for op in item.values()
            if isinstance(op, dict) and "operationId" in op
        },
        key=len,
        reverse=True,
    )
    for n in range(2, factor + 1):
        rename = {name: _copy_name(name, op_ids, n) for name in base_schemas}
        for name, schema in base_schemas.items():
            schemas[rename[name]] = _renamed(copy.deepcopy(schema), rename, n)
        for path, item in base_paths.items():
            paths[f"/copy{n}{path}"] = _renamed(copy.deepcopy(item), rename, n)
    return out


def synthesize_document(api: Api, megabytes: float, target: Path) -> Path:
    """Write a document of about `megabytes` MB: `api`'s spec multiplied until its YAML is that large."""
    raw = load_document(api.spec)
    factor = max(1, round(megabytes * 1024 * 1024 / max(1, api.spec.stat().st_size)))
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(dump_document(multiply_spec(raw, factor)), encoding="utf-8")
    return target


def _copy_name(name: str, op_ids: list[str], n: int) -> str:
    # Operation-prefixed names keep their shape (`<operationId>Copy2<rest>`), as a vendor's would.
    for op_id in op_ids:
        if name.startswith(op_id):
            return f"{op_id}Copy{n}{name[len(op_id) :]}"
    return f"{name}Copy{n}"


def _renamed(node: Any, rename: dict[str, str], n: int) -> Any:
    if isinstance(node, dict):
        for key, value in list(node.items()):
            if key == "$ref" and isinstance(value, str) and (name := component_name(value)) is not None:
                node[key] = schema_ref(rename.get(name, name))
            elif key == "operationId" and isinstance(value, str):
                node[key] = f"{value}Copy{n}"
            elif key == "tags" and isinstance(value, list):
                node[key] = [f"copy{n}_{t}" for t in value]
            else:
                _renamed(value, rename, n)
    elif isinstance(node, list):
        for item in node:
            _renamed(item, rename, n)
    return node


def _measure(api: Api, spec: Path, output: Path) -> dict[str, Any]:
    """Run `sdkpipeline generate --spec` in a child process: wall time, peak RSS, output size."""
    code = (
        "import sys, runpy; sys.argv = ['sdkpipeline', 'generate', '--spec', sys.argv[1], '--output', sys.argv[2],"
        " sys.argv[3]]; runpy.run_module('sdkpipeline', run_name='__main__')"
    )
    env = {**os.environ, "PYTHONPATH": str(api.repo.root / "scripts")}
    started = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-c", code, str(spec), str(output), api.name],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - started
    stdout = proc.stdout.read() if proc.stdout else ""
    stderr = proc.stderr.read() if proc.stderr else ""
    if os.waitstatus_to_exitcode(status) != 0:
        raise RuntimeError(f"generation failed:\n{stderr}")
    match = re.search(r"(\d+) operations, (\d+) Python files, (\d+) lines", stdout)
    ops, files, lines = (int(g) for g in match.groups()) if match else (0, 0, 0)
    return {
        "wall_s": round(wall, 2),
        "peak_rss_mb": round(usage.ru_maxrss / 1024, 1),
        "operations": ops,
        "files": files,
        "lines": lines,
    }


def scaled_overrides(overrides: Overrides, factor: int) -> Overrides:
    """The API's overrides with its per-operation names repeated for every copy of the operation."""
    names = dict(overrides.operation_names)
    for n in range(2, factor + 1):
        for op_id, name in overrides.operation_names.items():
            names[f"{op_id}Copy{n}"] = f"copy{n}_{name}" if "." in name else name
    return dataclasses.replace(overrides, operation_names=names)


def normalizer_visits(doc: Document, api: Api, *, factor: int = 1) -> tuple[int, int]:
    """(schemas in `doc`, schema visits the normalizer makes): a deterministic measure of its work.

    Every pass walks the document a bounded number of times, so visits per schema is a constant (about
    the number of walking passes) at any size; a quadratic pass would make it grow with the size.
    """
    from ..normalize import load_overrides, normalize
    from ..normalize.passes import declarative, names, repairs, sharing
    from ..normalize.walk import all_slots

    schemas = sum(1 for _ in all_slots(doc))

    counted = {"visits": 0}

    def counting(document: Document, *, post_order: bool = False) -> Any:
        for slot in all_slots(document, post_order=post_order):
            counted["visits"] += 1
            yield slot

    # The pass families' own name for the walker, instrumented for this count.
    families = [m for m in (declarative, names, repairs, sharing) if "all_slots" in m.__dict__]
    for module in families:
        module.__dict__["all_slots"] = counting
    try:
        normalize(doc, scaled_overrides(load_overrides(api.overrides), factor))
    finally:
        for module in families:
            module.__dict__["all_slots"] = all_slots
    return schemas, counted["visits"]


def run(api: Api, *, factor: int, json_path: Path | None) -> int:
    """`sdkpipeline scale`: the table of ×1 and ×factor, and the figures as JSON (.cache/scale/ by default)."""
    raw = load_document(api.spec)
    rows = {}
    with tempfile.TemporaryDirectory(prefix="scale-") as tmp:
        for times in (1, factor):
            doc = multiply_spec(raw, times)
            spec = Path(tmp) / f"{api.name}-x{times}.yaml"
            spec.write_text(dump_document(doc), encoding="utf-8")
            figures = _measure(api, spec, Path(tmp) / f"x{times}" / api.dist_name)
            figures["spec_kib"] = round(spec.stat().st_size / 1024)
            schemas, visits = normalizer_visits(doc, api, factor=times)
            figures.update(schemas=schemas, schema_visits=visits, visits_per_schema=round(visits / schemas, 1))
            rows[times] = figures
    one, big = rows[1], rows[factor]
    print(
        f"scale: {api.name} spec ×1 and ×{factor} through the whole pipeline (normalize, generate, "
        "post-hooks, import check)"
    )
    print(
        f"{'':>6} {'spec':>9} {'ops':>5} {'schemas':>8} {'files':>6} {'lines':>8} {'wall':>8} {'peak RSS':>9} "
        f"{'visits/schema':>14}"
    )
    for times, r in rows.items():
        print(
            f"{'×' + str(times):>6} {r['spec_kib']:>6} KiB {r['operations']:>5} {r['schemas']:>8} {r['files']:>6} "
            f"{r['lines']:>8} {r['wall_s']:>6.2f} s {r['peak_rss_mb']:>6.0f} MB {r['visits_per_schema']:>14}"
        )
    print(
        f"ratios ×{factor}/×1: wall {big['wall_s'] / one['wall_s']:.1f}, peak RSS "
        f"{big['peak_rss_mb'] / one['peak_rss_mb']:.1f}, schema visits per schema "
        f"{big['visits_per_schema'] / one['visits_per_schema']:.2f} (1.00 = linear)"
    )
    target = json_path or api.repo.cache / "scale" / "scale-results.json"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps({"api": api.name, "rows": rows}, indent=2) + "\n", encoding="utf-8")
    print(f"figures: {target}")
    return 0
