"""Reading and writing spec documents with ruamel.yaml, with errors that name the file and line."""

from __future__ import annotations

import contextlib
import functools
import gc
import io
import json
import re
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.constructor import SafeConstructor
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.events import CollectionEndEvent, CollectionStartEvent, Event, MappingStartEvent, NodeEvent
from ruamel.yaml.nodes import MappingNode, ScalarNode
from ruamel.yaml.resolver import VersionedResolver

from ..errors import PipelineError
from .pointer import pointer

Document = dict[str, Any]

# Nesting levels a spec may have: the deepest real API stays far below. Checked on the parser's events
# before anything recursive (the C composer, which overflows the C stack near 50,000 levels, ruamel's
# constructors, deepcopy, json.dumps) sees the document.
MAX_DEPTH = 64


@dataclass(frozen=True)
class Limits:
    """How large a spec may be, checked on the file's size and the parser's events before anything is built.

    Generous for the largest public documents (Stripe's and GitHub's are about 7 and 11 MB; the longest
    scalar of the large corpus is 11 kB); `generate --max-… N` raises one.
    """

    document_bytes: int = 32 * 1024 * 1024
    scalar_chars: int = 1_000_000
    integer_digits: int = 1_000
    name_chars: int = 1_024


DEFAULT_LIMITS = Limits()
# What each limit is called on the command line (`sdkpipeline generate --max-scalar-chars N`).
LIMIT_FLAGS = {
    "document_bytes": "--max-document-bytes",
    "scalar_chars": "--max-scalar-chars",
    "integer_digits": "--max-integer-digits",
    "name_chars": "--max-name-chars",
}


class _OnceResolvedVersion(VersionedResolver):
    """ruamel's resolver, which looks up the YAML version of the document once instead of for every scalar.

    Its `processing_version` is a property that tries three attributes the C parser does not have, two of them
    through a raised AttributeError, on each of the hundreds of thousands of scalars of a large document (a fifth
    of the time to load a 10 MB spec). One loader reads one document, so its version is the same for every scalar.
    """

    @property
    def processing_version(self) -> Any:
        known = self.__dict__.get("_version_of_document")
        if known is None:
            known = self.__dict__["_version_of_document"] = VersionedResolver.processing_version.fget(self)  # type: ignore[attr-defined]
        return known


def _safe_yaml() -> YAML:
    # ruamel.yaml's C parser (ruamel.yaml.clib, pinned) reads the Fungies spec in 0.19 s instead of 1.26 s
    # with the same YAML 1.2 data; ruamel falls back to its pure-Python parser where clib is missing.
    yaml = YAML(typ="safe", pure=False)
    yaml.Resolver = _OnceResolvedVersion
    return yaml


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """The cyclic garbage collector off while the block runs, as it was after: while a document is read, what the
    parser makes stays alive (there is nothing to collect), but every full collection would walk all of it again
    (half the time to load a 10 MB spec). codegen/generate.py `_long_lived` pauses it the same way."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


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


class GivenDocument:
    """A document its caller has read, handed on to the run that normalizes it: `take` gives it once, and the caller
    keeps no other reference, so the command lets go of it once the child that normalizes it has forked (an ad hoc
    run reads the document first, for the package's name)."""

    def __init__(self, document: Document) -> None:
        self._document: Document | None = document

    def take(self) -> Document | None:
        document, self._document = self._document, None
        return document


def load_document(path: Path, *, limits: Limits = DEFAULT_LIMITS) -> Document:
    """Load a YAML or JSON document into plain dicts and lists (a file over the size limit is not read)."""
    try:
        size = path.stat().st_size
        if size > limits.document_bytes:
            raise _over_limit(limits, "document_bytes", f"the file is {size:,} bytes", file=path)
        data = path.read_bytes()
    except OSError as exc:
        raise PipelineError(f"cannot read: {exc.strerror}", file=path) from None
    return parse_document(data, file=path, limits=limits)


def parse_document(data: bytes, *, file: Path, max_depth: int = MAX_DEPTH, limits: Limits = DEFAULT_LIMITS) -> Document:
    """Parse YAML or JSON text, refusing nesting deeper than `max_depth` and anything over `limits` before
    building anything."""
    if len(data) > limits.document_bytes:
        raise _over_limit(limits, "document_bytes", f"the document is {len(data):,} bytes", file=file)
    if not data.strip():
        raise PipelineError("the file is empty", file=file, hint="expected an OpenAPI 3.x document in YAML or JSON")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise PipelineError(f"not UTF-8 text (byte {exc.start})", file=file) from None
    loaded = _loaded_json(text, max_depth=max_depth, limits=limits)
    try:
        if loaded is None:
            loaded = _loaded_yaml(text, file=file, max_depth=max_depth, limits=limits)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark
        where = f":{mark.line + 1}:{mark.column + 1}" if mark is not None else None
        raise PipelineError(f"not valid YAML: {exc.problem}", file=file, where=where) from None
    except YAMLError as exc:
        raise PipelineError(f"not valid YAML: {exc}", file=file) from None
    except RecursionError:
        # Only where ruamel.yaml.clib is missing: the pure-Python composer recurses per level.
        raise PipelineError("nesting is far too deep to be a reasonable spec", file=file) from None
    if not isinstance(loaded, dict):
        raise PipelineError(
            f"the document is a {type(loaded).__name__}, not a mapping",
            file=file,
            hint="expected an OpenAPI 3.x document",
        )
    return loaded


def _loaded_yaml(text: str, *, file: Path, max_depth: int, limits: Limits) -> Any:
    """The YAML text's data, its depth and limits checked first."""
    with collector_paused():
        check_nodes(text, file=file, max_depth=max_depth, limits=limits)
        loaded = _keeping_authors_text(_safe_yaml()).load(text)
    # Each of ruamel's loaders refers to itself: the two made here held their parsers and what those read (Asana's:
    # 18 MB) until a collection, which a run no longer makes over what it has read (codegen/generate.py
    # `_long_lived` freezes it). Collected now: only the young objects are walked.
    gc.collect(0)
    return loaded


class _NotPlainJson(Exception):
    """The text is no JSON document the fast path takes as it is (a repeated key, NaN)."""


def _loaded_json(text: str, *, max_depth: int, limits: Limits) -> Any:
    """A JSON document read by the json module (30 times faster than YAML's parser on a large one), or None when
    the text is not plain JSON within `max_depth` and `limits`: the YAML path then reads it, or reports where it
    fails and what is over a limit, with the line."""
    if not text.lstrip().startswith("{"):
        return None

    def unique(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        mapping = dict(pairs)
        if len(mapping) != len(pairs):
            raise _NotPlainJson  # YAML's parser names the repeated key and its line
        return mapping

    def refuse(constant: str) -> Any:
        raise _NotPlainJson  # NaN and Infinity are no JSON

    try:
        loaded = json.loads(text, object_pairs_hook=unique, parse_constant=refuse)
    except (ValueError, RecursionError, _NotPlainJson):
        return None
    stack: list[tuple[Any, int]] = [(loaded, 0)]
    while stack:
        node, depth = stack.pop()
        children = list(node.values()) if isinstance(node, dict) else node
        if children and depth + 1 > max_depth:
            return None  # too deep: the YAML path reports it, with the line
        if isinstance(node, dict) and _over_json_limits(node, limits):
            return None
        stack.extend((child, depth + 1) for child in children if isinstance(child, dict | list))
    return loaded


def _over_json_limits(mapping: dict[str, Any], limits: Limits) -> bool:
    """Whether a mapping of a JSON document has a name, a scalar or an integer over `limits` (check_nodes')."""
    for key, value in mapping.items():
        if len(key) > limits.name_chars:
            return True
        values = value if isinstance(value, list) else [value]
        for item in values:
            if isinstance(item, str) and len(item) > (
                limits.name_chars if key == "operationId" else limits.scalar_chars
            ):
                return True
            if isinstance(item, int) and not isinstance(item, bool) and len(str(abs(item))) > limits.integer_digits:
                return True
    return False


_STR_TAG = "tag:yaml.org,2002:str"
_MERGE_TAG = "tag:yaml.org,2002:merge"


class _AuthorsTextConstructor(SafeConstructor):
    """YAML's safe constructor, but what JSON cannot hold stays the text the author wrote.

    An OpenAPI document is JSON data: an unquoted `2024-01-31` (in an example or a default) is the string
    the author meant, not a `datetime.date` that no JSON serialiser takes; a mapping key is a string, so a
    response code written `200:` is "200", not the integer (which the generator's schema refuses).
    """

    def construct_yaml_timestamp(self, node: Any, values: Any = None) -> Any:
        return self.construct_scalar(node)

    def construct_mapping(self, node: Any, deep: bool = False) -> Any:
        if isinstance(node, MappingNode):
            for key_node, _ in node.value:
                if isinstance(key_node, ScalarNode) and key_node.tag not in (_STR_TAG, _MERGE_TAG):
                    key_node.tag = _STR_TAG  # a plain scalar key (200, true, null, 1.5) read as its text
        return super().construct_mapping(node, deep=deep)


_AuthorsTextConstructor.add_constructor("tag:yaml.org,2002:timestamp", _AuthorsTextConstructor.construct_yaml_timestamp)


def _keeping_authors_text(yaml: YAML) -> YAML:
    """`yaml` loading timestamps and mapping keys as the text the author wrote (JSON data, as OpenAPI is)."""
    yaml.Constructor = _AuthorsTextConstructor
    return yaml


def dump_document(doc: Document) -> str:
    """Serialise deterministically (key order as built, no flow style, no line re-wrapping)."""
    stream = io.StringIO()
    _writer().dump(doc, stream)
    return stream.getvalue()


def canonical_json(value: Any) -> str:
    """A stable text form of a schema, used as a structural key."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def too_deep(tokens: Sequence[str | int], *, max_depth: int, file: Path | None, line: int | None) -> PipelineError:
    """The one error for a document nested deeper than `max_depth`: names the component and the line."""
    where = pointer(*tokens[:3])
    at = f" at line {line}" if line is not None else ""
    return PipelineError(
        f"nested deeper than {max_depth} levels inside {where}{at}: not a reasonable spec",
        file=file,
        where=where,
        hint="flatten the nesting into named components (#/components/schemas/…) referenced by $ref",
    )


def lines_in(path: Path) -> dict[str, int]:
    """Every JSON pointer of a YAML or JSON file → the 1-based line where it starts (empty when unreadable).

    Read once per file version, for the errors of one run: a document with hundreds of problems is not parsed
    again for each of them.
    """
    try:
        stat = path.stat()
    except OSError:
        return {}
    return _line_index(path.resolve(), stat.st_mtime_ns, stat.st_size)


@functools.lru_cache(maxsize=4)
def _line_index(path: Path, mtime_ns: int, size: int) -> dict[str, int]:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return {}
    index: dict[str, int] = {}
    try:
        for node in _nodes(text):
            if not node.is_key:
                index[pointer(*(t for t in node.tokens() if t is not None))] = node.line
    except YAMLError:
        pass  # the lines of what parsed before the broken part
    return index


# A plain scalar YAML 1.2 reads as an integer: decimal (with `_` separators, as ruamel allows), octal, hex.
_INTEGER = re.compile(r"[-+]?(?:[0-9][0-9_]*|0o[0-7_]+|0x[0-9a-fA-F_]+)")


def check_nodes(text: str, *, file: Path, max_depth: int = MAX_DEPTH, limits: Limits = DEFAULT_LIMITS) -> None:
    """Refuse nesting deeper than `max_depth`, a scalar longer than the limit, an integer with more digits, a name
    (a mapping key, an operationId) longer than the limit: on the parser's events, in one walk, before Python values
    are built (the C composer overflows the C stack near 50,000 levels, a 5,000-digit integer would stop Python's int
    conversion, a 100 MB description be copied into the package). Nesting is reported first, wherever it is."""
    # Python refuses to convert integers of more than 4,300 digits unless told otherwise.
    if limits.integer_digits > sys.get_int_max_str_digits() > 0:
        sys.set_int_max_str_digits(limits.integer_digits)
    over: PipelineError | None = None
    for node in _nodes(text):
        if node.depth > max_depth and not node.is_key:
            tokens = [t for t in node.tokens() if t is not None]
            raise too_deep(tokens, max_depth=max_depth, file=file, line=node.line)
        value = getattr(node.event, "value", None)
        if over is not None or not isinstance(value, str):
            continue
        found: tuple[str, str] | None = None
        if (node.is_key or node.token == "operationId") and len(value) > limits.name_chars:
            found = "name_chars", f"a name of {len(value):,} characters"
        elif len(value) > limits.scalar_chars:
            found = "scalar_chars", f"a value of {len(value):,} characters"
        elif not getattr(node.event, "style", None) and _INTEGER.fullmatch(value):  # a plain scalar
            digits = len(re.sub(r"^[-+]?(0[ox])?|_", "", value))
            if digits > limits.integer_digits:
                found = "integer_digits", f"an integer of {digits:,} digits"
        if found is not None:
            tokens = [t for t in node.tokens() if t is not None] + (
                [value] if found[0] == "name_chars" and node.is_key else []
            )
            over = _over_limit(limits, found[0], found[1], file=file, where=pointer(*tokens), line=node.line)
    if over is not None:
        raise over


def _over_limit(
    limits: Limits, limit: str, found: str, *, file: Path, where: str | None = None, line: int | None = None
) -> PipelineError:
    """The one error for an input over a limit: what was found, where, the limit, and the flag that raises it."""
    at = f" at line {line}" if line is not None else ""
    return PipelineError(
        f"{found}{at}, over the limit of {getattr(limits, limit):,}: not a reasonable spec",
        file=file,
        where=where,
        hint=f"if the document is right, raise the limit: `generate {LIMIT_FLAGS[limit]} N`",
    )


@dataclass
class _Frame:
    """An open collection while walking parser events: the pointer token the next node in it gets."""

    token: str | None  # this collection's token in its parent (None for the root and for complex keys)
    mapping: bool
    is_key: bool = False  # a complex mapping key (`? [a, b]`): not part of any pointer
    expecting_key: bool = True
    key: str | None = None
    key_line: int = 0  # 1-based line of the current key: an entry's line is its key's
    index: int = 0

    def child_token(self) -> str | None:
        if self.mapping:
            return None if self.expecting_key else self.key
        return str(self.index)

    def completed(self, *, was_key: bool, key: str, line: int) -> None:
        if not self.mapping:
            self.index += 1
        elif was_key:
            self.key, self.key_line, self.expecting_key = key, line, False
        else:
            self.expecting_key = True


@dataclass
class _Node:
    """A node's start event and where it sits in the document."""

    event: Event
    parents: list[_Frame]  # the open collections around it, outermost first
    token: str | None  # None for the root and for mapping keys, which are not nodes of their own
    is_key: bool

    @property
    def depth(self) -> int:
        return len(self.parents)

    @property
    def line(self) -> int:
        """Where the node starts; for a mapping's value, where its key is (as an editor shows the entry)."""
        parent = self.parents[-1] if self.parents else None
        if parent is not None and parent.mapping and not self.is_key:
            return parent.key_line
        return int(self.event.start_mark.line) + 1

    def tokens(self) -> list[str | None]:
        return [*(frame.token for frame in self.parents[1:]), self.token]


def _nodes(text: str) -> Iterator[_Node]:
    """Each node's start event with the pointer tokens around it, from the parser's event stream.

    Iterative, so any depth: libyaml's parser is a state machine, and nothing here recurses.
    """
    parents: list[_Frame] = []
    for event in _safe_yaml().parse(text):
        if isinstance(event, CollectionEndEvent):
            done = parents.pop()
            if parents:
                parents[-1].completed(was_key=done.is_key, key="?", line=int(event.start_mark.line) + 1)
            continue
        if not isinstance(event, NodeEvent):
            continue
        parent = parents[-1] if parents else None
        is_key = parent is not None and parent.mapping and parent.expecting_key
        token = parent.child_token() if parent is not None else None
        value = str(getattr(event, "value", ""))
        yield _Node(event, parents, token, is_key)
        if isinstance(event, CollectionStartEvent):
            parents.append(_Frame(token, isinstance(event, MappingStartEvent), is_key))
        elif parent is not None:
            parent.completed(was_key=is_key, key=value, line=int(event.start_mark.line) + 1)
