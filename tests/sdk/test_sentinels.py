"""One sentinel per parameter in every resource method of both SDKs: an API argument not passed is UNSET, a
per-request option left to the client is NOT_GIVEN; no parameter carries both."""

from __future__ import annotations

import importlib
import inspect
import json
import pkgutil
import re
from pathlib import Path

import cnaught_client
import fungies_client
import pytest

PACKAGES = {"cnaught": cnaught_client, "fungies": fungies_client}
OPTIONS = {"timeout", "max_retries"}


def _methods() -> list[tuple[str, object]]:
    found: list[tuple[str, object]] = []
    for package in PACKAGES.values():
        resources = importlib.import_module(f"{package.__name__}.resources")
        for info in pkgutil.iter_modules(resources.__path__):
            module = importlib.import_module(f"{resources.__name__}.{info.name}")
            for cls in vars(module).values():
                if inspect.isclass(cls) and cls.__module__ == module.__name__ and cls.__name__.endswith("Resource"):
                    found += [
                        (f"{cls.__name__}.{name}", member)
                        for name, member in vars(cls).items()
                        if inspect.isfunction(member) and not name.startswith("_")
                    ]
    return found


METHODS = _methods()


def test_every_operation_is_here_sync_and_async() -> None:
    operations = sum(
        len(json.loads((Path(p.__file__).parent / "_operations.json").read_text(encoding="utf-8"))["operations"])
        for p in PACKAGES.values()
    )
    assert len(METHODS) == 2 * operations


@pytest.mark.parametrize(("name", "method"), METHODS, ids=[name for name, _ in METHODS])
def test_a_parameter_has_one_sentinel(name: str, method: object) -> None:
    for parameter in inspect.signature(method).parameters.values():  # type: ignore[arg-type]
        words = set(re.findall(r"\b(Unset|NotGiven)\b", str(parameter.annotation)))
        assert words == ({"NotGiven"} if parameter.name in OPTIONS else words - {"NotGiven"}), (name, parameter)
