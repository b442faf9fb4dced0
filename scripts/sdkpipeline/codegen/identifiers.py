"""The rules that keep every name the SDK prints a valid Python identifier, distinct where it must be.

A vendor document can name a tag `2`, an operation `int` or `import`, a query parameter `timeout` (the
per-call option of every method) or a header and a query parameter alike, and two security schemes so
that both want the constructor argument `api_key`. codegen/model.py asks these functions for every
resource, method, keyword and credential name it gives the templates; each returns the name unchanged
when it is fine.
"""

from __future__ import annotations

import ast
import builtins
import hashlib
import keyword
import re
import unicodedata
from collections.abc import Collection, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from ..errors import PipelineError, raise_all
from ..normalize.classnames import GENERATED_MODULE_NAMES
from ..spec.pointer import pointer
from .generator import (
    Endpoint,
    GeneratorData,
    ListProperty,
    ModelProperty,
    Parsed,
    Property,
    UnionProperty,
    identifier,
    rename_endpoint,
    rename_property,
    rename_tag_modules,
    untrusted_text,
)

# Builtins a resource method may not be named: the resource's class body resolves its annotations and
# decorators to the method (`def int(...)` makes a later `-> int` the method: mypy "not valid as a type").
# `list`, `dict`, `set`, `tuple` and `type` are exempt: the resource spells those `builtins.list[...]`
# (Resource.qualify), so `orders.list()` keeps its REST name.
CLASS_BODY_BUILTINS = frozenset(
    {
        *("bool", "bytes", "bytearray", "complex", "float", "frozenset", "int", "memoryview", "object"),
        *("range", "slice", "str", "property", "staticmethod", "classmethod", "super"),
    }
)
# What a resource class defines or uses in its body besides the operations' methods (its raw view declares its
# methods under `if TYPE_CHECKING:`).
RESOURCE_MEMBERS = frozenset({"with_raw_response", "with_streaming_response", "overload", "builtins", "TYPE_CHECKING"})
# The top-level client's own keyword arguments (templates/sdk/_client.py.jinja), beside the credentials.
CLIENT_ARGUMENTS = frozenset(
    {"self", "base_url", "timeout", "max_retries", "http_client", "default_headers", "_sleep", "_random", "keys"}
)

# Builtins the generator suffixes (`type` → `type_`) that a method keyword may not shadow: the names the
# resource methods' bodies and annotations use. Any other builtin is a fine keyword (`type="code"`, as in
# openai-python), so the keyword is the JSON name a user reads in the vendor's documentation.
_KEEP_SUFFIX = frozenset(
    {"dict", "list", "set", "tuple", "str", "int", "float", "bool", "bytes", "object", "isinstance", "super"}
)


def python_name(text: str) -> str:
    """A snake_case identifier for any text, as the generator makes one (`2` → `field_2`, `class` → `class_`)."""
    name = identifier(text) or "field_"
    return name if name.isidentifier() and not keyword.iskeyword(name) else f"{name}_"


def method_name(name: str) -> str:
    """A resource method's name: valid, no keyword, no builtin its class body needs (`int` → `int_`)."""
    name = name if name.isidentifier() else python_name(name)
    if keyword.iskeyword(name) or name in CLASS_BODY_BUILTINS or name in RESOURCE_MEMBERS:
        return f"{name}_"
    return name


def resource_name(name: str) -> str:
    """A resource's module and attribute name: a valid, lower-case identifier (tag `2` → `tag_2`)."""
    name = re.sub(r"\W+", "_", name).strip("_").lower() or "default"
    if name[0].isdigit():
        name = f"tag_{name}"
    return f"{name}_" if keyword.iskeyword(name) else name


def distinct(
    names: Sequence[str], *, reserved: Collection[str] = (), suffixes: Sequence[str] | None = None
) -> list[str]:
    """`names` with every clash resolved: the first holder of a name keeps it, later ones take their suffix
    (`timeout` → `timeout_query`), then a number; a reserved name is never kept."""
    taken = set(reserved)
    result: list[str] = []
    for index, name in enumerate(names):
        chosen = name
        if chosen in taken and suffixes is not None and suffixes[index]:
            chosen = f"{name}_{suffixes[index]}"
        base, n = chosen, 2
        while chosen in taken:
            chosen, n = f"{base}_{n}", n + 1
        taken.add(chosen)
        result.append(chosen)
    return result


def parameter_keywords(params: Sequence[tuple[str, str]], *, reserved: Iterable[str]) -> list[str]:
    """The keywords of one method's parameters, given as (keyword, location): distinct from each other and
    from `reserved` (self, the per-call options, `body`), a clash suffixed by its location (`timeout_query`)."""
    return distinct([k for k, _ in params], reserved=frozenset(reserved), suffixes=[loc for _, loc in params])


def credential_parameters(wanted: Sequence[tuple[str, str]]) -> list[str]:
    """One constructor argument per security scheme, given as (preferred argument, scheme name): the
    preferred one while free, else the scheme's own name, else numbered; never a client argument."""
    taken = set(CLIENT_ARGUMENTS)
    result: list[str] = []
    for preferred, scheme in wanted:
        candidates = [python_name(preferred), python_name(scheme)]
        chosen = next((c for c in candidates if c not in taken), None)
        if chosen is None:
            chosen = distinct([candidates[0]], reserved=taken)[0]
        taken.add(chosen)
        result.append(chosen)
    return result


def method_keyword(python_name: str) -> str:
    """The keyword a method takes for a parameter the generator named `python_name`.

    The generator suffixes every builtin (`type` → `type_`); a keyword may shadow most of them, so the
    method takes the name a user reads in the vendor's documentation (`type="code"`), as openai-python
    does. Python keywords (`from_`) and the builtins the method bodies use keep the suffix.
    """
    stem = python_name[:-1]
    if (
        python_name.endswith("_")
        and stem
        and not keyword.iskeyword(stem)
        and stem in dir(builtins)
        and stem not in _KEEP_SUFFIX
    ):
        return stem
    return python_name


# --- names that reach Python source from vendor text ------------------------------------------------------------

# A module file name stays well under the 255 bytes file systems allow (with `.py`, and room for the generator's
# prefixes); a longer name keeps its start and ends in a hash of the whole, the same on every run and machine.
MAX_MODULE_NAME = 100


def shortened(name: str, *, limit: int = MAX_MODULE_NAME) -> str:
    """`name`, or its first characters and `_<10 hex digits of its sha256>` when it is longer than `limit`."""
    if len(name) <= limit:
        return name
    digest = hashlib.sha256(name.encode("utf-8", "surrogatepass")).hexdigest()[:10]
    return f"{name[: limit - 11].rstrip('_')}_{digest}"


def scripts_of(name: str) -> set[str]:
    """The scripts of a name's letters, by Unicode character name (`LATIN`, `CYRILLIC`, `GREEK`, ...)."""
    return {unicodedata.name(c, "?").split(" ")[0] for c in name if c.isalpha()}


def printed_name(name: str) -> str:
    """An identifier as Python reads it, and distinct from its look-alikes.

    Python compares identifiers in NFKC form (`ｃolor` is `color`), so the name is printed in that form.
    A name that mixes Latin letters with letters of another script (`cоlor`, its `о` Cyrillic) would pass
    for a Latin one in the reader's eyes: each non-Latin letter is spelled out (`c_u043e_lor`). A name in
    one script (`naïve`, `цвет`) is kept.
    """
    if name.isascii():
        return name  # NFKC leaves it as it is, and its letters are all Latin (Kubernetes apps: 2,824 of 2,824 names)
    name = unicodedata.normalize("NFKC", name)
    scripts = scripts_of(name)
    if "LATIN" not in scripts or len(scripts) == 1:
        return name
    spelled = "".join(c if not c.isalpha() or scripts_of(c) == {"LATIN"} else f"_u{ord(c):04x}_" for c in name)
    return re.sub(r"_{2,}", "_", spelled).strip("_") or "field_"


def model_members(runtime_models: Path) -> frozenset[str]:
    """Every name the runtime's `Model` class defines (methods, properties, class attributes, slots): a field of
    a generated model must not take one (`to_dict` made `from_dict` raise TypeError)."""
    tree = ast.parse(runtime_models.read_text(encoding="utf-8"))
    model = next((node for node in tree.body if isinstance(node, ast.ClassDef) and node.name == "Model"), None)
    if model is None:
        raise PipelineError("the runtime defines no class Model", file=runtime_models)
    names: set[str] = set()
    body = list(model.body)
    while body:
        node = body.pop()
        if isinstance(node, ast.If):  # `if TYPE_CHECKING:` declarations in the class body
            body.extend([*node.body, *node.orelse])
        else:
            names |= _names_defined(node)
    return frozenset(names)


def _names_defined(node: ast.stmt) -> set[str]:
    """The names a statement of a class body defines: a method, an attribute, and the names `__slots__` lists."""
    if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
        return {node.name}
    if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
        return {node.target.id}
    if not isinstance(node, ast.Assign):
        return set()
    targets = {t.id for t in node.targets if isinstance(t, ast.Name)}
    if "__slots__" not in targets:
        return targets
    return targets | _strings_in(node.value)


def _strings_in(node: ast.expr) -> set[str]:
    """Every string constant in an expression (the names a `__slots__` tuple lists)."""
    return {c.value for c in ast.walk(node) if isinstance(c, ast.Constant) and isinstance(c.value, str)}


def field_name(name: str, *, reserved: Collection[str]) -> str:
    """A model field's attribute: its printed name, suffixed while it is a member of the runtime's Model."""
    name = printed_name(name)
    while name in reserved:
        name = f"{name}_"
    return name


def settle_names(parsed: Parsed, document: Mapping[str, Any], *, runtime_models: Path, file: Path) -> None:
    """Every name the generator took from the vendor's text, as the package may print it.

    A model field never takes a name of the runtime's `Model` (`to_dict` → `to_dict_`), and every field
    and argument is printed as Python reads it (identifiers.printed_name: NFKC, look-alike letters spelled
    out); two fields of one model that Python would read as one name are an error naming both. An endpoint
    module is named within MAX_MODULE_NAME characters (a 400-character operationId made a file name the file
    system refused). The wire names are untouched.
    """
    data = parsed.data
    rename_tag_modules(data, _tag_packages(data, file=file), parsed.project.config)
    stack: list[object] = list(data.models)
    for collection in data.endpoint_collections_by_tag.values():
        for endpoint in collection.endpoints:
            stack += _settle_endpoint(endpoint, parsed)
    seen: set[int] = set()
    reserved = model_members(runtime_models)
    while stack:
        prop = stack.pop()
        if id(prop) in seen:
            continue
        seen.add(id(prop))
        if isinstance(prop, ModelProperty):
            stack += _settle_fields(prop, parsed, reserved=reserved, document=document, file=file)
        elif isinstance(prop, ListProperty):
            stack.append(prop.inner_property)
        elif isinstance(prop, UnionProperty):
            stack.extend(prop.inner_properties)


def _tag_packages(data: GeneratorData, *, file: Path) -> dict[str, str]:
    """Each tag's package name as Python reads it; two tags Python reads as one are an error."""
    packages: dict[str, str] = {}
    for tag in data.endpoint_collections_by_tag:
        printed = printed_name(str(tag))
        other = next((t for t, p in packages.items() if p == printed), None)
        if other is not None:
            raise PipelineError(
                f"the tags {other!r} and {str(tag)!r} are one package name to Python, `{printed}` (NFKC)",
                file=file,
                hint="give the operations of one of them the other tag with patches in the API's overrides file",
            )
        packages[str(tag)] = printed
    return packages


def _settle_endpoint(endpoint: Endpoint, parsed: Parsed) -> list[object]:
    """An endpoint's module and arguments named as Python reads them; returns the properties it holds."""
    config = parsed.project.config
    rename_endpoint(endpoint, shortened(printed_name(str(endpoint.name))), config)
    held: list[object] = []
    for _, parameter in endpoint.iter_all_parameters():
        rename_property(parameter, printed_name(str(parameter.python_name)), config)
        held.append(parameter)
    held.extend(body.prop for body in endpoint.bodies)
    held.extend(response.prop for response in endpoint.responses.patterns)
    if endpoint.responses.default is not None:
        held.append(endpoint.responses.default.prop)
    return held


def _settle_fields(
    model: ModelProperty, parsed: Parsed, *, reserved: frozenset[str], document: Mapping[str, Any], file: Path
) -> list[Property]:
    """A model's fields named as Python reads them, none a member of the runtime's `Model`; returns the fields."""
    config = parsed.project.config
    fields = [*(model.required_properties or ()), *(model.optional_properties or ())]
    holders: dict[str, str] = {}
    for field in fields:
        rename_property(field, field_name(str(field.python_name), reserved=reserved), config)
        wire = untrusted_text(field.name)
        other = holders.setdefault(str(field.python_name), wire)
        if other != wire:
            raise _one_name(str(model.class_info.name), (other, wire), str(field.python_name), document, file)
    return fields


def _component_named(document: Mapping[str, Any], class_name: str) -> str | None:
    """The component schema a model or enum class was made of: named so, or titled so."""
    schemas = (document.get("components") or {}).get("schemas") or {}
    return next(
        (key for key, schema in schemas.items() if key == class_name or (schema or {}).get("title") == class_name),
        None,
    )


def _one_name(
    class_name: str, wires: tuple[str, str], name: str, document: Mapping[str, Any], file: Path
) -> PipelineError:
    first, second = wires
    component = _component_named(document, class_name)
    places = [pointer("components", "schemas", component, "properties", w) for w in wires] if component else []
    where = places[1] if places else None
    named = f"#{places[0]} and #{places[1]}" if places else f"properties {first!r} and {second!r}"
    return PipelineError(
        f"model {class_name}: {named} are one name to Python, `{name}` (identifiers are compared in NFKC form, "
        "so a full-width or compatibility letter equals its plain one)",
        file=file,
        where=where,
        hint="drop one with a patch in the API's overrides file: a model cannot hold both as fields",
    )


def check_class_names(parsed: Parsed, document: Mapping[str, Any], *, client_class: str, file: Path) -> None:
    """Refuse a model or enum class named like a name the generated modules use, or like the SDK's client class."""
    taken = GENERATED_MODULE_NAMES | {client_class, f"Async{client_class}"}
    problems = []
    for cls in [*parsed.data.models, *parsed.data.enums]:
        name = str(cls.class_info.name)
        why = _why_not_a_class_name(name, taken=taken, client_class=client_class)
        if why is None:
            continue
        component = _component_named(document, name)
        problems.append(
            PipelineError(
                f"a schema would be the class {name}, {why}",
                file=file,
                where=pointer("components", "schemas", component) if component else None,
                hint="give the schema another class name with a `names` entry (pointer, name, reason) in the API's "
                "overrides file; in ad hoc mode, --client-class names the client otherwise",
            )
        )
    raise_all(problems)


def _why_not_a_class_name(name: str, *, taken: frozenset[str], client_class: str) -> str | None:
    """Why a schema's class name cannot be (the package names it, or Python reads it otherwise); None: it can."""
    if name in taken:
        owner = "its client class" if name.endswith(client_class) else "a name its generated modules import"
        return f"which the package already names ({owner})"
    if printed_name(name) != name:
        return f"which Python reads as {printed_name(name)!r} (NFKC) or which passes for a Latin name"
    return None
