"""The overrides file (specs/<api>/overrides.yaml, or `overrides.yaml` beside an ad hoc spec): its schema and reader.

The schema is a set of pydantic models (normalize/overrides_schema.py; pydantic comes with openapi-python-client)
that forbid unknown keys, so a typo (`renames:` for `names:`, `resaon:` for `reason:`) is an error naming the key
and its line instead of an entry silently ignored. Every problem of the file is reported in one error. The README
("The overrides file") documents each key with an example.
"""

from __future__ import annotations

import difflib
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import PipelineError, raise_all
from ..spec.pointer import pointer
from ..spec.yamlio import lines_in, load_document
from .context import NamedLocation, Overrides, Patch
from .passes import REPAIR_PASSES
from .record import load_record, names_record_path

if TYPE_CHECKING:
    from .overrides_schema import OverridesFile

__all__ = ["load_overrides"]


def load_overrides(path: Path | None) -> Overrides:
    """Read the overrides file (every entry carries its reason) and the names record beside it."""
    if path is None or not path.exists():
        return Overrides(file=path, record=load_record(None if path is None else names_record_path(path)))
    data = load_document(path)
    parsed = _validated(data, path)
    patches = []
    for i, (raw, entry) in enumerate(zip(data.get("patches") or [], parsed.patches, strict=True)):
        ops = [op for op in ("set", "merge", "remove") if op in raw]
        if len(ops) != 1:
            where = pointer("patches", i)
            raise PipelineError(
                f"a patch needs exactly one of set, merge, remove (found {', '.join(ops) or 'none'})"
                f"{_at_line(path, where)}",
                file=path,
                where=where,
            )
        patches.append(Patch(entry.pointer, ops[0], raw[ops[0]], entry.reason, i))
    extra: dict[str, Any] = {}
    if parsed.extra_schemas:
        extra_path = path.parent / parsed.extra_schemas
        extra_doc = load_document(extra_path)
        extra = ((extra_doc.get("components") or {}).get("schemas")) or {}
        if not extra:
            raise PipelineError("no components/schemas in the extra schemas file", file=extra_path)
    return Overrides(
        file=path,
        patches=tuple(patches),
        names=tuple(NamedLocation(n.pointer, n.name, n.reason) for n in parsed.names),
        operation_names=dict(parsed.operation_names),
        keep_inline=frozenset(parsed.hoisting.keep_inline),
        extra_schemas=extra,
        record=load_record(names_record_path(path)),
        repairs=dict(parsed.repairs),
    )


def _validated(data: dict[str, Any], path: Path) -> OverridesFile:
    """The file read against its schema; every problem at once, each with its pointer and line."""
    # Imported when there is a file to read: building the schema's models took 0.013 s of every run's imports.
    from pydantic import ValidationError

    from .overrides_schema import OverridesFile

    found: list[tuple[list[str | int], str]] = []
    repairs = data.get("repairs")
    for name in sorted(repairs) if isinstance(repairs, dict) else ():
        if name not in REPAIR_PASSES:
            found.append((["repairs", name], f"no repair pass named '{name}'{_suggestion(str(name), REPAIR_PASSES)}"))
    try:
        parsed = OverridesFile.model_validate(data)
    except ValidationError as exc:
        found += [(list(error["loc"]), _message(error, list(error["loc"]))) for error in exc.errors()]
    if not found:
        return parsed
    problems = [(_line(path, loc), pointer(*loc), message) for loc, message in found]
    raise_all(
        [
            PipelineError(message + (f" at line {line}" if line else ""), file=path, where=where, hint=_HINT)
            for line, where, message in sorted(problems, key=lambda p: (p[0] or 0, p[1]))
        ]
    )
    raise AssertionError("unreachable: raise_all raised")


_HINT = 'the keys and an example of each are in the README, "The overrides file"'


def _message(error: Any, loc: list[str | int]) -> str:
    from .overrides_schema import TOP_KEYS, allowed_at

    kind, key = error["type"], loc[-1] if loc else ""
    if kind == "extra_forbidden":
        allowed = TOP_KEYS if len(loc) == 1 else allowed_at(loc)
        return f"unknown key '{key}'{_suggestion(str(key), allowed)}"
    if kind == "missing":
        return f"missing key '{key}'"
    if kind == "string_pattern_mismatch":
        wanted = "a method name or resource.method" if loc[:1] == ["operation_names"] else "a Python class name"
        return f"'{key}': {error.get('input')!r} is not {wanted}"
    shown = repr(error.get("input"))
    shown = shown if len(shown) <= 60 else shown[:57] + "..."
    return f"'{key}': {str(error['msg']).removeprefix('Value error, ')} (found {shown})"


def _suggestion(key: str, allowed: Any) -> str:
    close = difflib.get_close_matches(key, sorted(allowed), n=1)
    if close:
        return f": did you mean '{close[0]}'?"
    return f" (the keys here: {', '.join(sorted(allowed))})" if allowed else ""


def _at_line(path: Path, where: str) -> str:
    line = lines_in(path).get(where)
    return f" at line {line}" if line is not None else ""


def _line(path: Path, loc: list[str | int]) -> int | None:
    """The line of `loc`, or of the nearest entry around it that the file has (a missing key's entry)."""
    lines = lines_in(path)
    for end in range(len(loc), 0, -1):
        line = lines.get(pointer(*loc[:end]))
        if line is not None:
            return line
    return None
