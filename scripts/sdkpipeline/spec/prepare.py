"""Before normalizing: a Swagger 2.0 document is converted to OpenAPI 3.0, a document split over several files is
bundled into one.

Both are done by well-kept npm tools, pinned in scripts/convert/package.json and package-lock.json and installed
by `npm ci` into .cache/convert (as Prism is for the tests): swagger2openapi converts, Redocly CLI bundles. The
document they make is written beside the cache (`.cache/convert/<sha256>/<name>.openapi.yaml`), so every error
names a file and a line the user can open; what was taken is said in `Prepared.steps`, which the normalized
spec's header records. A document that is already one OpenAPI 3.x file is read as it is, without Node.

A reference is followed only into files inside the folder of the document that names it first (its root): a
`$ref` to a URL or outside that tree is refused before any tool runs, so bundling never reads the network or
the rest of the machine.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from ..errors import PipelineError, raise_all
from .npm import locked, npm_ci, pin_installed
from .pointer import pointer, references
from .repo import Repo
from .yamlio import DEFAULT_LIMITS, Document, Limits, dump_document, load_document

__all__ = ["TOOLS", "Prepared", "external_files", "prepare_spec"]

# The pinned tools (scripts/convert/package.json): package → version. The lock pins their dependencies.
TOOLS = {"swagger2openapi": "7.0.8", "@redocly/cli": "2.77.0"}
_TOOL_TIMEOUT = 300.0
# Neither tool may call home: Redocly's telemetry and update notice are off, and so is npm's.
_QUIET = {
    "REDOCLY_TELEMETRY": "off",
    "REDOCLY_SUPPRESS_UPDATE_NOTICE": "true",
    "REDOCLY_SUPPRESS_NOTIFICATIONS": "true",
    "DO_NOT_TRACK": "1",
    "NO_UPDATE_NOTIFIER": "1",
}


@dataclass(frozen=True)
class Prepared:
    """The OpenAPI 3.x document the normalizer reads, the file it is in, and how it was made from the spec."""

    document: Document
    file: Path
    steps: tuple[str, ...] = ()


def prepare_spec(
    spec: Path, *, repo: Repo, limits: Limits = DEFAULT_LIMITS, document: Document | None = None
) -> Prepared:
    """`spec` as one OpenAPI 3.x document: converted from Swagger 2.0 and bundled from its files when needed (each
    file read within `limits`; `document`: `spec` as the caller already read it, within `limits`, not read again)."""
    doc = load_document(spec, limits=limits) if document is None else document
    files = external_files(doc, spec, limits=limits)
    is_swagger = str(doc.get("swagger", "")).startswith("2") and "openapi" not in doc
    if not files and not is_swagger:
        return Prepared(doc, spec)
    key = _inputs_key(spec, files, repo)
    out_dir = repo.cache / "convert" / key
    out = out_dir / f"{spec.stem}.prepared.yaml"
    steps = []
    if files:
        steps.append(f"bundled from {len(files) + 1} files by @redocly/cli {TOOLS['@redocly/cli']}")
    if is_swagger:
        steps.append(f"converted from Swagger {doc['swagger']} by swagger2openapi {TOOLS['swagger2openapi']}")
    if not out.is_file():
        tools = _ensure_tools(repo)
        with tempfile.TemporaryDirectory(prefix="convert.") as work:
            current = spec
            if files:
                current = Path(work) / "bundled.json"
                _run(tools, "redocly", ["bundle", str(spec), "--output", str(current)], output=current, spec=spec)
            if is_swagger:
                # The tool reads JSON our loader wrote, so dates and keys stay the text the author wrote.
                source = Path(work) / "swagger.json"
                source.write_text(
                    json.dumps(load_document(current, limits=limits), ensure_ascii=False), encoding="utf-8"
                )
                current = Path(work) / "converted.json"
                _run(
                    tools,
                    "swagger2openapi",
                    ["--patch", "--outfile", str(current), str(source)],
                    output=current,
                    spec=spec,
                )
            converted = load_document(current, limits=limits)
            out_dir.mkdir(parents=True, exist_ok=True)
            header = f"# {spec.name}, {'; '.join(steps)} (.cache/convert: made again when the inputs change)\n"
            tmp = out.with_suffix(".tmp")
            tmp.write_text(header + dump_document(converted), encoding="utf-8")
            os.replace(tmp, out)
    return Prepared(load_document(out, limits=limits), out, tuple(steps))


def external_files(doc: Document, spec: Path, *, limits: Limits = DEFAULT_LIMITS) -> list[Path]:
    """Every other file the document refers to, directly or through another one (refused when one is a URL or
    lies outside the spec's folder)."""
    root = spec.resolve().parent
    seen: dict[Path, None] = {}
    problems: list[PipelineError] = []
    queue: list[tuple[Document, Path]] = [(doc, spec.resolve())]
    while queue:
        node, file = queue.pop(0)
        for tokens, holder in references(node):
            target = _file_of(str(holder["$ref"]), file, root, where=pointer(*tokens, "$ref"), problems=problems)
            if target is None or target in seen or target == spec.resolve():
                continue
            seen[target] = None
            loaded = load_document(target, limits=limits) if target.is_file() else None
            if loaded is None:
                problems.append(
                    PipelineError(
                        f"$ref '{holder['$ref']}' points into another file, which does not exist",
                        file=file,
                        where=pointer(*tokens, "$ref"),
                        hint="a document split over several files is bundled: keep every file of it beside it",
                    )
                )
                continue
            queue.append((loaded, target))
    raise_all(problems)
    return list(seen)


def _file_of(ref: str, file: Path, root: Path, *, where: str, problems: list[PipelineError]) -> Path | None:
    """The file a `$ref` points into (None for a reference inside its own file)."""
    parts = urlsplit(ref)
    if parts.scheme or parts.netloc:
        problems.append(
            PipelineError(
                f"$ref '{ref}' points to a URL: the pipeline reads no network",
                file=file,
                where=where,
                hint="download the referenced file beside the spec and refer to it by its relative path",
            )
        )
        return None
    if not parts.path:
        return None
    target = (file.parent / unquote(parts.path)).resolve()
    if not target.is_relative_to(root):
        problems.append(
            PipelineError(
                f"$ref '{ref}' points outside the spec's folder ({root})",
                file=file,
                where=where,
                hint="keep every file of the document in the spec's folder or below it",
            )
        )
        return None
    return target


def _inputs_key(spec: Path, files: list[Path], repo: Repo) -> str:
    """A digest of everything the prepared document depends on: the files, their names, the pinned tools."""
    digest = hashlib.sha256()
    lock = repo.convert_pin / "package-lock.json"
    digest.update(lock.read_bytes() if lock.is_file() else b"")
    root = spec.resolve().parent
    for path in [spec.resolve(), *sorted(files)]:
        digest.update(str(path.relative_to(root)).encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:32]


def _run(tools: Path, name: str, args: list[str], *, output: Path, spec: Path) -> None:
    """Run one pinned tool, which writes `output`; its complaints are reported against the user's `spec`."""
    executable = tools / "node_modules" / ".bin" / name
    with tempfile.TemporaryDirectory(prefix=f"{name}.") as cwd:  # no config file of the caller's is read
        try:
            done = subprocess.run(
                [str(executable), *args],
                cwd=cwd,
                env={**os.environ, **_QUIET},
                capture_output=True,
                text=True,
                timeout=_TOOL_TIMEOUT,
                check=False,
            )
        except subprocess.TimeoutExpired:
            raise PipelineError(f"{name} did not finish within {_TOOL_TIMEOUT:.0f} s", file=spec) from None
    if done.returncode != 0 or not output.is_file():
        said = [line for line in (done.stderr + done.stdout).splitlines() if line.strip() and "║" not in line]
        raise PipelineError(
            f"{name} could not read the document (exit {done.returncode}):\n  " + "\n  ".join(said[-12:]),
            file=spec,
            hint="fix the document where the tool says; nothing was written",
        )


def _ensure_tools(repo: Repo) -> Path:
    """The pinned tools installed in .cache/convert (by `npm ci` from the committed lock) unless they are there."""
    pin = repo.convert_pin
    install = repo.cache / "convert" / "tools"
    with locked(install.parent / "tools.lock"):
        if not pin_installed(install, pin, TOOLS):
            npm_ci(install, pin, what="the document conversion tools", node="20.19 or later")
            if not pin_installed(install, pin, TOOLS):
                tools = ", ".join(f"{name} {version}" for name, version in TOOLS.items())
                raise PipelineError(
                    f"`npm ci` finished but {install} does not hold {tools}",
                    file=pin / "package.json",
                    hint=f"delete {install} and retry; check that the pin lists those versions",
                )
        return install
