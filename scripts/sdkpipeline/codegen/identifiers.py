"""The rules that keep every name the SDK prints a valid Python identifier, distinct where it must be.

A vendor document can name a tag `2`, an operation `int` or `import`, a query parameter `timeout` (the
per-call option of every method) or a header and a query parameter alike, and two security schemes so
that both want the constructor argument `api_key`. codegen/model.py asks these functions for every
resource, method, keyword and credential name it gives the templates; each returns the name unchanged
when it is fine.
"""

from __future__ import annotations

import builtins
import keyword
import re
import sys
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass

from ..errors import PipelineError
from .generator import identifier

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
# What a resource class defines or uses in its body besides the operations' methods.
RESOURCE_MEMBERS = frozenset({"with_raw_response", "overload", "builtins"})
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


# Names a package's top level already has (the generator's client.py, the SDK runtime's exports): a client
# class named like one of them would shadow it.
PACKAGE_NAMES = frozenset(
    {
        *("Client", "AuthenticatedClient", "APIError", "APIStatusError", "APIConnectionError", "APITimeoutError"),
        *("APIResponseValidationError", "MissingCredentialsError", "BadRequestError", "AuthenticationError"),
        *("PermissionDeniedError", "NotFoundError", "ConflictError", "UnprocessableEntityError", "RateLimitError"),
        *("InternalServerError", "APIResponse", "NotGiven", "SyncPage", "AsyncPage", "AsyncPaginator"),
        *("File", "Response", "Unset"),
    }
)
# Import names a generated package must not take: the standard library's, and what the package imports.
_TAKEN_PACKAGES = frozenset({*sys.stdlib_module_names, "httpx", "attr", "attrs", "dateutil", "openapi_python_client"})
_DISTRIBUTION = re.compile(r"^[a-z0-9]([a-z0-9._-]*[a-z0-9])?$")


@dataclass(frozen=True)
class PackageNames:
    """What an SDK is called: distribution, import package, client class (`Async<client>` too)."""

    display: str
    dist_name: str
    package: str
    client_class: str

    @property
    def env_prefix(self) -> str:
        """The prefix of the environment variables the client reads (`SWAGGER_PETSTORE_API_KEY`)."""
        return self.package.removesuffix("_client").removesuffix("_sdk").upper()


# PEP 440's own pattern (its appendix B): what an index and the build backend accept as a version. Written out
# here because `packaging` is no dependency of the pipeline.
_PEP440 = re.compile(
    r"v?(?:[0-9]+!)?[0-9]+(?:\.[0-9]+)*"
    r"(?:[-_.]?(?:a|b|c|rc|alpha|beta|pre|preview)[-_.]?[0-9]*)?"
    r"(?:-[0-9]+|[-_.]?(?:post|rev|r)[-_.]?[0-9]*)?"
    r"(?:[-_.]?dev[-_.]?[0-9]*)?"
    r"(?:\+[a-z0-9]+(?:[-_.][a-z0-9]+)*)?",
    re.IGNORECASE,
)
FALLBACK_VERSION = "0.0.0"


def package_version(info_version: object, *, given: str | None = None) -> tuple[str, str | None]:
    """(the version of an ad hoc package, a note when the document's could not be used).

    `--package-version` wins, and must be a PEP 440 version; else the document's `info.version` when it is one
    (`1.0.2`, `v2`, `2.0b1`); else 0.0.0, with a note saying why (`info.version: 2024-05-01` is a date).
    """
    if given is not None:
        if not _PEP440.fullmatch(given.strip()):
            raise PipelineError(f"--package-version {given!r} is not a PEP 440 version (for example 1.0.0)")
        return given.strip(), None
    text = str(info_version).strip() if isinstance(info_version, str | int | float) else ""
    if text and _PEP440.fullmatch(text):
        return text, None
    shown = f"{info_version!r}" if text else "missing"
    return FALLBACK_VERSION, (
        f"info.version {shown} is no PEP 440 version: the package is {FALLBACK_VERSION} "
        "(give one with --package-version)"
    )


def package_names(
    title: str,
    *,
    dist_name: str | None = None,
    package: str | None = None,
    client_class: str | None = None,
) -> PackageNames:
    """Names from the document's `info.title`, each replaceable by a flag.

    `Swagger Petstore - OpenAPI 3.0` → `swagger-petstore-client`, `swagger_petstore_client`, `SwaggerPetstore`:
    the title up to a dash or colon, without a trailing "API". A name given that is no valid distribution,
    package or class name, or a client class the package already has (`Client`), is an error.
    """
    words = _title_words(title) or ["api"]
    display = " ".join(words)
    stem = [w.lower() for w in words]
    default_dist = "-".join(stem if stem[-1] == "client" else [*stem, "client"])
    dist = dist_name or default_dist
    if not _DISTRIBUTION.match(dist.lower()):
        raise PipelineError(f"--dist-name {dist!r} is not a valid distribution name (letters, digits, - _ .)")
    chosen_package = package or re.sub(r"[^a-z0-9_]", "_", dist.lower())
    if not package and chosen_package[0].isdigit():
        chosen_package = f"sdk_{chosen_package}"
    if not package and chosen_package in _TAKEN_PACKAGES:
        chosen_package = f"{chosen_package}_sdk"
    if not chosen_package.isidentifier() or keyword.iskeyword(chosen_package):
        raise PipelineError(f"--package {chosen_package!r} is not a valid Python package name")
    chosen_class = client_class or _class_name(words)
    if not chosen_class.isidentifier() or keyword.iskeyword(chosen_class):
        raise PipelineError(f"--client-class {chosen_class!r} is not a valid Python class name")
    if chosen_class in PACKAGE_NAMES or f"Async{chosen_class}" in PACKAGE_NAMES:
        if client_class:
            raise PipelineError(
                f"--client-class {chosen_class!r} would shadow the package's own {chosen_class}",
                hint="choose another name (the package exports the generator's Client and the SDK runtime)",
            )
        chosen_class = f"{chosen_class}API"
    return PackageNames(display=display, dist_name=dist, package=chosen_package, client_class=chosen_class)


def _title_words(title: str) -> list[str]:
    head = re.split(r"\s[-–—:|(]\s?|:\s", title.strip(), maxsplit=1)[0]
    words = re.findall(r"[A-Za-z0-9]+", head)
    while len(words) > 1 and re.fullmatch(r"(?i)apis?|openapi|spec|specification|v?\d+", words[-1]):
        words.pop()
    return words


def _class_name(words: list[str]) -> str:
    name = "".join(w[:1].upper() + w[1:] for w in words)
    return f"API{name}" if name[:1].isdigit() else name


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
