"""`sdkpipeline`: the one command line of the pipeline; nox sessions call it.

Every subcommand exits 0 on success, 1 on a failure it reports (a user's mistake prints one clear error,
no traceback), 130 when interrupted.
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import signal
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import PipelineError
from .interrupts import (
    caused_by_interrupt,
    end,
    forget_written,
    interrupted,
    raise_on_sigterm,
    signals_blocked,
    signals_deferred,
    unblock_signals,
    written,
    wrote,
)
from .normalize.context import SHOWN, PassLog
from .spec.registry import Api, select_apis
from .spec.repo import Repo
from .spec.yamlio import DEFAULT_LIMITS, LIMIT_FLAGS, GivenDocument, Limits

if TYPE_CHECKING:
    from concurrent.futures import Future, ProcessPoolExecutor

    from .codegen.generate import PackageMeta


def _repo(args: argparse.Namespace) -> Repo:
    return Repo(Path(args.root).resolve()) if args.root else Repo.default()


def _adhoc_api(repo: Repo, spec: Path, args: argparse.Namespace) -> tuple[Api, str | None, GivenDocument | None]:
    """An API entry for a spec that is not in the registry (trying a new spec, a vendor's next release).

    The names come from the flags, else from the document's `info.title` (codegen.packagenames.package_names),
    never from the output folder; the version from --package-version, else `info.version`; the overrides from
    --overrides, else `overrides.yaml` beside the spec. Returns the entry, a note on the version, if any, and the
    document when it was read for its title (the run hands it on rather than read a large spec twice).
    """
    from .codegen.packagenames import package_names, package_version
    from .spec.yamlio import load_document

    if args.api:
        return select_apis(args.api[:1], repo)[0], None, None  # its names, overrides and CHANGELOG, this spec
    document = load_document(spec, limits=_limits(args))
    info = document.get("info")
    info = info if isinstance(info, dict) else {}
    version, note = package_version(info.get("version"), given=args.package_version)
    title = info.get("title")
    names = package_names(
        str(title) if isinstance(title, str) and title.strip() else spec.stem,
        dist_name=args.dist_name,
        package=args.package,
        client_class=args.client_class,
    )
    overrides = Path(args.overrides).resolve() if args.overrides else spec.with_name("overrides.yaml")
    if args.overrides and not overrides.is_file():
        raise PipelineError("no such overrides file", file=overrides)
    api = Api(
        name=names.package,
        spec=spec,
        overrides=overrides,
        dist_name=names.dist_name,
        package=names.package,
        version=version,
        client_class=names.client_class,
        display_name=names.display,
        env_prefix=names.env_prefix,
        repo=repo,
    )
    return api, note, GivenDocument(document)


def _limits(args: argparse.Namespace) -> Limits:
    """The input limits, each raised by its flag (`--max-scalar-chars N`) or left at its default."""
    given = {field: getattr(args, field) for field in LIMIT_FLAGS if getattr(args, field, None) is not None}
    for field, value in given.items():
        if value <= 0:
            raise PipelineError(f"{LIMIT_FLAGS[field]} must be a positive number, not {value}")
    return dataclasses.replace(DEFAULT_LIMITS, **given)


def _generate_one(
    api: Api,
    spec: Path | None,
    output: Path | None,
    *,
    meta: PackageMeta | None = None,
    idle: bool = True,
    limits: Limits = DEFAULT_LIMITS,
    document: GivenDocument | None = None,
) -> str:
    from .codegen.generate import generate_api

    started = time.perf_counter()
    result = generate_api(api, spec=spec, output=output, meta=meta, limits=limits, document=document)
    lines = [
        f"{api.name}: {result.operations} operations, {result.files} Python files, {result.lines} lines "
        f"→ {_shown(result.output)} ({time.perf_counter() - started:.1f}s)"
    ]
    lines += describe_log(result.log, idle=idle)
    lines += [f"  warning: {w}" for w in result.generator_warnings]
    return "\n".join(lines)


def describe_log(log: PassLog, *, shown: int = SHOWN, idle: bool = True) -> list[str]:
    """Warnings for the maintainer: each repair of the vendor document (where), and (with `idle`) the passes that
    found nothing to change, which is no warning about a document nothing needed repairing in."""
    lines = _repair_lines(log, shown=shown)
    unused = [w.split(":", 1)[0] for w in log.warnings if w.endswith("found nothing to change")]
    others = [w for w in log.warnings if not w.endswith("found nothing to change")]
    lines += [f"  warning: {w}" for w in others]
    if unused and idle:
        lines.append(f"  warning: found nothing to change: {', '.join(unused)}")
    return lines


def _repair_lines(log: PassLog, *, shown: int) -> list[str]:
    """For each pass that repaired the vendor document, a warning with the first `shown` of its places."""
    from .normalize.passes import REPAIR_PASSES

    by_pass: dict[str, list[str]] = {}
    for change in log.changes:
        if change.pass_name in REPAIR_PASSES:
            by_pass.setdefault(change.pass_name, []).append(f"#{change.pointer}: {change.message}")
    lines: list[str] = []
    for name, changes in by_pass.items():
        lines.append(f"  warning: {name} repaired {len(changes)} place(s) in the vendor document:")
        lines += [f"    {c}" for c in changes[:shown]]
        if len(changes) > shown:
            lines.append(f"    … and {len(changes) - shown} more (see the diff of the normalized spec)")
    return lines


def _shown(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def _naming_overrides(exc: PipelineError, overrides: Path) -> PipelineError:
    """The error with "the API's overrides file" in its advice naming the file this run reads."""
    where = f"the overrides file {_shown(overrides)}"
    exc.message = exc.message.replace("the API's overrides file", where)
    exc.hint = exc.hint.replace("the API's overrides file", where) if exc.hint else None
    return exc


# Flags that only make sense for a spec that is not in the registry.
_ADHOC_ONLY = (
    *("dist_name", "package", "client_class", "overrides", "force"),
    *("package_version", "license", "license_file", "url"),
)


def _adhoc_meta(args: argparse.Namespace) -> PackageMeta:
    """What an ad hoc package says about where it comes from: only what its user gives (never this project's)."""
    from .codegen.generate import PackageMeta

    urls = []
    for text in args.url or ():
        label, sep, url = text.partition("=")
        if not sep or not label.strip() or not url.strip().startswith(("https://", "http://")):
            raise PipelineError(f"--url {text!r}: give LABEL=URL, for example Homepage=https://example.com")
        urls.append((label.strip(), url.strip()))
    license_file = Path(args.license_file).resolve() if args.license_file else None
    if license_file is not None and not license_file.is_file():
        raise PipelineError("no such licence file", file=license_file)
    return PackageMeta(urls=tuple(urls), license=args.license, license_file=license_file)


def cmd_generate(args: argparse.Namespace) -> int:
    adhoc = [f"--{k.replace('_', '-')}" for k in _ADHOC_ONLY if getattr(args, k)]
    if args.spec or args.output or adhoc:
        return _generate_adhoc(args, adhoc)
    apis = select_apis(args.api, _repo(args))
    limits = _limits(args)
    if len(apis) == 1 or args.jobs == 1:
        for api in apis:
            print(_generate_one(api, None, None, limits=limits), flush=True)
            _record_names(api, limits)
        return 0
    _generate_in_parallel(apis, jobs=args.jobs, limits=limits)
    for api in apis:
        _record_names(api, limits)
    return 0


def _generate_adhoc(args: argparse.Namespace, adhoc: list[str]) -> int:
    """`generate --spec FILE --output DIR` (and the flags `adhoc` names): a package of a spec outside the registry."""
    from .codegen.generate import check_output_dir

    if not (args.spec and args.output):
        raise PipelineError(
            f"{', '.join(adhoc)} {'needs' if len(adhoc) == 1 else 'need'} --spec and --output"
            if adhoc
            else "--spec and --output go together"
        )
    spec, output = Path(args.spec).resolve(), Path(args.output).resolve()
    api, note, document = _adhoc_api(_repo(args), spec, args)
    check_output_dir(output, inputs=[spec, api.overrides], force=args.force)
    meta = None if args.api else _adhoc_meta(args)
    try:
        print(_generate_one(api, spec, output, meta=meta, idle=args.verbose, limits=_limits(args), document=document))
        if note:
            print(f"  note: {note}")
    except PipelineError as exc:
        raise _naming_overrides(exc, api.overrides) from None
    return 0


def _generate_in_parallel(apis: list[Api], *, jobs: int, limits: Limits) -> None:
    """Each API generated in a process of its own; every outcome printed, then the first failure raised."""
    from concurrent.futures import ProcessPoolExecutor  # here: multiprocessing's import is 0.01 s of every command

    from .codegen.importcheck import discard_spare

    discard_spare()  # each worker starts its own check
    with ProcessPoolExecutor(max_workers=min(jobs, len(apis)), initializer=_child_signals) as pool:
        futures: list[Future[tuple[str, list[str]]]] = []
        failures = []
        try:
            # The workers are forked by the first submit, with Ctrl-C and SIGTERM blocked until all are started (one
            # that came before left a worker waiting forever on its queue). Each worker unblocks them once its
            # handlers are set (`_child_signals`): one that came sooner was lost, and that worker made its whole API.
            with signals_blocked():  # one that came meanwhile arrives as the block ends
                futures += [pool.submit(_generate_in_worker, api, limits) for api in apis]
            for future in futures:
                try:
                    said, paths = future.result()
                except PipelineError as exc:
                    failures.append(exc)
                    continue
                except _WorkerInterrupted:  # SIGTERM sent to the worker itself: the run stops, as on Ctrl-C
                    raise KeyboardInterrupt from None  # what it wrote is recorded by `_stop_workers`
                for path in paths:
                    wrote(path)
                print(said, flush=True)
        except KeyboardInterrupt:
            with signals_deferred():  # Ctrl-C again waits for the workers to stop (a second or so)
                _stop_workers(pool, futures)
            raise
        if failures:
            raise failures[0]


def _stop_workers(pool: ProcessPoolExecutor, futures: list[Future[tuple[str, list[str]]]]) -> None:
    """Ctrl-C or SIGTERM in the parent: each worker stops the API it is generating (its previous output left as it
    was, unless it had swapped the new one in), none starts another, and what they wrote is recorded (`wrote`)."""
    import multiprocessing

    for worker in multiprocessing.active_children():  # the pool's workers
        worker.terminate()  # SIGTERM: `_stop_in_worker`
    pool.shutdown(wait=True, cancel_futures=True)
    for future in futures:
        if future.cancelled() or not future.done():
            continue
        failed = future.exception()
        if failed is None:
            paths = future.result()[1]
        elif isinstance(failed, _WorkerInterrupted):
            paths = list(failed.args)
        else:
            continue
        for path in paths:
            wrote(path)


class _WorkerInterrupted(Exception):
    """A worker stopped by the parent, with what it had written first (its args: it crosses back pickled)."""


# In a worker: whether it is generating an API, and whether the parent has told it to stop.
_worker_state = {"busy": False, "stopping": False}


def _generate_in_worker(api: Api, limits: Limits) -> tuple[str, list[str]]:
    """`_generate_one` in a worker of the pool: what it says, and what it wrote."""
    forget_written()
    if _worker_state["stopping"]:  # stopped while this was queued
        raise _WorkerInterrupted()
    _worker_state["busy"] = True
    try:
        return _generate_one(api, None, None, limits=limits), written()
    except KeyboardInterrupt:
        raise _WorkerInterrupted(*written()) from None
    finally:
        _worker_state["busy"] = False


def _stop_in_worker(signum: int, frame: object) -> None:
    """SIGTERM from the parent: stop the API being generated as Ctrl-C stops a run; between two, start no other."""
    _worker_state["stopping"] = True
    if _worker_state["busy"]:
        raise KeyboardInterrupt


def _record_names(api: Api, limits: Limits = DEFAULT_LIMITS) -> None:
    """Add the names of new shapes and operations to specs/<api>/names.yaml (never removing one).

    A newly recorded class is pinned by the passes from now on, which can change the normalized spec (never a
    name), so the API is generated once more when the record grew.
    """
    from .normalize.record import extend_record, names_record_path

    if not extend_record(api):
        return
    print(f"{api.name}: recorded new names in {api.repo.shown(names_record_path(api.overrides))}", flush=True)
    print(_generate_one(api, None, None, limits=limits), flush=True)
    if extend_record(api):
        raise PipelineError(
            "the names record did not settle after two generations",
            file=names_record_path(api.overrides),
            hint="a naming rule and the record disagree: this is a pipeline bug",
        )


def _child_signals() -> None:
    # Ctrl-C reaches every process of the terminal's group: the parent decides, and stops the workers with SIGTERM
    # (`_stop_workers`).
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, _stop_in_worker)
    unblock_signals()  # forked with them blocked (`signals_blocked`): one that came since arrives now


def cmd_normalize(args: argparse.Namespace) -> int:
    from .codegen.generate import header_for
    from .normalize import load_overrides, normalize
    from .spec.lock import verify_spec
    from .spec.yamlio import dump_document, load_document

    for api in select_apis(args.api, _repo(args)):
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
    from .spec.lock import verify_spec

    for api in select_apis(args.api, _repo(args)):
        verify_spec(api)
        print(f"{api.name}: {_shown(api.spec)} matches specs/specs.lock")
    return 0


def cmd_drift(args: argparse.Namespace) -> int:
    from .codegen.drift import run_drift
    from .release.changelog import release_checks

    # Release records: a vendored spec that changed without a version bump and a CHANGELOG entry fails too, and so
    # does a published name missing from (or dropped without a breaking release from) specs/<api>/names.yaml.
    return run_drift(select_apis(args.api, _repo(args)), extra_checks=release_checks)


def cmd_update_specs(args: argparse.Namespace) -> int:
    from .release.update import summary, update_spec

    repo = _repo(args)
    names = [api.name for api in select_apis(args.api, repo)]
    if args.source and len(names) != 1:
        raise PipelineError("--source needs exactly one API name (e.g. `-- fungies --source FILE`)")
    changed = 0
    for name in names:
        update = update_spec(name, source=args.source, repo=repo, write=not args.check)
        if args.source and not update.changed:
            # A document named to be taken that is the vendored one already: almost always the wrong file.
            raise PipelineError(
                f"{args.source} is byte-for-byte the vendored {name} spec (sha256 {update.new_sha256[:12]}…); "
                "nothing written"
            )
        print(summary(update, written=not args.check), flush=True)
        changed += update.changed
    return 1 if args.check and changed else 0


def cmd_release(args: argparse.Namespace) -> int:
    repo = _repo(args)
    if args.initial:
        return _release_initial(args)
    names = [api.name for api in select_apis(args.api, repo)]
    if args.previous and len(names) != 1:
        raise PipelineError("--previous needs exactly one API name (e.g. `-- fungies --previous DIR`)")
    if args.notes and len(names) != 1:
        raise PipelineError("--notes needs exactly one API name (e.g. `-- fungies --notes FILE`)")
    notes = _release_notes(args.notes)
    for name in names:
        (api,) = select_apis([name], repo)
        _release_one(api, args, notes=notes)
    return 0


def _release_one(api: Api, args: argparse.Namespace, *, notes: str) -> None:
    """One API's release: its surface beside the previous release's, the record written unless `--check`."""
    import tempfile

    from .release.update import (
        apply_surface_release,
        plan_surface_release,
        previous_release_package,
        release_summary,
    )

    with tempfile.TemporaryDirectory(prefix=f"previous-{api.dist_name}-") as tmp:
        if args.previous:
            previous, shown = Path(args.previous).resolve(), args.previous
        else:
            previous, shown = previous_release_package(api, Path(tmp))
        release = plan_surface_release(api, previous, shown_as=shown, notes=notes)
        if release.changes and not args.check:
            apply_surface_release(release)
    print(release_summary(release, written=not args.check), flush=True)


def _release_initial(args: argparse.Namespace) -> int:
    """`release --initial NAME`: the first release record of an API the registry just gained."""
    from .release.update import apply_surface_release, plan_initial_release, release_summary

    if not args.api or args.previous or args.notes:
        raise PipelineError("--initial needs the new API's name and takes neither --previous nor --notes")
    for api in select_apis(args.api, _repo(args)):
        first = plan_initial_release(api)
        if not args.check:
            apply_surface_release(first)
        print(release_summary(first, written=not args.check), flush=True)
    return 0


def _release_notes(path: str | None) -> str:
    """The text of `--notes FILE` (empty without one)."""
    if not path:
        return ""
    try:
        return Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise PipelineError(f"cannot read the release notes: {exc}", file=Path(path)) from None


def cmd_build(args: argparse.Namespace) -> int:
    from .release.publish import build_sdk, smoke_test, twine_check

    out_dir = Path(args.outdir).resolve() if args.outdir else None
    builds = [build_sdk(api, out_dir=out_dir) for api in select_apis(args.api, _repo(args))]
    for built in builds:
        print(f"{built.api.name}: built {_shown(built.sdist)} and {_shown(built.wheel)}", flush=True)
    print(twine_check([f for b in builds for f in b.files]), flush=True)
    if not args.no_install:
        for built in builds:
            print(smoke_test(built), flush=True)
    return 0


def cmd_publish(args: argparse.Namespace) -> int:
    from .release.publish import publish

    if args.username or args.password:
        raise PipelineError(
            "credentials are never taken from the command line (they would show in `ps` and shell history)",
            hint="set TWINE_USERNAME and TWINE_PASSWORD in the environment, or store the password with keyring",
        )
    apis = select_apis(args.api, _repo(args))
    builds = publish(
        apis,
        repository_url=args.repository_url,
        simple_url=args.simple_url,
        out_dir=Path(args.outdir).resolve() if args.outdir else None,
    )
    for built in builds:
        print(f"{built.api.name}: published {built.sdist.name} and {built.wheel.name} to {args.repository_url}")
    return 0


def cmd_bench(args: argparse.Namespace) -> int:
    from .perf.bench import run

    return run(
        select_apis(args.api, _repo(args)),
        json_path=args.json,
        generation_runs=args.generation_runs,
        import_runs=args.import_runs,
        source_runs=args.source_runs,
        parse_repeats=args.parse_repeats,
        jobs=args.jobs,
        keep=args.keep,
        large_runs=args.large_runs,
        large_budget_s=args.large_budget,
        only_large=args.only_large,
    )


def cmd_scale(args: argparse.Namespace) -> int:
    from .perf.scale import run

    (api,) = select_apis([args.api], _repo(args))
    return run(api, factor=args.factor, json_path=args.json)


def cmd_reliability(args: argparse.Namespace) -> int:
    from .perf.reliability import run  # needs the generated packages on the path (`nox -s reliability`)

    return run(scale=args.scale)


def cmd_record(args: argparse.Namespace) -> int:
    from .testing.recorder import run_recorder  # needs the contract dependency group (vcrpy, hypothesis)

    return run_recorder(args.api, operations=args.operation, out=args.out, live=args.live)


def cmd_fixtures(args: argparse.Namespace) -> int:
    from .testing.contract import run_fixture_check

    return run_fixture_check(extra_fixtures=args.extra_fixtures, fixtures=args.fixtures)


def cmd_prism(args: argparse.Namespace) -> int:
    from .testing.mockserver import ensure_prism

    print(f"prism: {ensure_prism(_repo(args))}")
    return 0


COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {
    "generate": cmd_generate,
    "normalize": cmd_normalize,
    "verify-lock": cmd_verify_lock,
    "drift": cmd_drift,
    "update-specs": cmd_update_specs,
    "release": cmd_release,
    "build": cmd_build,
    "publish": cmd_publish,
    "bench": cmd_bench,
    "scale": cmd_scale,
    "reliability": cmd_reliability,
    "record": cmd_record,
    "fixtures": cmd_fixtures,
    "install-prism": cmd_prism,
}


# The nox session whose environment has what a command needs, for the commands no session of their own runs.
_SESSIONS = {
    "normalize": "generate",
    "verify-lock": "generate",
    "record": "contract",
    "fixtures": "contract",
    "install-prism": "contract",
}


def session_for(command: str) -> str:
    """The nox session that runs `command`, or whose environment has every package it needs."""
    return _SESSIONS.get(command, command.replace("-", "_"))


def _how_to_run(command: str) -> str:
    session = session_for(command)
    if command in _SESSIONS:
        return f"run `.nox/{session}/bin/sdkpipeline {command}`, in the environment `nox -s {session}` installs"
    return f"run it as `nox -s {session}` (arguments after `--`), which installs what it needs"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="sdkpipeline", description=__doc__)
    parser.add_argument("--root", help="the repository to work on (default: this checkout, or $SDKPIPELINE_ROOT)")
    sub = parser.add_subparsers(dest="command", required=True)
    gen = sub.add_parser("generate", help="regenerate SDKs (all APIs by default)")
    gen.add_argument("api", nargs="*", help="API names from specs/apis.toml (default: all)")
    gen.add_argument("--spec", help="generate from this spec file instead of a vendored one")
    gen.add_argument("--output", help="with --spec: the package directory to write (nothing is written outside it)")
    gen.add_argument("--dist-name", help="with --spec: the distribution name (default: from info.title)")
    gen.add_argument("--package", help="with --spec: the import package (default: from the distribution name)")
    gen.add_argument("--client-class", help="with --spec: the client class (default: from info.title)")
    gen.add_argument("--overrides", help="with --spec: the overrides file (default: overrides.yaml beside the spec)")
    gen.add_argument("--package-version", help="with --spec: the package's version (default: info.version)")
    gen.add_argument("--license", help="with --spec: the package's licence, an SPDX expression (default: none)")
    gen.add_argument("--license-file", help="with --spec: the licence text the package ships as LICENSE")
    gen.add_argument(
        "--url", action="append", metavar="LABEL=URL", help="with --spec: a project URL (Homepage=…); repeatable"
    )
    gen.add_argument(
        "-v", "--verbose", action="store_true", help="with --spec: also list the passes that found nothing to change"
    )
    gen.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="APIs generated in parallel")
    gen.add_argument(
        "--force",
        action="store_true",
        help="with --output: replace a non-empty folder that is no previous output (never one holding the spec)",
    )
    for field, flag in LIMIT_FLAGS.items():
        default = getattr(DEFAULT_LIMITS, field)
        gen.add_argument(flag, type=int, dest=field, metavar="N", help=f"refuse a spec over this (default {default:,})")
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
    rel = sub.add_parser(
        "release",
        help="release an SDK whose surface changed without a new vendor document: judge, bump, CHANGELOG, names",
        description=(
            "Compares the committed package with the last release's (the package as committed with the newest "
            "CHANGELOG entry, or --previous DIR) and, when its public surface changed, bumps the version by the "
            "worst change, writes a CHANGELOG entry listing the surface changes, regenerates and records the names."
        ),
    )
    rel.add_argument("api", nargs="*", help="API names (default: all)")
    rel.add_argument("--previous", help="the previous release's package directory (a generated/<dist> tree)")
    rel.add_argument("--check", action="store_true", help="report only, write nothing")
    rel.add_argument(
        "--notes", help="a Markdown file put at the top of the CHANGELOG entry: what changed and how to upgrade"
    )
    rel.add_argument(
        "--initial",
        action="store_true",
        help="the first release of a new API: its CHANGELOG's first entry at the registry's version, regenerated",
    )
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
    ben = sub.add_parser("bench", help="bare generator vs this pipeline: generation, import, parsing, drift (figures)")
    ben.add_argument("api", nargs="*", help="API names (default: all)")
    ben.add_argument("--json", type=Path, help="where to write the figures (default: .cache/bench/bench-results.json)")
    ben.add_argument("--generation-runs", type=int, default=3, help="runs per generation figure")
    ben.add_argument("--import-runs", type=int, default=7, help="fresh interpreters per import figure")
    ben.add_argument("--source-runs", type=int, default=3, help="fresh interpreters importing without .pyc")
    ben.add_argument("--parse-repeats", type=int, default=25, help="timing repeats per parsing figure")
    ben.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="parallel jobs of the pipeline")
    ben.add_argument("--keep", type=Path, help="work in this directory and keep it (default: a temporary one)")
    ben.add_argument(
        "--large-runs", type=int, default=7, help="at most this many alternating runs per large document (ours, bare)"
    )
    ben.add_argument(
        "--large-budget", type=float, default=20.0, help="seconds of runs per large document after which none starts"
    )
    ben.add_argument("--only-large", action="store_true", help="only the large documents (tests/data/corpus/large)")
    sca = sub.add_parser("scale", help="the pipeline on a spec multiplied N times: wall time, peak memory, visits")
    sca.add_argument("api", nargs="?", default="fungies", help="API name (default: fungies)")
    sca.add_argument("--factor", type=int, default=10, help="how many copies of every operation and schema")
    sca.add_argument("--json", type=Path, help="where to write the figures (default: .cache/scale/scale-results.json)")
    rel = sub.add_parser("reliability", help="the SDKs against a misbehaving local server: one table of outcomes")
    rel.add_argument("--scale", type=float, default=1.0, help="fraction of the requests and items (default 1)")
    rec = sub.add_parser("record", help="record the contract fixtures (against Prism; --live against the vendor)")
    rec.add_argument("api", nargs="*", help="APIs to record (default: all)")
    rec.add_argument("--operation", action="append", default=[], help="only this operationId (repeatable)")
    rec.add_argument("--out", type=Path, help="fixture root (default: tests/contract/fixtures)")
    rec.add_argument("--live", action="store_true", help="record against the vendor's API with real keys")
    fix = sub.add_parser("fixtures", help="fixture coverage per API, or check captured bodies (--extra-fixtures)")
    fix.add_argument("--extra-fixtures", type=Path, action="append", default=[], metavar="DIR")
    fix.add_argument("--fixtures", type=Path, help="fixture root (default: tests/contract/fixtures)")
    sub.add_parser("install-prism", help="install the pinned Prism mock server (npm ci) into .cache/prism")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    raise_on_sigterm()
    forget_written()
    try:
        args = build_parser().parse_args(argv)
    except KeyboardInterrupt:
        return interrupted()
    try:
        return COMMANDS[args.command](args)
    except PipelineError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return interrupted()
    except ModuleNotFoundError as exc:
        # The CLI is installed in every session's environment, each with only the packages its session needs.
        missing = (exc.name or "").partition(".")[0]
        if not missing or missing == __name__.partition(".")[0]:
            raise
        print(
            f"error: `sdkpipeline {args.command}` needs the Python package {missing!r}, which this environment "
            f"({sys.prefix}) does not have\n  hint: {_how_to_run(args.command)}",
            file=sys.stderr,
        )
        return 1
    except Exception as exc:
        if not caused_by_interrupt(exc):
            raise
        return interrupted()


if __name__ == "__main__":
    end(main())
