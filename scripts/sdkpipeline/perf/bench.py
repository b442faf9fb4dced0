"""Benchmarks (`nox -s bench`): the bare openapi-python-client on the raw spec against this pipeline.

For each API, side by side in one run: (a) generation wall time, peak memory, files and lines;
(b) import of the SDK (and construction of its client) in a fresh interpreter, against the bare
output's models package and the floor `import httpx, attrs`; (c) parsing throughput of the
bodies (100 CNaught orders, a Fungies page of 100 orders with nulls, a CNaught project, one deep
object, a Fungies product) through this pipeline's models, the baseline models (perf/baseline: the
generator's model templates as the pipeline used them before its runtime model layer) and pydantic v2
models made by datamodel-code-generator from the same normalized spec, and `json.loads` alone, from the
decoded dict and from the raw bytes; (d) the generated model code, lines per declared field, ours and
the baseline's; (e) the drift check's wall time; (f) a call through the test double (`<package>.testing`) beside the
same call over an `httpx.MockTransport`. Prints tables with ratios and budget verdicts and writes every
figure to a JSON file. Figures, not a gate: the exit code does not depend on a budget, and no test
asserts a duration.

Everything is generated into a temporary directory; `generated/` is never touched.
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import gc
import json
import os
import platform
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import timeit
import uuid
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from importlib import metadata
from pathlib import Path
from typing import Any

from ..codegen.generate import count_python
from ..errors import PipelineError
from ..spec.pointer import resolve_ref
from ..spec.registry import Api, select_apis
from ..spec.repo import Repo
from ..spec.values import first_branch, kind_of, merged_objects
from . import rivals

# The import and generation budgets, each as (figure, bound). The bench reports them; nothing fails on them.
IMPORT_VS_BARE_MODELS_MAX = 0.15
IMPORT_VS_FLOOR_MAX = 1.5
GENERATION_VS_BARE_MAX = 1.0
# The model-layer budgets: parsing at least 2x faster than the baseline models, no slower than 1.5x pydantic v2
# (the goal is to match it), and at most 10 lines of generated model code per field.
PARSING_VS_BASELINE_MIN = 2.0
PARSING_VS_PYDANTIC_MAX = 1.5
LINES_PER_FIELD_MAX = 10.0


@dataclass(frozen=True)
class BodyCase:
    """One response body to parse: the success body of an operation, with its array sizes."""

    api: str
    operation_id: str
    label: str
    top_items: int  # items in arrays that are not inside another array (the list itself)
    nested_items: int = 2  # items in arrays inside an array item (an order's allocations, …)
    status: str = "200"
    nulls: float = 0.0  # the share of nullable values that are null
    absent: float = 0.0  # the share of optional properties left out (an API that omits what is unset)

    @property
    def key(self) -> str:
        """The case's name in the results: its operation, and `absent` when the same body is also parsed sparse."""
        return f"{self.api}:{self.operation_id}" + (":absent" if self.absent else "")


# The bodies the parsing rows read: the two list bodies, a CNaught project and one deep object (portfolio → category
# allocations → categories → projects → their lists), and a Fungies product.
BODY_CASES = (
    BodyCase("cnaught", "GetListOfOrder", "orders list, 100 items", top_items=100),
    BodyCase("fungies", "GetV0OrdersList", "orders page, 100 items, nulls", top_items=100, nulls=0.5),
    BodyCase("cnaught", "GetProjectById", "project with credit issuances", top_items=20),
    BodyCase("cnaught", "GetPortfolioById", "portfolio, deep (5 levels)", top_items=5, nested_items=4),
    BodyCase("fungies", "GetV0ProductsProductId", "product with offers", top_items=20),
    # The models read an optional field only when the body has it: a body that omits half of them is the
    # other side of that trade (bodies above hold every property).
    BodyCase("fungies", "GetV0OrdersList", "orders page, half the optional fields absent", top_items=100, absent=0.5),
)

# Which operation's module "one operation" imports, for the lazy-models check (the list of orders).
PROBE_OPERATIONS = {"cnaught": "GetListOfOrder", "fungies": "GetV0OrdersList"}


# ---------------------------------------------------------------------------------------------------
# Measuring a child process


@dataclass(frozen=True)
class Measured:
    """One child process: wall time, peak resident memory of its largest process, exit code, output."""

    wall_s: float
    max_rss_kb: int
    returncode: int
    output: str


def run_measured(argv: Sequence[str], *, env: dict[str, str] | None = None, cwd: Path | None = None) -> Measured:
    """Run a command; its peak RSS comes from wait4 (the largest of it and its descendants)."""
    with tempfile.TemporaryFile(mode="w+b") as out:
        started = time.perf_counter()
        proc = subprocess.Popen(list(argv), stdout=out, stderr=subprocess.STDOUT, env=env, cwd=cwd)
        # wait4 reports this child's own rusage, unlike getrusage(RUSAGE_CHILDREN), which only grows.
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - started
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        text = out.read().decode("utf-8", errors="replace")
    return Measured(wall_s=wall, max_rss_kb=int(usage.ru_maxrss), returncode=proc.returncode, output=text)


def child_env(*, pythonpath: Sequence[Path] = ()) -> dict[str, str]:
    """The environment of a child: this interpreter's scripts first on PATH (ruff), a chosen PYTHONPATH."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONDONTWRITEBYTECODE")}
    env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")])
    if pythonpath:
        env["PYTHONPATH"] = os.pathsep.join(str(p) for p in pythonpath)
    return env


# ---------------------------------------------------------------------------------------------------
# (a) generation


def bare_package_dir(work: Path, api: Api) -> Path:
    """Where the bare generator writes an API's package (`--meta none`: the directory is the package)."""
    return work / "bare" / api.name / f"bare_{api.package}"


def ours_package_root(work: Path, api: Api) -> Path:
    """The directory holding our generated package (what goes on PYTHONPATH)."""
    return work / "ours" / api.name / api.dist_name


def generate_into(root: str, names: Sequence[str], *, jobs: int) -> None:
    """Child entry point: run the pipeline for `names` into `root`, in parallel like `sdkpipeline generate`."""
    from concurrent.futures import ProcessPoolExecutor

    apis = select_apis(list(names))
    if jobs == 1 or len(apis) == 1:
        for api in apis:
            _generate_one_into(api, root)
        return
    # The same pool as cli.cmd_generate: one process per API, at most `jobs` at once.
    with ProcessPoolExecutor(max_workers=min(jobs, len(apis))) as pool:
        for future in [pool.submit(_generate_one_into, api, root) for api in apis]:
            future.result()


def _generate_one_into(api: Api, root: str) -> None:
    from ..codegen.generate import generate_api

    base = Path(root)
    generate_api(api, output=base / api.dist_name, normalized_out=base / f"{api.name}.normalized.yaml")


def _bare_argv(api: Api, out: Path) -> list[str]:
    return _bare_argv_of(api.spec, out)


# The generator's own command line (`python -m openapi_python_client`), without httpx's: this environment has click
# (black brings it, for datamodel-code-generator), so httpx would load its command line (click, pygments, rich) on
# import, which neither tool's own installation does (openapi-python-client's has no click; our `generate` imports
# no httpx in its own process: sdkpipeline/upstream.py). Bare is measured as it runs where it is installed alone:
# 0.02-0.1 s quicker.
_BARE = "import sys; sys.modules['httpx._main'] = None; from openapi_python_client.cli import app; app()"


def _bare_argv_of(spec: Path, out: Path) -> list[str]:
    # The generator's own CLI with its default post-hooks (ruff check --fix-only, ruff format).
    return [
        sys.executable,
        "-c",
        _BARE,
        "generate",
        "--path",
        str(spec),
        "--output-path",
        str(out),
        "--meta",
        "none",
    ]


def _pipeline_argv(root: Path, names: Sequence[str], *, jobs: int) -> list[str]:
    code = (
        f"from sdkpipeline.perf.bench import generate_into; generate_into({str(root)!r}, {list(names)!r}, jobs={jobs})"
    )
    return [sys.executable, "-c", code]


def _fresh(path: Path) -> Path:
    if path.exists():
        shutil.rmtree(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    return path


def _run_checked(argv: Sequence[str], what: str) -> Measured:
    # This checkout's pipeline, not whichever one is installed in the interpreter.
    measured = run_measured(argv, env=child_env(pythonpath=[Repo.default().root / "scripts"]), cwd=Repo.default().root)
    if measured.returncode != 0:
        tail = "\n  ".join(measured.output.strip().splitlines()[-15:])
        raise PipelineError(f"{what} failed (exit {measured.returncode}):\n  {tail}")
    return measured


def _summary(runs: list[Measured]) -> dict[str, Any]:
    return {
        "wall_s": statistics.median(r.wall_s for r in runs),
        "wall_s_runs": [round(r.wall_s, 4) for r in runs],
        "max_rss_mb": max(r.max_rss_kb for r in runs) / 1024,
    }


def bench_generation(apis: list[Api], work: Path, *, runs: int, jobs: int) -> dict[str, Any]:
    """(a) Median wall time and peak RSS of the bare generator and of the pipeline, per API and for all."""
    bare: dict[str, list[Measured]] = {api.name: [] for api in apis}
    ours: dict[str, list[Measured]] = {api.name: [] for api in apis}
    both: list[Measured] = []
    for _ in range(runs):  # interleaved, so a slow minute of the machine hits both sides alike
        for api in apis:
            out = _fresh(bare_package_dir(work, api))
            bare[api.name].append(_run_checked(_bare_argv(api, out), f"bare generator on {api.spec.name}"))
            root = _fresh(work / "ours" / api.name)
            ours[api.name].append(_run_checked(_pipeline_argv(root, [api.name], jobs=1), f"pipeline for {api.name}"))
        root = _fresh(work / "both")
        both.append(_run_checked(_pipeline_argv(root, [a.name for a in apis], jobs=jobs), "pipeline for all APIs"))
    result: dict[str, Any] = {"apis": {}}
    for api in apis:
        bare_files, bare_lines = count_python(bare_package_dir(work, api))
        ours_files, ours_lines = count_python(ours_package_root(work, api))
        output = bare[api.name][-1].output
        result["apis"][api.name] = {
            "bare": {
                **_summary(bare[api.name]),
                "py_files": bare_files,
                "py_lines": bare_lines,
                "dropped_endpoints": output.count("Endpoint will not be generated"),
                "warnings": sum(1 for line in output.splitlines() if line.startswith("WARNING")),
            },
            "ours": {**_summary(ours[api.name]), "py_files": ours_files, "py_lines": ours_lines},
        }
        result["apis"][api.name]["ratio"] = ratio(
            result["apis"][api.name]["ours"]["wall_s"], result["apis"][api.name]["bare"]["wall_s"]
        )
    bare_sum = sum(result["apis"][a.name]["bare"]["wall_s"] for a in apis)
    result["all"] = {
        "bare_sum_s": bare_sum,
        "ours_parallel": {**_summary(both), "jobs": min(jobs, len(apis))},
        "ratio": ratio(statistics.median(r.wall_s for r in both), bare_sum),
    }
    return result


# ---------------------------------------------------------------------------------------------------
# (b) import

# Runs in a fresh interpreter; only what the measured import needs is loaded before the clock starts.
_IMPORT_PROBE = """\
import importlib, sys, time
target, client_class, endpoint, models = sys.argv[1:5]
t0 = time.perf_counter()
for name in target.split(","):
    module = importlib.import_module(name)
t1 = time.perf_counter()
construct_s, client = None, "n/a"
if client_class:
    t2 = time.perf_counter()
    cls = getattr(module, client_class, None)
    t3 = time.perf_counter()
    if cls is not None:
        import inspect
        keys = {n: "bench-" + n for n in inspect.signature(cls).parameters if n.endswith("key")}
        t4 = time.perf_counter()
        try:
            cls(**keys)
            construct_s, client = (t3 - t2) + (time.perf_counter() - t4), "ok"
        except Exception as exc:
            client = "failed: %s: %s" % (type(exc).__name__, exc)
loaded = None
if endpoint:
    importlib.import_module(endpoint)
    loaded = sum(1 for name in sys.modules if name.startswith(models + "."))
import json
print(json.dumps({"import_s": t1 - t0, "construct_s": construct_s, "client": client, "models_loaded": loaded}))
"""


@dataclass(frozen=True)
class ImportProbe:
    """What one fresh interpreter imports: `target` (comma-separated modules) from `path`, and after it
    optionally the top-level client (constructed with a dummy value for each `*key` argument) and
    one endpoint module, counting the modules then loaded under `models`."""

    path: Path
    target: str
    client_class: str = ""
    endpoint: str = ""
    models: str = ""


def probe_import(probe: ImportProbe, *, bytecode: bool = True) -> dict[str, Any]:
    """Run `probe` in a fresh interpreter; without `bytecode`, nothing is read from or written to .pyc."""
    argv = [sys.executable, "-c", _IMPORT_PROBE, probe.target, probe.client_class, probe.endpoint, probe.models]
    env = child_env(pythonpath=[probe.path])
    if not bytecode:
        env["PYTHONDONTWRITEBYTECODE"] = "1"
    proc = subprocess.run(argv, env=env, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        tail = "\n  ".join(proc.stderr.strip().splitlines()[-8:])
        raise PipelineError(f"importing {probe.target} from {probe.path} failed:\n  {tail}")
    data: dict[str, Any] = json.loads(proc.stdout.strip().splitlines()[-1])
    return data


def endpoint_module(package_dir: Path, operation_id: str) -> str:
    """The dotted name of the generated module of an operation (`<pkg>.api.<tag>.<snake_case(id)>`)."""
    from ..codegen.generator import identifier  # the generator's own rule, through its one seam

    name = f"{identifier(operation_id)}.py"
    found = sorted((package_dir / "api").rglob(name))
    if not found:
        raise PipelineError(f"no module {name} for operation {operation_id}", file=package_dir / "api")
    rel = found[0].relative_to(package_dir.parent).with_suffix("")
    return ".".join(rel.parts)


def _models_total(package_dir: Path) -> int:
    return sum(1 for p in (package_dir / "models").glob("*.py") if p.name != "__init__.py")


def _precompile(*dirs: Path) -> None:
    # As `pip install` does: the measured imports read bytecode, not source.
    for path in dirs:
        subprocess.run([sys.executable, "-m", "compileall", "-q", str(path)], check=True, env=child_env())


def _drop_bytecode(*dirs: Path) -> None:
    for path in dirs:
        for cache in list(path.rglob("__pycache__")):
            shutil.rmtree(cache)


def _sdk_seconds(sample: dict[str, Any]) -> float:
    return float(sample["import_s"]) + float(sample["construct_s"] or 0.0)


def bench_import(apis: list[Api], work: Path, *, runs: int, source_runs: int) -> dict[str, Any]:
    """(b) Median import time: our SDK plus its client, the bare models package, and `import httpx, attrs`."""
    floor = ImportProbe(work, "httpx,attrs")
    probes: dict[str, tuple[ImportProbe, ImportProbe]] = {}
    for api in apis:
        bare_dir = bare_package_dir(work, api)
        ours_dir = ours_package_root(work, api) / api.package
        op = PROBE_OPERATIONS.get(api.name, "")
        ours = ImportProbe(
            ours_dir.parent,
            api.package,
            client_class=api.client_class,
            endpoint=endpoint_module(ours_dir, op) if op else "",
            models=f"{api.package}.models",
        )
        bare = ImportProbe(
            bare_dir.parent,
            f"{bare_dir.name}.models",
            endpoint=endpoint_module(bare_dir, op) if op else "",
            models=f"{bare_dir.name}.models",
        )
        probes[api.name] = (ours, bare)
    trees = [p.path / p.target.split(".")[0] for pair in probes.values() for p in pair]
    # From source first (what a checkout on PYTHONPATH costs), then with bytecode (what an install costs).
    _drop_bytecode(*trees)
    source: dict[str, list[list[dict[str, Any]]]] = {name: [[], []] for name in probes}
    for _ in range(source_runs):
        for name, pair in probes.items():
            for side, probe in enumerate(pair):
                source[name][side].append(probe_import(probe, bytecode=False))
    _precompile(*trees)
    floor_samples: list[float] = []
    samples: dict[str, list[list[dict[str, Any]]]] = {name: [[], []] for name in probes}
    # Interleaved, and the first round discarded (it pays the file system cache).
    for round_ in range(runs + 1):
        floor_sample = probe_import(floor)["import_s"]
        for name, pair in probes.items():
            for side, probe in enumerate(pair):
                sample = probe_import(probe)
                if round_:
                    samples[name][side].append(sample)
        if round_:
            floor_samples.append(floor_sample)
    floor_s = statistics.median(floor_samples)
    result: dict[str, Any] = {"floor": {"import_s": floor_s, "runs": [round(t, 5) for t in floor_samples]}, "apis": {}}
    for api in apis:
        ours_samples, bare_samples = samples[api.name]
        totals = [_sdk_seconds(s) for s in ours_samples]
        sdk = statistics.median(totals)
        bare_models = statistics.median(s["import_s"] for s in bare_samples)
        constructs = [s["construct_s"] for s in ours_samples]
        ours_dir = ours_package_root(work, api) / api.package
        result["apis"][api.name] = {
            "sdk_s": sdk,
            "sdk_import_s": statistics.median(s["import_s"] for s in ours_samples),
            "client": ours_samples[-1]["client"],
            "client_construct_s": statistics.median(constructs) if None not in constructs else None,
            "bare_models_s": bare_models,
            "sdk_vs_bare_models": ratio(sdk, bare_models),
            "sdk_vs_floor": ratio(sdk, floor_s),
            "one_operation": probes[api.name][0].endpoint,
            "models_loaded_after_one_operation": ours_samples[-1]["models_loaded"],
            "models_total": _models_total(ours_dir),
            "bare_models_loaded_after_one_operation": bare_samples[-1]["models_loaded"],
            "bare_models_total": _models_total(bare_package_dir(work, api)),
            "sdk_runs": [round(t, 5) for t in totals],
            "bare_models_runs": [round(s["import_s"], 5) for s in bare_samples],
            "from_source": {
                "sdk_s": statistics.median(_sdk_seconds(s) for s in source[api.name][0]) if source_runs else None,
                "bare_models_s": (
                    statistics.median(s["import_s"] for s in source[api.name][1]) if source_runs else None
                ),
            },
        }
    return result


# ---------------------------------------------------------------------------------------------------
# (c) parsing: bodies built from the normalized schema


_WORDS = ("carbon", "removal", "project", "forest", "offset", "verified", "registry", "credit", "vintage")


class BodyBuilder:
    """A schema-valid JSON value for a schema: every property filled, deterministic for a seed.

    Hand-written: the property-based generators (hypothesis-jsonschema) draw random, mostly tiny or
    empty values, while a benchmark needs the same realistic, fully populated body on every run.
    """

    def __init__(
        self,
        doc: dict[str, Any],
        *,
        top_items: int,
        nested_items: int,
        seed: int = 0,
        nulls: float = 0.0,
        absent: float = 0.0,
    ) -> None:
        self.doc = doc
        self.top_items = top_items
        self.nested_items = nested_items
        self.nulls = nulls  # the share of nullable values made null (0: every value populated)
        self.absent = absent  # the share of optional properties left out (0: every property present)
        self.rng = random.Random(seed)
        self._refs: list[str] = []

    def _null(self, schema: dict[str, Any]) -> bool:
        """Whether this nullable value is null (never drawn when `nulls` is 0, so such bodies do not change)."""
        if not self.nulls:
            return False
        branches = [*(schema.get("anyOf") or []), *(schema.get("oneOf") or [])]
        kinds = schema.get("type")
        nullable = any(kind_of(b) == "null" for b in branches) or (isinstance(kinds, list) and "null" in kinds)
        return nullable and self.rng.random() < self.nulls

    def _left_out(self) -> bool:
        """Whether this optional property is left out (never drawn when `absent` is 0, so such bodies do not change)."""
        return bool(self.absent) and self.rng.random() < self.absent

    def build(self, schema: dict[str, Any]) -> Any:
        return self._value(schema, name="value", in_array=False)

    def _resolve(self, ref: str) -> dict[str, Any]:
        node = resolve_ref(self.doc, ref)
        if not isinstance(node, dict):
            raise PipelineError(f"$ref {ref} does not point at a schema")
        return node

    def _value(self, schema: dict[str, Any], *, name: str, in_array: bool) -> Any:
        """A reference followed, else null where drawn, else a value from the schema's parts, its values or its type."""
        if "$ref" in schema:
            return self._referenced(str(schema["$ref"]), name=name, in_array=in_array)
        if self._null(schema):
            return None
        if "allOf" in schema:
            return self._all_of(schema["allOf"], name=name, in_array=in_array)
        branch = first_branch(schema)
        if branch is not None:
            return self._value(branch, name=name, in_array=in_array)
        if "const" in schema:
            return schema["const"]
        if "enum" in schema:
            return self._member(schema["enum"])
        made = _MADE_BY_KIND.get(kind_of(schema))
        return made(self, schema, name, in_array) if made is not None else self._string(schema, name)

    def _member(self, members: list[Any]) -> Any:
        """One of the enum's values but null, drawn (null when it has no other)."""
        values = [v for v in members if v is not None]
        return self.rng.choice(values) if values else None

    def _referenced(self, ref: str, *, name: str, in_array: bool) -> Any:
        if self._refs.count(ref) >= 2:  # a recursive schema: stop after two levels
            return None
        self._refs.append(ref)
        try:
            return self._value(self._resolve(ref), name=name, in_array=in_array)
        finally:
            self._refs.pop()

    def _all_of(self, parts: list[dict[str, Any]], *, name: str, in_array: bool) -> dict[str, Any]:
        return merged_objects(self._value(part, name=name, in_array=in_array) for part in parts)

    def _object(self, schema: dict[str, Any], name: str, in_array: bool) -> dict[str, Any]:
        required = set(schema.get("required") or ())
        return {
            prop: self._value(sub, name=prop, in_array=in_array)
            for prop, sub in (schema.get("properties") or {}).items()
            if prop in required or not self._left_out()
        }

    def _array(self, schema: dict[str, Any], name: str, in_array: bool) -> list[Any]:
        count = self.nested_items if in_array else self.top_items
        count = max(count, int(schema.get("minItems", 0)))
        if "maxItems" in schema:
            count = min(count, int(schema["maxItems"]))
        items = schema.get("items") or {"type": "string"}
        return [self._value(items, name=name, in_array=True) for _ in range(count)]

    def _integer(self, schema: dict[str, Any], name: str, in_array: bool) -> int:
        low, high = _bounds(schema, 0, 100_000)
        return self.rng.randint(int(low), int(high))

    def _number(self, schema: dict[str, Any], name: str, in_array: bool) -> float:
        low, high = _bounds(schema, 0, 10_000)
        return round(self.rng.uniform(low, high), 2)

    def _string(self, schema: dict[str, Any], name: str) -> str:
        fmt = schema.get("format")
        if fmt == "date-time":
            moment = datetime(2024, 1, 1, tzinfo=UTC) + timedelta(seconds=self.rng.randrange(365 * 86400))
            return moment.isoformat().replace("+00:00", "Z")
        if fmt == "date":
            return (datetime(2024, 1, 1) + timedelta(days=self.rng.randrange(365))).date().isoformat()
        if fmt == "uuid":
            return str(uuid.UUID(int=self.rng.getrandbits(128), version=4))
        if fmt in ("uri", "url") or name.endswith(("url", "Url", "_uri")):
            return f"https://example.com/{name}/{self.rng.randrange(10**6)}"
        if fmt == "email":
            return f"user{self.rng.randrange(10**6)}@example.com"
        words = 12 if name in ("description", "summary") else 2
        text = " ".join(self.rng.choice(_WORDS) for _ in range(words))
        low = int(schema.get("minLength", 0))
        high = int(schema.get("maxLength", max(len(text), low)))
        return text.ljust(low, "x")[:high]


# A value drawn for the schema's type (a string, and a schema of no type, by `BodyBuilder._string`).
_MADE_BY_KIND: dict[str | None, Callable[[BodyBuilder, dict[str, Any], str, bool], Any]] = {
    "object": BodyBuilder._object,
    "array": BodyBuilder._array,
    "integer": BodyBuilder._integer,
    "number": BodyBuilder._number,
    "boolean": lambda builder, _schema, _name, _in_array: builder.rng.random() < 0.5,
    "null": lambda *_: None,
}


def _bounds(schema: dict[str, Any], low: float, high: float) -> tuple[float, float]:
    lo = schema.get("minimum", schema.get("exclusiveMinimum", low))
    hi = schema.get("maximum", schema.get("exclusiveMaximum", max(high, lo)))
    if isinstance(schema.get("exclusiveMinimum"), int | float):
        lo += 1
    if isinstance(schema.get("exclusiveMaximum"), int | float):
        hi -= 1
    return lo, max(lo, hi)


def response_schema(doc: dict[str, Any], operation_id: str, status: str) -> dict[str, Any]:
    """The JSON schema of an operation's response body for `status`."""
    for item in (doc.get("paths") or {}).values():
        for op in item.values():
            if isinstance(op, dict) and op.get("operationId") == operation_id:
                response = op["responses"][status]
                if "$ref" in response:
                    response = BodyBuilder(doc, top_items=0, nested_items=0)._resolve(response["$ref"])
                schema: dict[str, Any] = response["content"]["application/json"]["schema"]
                return schema
    raise PipelineError(f"no operation {operation_id} in the spec")


def build_body(doc: dict[str, Any], case: BodyCase) -> Any:
    """The response body of `case`, built once from the (normalized) spec."""
    schema = response_schema(doc, case.operation_id, case.status)
    builder = BodyBuilder(
        doc, top_items=case.top_items, nested_items=case.nested_items, nulls=case.nulls, absent=case.absent
    )
    return builder.build(schema)


@contextlib.contextmanager
def _on_path(*paths: Path) -> Iterator[None]:
    sys.path[:0] = [str(p) for p in paths]
    try:
        yield
    finally:
        for p in paths:
            sys.path.remove(str(p))


def response_class(module_name: str, body: Any, status: int) -> Callable[[Any], Any]:
    """The `from_dict` the generated `_parse_response` uses for a `status` response, found by calling it."""
    import importlib

    import httpx

    module = importlib.import_module(module_name)
    package = module_name.split(".", 1)[0]
    client_module = importlib.import_module(f"{package}.client")
    client = client_module.Client(base_url="http://bench.invalid", raise_on_unexpected_status=True)
    response = httpx.Response(status, json=body, request=httpx.Request("GET", "http://bench.invalid/"))
    parsed = module._parse_response(client=client, response=response)
    from_dict: Callable[[Any], Any] | None = getattr(type(parsed), "from_dict", None)
    if from_dict is None:
        raise PipelineError(f"{module_name} parses a {status} body into {type(parsed).__name__}, not a model")
    return from_dict


def compare_throughput(
    calls: Sequence[tuple[Callable[[Any], Any], Any]], *, repeat: int
) -> tuple[int, list[list[float]]]:
    """(calls per repeat, CPU seconds of each repeat per (parser, input)): repeats alternate between the
    parsers, so a busy moment of the machine hits all of them; the garbage collector stays on, as in use,
    and each repeat starts from a collected heap (`_fresh_heap`), so that a full collection the previous
    parser's garbage made due does not land on the next one's clock.

    CPU time of this process (`time.process_time`), not wall time: the machine's cores are shared, and
    time spent waiting for a core is not the parser's. Even so, on a shared virtual machine the CPU time
    of the same call drifts by up to 2x for seconds at a time (measured: one parser's seven 0.2 s repeats
    all slow while another's were not), so the repeats are short (about 0.05 s on the first parser), many,
    and each round starts with the next parser: the best repeat of each is then taken from a quiet moment."""
    first, first_input = calls[0]
    # autorange: enough calls for at least 0.2 s on the first parser; a quarter of that per repeat.
    number, _ = timeit.Timer(functools.partial(first, first_input), timer=time.process_time).autorange()
    number = max(1, number // 4)
    timers = [
        timeit.Timer(functools.partial(parse, given), setup=_fresh_heap, timer=time.process_time)
        for parse, given in calls
    ]
    times: list[list[float]] = [[] for _ in calls]
    order = list(range(len(calls)))
    for round_ in range(repeat):
        for index in order[round_ % len(order) :] + order[: round_ % len(order)]:
            times[index].append(timers[index].timeit(number))
    return number, times


def _fresh_heap() -> None:
    """Each timed repeat's setup: collect what earlier repeats left, then time with the collector on."""
    gc.collect()
    gc.enable()


# The figures of one body, each the best repeat (the least disturbed by anything else running, as timeit
# advises), in bodies per second: from the decoded dict (`from_dict` / `model_validate`) and from the raw
# bytes (`json.loads` then `from_dict` / `model_validate_json`), and json.loads alone.
PARSERS = ("baseline", "ours", "pydantic", "loads", "baseline_bytes", "ours_bytes", "pydantic_bytes")


def bench_parsing(apis: list[Api], work: Path, *, repeat: int) -> dict[str, Any]:
    """(c) Bodies per second through the baseline models, ours, pydantic v2 and json.loads, same bodies, same run."""
    from ..spec.yamlio import load_document

    results: dict[str, Any] = {}
    names = {api.name: api for api in apis}
    for case in BODY_CASES:
        api = names.get(case.api)
        if api is None:
            continue
        doc = load_document(work / "ours" / api.name / f"{api.name}.normalized.yaml")
        body = build_body(doc, case)
        raw = json.dumps(body).encode()
        baseline_dir = rivals.baseline_package_dir(work, api)
        root = ours_package_root(work, api)
        pydantic_module = rivals.load_module(
            pydantic_file(work, case), f"bench_pydantic_{case.api}_{case.operation_id}"
        )
        validate, validate_json = rivals.pydantic_parsers(pydantic_module)
        with _on_path(root, baseline_dir.parent):
            ours = response_class(endpoint_module(root / api.package, case.operation_id), body, int(case.status))
            baseline = response_class(endpoint_module(baseline_dir, case.operation_id), body, int(case.status))
            checks = {"ours": _round_trips(ours, body), "baseline": _round_trips(baseline, body)}
            validate(body)  # it parses at all (a pydantic model keeps no unknown keys to compare)
            calls: list[tuple[Callable[[Any], Any], Any]] = [
                (baseline, body),
                (ours, body),
                (validate, body),
                (json.loads, raw),
                (_from_bytes(baseline), raw),
                (_from_bytes(ours), raw),
                (validate_json, raw),
            ]
            number, times = compare_throughput(calls, repeat=repeat)
        rates = {name: number / min(own) for name, own in zip(PARSERS, times, strict=True)}
        results[case.key] = {
            "api": case.api,
            "operation_id": case.operation_id,
            "label": case.label,
            "body_bytes": len(raw),
            "calls_per_repeat": number,
            "bodies_per_s": rates,
            "round_trips": checks,
            # time ratios: how many times faster than the baseline, how many times pydantic's time
            "ours_vs_baseline": ratio(rates["ours"], rates["baseline"]),
            "ours_vs_pydantic": ratio(rates["pydantic"], rates["ours"]),
            "bytes_ours_vs_baseline": ratio(rates["ours_bytes"], rates["baseline_bytes"]),
            "bytes_ours_vs_pydantic": ratio(rates["pydantic_bytes"], rates["ours_bytes"]),
            "bytes_ours_vs_loads": ratio(rates["loads"], rates["ours_bytes"]),
            "times_s": {name: [round(t, 5) for t in own] for name, own in zip(PARSERS, times, strict=True)},
        }
    return results


def _from_bytes(from_dict: Callable[[Any], Any]) -> Callable[[bytes], Any]:
    def parse(raw: bytes) -> Any:
        return from_dict(json.loads(raw))

    return parse


def _round_trips(from_dict: Callable[[Any], Any], body: Any) -> bool:
    """Whether the model gives the body back (`to_dict()`): the timed parse does the whole job."""
    return bool(from_dict(body).to_dict() == body)


def pydantic_file(work: Path, case: BodyCase) -> Path:
    return work / "pydantic" / case.api / f"{case.operation_id.lower()}.py"


def prepare_rivals(apis: list[Api], work: Path) -> dict[str, Any]:
    """Baseline models (the generator's CLI with perf/baseline) and the pydantic modules of every body case."""
    from ..spec.yamlio import load_document

    started = time.perf_counter()
    names = {api.name: api for api in apis}
    for api in apis:
        normalized = work / "ours" / api.name / f"{api.name}.normalized.yaml"
        out = _fresh(rivals.baseline_package_dir(work, api))
        _run_checked(rivals.baseline_argv(normalized, out), f"the baseline models of {api.name}")
    for case in BODY_CASES:
        if case.api not in names:
            continue
        doc = load_document(work / "ours" / case.api / f"{case.api}.normalized.yaml")
        schema_file = pydantic_file(work, case).with_suffix(".schema.json")
        rivals.write_pydantic_input(doc, response_schema(doc, case.operation_id, case.status), schema_file)
        _run_checked(rivals.pydantic_argv(schema_file, pydantic_file(work, case)), f"pydantic models for {case.label}")
    from importlib import metadata as md

    return {
        "wall_s": time.perf_counter() - started,
        "datamodel_code_generator": md.version("datamodel-code-generator"),
        "pydantic": md.version("pydantic"),
    }


# An id every API's fake accepts as a path value (a UUID where the spec says uuid, any string elsewhere).
FAKE_BENCH_ID = "0b7c1e2f-9a10-4c3e-8d43-6f1f7ad23c55"


def bench_fake_calls(apis: list[Api], work: Path, *, repeat: int) -> dict[str, Any]:
    """(f) One call through the test double (`<package>.testing`) beside the same call through the real client
    over an `httpx.MockTransport` that answers the bytes the fake answered: what routing the request,
    checking it against the spec and recording it cost. A read of one item, a list's first page and a write
    with a JSON body, per API."""
    import importlib

    import httpx

    from ..codegen.fake import example_of
    from ..spec.yamlio import load_document

    results: dict[str, Any] = {}
    for api in apis:
        root = ours_package_root(work, api)
        doc = load_document(work / "ours" / api.name / f"{api.name}.normalized.yaml")
        data = json.loads((root / api.package / "_testing.json").read_text(encoding="utf-8"))
        with _on_path(root):
            package = importlib.import_module(api.package)
            testing = importlib.import_module(f"{api.package}.testing")
            client_class = getattr(package, api.client_class)
            fake = getattr(testing, f"Fake{api.client_class}")()
            measured: set[str] = set()
            for kind, op, kwargs in _fake_bench_calls(doc, data, example_of):
                if kind in measured:
                    continue
                resource, _, method = (op["aliases"] or [op["name"]])[0].partition(".")
                args = [FAKE_BENCH_ID] * op["path"].count("{")
                try:
                    raw = getattr(getattr(fake, resource).with_raw_response, method)(*args, **kwargs)
                except AssertionError:  # InvalidRequestError: the made-up body does not fit; try the next one
                    continue
                measured.add(kind)
                answer = httpx.Response(raw.status_code, content=raw.content, headers=dict(raw.headers))

                def replay(request: httpx.Request, answer: httpx.Response = answer) -> httpx.Response:
                    return httpx.Response(answer.status_code, content=answer.content, headers=answer.headers)

                keys = {c.parameter: "bench-key" for c in client_class._credentials}
                mocked = client_class(**keys, http_client=httpx.Client(transport=httpx.MockTransport(replay)))
                calls: list[tuple[Callable[[Any], Any], Any]] = [
                    (_bench_call(getattr(getattr(fake, resource), method), args, kwargs), None),
                    (_bench_call(getattr(getattr(mocked, resource), method), args, kwargs), None),
                ]
                number, times = compare_throughput(calls, repeat=repeat)
                fake_s, mock_s = (min(own) / number for own in times)
                results[f"{api.name}:{op['name']}"] = {
                    "api": api.name,
                    "operation": op["name"],
                    "kind": kind,
                    "calls_per_repeat": number,
                    "fake_us": fake_s * 1e6,
                    "mock_transport_us": mock_s * 1e6,
                    "fake_vs_mock": ratio(fake_s, mock_s),
                    "times_s": {"fake": [round(t, 5) for t in times[0]], "mock": [round(t, 5) for t in times[1]]},
                }
    return results


def _fake_bench_calls(
    doc: dict[str, Any], data: dict[str, Any], example_of: Callable[..., Any]
) -> Iterator[tuple[str, dict[str, Any], dict[str, Any]]]:
    """(kind, operation, keyword arguments): a read of one item, a list, and writes with a JSON body (made up
    from the schema: the first one the fake accepts is measured)."""
    operations = [
        op for op in data["operations"] if not any(p["required"] for p in op["parameters"] if p["in"] != "path")
    ]
    read = next(
        (op for op in operations if op["method"] == "GET" and op["path"].count("{") == 1 and not op["pagination"]), None
    )
    listing = next((op for op in operations if op["pagination"]), None)
    for kind, op in (("read", read), ("list", listing)):
        if op is not None:
            yield kind, op, {}
    for op in operations:
        media = (op["body"] or {}).get("media_types") or {}
        if op["method"] in ("POST", "PUT", "PATCH") and "application/json" in media:
            content = doc["paths"][op["path"]][op["method"].lower()]["requestBody"]["content"]["application/json"]
            yield "write", op, {"body": example_of(doc, content["schema"])}


def _bench_call(method: Callable[..., Any], args: Sequence[Any], kwargs: dict[str, Any]) -> Callable[[Any], Any]:
    def call(_: Any) -> Any:
        return method(*args, **kwargs)

    return call


def bench_model_code(apis: list[Api], work: Path) -> dict[str, Any]:
    """(d) Generated model code: modules, fields, lines and lines per field, ours and the baseline's."""
    result: dict[str, Any] = {}
    for api in apis:
        sides = {
            "ours": rivals.model_code(ours_package_root(work, api) / api.package / "models"),
            "baseline": rivals.model_code(rivals.baseline_package_dir(work, api) / "models"),
        }
        result[api.name] = {
            side: {
                **dataclasses.asdict(code),
                "lines_per_field": code.lines_per_field,
                "lines_per_field_with_enums": code.lines_per_field_with_enums,
            }
            for side, code in sides.items()
        }
    return result


_MODEL_PROBE = """import importlib, json, sys, time
module, name, body = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])
t0 = time.perf_counter()
cls = getattr(importlib.import_module(module), name)
cls.from_dict(body)
print(json.dumps({"s": time.perf_counter() - t0}))
"""


def bench_model_import(apis: list[Api], work: Path, *, runs: int) -> dict[str, Any]:
    """(b2) Importing the CNaught/Fungies order model and building one order from JSON in a fresh
    interpreter (bytecode compiled), ours and the baseline's: what the first parse of a process costs."""
    from ..spec.yamlio import load_document

    result: dict[str, Any] = {}
    for api in apis:
        case = next(
            (c for c in BODY_CASES if c.api == api.name and c.operation_id == PROBE_OPERATIONS.get(api.name)), None
        )
        if case is None:
            continue
        doc = load_document(work / "ours" / api.name / f"{api.name}.normalized.yaml")
        body = build_body(doc, BodyCase(case.api, case.operation_id, case.label, top_items=1))
        sides = {
            "ours": (ours_package_root(work, api), api.package),
            "baseline": (rivals.baseline_package_dir(work, api).parent, rivals.baseline_package_dir(work, api).name),
        }
        samples: dict[str, list[float]] = {side: [] for side in sides}
        located = {}
        for side, (path, package) in sides.items():
            with _on_path(path):
                cls = response_class(endpoint_module(path / package, case.operation_id), body, int(case.status))
            located[side] = (path, cls.__self__.__module__, cls.__self__.__name__)  # type: ignore[attr-defined]
            _precompile(path / package)
        for _ in range(runs):
            for side, (path, module, name) in located.items():
                argv = [sys.executable, "-c", _MODEL_PROBE, module, name, json.dumps(body)]
                proc = subprocess.run(
                    argv, env=child_env(pythonpath=[path]), capture_output=True, text=True, check=False
                )
                if proc.returncode != 0:
                    raise PipelineError(f"importing {module} failed:\n  {proc.stderr.strip()[-800:]}")
                samples[side].append(float(json.loads(proc.stdout.strip().splitlines()[-1])["s"]))
        medians = {side: statistics.median(values) for side, values in samples.items()}
        result[api.name] = {
            "model": located["ours"][2],
            "ours_s": medians["ours"],
            "baseline_s": medians["baseline"],
            "ratio": ratio(medians["ours"], medians["baseline"]),
            "runs": {side: [round(v, 5) for v in values] for side, values in samples.items()},
        }
    return result


# ---------------------------------------------------------------------------------------------------
# (d) drift


def bench_drift(apis: list[Api]) -> dict[str, Any]:
    """(d) Wall time of `sdkpipeline drift` (it regenerates every API and compares)."""
    argv = [sys.executable, "-m", "sdkpipeline.cli", "drift", *[a.name for a in apis]]
    measured = run_measured(argv, env=child_env(), cwd=Repo.default().root)
    return {
        "wall_s": measured.wall_s,
        "max_rss_mb": measured.max_rss_kb / 1024,
        "exit_code": measured.returncode,
        "clean": measured.returncode == 0,
    }


# ---------------------------------------------------------------------------------------------------
# Report


def ratio(value: float | None, base: float | None) -> float | None:
    """value / base, or None when either is missing or the base is zero."""
    if value is None or not base:
        return None
    return value / base


def verdict(value: float | None, *, at_most: float | None = None, at_least: float | None = None) -> str:
    """PASS, FAIL, or n/a (no figure) for a ratio against a bound."""
    if value is None:
        return "n/a"
    if at_most is not None and value > at_most:
        return "FAIL"
    if at_least is not None and value < at_least:
        return "FAIL"
    return "PASS"


def render_table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """A plain text table: the first column left-aligned, the others right-aligned."""
    widths = [max(len(str(r[i])) for r in [headers, *rows]) for i in range(len(headers))]

    def line(cells: Sequence[str]) -> str:
        out = [str(c).ljust(widths[0]) if i == 0 else str(c).rjust(widths[i]) for i, c in enumerate(cells)]
        return "  ".join(out).rstrip()

    return "\n".join([line(headers), line(["-" * w for w in widths]), *(line(r) for r in rows)])


def _s(seconds: float | None) -> str:
    if seconds is None:
        return "n/a"
    return f"{seconds * 1000:.1f} ms" if seconds < 1 else f"{seconds:.2f} s"


def _x(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.2f}"


def format_report(results: dict[str, Any]) -> str:
    """The human-readable report of a results dictionary (as written to the JSON file)."""
    meta = results["meta"]
    parts = [
        f"SDK bench · {meta['git']['revision'][:12]}{' (dirty tree)' if meta['git']['dirty'] else ''} · "
        f"Python {meta['python']} · {meta['cpu_count']} CPUs ({meta['cpu_model']}) · "
        f"openapi-python-client {meta['openapi_python_client']}",
    ]
    if "load_average_start" in meta:
        start, end = meta["load_average_start"][0], meta.get("load_average_end", [float("nan")])[0]
        busy = " (other work was running: figures are noisy)" if max(start, end) > meta["cpu_count"] / 2 else ""
        parts.append(f"1-min load average {start:.2f} at start, {end:.2f} at end{busy}")
    gen = results["generation"]
    rows = []
    for name, entry in gen["apis"].items():
        b, o = entry["bare"], entry["ours"]
        rows.append(
            [
                f"{name} bare (raw spec)",
                _s(b["wall_s"]),
                f"{b['max_rss_mb']:.0f} MB",
                str(b["py_files"]),
                str(b["py_lines"]),
                f"{b['dropped_endpoints']} op dropped, {b['warnings']} warnings",
                "",
            ]
        )
        rows.append(
            [
                f"{name} pipeline",
                _s(o["wall_s"]),
                f"{o['max_rss_mb']:.0f} MB",
                str(o["py_files"]),
                str(o["py_lines"]),
                f"ours/bare {_x(entry['ratio'])}",
                "",
            ]
        )
    both = gen["all"]
    rows.append(["all: bare, sum of runs", _s(both["bare_sum_s"]), "", "", "", "", ""])
    rows.append(
        [
            f"all: pipeline, {both['ours_parallel']['jobs']} jobs",
            _s(both["ours_parallel"]["wall_s"]),
            f"{both['ours_parallel']['max_rss_mb']:.0f} MB",
            "",
            "",
            f"ours/bare {_x(both['ratio'])}",
            f"≤ {GENERATION_VS_BARE_MAX:.2f} {verdict(both['ratio'], at_most=GENERATION_VS_BARE_MAX)}",
        ]
    )
    parts += [
        "",
        f"(a) generation, post-hooks included (wall: median of {meta['runs']['generation']}; RSS: largest process)",
        render_table(["", "wall", "peak RSS", ".py files", "lines", "note", "budget"], rows),
    ]
    imp = results["import"]
    rows = []
    for name, e in imp["apis"].items():
        client = "client" if e["client"] == "ok" else f"client {e['client']}"
        rows.append(
            [
                name,
                f"{_s(e['sdk_s'])} ({client})",
                _s(e["bare_models_s"]),
                _s(imp["floor"]["import_s"]),
                f"{_x(e['sdk_vs_bare_models'])} {verdict(e['sdk_vs_bare_models'], at_most=IMPORT_VS_BARE_MODELS_MAX)}",
                f"{_x(e['sdk_vs_floor'])} {verdict(e['sdk_vs_floor'], at_most=IMPORT_VS_FLOOR_MAX)}",
                f"{e['models_loaded_after_one_operation']}/{e['models_total']} "
                f"{'PASS' if (e['models_loaded_after_one_operation'] or 0) < e['models_total'] else 'FAIL'}",
                f"{e['bare_models_loaded_after_one_operation']}/{e['bare_models_total']}",
            ]
        )
    parts += [
        "",
        f"(b) import in a fresh interpreter, bytecode compiled (median of {meta['runs']['import']})",
        render_table(
            [
                "",
                "SDK import + client",
                "bare models",
                "floor httpx+attrs",
                f"sdk/bare ≤ {IMPORT_VS_BARE_MODELS_MAX}",
                f"sdk/floor ≤ {IMPORT_VS_FLOOR_MAX}",
                "models after 1 op",
                "bare: models after 1 op",
            ],
            rows,
        ),
    ]
    if meta["runs"]["import_from_source"]:
        source = ", ".join(
            f"{name} SDK {_s(e['from_source']['sdk_s'])}, bare models {_s(e['from_source']['bare_models_s'])}"
            for name, e in imp["apis"].items()
        )
        parts.append(
            f"    from source, no .pyc (median of {meta['runs']['import_from_source']}; information): {source}"
        )
    parts += _model_import_report(results.get("model_import") or {})
    parts += _parsing_report(results["parsing"], meta)
    parts += _model_code_report(results.get("model_code") or {})
    drift = results["drift"]
    state = "no drift" if drift["clean"] else f"exit {drift['exit_code']}: drift found or regeneration failed"
    parts += ["", f"(e) drift check: {_s(drift['wall_s'])} wall, {drift['max_rss_mb']:.0f} MB peak RSS ({state})"]
    parts += _fake_calls_report(results.get("fake_calls") or {}, meta)
    parts += ["", "Budgets are information, not an exit code."]
    return "\n".join(parts)


def _rate(value: float) -> str:
    return f"{value:,.0f}"


def _model_import_report(entries: dict[str, Any]) -> list[str]:
    if not entries:
        return []
    rows = [
        [name, e["model"], _s(e["baseline_s"]), _s(e["ours_s"]), f"{_x(e['ratio'])} {verdict(e['ratio'], at_most=1.0)}"]
        for name, e in entries.items()
    ]
    return [
        "",
        "(b2) import the order model and build one order from JSON, fresh interpreter, bytecode compiled (median)",
        render_table(["", "model", "baseline", "ours", "ours/baseline ≤ 1"], rows),
    ]


def _parsing_report(parsing: dict[str, Any], meta: dict[str, Any]) -> list[str]:
    header = f"best of {meta['runs']['parsing']} alternating repeats, CPU time, gc on"
    dict_rows, bytes_rows = [], []
    for e in parsing.values():
        r = e["bodies_per_s"]
        name = f"{e['api']} {e['operation_id']}"
        checks = "" if all(e.get("round_trips", {}).values()) else " (to_dict differs!)"
        dict_rows.append(
            [
                name + checks,
                e["label"],
                f"{e['body_bytes'] / 1024:.0f} KiB",
                _rate(r["baseline"]),
                _rate(r["ours"]),
                _rate(r["pydantic"]),
                f"{_x(e['ours_vs_baseline'])} {verdict(e['ours_vs_baseline'], at_least=PARSING_VS_BASELINE_MIN)}",
                f"{_x(e['ours_vs_pydantic'])} {verdict(e['ours_vs_pydantic'], at_most=PARSING_VS_PYDANTIC_MAX)}",
            ]
        )
        bytes_rows.append(
            [
                name,
                _rate(r["loads"]),
                _rate(r["baseline_bytes"]),
                _rate(r["ours_bytes"]),
                _rate(r["pydantic_bytes"]),
                _x(e["bytes_ours_vs_baseline"]),
                f"{_x(e['bytes_ours_vs_pydantic'])} "
                f"{verdict(e['bytes_ours_vs_pydantic'], at_most=PARSING_VS_PYDANTIC_MAX)}",
                _x(e["bytes_ours_vs_loads"]),
            ]
        )
    return [
        "",
        f"(c) parsing from the decoded dict (from_dict / model_validate), bodies/s ({header})",
        render_table(
            [
                "",
                "body",
                "JSON",
                "baseline",
                "ours",
                "pydantic v2",
                f"baseline÷ours time ≥ {PARSING_VS_BASELINE_MIN:.0f}",
                f"ours÷pydantic time ≤ {PARSING_VS_PYDANTIC_MAX}",
            ],
            dict_rows,
        ),
        "",
        "    from the raw bytes (json.loads + from_dict / model_validate_json), bodies/s",
        render_table(
            [
                "",
                "json.loads alone",
                "baseline",
                "ours",
                "pydantic v2",
                "baseline÷ours",
                f"ours÷pydantic ≤ {PARSING_VS_PYDANTIC_MAX}",
                "ours÷json.loads",
            ],
            bytes_rows,
        ),
    ]


def _fake_calls_report(entries: dict[str, Any], meta: dict[str, Any]) -> list[str]:
    if not entries:
        return []
    rows = [
        [
            f"{e['api']} {e['operation']}",
            e["kind"],
            f"{e['fake_us']:.0f} µs",
            f"{e['mock_transport_us']:.0f} µs",
            _x(e["fake_vs_mock"]),
        ]
        for e in entries.values()
    ]
    return [
        "",
        f"(f) test double: one call through Fake<Client> beside the real client over an httpx.MockTransport "
        f"answering the same bytes (CPU time per call, best of {meta['runs']['parsing']} alternating repeats)",
        render_table(["", "call", "fake", "MockTransport", "fake÷mock"], rows),
    ]


def _model_code_report(entries: dict[str, Any]) -> list[str]:
    if not entries:
        return []
    rows = []
    for name, sides in entries.items():
        for side in ("baseline", "ours"):
            e = sides[side]
            per = e["lines_per_field"]
            rows.append(
                [
                    f"{name} {side}",
                    str(e["modules"]),
                    str(e["fields"]),
                    str(e["lines"]),
                    f"{per:.1f}" + (f" {verdict(per, at_most=LINES_PER_FIELD_MAX)}" if side == "ours" else ""),
                    f"{e['enum_modules']} / {e['enum_lines']}",
                    f"{e['lines_per_field_with_enums']:.1f}",
                ]
            )
    return [
        "",
        "(d) generated model code: every line of the model modules (header, imports, docstrings, blanks) per field",
        render_table(
            [
                "",
                "model modules",
                "fields",
                "lines",
                f"lines/field ≤ {LINES_PER_FIELD_MAX:.0f}",
                "enum modules / lines",
                "with enums",
            ],
            rows,
        ),
    ]


def machine_info() -> dict[str, Any]:
    """What the figures were measured on, and at which revision."""
    cpu_model = "unknown"
    memory_gb = None
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu_model = line.split(":", 1)[1].strip()
                break
    with contextlib.suppress(OSError, ValueError):
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                memory_gb = round(int(line.split()[1]) / 1024 / 1024, 1)
    return {
        "timestamp": datetime.now(UTC).isoformat(timespec="seconds"),
        "load_average_start": list(os.getloadavg()),
        "git": git_revision(),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "cpu_count": os.cpu_count(),
        "cpu_model": cpu_model,
        "memory_gb": memory_gb,
        "openapi_python_client": metadata.version("openapi-python-client"),
        "ruff": metadata.version("ruff"),
    }


def git_revision() -> dict[str, Any]:
    """HEAD and whether the work tree differs from it (read-only git calls)."""

    def git(*args: str) -> str:
        proc = subprocess.run(
            ["git", "--no-optional-locks", *args], cwd=Repo.default().root, capture_output=True, text=True
        )
        return proc.stdout.strip() if proc.returncode == 0 else ""

    return {"revision": git("rev-parse", "HEAD") or "unknown", "dirty": bool(git("status", "--porcelain"))}


# ---------------------------------------------------------------------------------------------------
# (e) large documents: the large corpus and a synthesized 10 MB document, ours beside bare

SYNTHETIC_MB = 10.0
_REPAIRED = re.compile(r"warning: (\w+) repaired (\d+) place")


def large_documents(repo: Repo) -> list[Path]:
    """The large corpus (tests/data/corpus/large), in its manifest's order."""
    folder = repo.root / "tests" / "data" / "corpus" / "large"
    names = [line.split("\t", 1)[0] for line in (folder / "MANIFEST.tsv").read_text("utf-8").splitlines()[1:]]
    return [next(p for p in folder.glob(f"{n}.*") if p.suffix in (".yaml", ".json")) for n in names]


# Seconds of runs of one large document (ours and bare together) after which no more are started: Kubernetes apps
# (2 s a pair) gets 7 pairs, the 10 MB synthetic one (55 s) one.
LARGE_BUDGET_S = 20.0


def alternating(
    ours: Callable[[], Measured], bare: Callable[[], Measured], *, runs: int, budget_s: float
) -> tuple[list[Measured], list[Measured]]:
    """Ours, then bare, again and again: `runs` pairs at most, and none started once the pairs took `budget_s`
    (at least one pair). Alternating, so that a slower moment of the machine falls on both."""
    ours_runs: list[Measured] = []
    bare_runs: list[Measured] = []
    spent = 0.0
    while len(ours_runs) < max(runs, 1) and (not ours_runs or spent < budget_s):
        ours_runs.append(ours())
        bare_runs.append(bare())
        spent += ours_runs[-1].wall_s + bare_runs[-1].wall_s
    return ours_runs, bare_runs


def bench_large_documents(
    work: Path, *, runs: int, budget_s: float = LARGE_BUDGET_S, synthetic_mb: float = SYNTHETIC_MB
) -> dict[str, Any]:
    """(e) Each large document, and one synthesized of `synthetic_mb` MB, through the pipeline (ad hoc mode, no
    overrides) and the bare generator, alternating (`alternating`): median wall time, peak RSS, operations
    (document, ours, bare), repairs by kind."""
    repo = Repo.default()
    synthetic = work / "large" / f"synthetic-{synthetic_mb:g}mb.yaml"
    # Made in a child: a child's peak RSS counts its parent's size at the fork, so this process stays small.
    code = (
        "import sys; from pathlib import Path; from sdkpipeline.perf.scale import synthesize_document; "
        "from sdkpipeline.spec.registry import select_apis; "
        "synthesize_document(select_apis(['fungies'])[0], float(sys.argv[1]), Path(sys.argv[2]))"
    )
    _run_checked([sys.executable, "-c", code, str(synthetic_mb), str(synthetic)], "synthesizing a document")
    rows: dict[str, Any] = {}
    for spec in [*large_documents(repo), synthetic]:
        name = spec.stem
        out, bare_out = work / "large" / name / "ours", work / "large" / name / "bare"
        ours_runs, bare_runs = alternating(
            functools.partial(_measured_ours, spec, out, scripts=repo.root / "scripts"),
            functools.partial(_measured_bare, spec, bare_out),
            runs=runs,
            budget_s=budget_s,
        )
        ours, bare = ours_runs[-1], bare_runs[-1]
        repairs: dict[str, int] = {}
        for pass_name, count in _REPAIRED.findall(ours.output):
            repairs[pass_name] = repairs.get(pass_name, 0) + int(count)
        rows[name] = {
            "bytes": spec.stat().st_size,
            "operations": _document_operations(spec),
            "ours": {
                **_summary(ours_runs),
                "exit": ours.returncode,
                "operations": _our_operations(out) if ours.returncode == 0 else 0,
                "said": "" if ours.returncode == 0 else _first_problem(ours.output),
            },
            "bare": {
                **_summary(bare_runs),
                "exit": bare.returncode,
                "operations": _bare_operations(bare_out),
            },
            "repairs": dict(sorted(repairs.items())),
            "runs": len(ours_runs),
        }
        rows[name]["ratio"] = (
            ratio(rows[name]["ours"]["wall_s"], rows[name]["bare"]["wall_s"])
            if (bare.returncode == 0 and ours.returncode == 0)
            else None
        )
    return {"documents": rows, "synthetic_from": "fungies", "command": "sdkpipeline generate --spec FILE --output DIR"}


def _measured_ours(spec: Path, out: Path, *, scripts: Path) -> Measured:
    return run_measured(_ad_hoc_argv(spec, _fresh(out)), env=child_env(pythonpath=[scripts]))


def _measured_bare(spec: Path, out: Path) -> Measured:
    return run_measured(_bare_argv_of(spec, _fresh(out)), env=child_env())


def _first_problem(output: str) -> str:
    """What a refused run said first, short: the problem after the file and place."""
    lines = [line.strip() for line in output.strip().splitlines() if line.strip()]
    first = next((line for line in lines if line.startswith(("error:", "- "))), lines[0] if lines else "")
    return first.split(": ", 2)[-1][:70]


def _ad_hoc_argv(spec: Path, out: Path) -> list[str]:
    return [sys.executable, "-m", "sdkpipeline", "generate", "--spec", str(spec), "--output", str(out)]


def _document_operations(spec: Path) -> int:
    from ..normalize.walk import operations
    from ..spec.yamlio import load_document

    try:
        return sum(1 for _ in operations(load_document(spec)))
    except PipelineError:
        return 0  # a Swagger 2.0 or broken document: its count is the pipeline's to tell


def _our_operations(out: Path) -> int:
    index = next(out.glob("*/_operations.json"), None)
    return len(json.loads(index.read_text("utf-8"))["operations"]) if index else 0


def _bare_operations(package: Path) -> int:
    """Endpoint modules the bare generator wrote (0 when it wrote none: refused or crashed)."""
    return sum(1 for m in (package / "api").rglob("*.py") if m.name != "__init__.py") if package.is_dir() else 0


def _meta_line(meta: dict[str, Any]) -> str:
    return (
        f"SDK bench · {meta['git']['revision'][:12]}{' (dirty tree)' if meta['git']['dirty'] else ''} · "
        f"Python {meta['python']} · {meta['cpu_count']} CPUs ({meta['cpu_model']}) · "
        f"openapi-python-client {meta['openapi_python_client']}"
    )


def _large_report(large: dict[str, Any]) -> list[str]:
    rows = []
    for name, e in large["documents"].items():
        o, b = e["ours"], e["bare"]
        bare_ops = f"{b['operations']}" if b["exit"] == 0 else f"{b['operations']} (exit {b['exit']})"
        repairs = ", ".join(f"{k} {v}" for k, v in e["repairs"].items()) or "none"
        rows.append(
            [
                f"{name} ({e['bytes'] / 1e6:.1f} MB)",
                str(e["operations"]),
                str(o["operations"]) if o["exit"] == 0 else f"refused: {o['said']}",
                bare_ops,
                str(e["runs"]),
                f"{_s(o['wall_s'])} / {_s(b['wall_s'])}",
                f"{o['max_rss_mb']:.0f} / {b['max_rss_mb']:.0f} MB",
                _x(e["ratio"]),
                repairs,
            ]
        )
    return [
        "",
        f"(e) large documents: `{large['command']}` beside the bare generator, alternating (synthetic: the "
        f"{large['synthetic_from']} spec multiplied; RSS: largest process of any run)",
        render_table(
            [
                *("document", "ops", "ours", "bare", "runs", "wall ours/bare (median)", "peak RSS ours/bare", "ratio"),
                "repairs by kind",
            ],
            rows,
        ),
    ]


# ---------------------------------------------------------------------------------------------------
# Command line


def run_bench(
    apis: list[Api],
    *,
    generation_runs: int,
    import_runs: int,
    source_runs: int,
    parse_repeats: int,
    jobs: int,
    keep: Path | None,
    large_runs: int = 7,
    large_budget_s: float = LARGE_BUDGET_S,
    only_large: bool = False,
) -> dict[str, Any]:
    """All the measurements, in order (each later one uses the trees the generation left); `only_large`: the large
    documents alone."""
    with contextlib.ExitStack() as stack:
        work = keep or Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="sdk-bench-")))
        work.mkdir(parents=True, exist_ok=True)
        results: dict[str, Any] = {
            "meta": {
                **machine_info(),
                "runs": {
                    "generation": generation_runs,
                    "import": import_runs,
                    "import_from_source": source_runs,
                    "parsing": parse_repeats,
                    "large_documents": {"at_most": large_runs, "budget_s": large_budget_s},
                },
                "bare_command": "python -m openapi_python_client generate --path <raw spec> --output-path <tmp> "
                "--meta none (default post-hooks: ruff check --fix-only --extend-select=I, ruff format), "
                "httpx's command line not loaded, as where it is installed alone",
            }
        }
        if not only_large:
            _progress("generation")
            results["generation"] = bench_generation(apis, work, runs=generation_runs, jobs=jobs)
            _progress("the baseline models and pydantic models")
            results["meta"]["rivals"] = prepare_rivals(apis, work)
            _progress("import")
            results["import"] = bench_import(apis, work, runs=import_runs, source_runs=source_runs)
            results["model_import"] = bench_model_import(apis, work, runs=import_runs)
            _progress("parsing")
            results["parsing"] = bench_parsing(apis, work, repeat=parse_repeats)
            results["model_code"] = bench_model_code(apis, work)
            _progress("test double")
            results["fake_calls"] = bench_fake_calls(apis, work, repeat=parse_repeats)
            _progress("drift")
            results["drift"] = bench_drift(apis)
        _progress("large documents")
        results["large_documents"] = bench_large_documents(work, runs=large_runs, budget_s=large_budget_s)
        # Other work on the machine skews every figure: record how busy it was.
        results["meta"]["load_average_end"] = list(os.getloadavg())
    return results


def _progress(step: str) -> None:
    print(f"bench: {step} …", file=sys.stderr, flush=True)


def run(
    apis: list[Api],
    *,
    json_path: Path | None,
    generation_runs: int,
    import_runs: int,
    source_runs: int,
    parse_repeats: int,
    jobs: int,
    keep: Path | None,
    large_runs: int = 7,
    large_budget_s: float = LARGE_BUDGET_S,
    only_large: bool = False,
) -> int:
    """`sdkpipeline bench`: print the figures and write them as JSON (.cache/bench/ by default)."""
    results = run_bench(
        apis,
        generation_runs=generation_runs,
        import_runs=import_runs,
        source_runs=source_runs,
        parse_repeats=parse_repeats,
        jobs=jobs,
        keep=keep.resolve() if keep else None,
        large_runs=large_runs,
        large_budget_s=large_budget_s,
        only_large=only_large,
    )
    report = format_report(results) if "generation" in results else _meta_line(results["meta"])
    print("\n".join([report, *_large_report(results["large_documents"])]))
    target = json_path or (apis[0].repo if apis else Repo.default()).cache / "bench" / "bench-results.json"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(f"\nfigures: {target}")
    return 0
