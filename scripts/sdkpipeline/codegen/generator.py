"""Codegen's side of openapi-python-client: everything the SDK model and the build use of it, typed.

Only the generator's public names are used (`Project`, `Config`, `GeneratorData`, the parsed `Endpoint`
and property objects), imported from `sdkpipeline.upstream`, the one module that imports the generator (the
normalizer reads its naming rules there too); tests/codegen/test_generator.py exercises every attribute this
module and codegen/model.py read.
"""

from __future__ import annotations

import contextlib
import copy
import hashlib
import io
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2
from jinja2 import Environment, FileSystemBytecodeCache, Template

from ..errors import PipelineError, raise_all
from ..normalize.generator_rules import FIELD_PREFIX
from ..normalize.media import raw_media_overrides
from ..spec.pointer import component_name, find, pointer, references
from ..spec.pointer import parse as parse_pointer
from ..upstream import (
    GENERATOR_VERSION,
    AnyProperty,
    BooleanProperty,
    Config,
    ConfigFile,
    ConstProperty,
    DateProperty,
    DateTimeProperty,
    Endpoint,
    EnumProperty,
    ErrorLevel,
    FileProperty,
    FloatProperty,
    GeneratorData,
    GeneratorError,
    IntProperty,
    ListProperty,
    MetaType,
    ModelProperty,
    NoneProperty,
    OpenAPI,
    Project,
    Property,
    Reference,
    Schema,
    StringProperty,
    UnionProperty,
    UntrustedString,
    UuidProperty,
    Value,
    endpoint_parser,
    strings,
)
from . import escape
from .headers import with_header

__all__ = [
    "GENERATOR_VERSION",
    "AnyProperty",
    "BooleanProperty",
    "ConstProperty",
    "DateProperty",
    "DateTimeProperty",
    "Endpoint",
    "EnumProperty",
    "FileProperty",
    "FloatProperty",
    "GeneratorData",
    "IntProperty",
    "ListProperty",
    "ModelProperty",
    "NoneProperty",
    "Parsed",
    "Property",
    "StringProperty",
    "UnionProperty",
    "UuidProperty",
    "build",
    "identifier",
    "judge",
    "parse",
    "rename_endpoint",
    "rename_property",
    "rename_tag_modules",
    "untrusted_text",
]


@dataclass(frozen=True)
class Parsed:
    """The generator's reading of a normalized spec, and the project that renders it."""

    data: GeneratorData
    project: Project

    def endpoints(self) -> Iterator[tuple[str, Endpoint]]:
        """(tag module name, endpoint) for every operation the generator parsed."""
        for tag, collection in self.data.endpoint_collections_by_tag.items():
            for endpoint in collection.endpoints:
                yield str(tag), endpoint

    def models_by_class(self) -> dict[str, ModelProperty]:
        """Every model the generator made, by class name, with its fields (a reference to it may lack them)."""
        return {str(model.class_info.name): model for model in self.data.models}

    def problems(self) -> list[GeneratorError]:
        """What the generator could not parse (it would drop the endpoint or schema and carry on)."""
        found: list[GeneratorError] = list(self.data.errors)
        for collection in self.data.endpoint_collections_by_tag.values():
            found.extend(collection.parse_errors)
        return found


def untrusted_text(value: object) -> str:
    """The text of one of the generator's UntrustedString values (or of a plain string)."""
    return escape.text_of(value)


def _exact_string_value(cls: type, value: Any) -> Value | None:
    """A string default or const as the literal that equals it.

    The generator's own (parser/properties/string.py `convert_value`) is `repr(remove_string_escapes(value))`:
    escaped twice, so `a"b` became the code for `a\\"b` and the SDK sent that. Every string Value the
    generator makes (a string's, a const's, an untyped schema's or a union member's default) is made here.
    """
    if value is None or isinstance(value, Value):
        return value
    text = value if isinstance(value, str) else str(value)
    return Value(python_code=strings.PythonCode(escape.py_str(text)), raw_value=text)


def _exact_any_value(cls: type, value: Any) -> Value | None:
    """The default of an untyped schema: a string as above, any other JSON value as the Python that equals it
    (the generator's `str(value)` printed `inf` for an infinite float)."""
    if value is None or isinstance(value, str | Value):
        return _exact_string_value(cls, value)
    return Value(python_code=strings.PythonCode(escape.py_value(value)), raw_value=value)


_escaped_enum_values = EnumProperty.values_from_list


def _exact_enum_values(values: list[str] | list[int], class_info: Any, var_names: list[str]) -> dict[str, Any]:
    """An enum's members and their values as the document has them.

    The generator keeps each string value as `in_double_quote_literal(value)`, text escaped for a `"..."`
    with control characters dropped, so a value with a quote was printed escaped twice and sent changed.
    Its member names (and its refusal of two values that make one) are kept.
    """
    members = _escaped_enum_values(values, class_info, var_names)
    return dict(zip(members, values, strict=True))


def _copy_endpoint(value: Any, memo: dict[int, Any] | None = None) -> Any:
    """The generator's `deepcopy` of an endpoint (parser/openapi.py), as a copy of what its methods change.

    `_add_responses`, `add_parameters` and `sort_parameters` each deep-copied the endpoint before adding to it: the
    last two with its responses, bodies and the OpenAPI objects their properties were read from (70% of parsing a
    large document: Jira 1.9 s of 2.5 s, Asana 0.8 s of 1.05 s), to protect an endpoint nobody else holds (each
    caller replaces it by the copy). The copy here has its own lists, set and responses, the containers those
    methods append to, sort or assign, and shares the properties: every parameter is a property of its own
    endpoint, and the later renames (the generator's for clashing parameters, settle_names) give a property the
    same name whichever holder they reach it through (tests/codegen/test_endpoint_copies.py builds packages
    either way and compares them). Anything but an endpoint is deep-copied as before.
    """
    if not isinstance(value, Endpoint):
        return copy.deepcopy(value, memo)
    endpoint = copy.copy(value)
    endpoint.relative_imports = set(value.relative_imports)
    endpoint.query_parameters = list(value.query_parameters)
    endpoint.path_parameters = list(value.path_parameters)
    endpoint.header_parameters = list(value.header_parameters)
    endpoint.cookie_parameters = list(value.cookie_parameters)
    endpoint.responses = copy.copy(value.responses)
    endpoint.responses.patterns = list(value.responses.patterns)
    endpoint.bodies = list(value.bodies)
    endpoint.errors = list(value.errors)
    return endpoint


# The generator's own (parser/openapi.py: `from copy import deepcopy`), for the tests that compare the two.
GENERATORS_ENDPOINT_COPY = copy.deepcopy
# Class attributes, set once: every property class calls these (const.py, union.py, any.py call StringProperty's
# by name; EnumProperty.build its own), so no value is ever made the old way.
setattr(StringProperty, "convert_value", classmethod(_exact_string_value))  # noqa: B010
setattr(AnyProperty, "convert_value", classmethod(_exact_any_value))  # noqa: B010
setattr(EnumProperty, "values_from_list", staticmethod(_exact_enum_values))  # noqa: B010
setattr(endpoint_parser, "deepcopy", _copy_endpoint)  # noqa: B010


def identifier(name: str) -> str:
    """The generator's Python identifier for a name (module, function and argument names)."""
    return str(strings.PythonIdentifier(name, FIELD_PREFIX))


def parse(
    document: Mapping[str, Any],
    *,
    document_file: Path,
    output: Path,
    dist_name: str,
    package: str,
    version: str,
    templates: Path,
    spec_path: Path,
    pending: Sequence[PipelineError] = (),
) -> Parsed:
    """Parse a normalized spec with our settings; errors are reported against the user's `spec_path`, after
    the normalizer's `pending` problems."""
    config = Config.from_sources(
        ConfigFile(
            project_name_override=dist_name,
            package_name_override=package,
            package_version_override=version,
            post_hooks=[],  # the pipeline runs the pinned ruff itself, once
            field_prefix=FIELD_PREFIX,
            literal_enums=False,
            # A schema's `title` is its class name as it stands: the normalizer titles the classes a user
            # meets (`OrderUpdateParams`, normalize/passes/sdk.py name_sdk_classes), inline ones too.
            use_path_prefixes_for_title_model_names=False,
            # Bodies and responses the normalizer made raw bytes in a media type the generator does not know.
            content_type_overrides=raw_media_overrides(dict(document)),
        ),
        meta_type=MetaType.UV,
        document_source=document_file,
        file_encoding="utf-8",
        overwrite=True,
        output_path=output,
    )
    data = GeneratorData.from_dict(dict(document), config=config)
    if isinstance(data, GeneratorError):
        raise_all([*pending, *rejection(data, document, spec_path)])
        raise AssertionError("unreachable: rejection() names at least one problem")
    _keep_the_body_argument_free(data, config)
    project = Project(openapi=data, config=config, custom_template_path=templates)
    escape.install(project.env)  # every template prints spec text through codegen/escape.py
    # The generator gives the endpoint template a global of its own (`isbool`, which no template reads); the template
    # it imports its macros from lacks it, and Jinja then made that module again for each endpoint module instead of
    # once (Kubernetes apps: 77 times). Every template has it now, and the import is made once.
    project.env.globals.setdefault("isbool", lambda prop: prop.get_base_type_string() == strings.PythonCode("bool"))
    return Parsed(data=data, project=project)


_HEADER = "_file_header"


class _HeadedTemplate(Template):
    """A template rendered whole is a file of the package: the header comes first (codegen/headers.py), written
    with the file instead of read back and rewritten after ruff (1,300 files for Jira: 0.3 s)."""

    def render(self, *args: Any, **kwargs: Any) -> str:
        text = super().render(*args, **kwargs)
        header = self.environment.globals.get(_HEADER)
        return with_header((self.name or "").removesuffix(".jinja"), header, text) if isinstance(header, str) else text


def install_header(env: Environment, header: str) -> None:
    """Every file rendered from `env` from now on starts with `header` (a macro or an include is not a file, and
    is not rendered whole)."""
    env.template_class = _HeadedTemplate
    env.globals[_HEADER] = header
    if env.cache is not None:  # a template loaded before would keep the plain class
        env.cache.clear()


def install_bytecode_cache(env: Environment, directory: Path) -> None:
    """Keep the templates `env` compiles in `directory` between runs (the repository's `.cache/jinja`).

    Without it every run compiles its 37 templates anew: 0.08 s of the 0.7 s a small document takes. Jinja keys each
    entry by the template's file and checks it against the source, so an edited template is compiled again. The
    folder is named after Jinja's version and the options its compiled code depends on. What can write there can
    write the templates themselves, so the cache is trusted no less than they are. Where the folder cannot be made
    (a read-only checkout), templates are compiled each run, as before.
    """
    options = (
        jinja2.__version__,
        env.block_start_string,
        env.block_end_string,
        env.variable_start_string,
        env.variable_end_string,
        env.comment_start_string,
        env.comment_end_string,
        env.line_statement_prefix,
        env.line_comment_prefix,
        env.trim_blocks,
        env.lstrip_blocks,
        env.newline_sequence,
        env.keep_trailing_newline,
        tuple(sorted(env.extensions)),
        env.optimized,
        env.autoescape if isinstance(env.autoescape, bool) else "callable",
        env.finalize is not None,
    )
    folder = directory / hashlib.sha256(repr(options).encode("utf-8")).hexdigest()[:16]
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return
    env.bytecode_cache = FileSystemBytecodeCache(str(folder))


def _keep_the_body_argument_free(data: GeneratorData, config: Config) -> None:
    """A parameter named `body` beside a request body becomes `body_<location>` in the endpoint function.

    The generator sets aside only `client` and `url` (parser/openapi.py `_check_parameters_for_conflicts`),
    so a query parameter `body` made `def sync(..., body: Thing, body: str)`: a SyntaxError. The wire
    name stays `body`.
    """
    for collection in data.endpoint_collections_by_tag.values():
        for endpoint in collection.endpoints:
            for location, prop in endpoint.iter_all_parameters() if endpoint.bodies else ():
                if prop.python_name == "body":
                    prop.set_python_name(UntrustedString(f"body_{location.value}"), config)


def rename_property(prop: Property, name: str, config: Config) -> None:
    """Give a parsed property another Python name (its wire name stays), as the generator's own renames do."""
    if name != str(prop.python_name):
        prop.set_python_name(UntrustedString(name), config, skip_snake_case=True)


def rename_endpoint(endpoint: Endpoint, name: str, config: Config) -> None:
    """Give a parsed endpoint another function module name (its operationId stays in the spec)."""
    endpoint.name = strings.PythonIdentifier(name, config.field_prefix, skip_snake_case=True)


def rename_tag_modules(data: GeneratorData, names: Mapping[str, str], config: Config) -> None:
    """Give the tags' packages (`api/<tag>/`) other names, in place: the generator's project holds this dict."""
    tags = data.endpoint_collections_by_tag
    renamed = {
        strings.PythonIdentifier(names[str(tag)], config.field_prefix, skip_snake_case=True): c
        for tag, c in tags.items()
    }
    tags.clear()
    tags.update(renamed)


def build(parsed: Parsed) -> Sequence[GeneratorError]:
    """Render the generator's own files (models, endpoint modules, client, pyproject, README).

    Returns what building added to the parse problems (which it reports again)."""
    known = {id(problem) for problem in parsed.problems()}
    # The generator prints "Generating <temporary dir>"; our CLI reports the result itself.
    with contextlib.redirect_stdout(io.StringIO()):
        return [error for error in parsed.project.build() if id(error) not in known]


# The generator's headers (parser/openapi.py EndpointCollection.from_data, properties/schemas.py).
_ENDPOINT = re.compile(
    r"^WARNING parsing (?P<method>[A-Z]+) (?P<path>\S+) within .*?\.(?P<dropped> Endpoint will not)?"
)
_RESPONSE = re.compile(r"^Cannot parse response for status code (?P<status>\S+)")
_SCHEMA = re.compile(r"Unable to (?:parse|process) schema (?:/components/schemas/)?(?P<name>[^\s:]+)")
_BODY_ALTERNATIVE = re.compile(r"^(Unsupported content type|Invalid content type|Missing schema)")


def rejection(error: GeneratorError, document: Mapping[str, Any], spec_path: Path) -> list[PipelineError]:
    """What made the generator reject the whole document: each place its OpenAPI models refuse, once, with the
    JSON pointer (its message lists every alternative of every union it tried: thousands of lines)."""
    from pydantic import ValidationError

    try:
        OpenAPI.model_validate(dict(document))
    except ValidationError as invalid:
        found: dict[str, str] = {}
        for item in invalid.errors():
            where, key = _document_pointer(document, item["loc"])
            shown = repr(item.get("input"))
            shown = shown if len(shown) <= 60 else shown[:57] + "..."
            what = f"the key {shown}" if key else shown
            found.setdefault(where, f"{what}: {item['msg']}")
        return [
            PipelineError(f"openapi-python-client cannot read {what}", file=spec_path, where=where or None)
            for where, what in sorted(found.items())
        ]
    return [PipelineError(f"openapi-python-client rejected the normalized spec: {_described(error)}", file=spec_path)]


def _document_pointer(document: Mapping[str, Any], loc: Sequence[Any]) -> tuple[str, bool]:
    """The pointer of a pydantic error location in `document` (the names of union alternatives left out), and
    whether the error is about the key there rather than its value."""
    node: Any = document
    tokens: list[str | int] = []
    for token in loc:
        if token == "[key]":
            return pointer(*tokens), True
        if isinstance(node, dict) and token in node:
            node = node[token]
        elif isinstance(node, dict) and str(token) in node:
            node = node[str(token)]
        elif isinstance(node, list) and isinstance(token, int) and token < len(node):
            node = node[token]
        else:
            continue  # a model or union member name pydantic puts in the location
        tokens.append(token)
    return pointer(*tokens), False


def judge(
    errors: Sequence[GeneratorError],
    document: Mapping[str, Any],
    spec_path: Path,
    *,
    pending: Sequence[PipelineError] = (),
) -> list[str]:
    """Refuse each problem that loses an operation, a parameter or a field, naming the user's file and the
    JSON pointer, together with the normalizer's `pending` problems; return the others (a media type dropped
    beside the one sent, a component no operation uses) as warnings to show."""
    # Walked only when the generator said something (both of a run's calls, Kubernetes apps: 0.005 s each).
    used = _used_components(document) if errors else set()
    refused: list[PipelineError] = []
    warnings: list[str] = []
    for error in errors:
        where, loses = _consequence(error, used)
        # With a place to point at, the generator's header (which says the place) is left out.
        text = readable(error.detail) if where and error.detail else _described(error)
        exact = _located(getattr(error, "data", None), document, where) if where else None
        if exact is not None:
            where, context = exact
            text = f"{context}: {text}" if context else text
            status = _status_in(where)
            if loses is not None and status is not None:
                loses = loses.replace("the response  of", f"the response {status} of")
                text = text.replace("status code …", f"status code {status}")
        if loses:
            refused.append(
                PipelineError(
                    f"openapi-python-client would drop {loses}: {text}",
                    file=spec_path,
                    where=where,
                    hint="fix it with a patch in the API's overrides file (or a normalizer pass), never by editing "
                    "generated code",
                )
            )
        else:
            warnings.append(f"openapi-python-client{f' at #{where}' if where else ''}: {text}")
    raise_all([*pending, *refused])
    return warnings


def _consequence(error: GeneratorError, used: set[str]) -> tuple[str | None, str | None]:
    """(JSON pointer of the problem, what the SDK would lose, or None when it loses nothing)."""
    header, detail = error.header.strip(), readable(error.detail or "")
    endpoint = _ENDPOINT.match(header)
    if endpoint:
        where = pointer("paths", endpoint["path"], endpoint["method"].lower())
        if endpoint["dropped"]:
            return where, f"the operation {endpoint['method']} {endpoint['path']}"
        response = _RESPONSE.match(detail)
        if response:
            # The status code is printed as an object repr ("…"): judge finds it in the document (_located).
            status = response["status"]
            known = status != "…"
            return pointer("paths", endpoint["path"], endpoint["method"].lower(), *(["responses", status] * known)), (
                f"the response {status if known else ''} of {endpoint['method']} {endpoint['path']} (its fields)"
            )
        if _BODY_ALTERNATIVE.match(detail):
            return pointer("paths", endpoint["path"], endpoint["method"].lower(), "requestBody"), None
        return where, f"part of {endpoint['method']} {endpoint['path']}"
    schema = _SCHEMA.search(header) or _SCHEMA.search(detail)
    if schema:
        where = pointer("components", "schemas", schema["name"])
        return where, (f"the model {schema['name']} (its fields)" if schema["name"] in used else None)
    if error.level == ErrorLevel.WARNING and header == "Skipping Integration":
        return None, None
    return None, "part of the SDK"


def _located(data: object, document: Mapping[str, Any], where: str) -> tuple[str, str] | None:
    """The exact place of what the generator could not read (a schema under `where`: the parameter, the response
    with its status code, the property), and what is there: (pointer, "property 'sort', enum ['a', 'b'],
    default ''"). None when it is not found.

    The generator's messages print its strings as object reprs (a status code, an enum's name, a value: "Value
    is not valid for enum …"): the schema it read is found again in the document, by value.
    """
    from pydantic import ValidationError

    if not isinstance(data, Schema | Reference):
        return None
    tokens = [_token(t) for t in parse_pointer(where)]
    node = find(document, tuple(tokens))
    for found_tokens, candidate in _schemas_under(node, tokens):
        if isinstance(data, Reference):
            if candidate.get("$ref") != untrusted_text(data.ref):
                continue
        else:
            try:
                if Schema.model_validate(candidate) != data:
                    continue
            except ValidationError:
                continue
        return pointer(*found_tokens), _what_is_there(document, found_tokens, candidate)
    return None


def _status_in(where: str) -> str | None:
    tokens = parse_pointer(where)
    return tokens[tokens.index("responses") + 1] if "responses" in tokens[:-1] else None


def _token(text: str) -> str | int:
    return int(text) if text.isdigit() else text


def _schemas_under(node: Any, tokens: list[str | int]) -> Iterator[tuple[list[str | int], dict[str, Any]]]:
    """Every mapping under `node` (breadth first: the nearest match is the one reported), with its tokens."""
    queue: list[tuple[Any, list[str | int]]] = [(node, tokens)]
    while queue:
        current, at = queue.pop(0)
        if isinstance(current, dict):
            yield at, current
            queue.extend((v, [*at, k]) for k, v in current.items() if isinstance(v, dict | list))
        elif isinstance(current, list):
            queue.extend((v, [*at, i]) for i, v in enumerate(current) if isinstance(v, dict | list))


def _what_is_there(document: Mapping[str, Any], tokens: list[str | int], schema: dict[str, Any]) -> str:
    """`property 'x'` or `parameter 'x'`, `response 404`, the enum's values and the default, where they apply."""
    said: list[str] = []
    if "responses" in tokens:
        status = tokens[tokens.index("responses") + 1] if tokens.index("responses") + 1 < len(tokens) else None
        said.append(f"response {status}")
    if len(tokens) >= 2 and tokens[-2] == "properties":
        said.append(f"property '{tokens[-1]}'")
    elif tokens[-1:] == ["schema"] and "parameters" in tokens:
        param = find(document, tuple(tokens[:-1]))
        if isinstance(param, dict) and "name" in param:
            said.append(f"parameter '{param['name']}'")
    if isinstance(schema.get("enum"), list):
        said.append(f"enum {schema['enum']!r}")
    if "default" in schema:
        said.append(f"default {schema['default']!r}")
    return ", ".join(said)


def _used_components(document: Mapping[str, Any]) -> set[str]:
    """Component schemas an operation reaches through `$ref`s (directly or through other components)."""
    schemas = (document.get("components") or {}).get("schemas") or {}
    used: set[str] = set()
    starts = [("paths",), *(("components", k) for k in _SHARED)]
    stack: list[tuple[Any, tuple[str, ...], bool]] = [(find(document, s), s, True) for s in starts]
    while stack:
        node, tokens, names = stack.pop()
        for _, holder in references(node, tokens, names=names):
            name = component_name(holder["$ref"])
            if name is not None and name not in used and name in schemas:
                used.add(name)
                stack.append((schemas[name], ("components", "schemas", name), False))
    return used


# Components operations refer to besides schemas (each may refer to schemas in turn).
_SHARED = ("responses", "parameters", "requestBodies", "headers")


def _described(error: GeneratorError) -> str:
    return f"{error.header.strip()}: {readable(error.detail)}" if error.detail else error.header.strip()


_UNTRUSTED = re.compile(r"<openapi_python_client\.schema\.untrusted_string\.UntrustedString object at 0x[0-9a-f]+>")


def readable(detail: object) -> str:
    """The generator's messages embed reprs of its UntrustedString values: show their text."""
    return _UNTRUSTED.sub("…", str(detail))
