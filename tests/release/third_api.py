"""Adding a third API to a copy of the repository, step by step as README "Adding a third API" says.

Shared by tests/release/test_third_api.py (registry, generation, first release, drift, the next vendor document)
and tests/contract/test_third_api.py (fixtures recorded against Prism, the contract suite on them).
"""

from __future__ import annotations

import shutil
from pathlib import Path

from sdkpipeline.spec.lock import sha256_of
from sdkpipeline.spec.repo import Repo

ROOT = Repo.default().root
# A vendor-shaped document written for these tests: four operations, an API key, errors documented per status.
DOCUMENT = ROOT / "tests" / "data" / "third_api" / "openapi.yaml"
NAME = "bookshelf"
DIST = "bookshelf-client"
PACKAGE = "bookshelf_client"
URL = "https://api.bookshelf.example/openapi.yaml"

# specs/apis.toml: every field the registry requires (spec/registry.py), as the README lists them.
REGISTRY_ENTRY = f"""
[{NAME}]
spec = "specs/{NAME}/openapi.yaml"
overrides = "specs/{NAME}/overrides.yaml"
dist_name = "{DIST}"
package = "{PACKAGE}"
version = "0.1.0"
client_class = "Bookshelf"
display_name = "Bookshelf"
env_prefix = "BOOKSHELF"
"""


def add_third_api(repo: Repo, *, retrieved: str = "2027-03-14") -> Path:
    """Steps 1 and 2: the vendor document, its lock entry, its registry entry and an empty overrides file."""
    folder = repo.specs / NAME
    folder.mkdir()
    spec = folder / "openapi.yaml"
    shutil.copyfile(DOCUMENT, spec)
    with repo.lock_file.open("a", encoding="utf-8") as lock:
        lock.write(
            f'\n[{NAME}]\nfile = "specs/{NAME}/openapi.yaml"\nurl = "{URL}"\nretrieved = "{retrieved}"\n'
            f'sha256 = "{sha256_of(spec)}"\n'
        )
    with repo.registry_file.open("a", encoding="utf-8") as registry:
        registry.write(REGISTRY_ENTRY)
    (folder / "overrides.yaml").write_text("patches: []\n", encoding="utf-8")
    return spec
