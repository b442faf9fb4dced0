"""Taking a vendor's new API description: fetch, check, report, judge the SDK surface, bump, log, lock, regenerate.

The version covers both the spec change report and the SDK's public surface (release/surface.py): the SDK is
regenerated into a temporary directory and compared with the committed package, the previous release. One
update is all or nothing: the new spec, `specs/specs.lock`, the version in `specs/apis.toml`, the CHANGELOG
entry and the names record (`specs/<api>/names.yaml`) are written together and put back as they were when
anything fails (generation included; the generator swaps `generated/<dist>` in only when it succeeded).
Every function takes an `Api` of a `Repo`, so tests run the whole flow on a copy in a temporary directory.
A release without a new vendor document (the SDK changed) is made by `plan_surface_release` and
`apply_surface_release` (`nox -s release`); the first release of a new API by `plan_initial_release`
(`nox -s release -- <api> --initial`).

The CHANGELOG in `specs/<api>/CHANGELOG.md` is the release record: its newest entry names the version in
`specs/apis.toml` and the sha256 in `specs/specs.lock` (`check_release_records`, called by the drift
check), so a vendored spec cannot change without a version bump and an entry.
"""

from __future__ import annotations

import dataclasses
import datetime
import re
import subprocess
import tarfile
import tempfile
import tomllib
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from hashlib import sha256
from pathlib import Path

from ..errors import PipelineError
from ..normalize.record import extend_record, names_record_path
from ..spec.lock import LockEntry, load_lock, verify_spec, write_lock
from ..spec.registry import Api, select_apis
from ..spec.repo import Repo
from ..spec.yamlio import Document, parse_document
from .changelog import (
    RELEASE_COMMAND,
    UPDATE_COMMAND,
    changelog_entry,
    initial_entry,
    newest_entry,
    prepend_entry,
    surface_entry,
)
from .specdiff import Change, Severity, bump_version, diff_specs, overall_severity
from .surface import SurfaceChange, compare_packages, surface_severity

# A vendor document larger than this is not an API description (Fungies' is about 0.6 MB).
MAX_DOCUMENT_BYTES = 64 * 1024 * 1024
FETCH_TIMEOUT = 30.0


@dataclass
class SpecUpdate:
    """What taking a new vendor document means for one API (computed before anything is written)."""

    api: Api
    source: str
    url: str
    retrieved: str
    old_sha256: str
    new_sha256: str
    data: bytes = field(repr=False)
    changes: list[Change]
    old_version: str
    new_version: str
    entry: str  # the CHANGELOG entry, which is also the printed report
    written: list[Path] = field(default_factory=list)
    # What users import, previous package → regenerated one (None until compared: `--check` does not regenerate).
    surface: list[SurfaceChange] | None = None

    @property
    def changed(self) -> bool:
        return self.new_sha256 != self.old_sha256

    @property
    def spec_severity(self) -> Severity | None:
        return overall_severity(self.changes)

    @property
    def surface_severity(self) -> Severity | None:
        return surface_severity(self.surface or [])

    @property
    def severity(self) -> Severity | None:
        """The worse of the spec report's and the SDK surface's: the version covers both."""
        found = [s for s in (self.spec_severity, self.surface_severity) if s is not None]
        return min(found, key=[Severity.BREAKING, Severity.ADDITIVE, Severity.PATCH].index, default=None)


# --- fetching and checking --------------------------------------------------------------------------------


def is_url(source: str) -> bool:
    return source.startswith(("http://", "https://"))


def fetch_document(source: str, *, timeout: float = FETCH_TIMEOUT) -> bytes:
    """The bytes at an http(s) URL or in a local file, exactly as served (no decoding, no re-encoding)."""
    if not is_url(source):
        path = Path(source.removeprefix("file://")).expanduser()
        try:
            with path.open("rb") as stream:
                return _bounded(stream.read(MAX_DOCUMENT_BYTES + 1), source)
        except OSError as exc:
            raise PipelineError(f"cannot read the new document: {exc.strerror}", file=path) from None
    request = urllib.request.Request(source, headers={"User-Agent": "sdkpipeline (spec update)"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return _bounded(response.read(MAX_DOCUMENT_BYTES + 1), source)
    except urllib.error.HTTPError as exc:
        raise PipelineError(
            f"cannot fetch {source}: HTTP {exc.code} {exc.reason}",
            hint="check the URL; a document you downloaded yourself can be given as --source FILE",
        ) from None
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise PipelineError(
            f"cannot fetch {source}: {reason}",
            hint="check the URL and the network; a document you downloaded yourself can be given as --source FILE",
        ) from None


def _bounded(data: bytes, source: str) -> bytes:
    if len(data) > MAX_DOCUMENT_BYTES:
        raise PipelineError(f"{source} is larger than {MAX_DOCUMENT_BYTES // 2**20} MiB: not an API description")
    return data


def check_openapi(data: bytes, *, source: str) -> Document:
    """Parse the new document and reject what is not an OpenAPI 3.x description the pipeline can read."""
    # Imported here: the normalizer's checks are the same ones generation runs (OpenAPI 3.x, info and paths,
    # unique operationIds, resolvable $refs), so a document that passes them is one the pipeline takes.
    from ..normalize import check_document

    hint = "expected the vendor's OpenAPI 3.x description in YAML or JSON; nothing was written"
    file = None if is_url(source) else Path(source)
    try:
        doc = parse_document(data, file=file or Path("document"))
        check_document(doc, file=file)
    except PipelineError as exc:
        if file is not None:
            exc.hint = exc.hint or hint
            raise
        # A URL is no file name: name it in the message, with the line or JSON pointer after it.
        where = "" if not exc.where else exc.where if exc.where.startswith(":") else f"#{exc.where}"
        raise PipelineError(f"{source}{where}: {exc.message}", hint=exc.hint or hint) from None
    return doc


# --- planning ---------------------------------------------------------------------------------------------


def plan_update(
    api: Api,
    *,
    source: str | None = None,
    today: datetime.date | None = None,
) -> SpecUpdate:
    """Fetch and check the new document and work out the report, version and entry; writes nothing."""
    lock = load_lock(api.repo.lock_file)
    # The old side of the report must be the locked vendor document, not a hand-edited one.
    verify_spec(api, lock)
    entry = lock[api.name]
    origin = source or entry.url
    data = fetch_document(origin)
    new_sha = sha256(data).hexdigest()
    retrieved = (today or datetime.date.today()).isoformat()
    # A document taken from a file keeps the lock's URL: that is still where the vendor publishes it.
    url = origin if is_url(origin) else entry.url
    update = SpecUpdate(
        api=api,
        source=origin,
        url=url,
        retrieved=retrieved,
        old_sha256=entry.sha256,
        new_sha256=new_sha,
        data=data,
        changes=[],
        old_version=api.version,
        new_version=api.version,
        entry="",
    )
    if not update.changed:
        return update
    new_doc = check_openapi(data, source=origin)
    old_doc = parse_document(api.spec.read_bytes(), file=api.spec)
    update.changes = diff_specs(old_doc, new_doc)
    settle_version(update)
    return update


def settle_version(update: SpecUpdate) -> None:
    """The version and CHANGELOG entry from the spec report and (once compared) the SDK surface."""
    api = update.api
    # New bytes are a new package even when no change reaches the SDK's surface (formatting, webhooks,
    # error responses): at least a patch release, since an index never takes the same version twice.
    severity = update.severity or Severity.PATCH
    try:
        update.new_version = bump_version(api.version, severity)
    except ValueError as exc:
        raise PipelineError(str(exc), file=api.repo.registry_file, where=f"/{api.name}/version") from None
    update.entry = changelog_entry(
        update.changes,
        api=api,
        old_version=update.old_version,
        new_version=update.new_version,
        sha256=update.new_sha256,
        retrieved=update.retrieved,
        surface=update.surface,
    )


def set_registry_version(text: str, api: str, version: str, *, file: Path) -> str:
    """specs/apis.toml with `[api] version` set, every other byte (comments included) kept.

    Written by hand: no TOML writer that keeps comments is among the pipeline's pins, and this edits one
    line; re-parsing checks that nothing but that value changed.
    """
    lines = text.splitlines(keepends=True)
    table: str | None = None
    for number, line in enumerate(lines):
        header = re.fullmatch(r"\s*\[([^\[\]]+)\]\s*(#.*)?", line.rstrip("\n"))
        if header:
            table = header.group(1).strip()
        elif table == api and re.match(r"\s*version\s*=", line):
            lines[number] = re.sub(r'=\s*"[^"]*"', f'= "{version}"', line, count=1)
            break
    else:
        raise PipelineError(f"no `version` line in [{api}]", file=file, hint="every registry entry needs one")
    updated = "".join(lines)
    expected = tomllib.loads(text)
    expected[api]["version"] = version
    if tomllib.loads(updated) != expected:
        raise PipelineError(f"could not set [{api}] version without touching other values", file=file)
    return updated


# --- applying ---------------------------------------------------------------------------------------------


def apply_update(update: SpecUpdate, *, regenerate: bool = True) -> list[Path]:
    """Write the spec and lock, judge the regenerated SDK's surface against the previous package, then write the
    registry version and CHANGELOG and regenerate for real; on any failure restore every file."""
    from ..codegen.generate import generate_api  # the generator is heavy; planning and checks do not need it

    api = update.api
    repo = api.repo
    lock = load_lock(repo.lock_file)
    lock[api.name] = LockEntry(
        file=lock[api.name].file, url=update.url, retrieved=update.retrieved, sha256=update.new_sha256
    )
    changelog = api.changelog
    old_changelog = changelog.read_text(encoding="utf-8") if changelog.exists() else None
    record = names_record_path(api.overrides)
    files = [api.spec, repo.lock_file, repo.registry_file, changelog, record]
    with _restored_on_failure(files):
        _write_bytes(api.spec, update.data)
        write_lock(lock, repo.lock_file)
        if regenerate and (api.output_dir / api.package).is_dir():
            # The committed package is the previous release: what its users import is judged against the new one.
            update.surface = probe_surface(api, update.new_version)
            settle_version(update)
        registry_text = repo.registry_file.read_text(encoding="utf-8")
        repo.registry_file.write_text(
            set_registry_version(registry_text, api.name, update.new_version, file=repo.registry_file),
            encoding="utf-8",
        )
        changelog.write_text(prepend_entry(old_changelog, update.entry, api=api), encoding="utf-8")
        if regenerate:
            # The lock was just rewritten for these bytes; the generator swaps the package in only on success.
            released = dataclasses.replace(api, version=update.new_version)
            generate_api(released, check_lock=False)
            # The record keeps what this release published; only a breaking release drops names.
            extend_record(released, prune=update.severity is Severity.BREAKING)
    written = [*files]
    if regenerate:
        written += [api.normalized_spec, api.output_dir]
    update.written = written
    return written


def probe_surface(api: Api, version: str, *, workdir: Path | None = None) -> list[SurfaceChange]:
    """Generate the SDK from the current files into a temporary directory (or `workdir`, kept) and compare its
    surface with the committed package's; nothing in the repository is touched."""
    from ..codegen.generate import generate_api

    with tempfile.TemporaryDirectory(prefix=f"surface-{api.dist_name}-") as tmp:
        where = workdir or Path(tmp)
        fresh = where / api.dist_name
        probe = dataclasses.replace(api, version=version)
        generate_api(probe, output=fresh, normalized_out=where / "normalized.yaml", check_lock=False)
        return compare_packages(api.output_dir, fresh, api.package)


@contextmanager
def _restored_on_failure(paths: list[Path]) -> Iterator[None]:
    """Put every file back as it was (or remove it) when the block raises, Ctrl-C included."""
    saved = {path: path.read_bytes() if path.exists() else None for path in paths}
    try:
        yield
    except BaseException:
        for path, data in saved.items():
            if data is None:
                path.unlink(missing_ok=True)
            else:
                _write_bytes(path, data)
        raise


def _write_bytes(path: Path, data: bytes) -> None:
    """Replace a file in one rename, so an interruption never leaves half a spec."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(dir=path.parent, prefix=f".{path.name}.", delete=False) as tmp:
        tmp.write(data)
    Path(tmp.name).replace(path)


def update_spec(
    name: str,
    *,
    source: str | None = None,
    repo: Repo | None = None,
    today: datetime.date | None = None,
    write: bool = True,
) -> SpecUpdate:
    """The whole update for one API: plan it, and (when `write` and the document changed) apply it."""
    (api,) = select_apis([name], repo)
    update = plan_update(api, source=source, today=today)
    if update.changed and write:
        apply_update(update)
    return update


def summary(update: SpecUpdate, *, written: bool = True) -> str:
    """What a maintainer reads after an update: the report, the version and the files written."""
    name = update.api.name
    if not update.changed:
        return f"{name}: {update.source} is unchanged (sha256 {update.new_sha256[:12]}…); nothing written"
    severity = update.severity.value if update.severity else "no SDK-visible change"
    spec = update.spec_severity.value if update.spec_severity else "none"
    if update.surface is None:
        surface = "not compared" + (" (check only)" if not written else " (no previous package)")
    else:
        found = update.surface_severity.value if update.surface_severity else "none"
        surface = f"{found}, {len(update.surface)} change(s)"
    lines = [
        update.entry.rstrip("\n"),
        "",
        f"{name}: {update.old_version} → {update.new_version} ({severity}; {len(update.changes)} change(s))",
        f"  spec report: {spec}; SDK surface: {surface}",
        f"  from {update.source} (sha256 {update.old_sha256[:12]}… → {update.new_sha256[:12]}…)",
    ]
    if written:
        lines += [f"  wrote {update.api.repo.shown(path)}" for path in update.written]
    else:
        source = "" if update.source == update.url else f" --source {update.source}"
        lines.append(f"  nothing written (check only); take it with `{UPDATE_COMMAND} -- {name}{source}`")
    return "\n".join(lines)


# --- a release without a new vendor document --------------------------------------------------------------


@dataclass
class SurfaceRelease:
    """A release of what the SDK makes of an unchanged document: the surface changed (templates, passes, names)."""

    api: Api
    previous: str  # where the previous release's package was read from
    changes: list[SurfaceChange]
    old_version: str
    new_version: str
    entry: str
    written: list[Path] = field(default_factory=list)
    initial: bool = False  # the API's first release: there is no previous one


def plan_initial_release(api: Api) -> SurfaceRelease:
    """The first release of a new API: the first CHANGELOG entry, at the registry's version, made from the locked
    spec; refused when the API has been released already (its CHANGELOG has an entry)."""
    changelog = api.changelog
    if changelog.exists() and newest_entry(changelog.read_text(encoding="utf-8")) is not None:
        raise PipelineError(
            f"{api.name} has been released already",
            file=changelog,
            hint=f"release a new vendor document with `{UPDATE_COMMAND} -- {api.name}`, an SDK change with "
            f"`{RELEASE_COMMAND} -- {api.name}`",
        )
    lock = load_lock(api.repo.lock_file)
    if api.name not in lock:
        raise PipelineError(
            f"no lock entry for {api.name}",
            file=api.repo.lock_file,
            hint="add its file, url, retrieved date and sha256 (README: Adding a third API)",
        )
    verify_spec(api, lock)
    try:
        bump_version(api.version, None)  # the registry's version must be X.Y.Z for every later bump
    except ValueError as exc:
        raise PipelineError(str(exc), file=api.repo.registry_file, where=f"/{api.name}/version") from None
    entry = initial_entry(api, lock[api.name])
    return SurfaceRelease(api, "none (first release)", [], api.version, api.version, entry, initial=True)


def plan_surface_release(api: Api, previous: Path, *, shown_as: str, notes: str = "") -> SurfaceRelease:
    """Compare the committed package with the previous release's; the version and CHANGELOG entry that follow."""
    changes = compare_packages(previous, api.output_dir, api.package)
    release = SurfaceRelease(api, shown_as, changes, api.version, api.version, "")
    severity = surface_severity(changes)
    if severity is None:
        return release
    try:
        release.new_version = bump_version(api.version, severity)
    except ValueError as exc:
        raise PipelineError(str(exc), file=api.repo.registry_file, where=f"/{api.name}/version") from None
    locked = load_lock(api.repo.lock_file)[api.name]
    release.entry = surface_entry(
        changes,
        api=api,
        old_version=api.version,
        new_version=release.new_version,
        sha256=locked.sha256,
        retrieved=locked.retrieved,
        notes=notes,
    )
    return release


def apply_surface_release(release: SurfaceRelease) -> list[Path]:
    """Write the version and CHANGELOG entry, regenerate (the package carries both), record the names."""
    from ..codegen.generate import generate_api

    api = release.api
    repo = api.repo
    changelog = api.changelog
    old_changelog = changelog.read_text(encoding="utf-8") if changelog.exists() else None
    files = [repo.registry_file, changelog, names_record_path(api.overrides)]
    with _restored_on_failure(files):
        registry_text = repo.registry_file.read_text(encoding="utf-8")
        repo.registry_file.write_text(
            set_registry_version(registry_text, api.name, release.new_version, file=repo.registry_file),
            encoding="utf-8",
        )
        changelog.write_text(prepend_entry(old_changelog, release.entry, api=api), encoding="utf-8")
        released = dataclasses.replace(api, version=release.new_version)
        generate_api(released)
        extend_record(released, prune=surface_severity(release.changes) is Severity.BREAKING)
    release.written = [*files, api.normalized_spec, api.output_dir]
    return release.written


def previous_release_package(api: Api, into: Path) -> tuple[Path, str]:
    """The package as committed with the newest CHANGELOG entry (the last release), checked out into `into`."""
    root = api.repo.root
    changelog = api.changelog.relative_to(root).as_posix()
    package = api.output_dir.relative_to(root).as_posix()
    if not api.changelog.exists():
        raise PipelineError(
            f"{api.name} has no release yet ({changelog} is missing)",
            file=root,
            hint=f"make its first release with `{RELEASE_COMMAND} -- {api.name} --initial`",
        )
    commit = _git(root, "log", "-1", "--format=%H", "--", changelog).strip()
    if not commit:
        raise PipelineError(
            f"no commit has {changelog}: cannot tell which package was released last",
            file=root,
            hint="name the previous release's package directory with --previous DIR",
        )
    archive = into / "previous.tar"
    _git(root, "archive", "--format=tar", f"--output={archive}", commit, "--", package)
    with tarfile.open(archive) as tar:
        tar.extractall(into, filter="data")
    return into / package, f"{package} at {commit[:12]} (the commit of the newest {changelog} entry)"


def _git(root: Path, *args: str) -> str:
    try:
        proc = subprocess.run(["git", *args], cwd=root, capture_output=True, text=True, timeout=120, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise PipelineError(f"git {args[0]} failed: {exc}", file=root) from None
    if proc.returncode != 0:
        raise PipelineError(
            f"git {args[0]} failed: {proc.stderr.strip()}",
            file=root,
            hint="name the previous release's package directory with --previous DIR",
        )
    return proc.stdout


def release_summary(release: SurfaceRelease, *, written: bool) -> str:
    name = release.api.name
    if release.initial:
        done = (
            [f"  wrote {release.api.repo.shown(path)}" for path in release.written]
            if written
            else [f"  nothing written (check only); release it with `{RELEASE_COMMAND} -- {name} --initial`"]
        )
        return "\n".join([release.entry.rstrip("\n"), "", f"{name}: first release, {release.new_version}", *done])
    if not release.changes:
        return f"{name}: the SDK surface is the same as {release.previous}'s; nothing to release, nothing written"
    severity = surface_severity(release.changes)
    lines = [
        release.entry.rstrip("\n"),
        "",
        f"{name}: {release.old_version} → {release.new_version} ({severity.value if severity else 'none'}; "
        f"{len(release.changes)} SDK surface change(s) against {release.previous})",
    ]
    if written:
        lines += [f"  wrote {release.api.repo.shown(path)}" for path in release.written]
    else:
        lines.append(f"  nothing written (check only); release it with `nox -s release -- {name}`")
    return "\n".join(lines)
