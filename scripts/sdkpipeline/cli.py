"""Command line of the pipeline; nox sessions call it. A user's mistake prints one clear error, no traceback."""

from __future__ import annotations

import argparse
import os
import re
import signal
import sys
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from .errors import PipelineError
from .normalize.context import PassLog
from .registry import Api, load_registry, select_apis


def _adhoc_api(spec: Path, output: Path, name: str | None) -> Api:
    """An API entry for a spec that is not in the registry (trying a new spec, error tests)."""
    registry = load_registry()
    if name:
        return select_apis([name], registry)[0]
    dist = output.name
    package = re.sub(r"\W", "_", dist.replace("-", "_")).lower()
    if not package.isidentifier():
        package = f"sdk_{package}"
    return Api(
        name=dist,
        spec=spec,
        overrides=spec.with_name("overrides.yaml")
        if spec.with_name("overrides.yaml").exists()
        else Path("/nonexistent"),
        dist_name=dist,
        package=package,
        version="0.0.0",
        client_class="Client",
        display_name=dist,
        env_prefix=package.upper(),
    )


def _generate_one(api: Api, spec: Path | None, output: Path | None) -> str:
    from .generate import generate_api

    started = time.perf_counter()
    result = generate_api(api, spec=spec, output=output)
    lines = [
        f"{api.name}: {result.operations} operations, {result.files} Python files, {result.lines} lines "
        f"→ {_shown(result.output)} ({time.perf_counter() - started:.1f}s)"
    ]
    lines += describe_log(result.log)
    return "\n".join(lines)


def describe_log(log: PassLog, *, shown: int = 3) -> list[str]:
    """Warnings for the maintainer: each repair of the vendor document (where), and idle passes."""
    from .normalize.passes import REPAIR_PASSES

    lines = []
    by_pass: dict[str, list[str]] = {}
    for change in log.changes:
        if change.pass_name in REPAIR_PASSES:
            by_pass.setdefault(change.pass_name, []).append(f"#{change.pointer}: {change.message}")
    for name, changes in by_pass.items():
        lines.append(f"  warning: {name} repaired {len(changes)} place(s) in the vendor document:")
        lines += [f"    {c}" for c in changes[:shown]]
        if len(changes) > shown:
            lines.append(f"    … and {len(changes) - shown} more (see the diff of the normalized spec)")
    idle = [w.split(":", 1)[0] for w in log.warnings if w.endswith("found nothing to change")]
    others = [w for w in log.warnings if not w.endswith("found nothing to change")]
    lines += [f"  warning: {w}" for w in others]
    if idle:
        lines.append(f"  warning: found nothing to change: {', '.join(idle)}")
    return lines


def _shown(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def cmd_generate(args: argparse.Namespace) -> int:
    if args.spec or args.output:
        if not (args.spec and args.output):
            raise PipelineError("--spec and --output go together")
        spec, output = Path(args.spec).resolve(), Path(args.output).resolve()
        api = _adhoc_api(spec, output, args.api[0] if args.api else None)
        print(_generate_one(api, spec, output))
        return 0
    apis = select_apis(args.api)
    if len(apis) == 1 or args.jobs == 1:
        for api in apis:
            print(_generate_one(api, None, None), flush=True)
        return 0
    with ProcessPoolExecutor(max_workers=min(args.jobs, len(apis)), initializer=_child_signals) as pool:
        futures = [pool.submit(_generate_one, api, None, None) for api in apis]
        failures = []
        for future in futures:
            try:
                print(future.result(), flush=True)
            except PipelineError as exc:
                failures.append(exc)
        if failures:
            raise failures[0]
    return 0


def _child_signals() -> None:
    # The parent handles Ctrl-C; children finish or are torn down with the pool.
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def cmd_normalize(args: argparse.Namespace) -> int:
    from .generate import header_for
    from .normalize import load_overrides, normalize
    from .yamlio import dump_document, load_document

    for api in select_apis(args.api):
        from .lock import verify_spec

        verify_spec(api)
        doc, log = normalize(load_document(api.spec), load_overrides(api.overrides), file=api.spec)
        text = f"# {header_for(api, api.spec)}\n" + dump_document(doc)
        if args.check:
            current = api.normalized_spec.read_text(encoding="utf-8") if api.normalized_spec.exists() else ""
            if current != text:
                raise PipelineError(
                    "normalized spec is out of date", file=api.normalized_spec, hint="run `nox -s generate`"
                )
        else:
            api.normalized_spec.write_text(text, encoding="utf-8")
        passes: dict[str, int] = {}
        for change in log.changes:
            passes[change.pass_name] = passes.get(change.pass_name, 0) + 1
        print(f"{api.name}: " + ", ".join(f"{k} {v}" for k, v in passes.items()))
        print("\n".join(describe_log(log)))
    return 0


def cmd_verify_lock(args: argparse.Namespace) -> int:
    from .lock import verify_spec

    for api in select_apis(args.api):
        verify_spec(api)
        print(f"{api.name}: {_shown(api.spec)} matches specs/specs.lock")
    return 0


def cmd_drift(args: argparse.Namespace) -> int:
    from .drift import run_drift

    return run_drift(select_apis(args.api))


COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {
    "generate": cmd_generate,
    "normalize": cmd_normalize,
    "verify-lock": cmd_verify_lock,
    "drift": cmd_drift,
}


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="sdkpipeline", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    gen = sub.add_parser("generate", help="regenerate SDKs (all APIs by default)")
    gen.add_argument("api", nargs="*", help="API names from specs/apis.toml (default: all)")
    gen.add_argument("--spec", help="generate from this spec file instead of a vendored one")
    gen.add_argument("--output", help="with --spec: the package directory to write")
    gen.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="APIs generated in parallel")
    for name, helptext in (
        ("normalize", "write (or --check) the normalized specs only"),
        ("verify-lock", "check the vendored specs against specs/specs.lock"),
        ("drift", "regenerate into a temporary directory and compare with generated/"),
    ):
        p = sub.add_parser(name, help=helptext)
        p.add_argument("api", nargs="*", help="API names (default: all)")
        if name == "normalize":
            p.add_argument("--check", action="store_true", help="fail if the committed normalized spec differs")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    # SIGTERM becomes an exception like Ctrl-C, so clean-up (temporary directories) runs.
    signal.signal(signal.SIGTERM, _raise_interrupt)
    args = build_parser().parse_args(argv)
    try:
        return COMMANDS[args.command](args)
    except PipelineError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("interrupted: previous output left untouched", file=sys.stderr)
        return 130


def _raise_interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


if __name__ == "__main__":
    sys.exit(main())
