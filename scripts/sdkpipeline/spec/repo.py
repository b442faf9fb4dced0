"""The repository's layout: one object that knows where every input and output lives.

Every command takes a `Repo`; tests build one over a copy of the files they need instead of patching
module globals.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

ROOT_ENV = "SDKPIPELINE_ROOT"


@dataclass(frozen=True)
class Repo:
    root: Path

    @classmethod
    def default(cls) -> Repo:
        """$SDKPIPELINE_ROOT, else the checkout this package is installed from (editable install)."""
        env = os.environ.get(ROOT_ENV)
        return cls(Path(env).resolve() if env else Path(__file__).resolve().parents[3])

    @property
    def specs(self) -> Path:
        return self.root / "specs"

    @property
    def registry_file(self) -> Path:
        return self.specs / "apis.toml"

    @property
    def lock_file(self) -> Path:
        return self.specs / "specs.lock"

    @property
    def templates(self) -> Path:
        return self.root / "templates"

    @property
    def runtime(self) -> Path:
        """The SDK runtime: plain Python copied into every package."""
        return self.root / "templates" / "runtime"

    @property
    def generated(self) -> Path:
        return self.root / "generated"

    @property
    def fixtures(self) -> Path:
        return self.root / "tests" / "contract" / "fixtures"

    @property
    def dist(self) -> Path:
        return self.root / "dist"

    @property
    def cache(self) -> Path:
        return self.root / ".cache"

    @property
    def prism_pin(self) -> Path:
        return self.root / "scripts" / "prism"

    @property
    def convert_pin(self) -> Path:
        """The npm tools that convert Swagger 2.0 and bundle multi-file documents (spec/prepare.py)."""
        return self.root / "scripts" / "convert"

    def shown(self, path: Path) -> str:
        """`path` relative to the root when it is inside, else as given."""
        try:
            return str(path.resolve().relative_to(self.root.resolve()))
        except ValueError:
            return str(path)
