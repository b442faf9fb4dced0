"""What an ad hoc package is called: its distribution, import package, client class and version, from the document's
`info` or the command's flags.

A module of its own, importing nothing of the generator: the command names the package before the run starts, and
the generator is imported while the document is normalized beside it (codegen/generate.py).
"""

from __future__ import annotations

import keyword
import re
import sys
from dataclasses import dataclass

from ..errors import PipelineError
from ..normalize.classnames import PACKAGE_NAMES

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
    stem = [w.lower() for w in words]
    dist = dist_name or "-".join(stem if stem[-1] == "client" else [*stem, "client"])
    if not _DISTRIBUTION.match(dist.lower()):
        raise PipelineError(f"--dist-name {dist!r} is not a valid distribution name (letters, digits, - _ .)")
    return PackageNames(
        display=" ".join(words),
        dist_name=dist,
        package=_package_name(package or _default_package(dist)),
        client_class=_client_class(client_class, words),
    )


def _default_package(dist: str) -> str:
    """The import package of a distribution: its name in Python's letters, never a digit first or a taken name."""
    package = re.sub(r"[^a-z0-9_]", "_", dist.lower())
    if package[0].isdigit():
        package = f"sdk_{package}"
    if package in _TAKEN_PACKAGES:
        package = f"{package}_sdk"
    return package


def _package_name(package: str) -> str:
    if not _is_name(package):
        raise PipelineError(f"--package {package!r} is not a valid Python package name")
    return package


def _client_class(given: str | None, words: list[str]) -> str:
    """The client class given (`--client-class`), else the title's words as one class name, `API` added when the
    package already has that name (`Client`)."""
    chosen = given or _class_name(words)
    if not _is_name(chosen):
        raise PipelineError(f"--client-class {chosen!r} is not a valid Python class name")
    if chosen in PACKAGE_NAMES or f"Async{chosen}" in PACKAGE_NAMES:
        if given:
            raise PipelineError(
                f"--client-class {chosen!r} would shadow the package's own {chosen}",
                hint="choose another name (the package exports the generator's Client and the SDK runtime)",
            )
        chosen = f"{chosen}API"
    return chosen


def _is_name(text: str) -> bool:
    """Whether a text can name a Python package or class (an identifier, not a keyword)."""
    return text.isidentifier() and not keyword.iskeyword(text)


def _title_words(title: str) -> list[str]:
    head = re.split(r"\s[-–—:|(]\s?|:\s", title.strip(), maxsplit=1)[0]
    words = re.findall(r"[A-Za-z0-9]+", head)
    while len(words) > 1 and re.fullmatch(r"(?i)apis?|openapi|spec|specification|v?\d+", words[-1]):
        words.pop()
    return words


def _class_name(words: list[str]) -> str:
    name = "".join(w[:1].upper() + w[1:] for w in words)
    return f"API{name}" if name[:1].isdigit() else name
