"""The release record: specs/<api>/CHANGELOG.md, one entry per SDK version, newest first.

Its newest entry names the version in `specs/apis.toml` and the sha256 in `specs/specs.lock`
(`check_release_records`, run with the drift check), so a vendored spec cannot change without a version
bump and an entry.
"""

from __future__ import annotations

import re

from ..spec.lock import LockEntry, load_lock
from ..spec.registry import Api
from .headlines import Headline, format_headlines, headlines
from .specdiff import Change, format_report
from .surface import SurfaceChange, format_surface

UPDATE_COMMAND = "nox -s update_specs"
RELEASE_COMMAND = "nox -s release"

_PREAMBLE = """\
# Changelog: {dist}

Releases of the `{dist}` SDK, generated from the {display} API description. Each entry opens with
one line per change, then gives the spec change report `{command}` wrote when it took a new vendor
document, with the changes to the SDK's public surface (names, signatures, model fields) beside it.
The version follows from the worse of the two: from 1.0, breaking → major, additive → minor,
anything else → patch; below 1.0, breaking → minor, anything else → patch. The newest entry records
the sha256 of the vendored spec it was made from; `nox -s drift` fails when that or its version
disagrees with `specs/specs.lock` and `specs/apis.toml`.
"""
_STAMP = "Vendored spec sha256 `{sha}`, retrieved {date}."
_ENTRY = re.compile(r"^## (?P<version>\S+)", re.MULTILINE)
_STAMPED_SHA = re.compile(r"sha256 `(?P<sha>[0-9a-f]{64})`")


def changelog_entry(
    changes: list[Change],
    *,
    api: Api,
    old_version: str,
    new_version: str,
    sha256: str,
    retrieved: str,
    surface: list[SurfaceChange] | None = None,
) -> str:
    """The report as a CHANGELOG entry: the new spec's sha256 under the heading, one line per change, specdiff's
    Markdown, and the SDK-surface changes after it (None: the surface was not compared, e.g. there was no previous
    package)."""
    report = format_report(changes, api=api.name, old_version=old_version, new_version=new_version)
    heading, _, rest = report.partition("\n")
    stamp = _STAMP.format(sha=sha256, date=retrieved) + _summary(headlines(changes, surface))
    if not changes:
        rest = rest.rstrip("\n") + (
            " The document's bytes changed outside what the SDK is built from (formatting, webhooks, error"
            " responses or unused schemas): a patch release.\n"
        )
    if surface is not None:
        rest = rest.rstrip("\n") + "\n\n" + format_surface(surface)
    return f"{heading}\n\n{stamp}\n{rest}"


def surface_entry(
    surface: list[SurfaceChange],
    *,
    api: Api,
    old_version: str,
    new_version: str,
    sha256: str,
    retrieved: str,
    notes: str = "",
) -> str:
    """A CHANGELOG entry for a release made without a new vendor document: the SDK surface changed.

    `notes` (the maintainer's Markdown: what changed and how to upgrade) go before the generated list."""
    stamp = _STAMP.format(sha=sha256, date=retrieved)
    summary = format_headlines(headlines([], surface))
    intro = (
        f"The {api.name} API description is unchanged since {old_version}; what the SDK makes of it changed "
        f"(`{RELEASE_COMMAND}`)."
    )
    written = f"{notes.strip()}\n\n" if notes.strip() else ""
    listed = f"{summary}\n" if summary else ""
    return f"## {new_version} ({api.name})\n\n{stamp}\n\n{intro}\n\n{written}{listed}{format_surface(surface)}"


def _summary(lines: list[Headline]) -> str:
    return f"\n\n{format_headlines(lines).rstrip()}" if lines else ""


def entry_summary(entry: str) -> list[str]:
    """The one-line-per-change bullets an entry opens with (`- breaking: …`), in order."""
    lines = entry.splitlines()
    start = next((i for i, line in enumerate(lines) if line.startswith("- ")), len(lines))
    out = []
    for line in lines[start:]:
        if not line.startswith("- "):
            break
        out.append(line[2:])
    return out


def initial_entry(api: Api, lock: LockEntry) -> str:
    """The first entry of a CHANGELOG: the version the registry has now, made from the locked spec."""
    stamp = _STAMP.format(sha=lock.sha256, date=lock.retrieved)
    line = f"- first release: `{api.dist_name}` {api.version}, generated from the {api.display_name} API description"
    return f"## {api.version} ({api.name})\n\n{stamp}\n\n{line}\n"


def prepend_entry(changelog: str | None, entry: str, *, api: Api) -> str:
    """The CHANGELOG with `entry` as its newest entry (a new file starts with the preamble)."""
    text = (
        changelog
        if changelog is not None
        else _PREAMBLE.format(dist=api.dist_name, display=api.display_name, command=UPDATE_COMMAND)
    )
    first = _ENTRY.search(text)
    if first is None:
        return text.rstrip("\n") + "\n\n" + entry
    return text[: first.start()] + entry + "\n" + text[first.start() :]


def newest_entry(changelog: str) -> tuple[str, str | None] | None:
    """(version, spec sha256) of the newest entry; None when there is no entry."""
    first = _ENTRY.search(changelog)
    if first is None:
        return None
    following = _ENTRY.search(changelog, first.end())
    body = changelog[first.end() : following.start() if following else len(changelog)]
    stamped = _STAMPED_SHA.search(body)
    return first.group("version"), stamped.group("sha") if stamped else None


# --- the drift check's release records ---------------------------------------------------------------------


def check_release_records(api: Api) -> list[str]:
    """Problems with the release record: the newest CHANGELOG entry must match the version and the lock."""
    changelog = api.changelog
    shown = api.repo.shown(changelog)
    fix = f"take vendor documents with `{UPDATE_COMMAND} -- {api.name} --source FILE_OR_URL` (it bumps and logs)"
    first = f"a new API's first release is `{RELEASE_COMMAND} -- {api.name} --initial` (it writes the first entry)"
    if not changelog.exists():
        return [f"{shown} is missing; {first}"]
    newest = newest_entry(changelog.read_text(encoding="utf-8"))
    if newest is None:
        return [f"{shown} has no `## <version>` entry; {first}"]
    version, stamped = newest
    problems = []
    if version != api.version:
        problems.append(f"{shown}: newest entry is {version}, but specs/apis.toml says {api.version}; {fix}")
    locked = load_lock(api.repo.lock_file).get(api.name)
    if locked is not None and stamped != locked.sha256:
        problems.append(
            f"{shown}: newest entry was made from spec sha256 {(stamped or 'none')[:12]}…, but the lock has "
            f"{locked.sha256[:12]}…: the vendored spec changed without a version bump and a CHANGELOG entry; {fix}"
        )
    return problems


def release_checks(api: Api) -> list[str]:
    """What the drift check adds for releases: the CHANGELOG/lock/registry agreement and the names record."""
    from ..normalize.record import check_names_record

    return check_release_records(api) + check_names_record(api)
