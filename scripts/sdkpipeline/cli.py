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
    from .lock import verify_spec
    from .normalize import load_overrides, normalize
    from .yamlio import dump_document, load_document

    for api in select_apis(args.api):
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


def cmd_update_specs(args: argparse.Namespace) -> int:
    from .release import summary, update_spec

    names = [api.name for api in select_apis(args.api)]
    if args.source and len(names) != 1:
        raise PipelineError("--source needs exactly one API name (e.g. `-- fungies --source FILE`)")
    changed = 0
    for name in names:
        update = update_spec(name, source=args.source, write=not args.check)
        if args.source and not update.changed:
            # A document named to be taken that is the vendored one already: almost always the wrong file.
            raise PipelineError(
                f"{args.source} is byte-for-byte the vendored {name} spec (sha256 {update.new_sha256[:12]}…); "
                "nothing written"
            )
        print(summary(update, written=not args.check), flush=True)
        changed += update.changed
    return 1 if args.check and changed else 0


def cmd_build(args: argparse.Namespace) -> int:
    from .publish import DIST_DIR, build_sdk, smoke_test, twine_check

    out_dir = Path(args.outdir).resolve() if args.outdir else DIST_DIR
    builds = [build_sdk(api, out_dir=out_dir) for api in select_apis(args.api)]
    for built in builds:
        print(f"{built.api.name}: built {_shown(built.sdist)} and {_shown(built.wheel)}", flush=True)
    print(twine_check([f for b in builds for f in b.files]), flush=True)
    if not args.no_install:
        for built in builds:
            print(smoke_test(built), flush=True)
    return 0


def cmd_publish(args: argparse.Namespace) -> int:
    from .publish import DIST_DIR, publish

    if args.username or args.password:
        raise PipelineError(
            "credentials are never taken from the command line (they would show in `ps` and shell history)",
            hint="set TWINE_USERNAME and TWINE_PASSWORD in the environment, or store the password with keyring",
        )
    apis = select_apis(args.api)
    builds = publish(
        apis,
        repository_url=args.repository_url,
        simple_url=args.simple_url,
        out_dir=Path(args.outdir).resolve() if args.outdir else DIST_DIR,
    )
    for built in builds:
        print(f"{built.api.name}: published {built.sdist.name} and {built.wheel.name} to {args.repository_url}")
    return 0


COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {
    "generate": cmd_generate,
    "normalize": cmd_normalize,
    "verify-lock": cmd_verify_lock,
    "drift": cmd_drift,
    "update-specs": cmd_update_specs,
    "build": cmd_build,
    "publish": cmd_publish,
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
    upd = sub.add_parser(
        "update-specs",
        help="take the vendors' current documents: report, bump version, CHANGELOG, lock, regenerate",
        description="An unchanged document is reported and exits 0, except when named with --source.",
    )
    upd.add_argument("api", nargs="*", help="API names (default: all)")
    upd.add_argument("--source", help="URL or file of the new document (default: the URL in specs/specs.lock)")
    upd.add_argument("--check", action="store_true", help="report only, write nothing; exit 1 if a spec changed")
    bld = sub.add_parser("build", help="sdist + wheel per SDK into dist/, twine check, install each in a fresh venv")
    bld.add_argument("api", nargs="*", help="API names (default: all)")
    bld.add_argument("--outdir", help="where the release files go (default: dist/)")
    bld.add_argument("--no-install", action="store_true", help="skip installing each wheel into a fresh venv")
    pub = sub.add_parser(
        "publish",
        help="build and upload the SDKs (credentials: TWINE_USERNAME/TWINE_PASSWORD or keyring)",
        description="Refuses a dirty tree, a failing drift check, and a version the index already has.",
    )
    pub.add_argument("api", nargs="*", help="API names (default: all)")
    pub.add_argument("--repository-url", required=True, help="the index's upload URL")
    pub.add_argument("--simple-url", help="the index's simple API (default: <scheme>://<host>/simple/)")
    pub.add_argument("--outdir", help="where the release files go (default: dist/)")
    # Accepted only to refuse them with a clear message.
    pub.add_argument("-u", "--username", help=argparse.SUPPRESS)
    pub.add_argument("-p", "--password", help=argparse.SUPPRESS)
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
