"""The registry of APIs (specs/apis.toml): one entry drives every session for one SDK."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

from ..errors import PipelineError
from .repo import Repo

_REQUIRED = ("spec", "overrides", "dist_name", "package", "version", "client_class", "display_name", "env_prefix")


@dataclass(frozen=True)
class Api:
    """One SDK: where its spec lives and what the generated package is called."""

    name: str
    spec: Path
    overrides: Path
    dist_name: str
    package: str
    version: str
    client_class: str
    display_name: str
    env_prefix: str
    repo: Repo

    @property
    def examples_dir(self) -> Path:
        """specs/<api>/examples: the vendor's documented bodies, named <operationId>__<case>.json."""
        return self.spec.parent / "examples"

    @property
    def changelog(self) -> Path:
        """specs/<api>/CHANGELOG.md: the release record, shipped in the package."""
        return self.spec.parent / "CHANGELOG.md"

    @property
    def normalized_spec(self) -> Path:
        """The committed output of the normalizer, beside the raw spec."""
        return self.spec.with_name(self.spec.stem + ".normalized.yaml")

    @property
    def output_dir(self) -> Path:
        return self.repo.generated / self.dist_name


def load_registry(repo: Repo | None = None) -> dict[str, Api]:
    """Read the registry; every path in it is relative to the repository root."""
    repo = repo or Repo.default()
    path = repo.registry_file
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise PipelineError(f"cannot read the API registry: {exc}", file=path) from None
    apis: dict[str, Api] = {}
    for name, entry in data.items():
        missing = [key for key in _REQUIRED if key not in entry]
        if missing:
            raise PipelineError(f"entry [{name}] lacks {', '.join(missing)}", file=path)
        apis[name] = Api(
            name=name,
            spec=repo.root / entry["spec"],
            overrides=repo.root / entry["overrides"],
            dist_name=entry["dist_name"],
            package=entry["package"],
            version=entry["version"],
            client_class=entry["client_class"],
            display_name=entry["display_name"],
            env_prefix=entry["env_prefix"],
            repo=repo,
        )
    return apis


def select_apis(names: list[str] | None, repo: Repo | None = None) -> list[Api]:
    """The APIs named (all when none is), with a clear error for an unknown name."""
    repo = repo or Repo.default()
    apis = load_registry(repo)
    if not names:
        return list(apis.values())
    unknown = [n for n in names if n not in apis]
    if unknown:
        raise PipelineError(f"unknown API {', '.join(unknown)}; known: {', '.join(apis)}", file=repo.registry_file)
    return [apis[n] for n in names]
