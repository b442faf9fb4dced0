"""Names a vendor may use that once broke the package, end to end on tests/data/specs/awkward.yaml.

A numeric tag, methods `int` and `import`, query parameters `timeout` and `max_retries` (per-call options of
every method), a header X-Id beside the path's id, two security schemes that both want `api_key`, a uuid
default, a body offered as JSON and as a form beside a query parameter `body`: the package imports,
passes `mypy --strict`, and sends each renamed parameter under its wire name.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from sdkpipeline.cli import main

pytestmark = pytest.mark.slow

AWKWARD = Path(__file__).resolve().parents[1] / "data" / "specs" / "awkward.yaml"


@pytest.fixture(scope="module")
def awkward(tmp_path_factory: pytest.TempPathFactory) -> Path:
    output = tmp_path_factory.mktemp("awkward") / "awkward-client"
    assert main(["generate", "--spec", str(AWKWARD), "--output", str(output)]) == 0
    return output


def test_mypy_strict(awkward: Path, tmp_path: Path) -> None:
    command = [sys.executable, "-m", "mypy", "--strict", "--cache-dir", str(tmp_path / "cache"), "awkward_client"]
    proc = subprocess.run(command, cwd=awkward, capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stdout + proc.stderr


@pytest.fixture
def client(awkward: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[Any, list[httpx.Request]]]:
    monkeypatch.syspath_prepend(str(awkward))
    from awkward_client import Awkward  # type: ignore[import-not-found]

    sent: list[httpx.Request] = []

    def answer(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        body: Any = 7 if request.url.path == "/numbers/int" else {"name": "n"}
        return httpx.Response(204 if request.url.path == "/numbers/import" else 200, json=body)

    http = httpx.Client(transport=httpx.MockTransport(answer))
    yield Awkward(api_key="token", api_key_header="header-key", http_client=http), sent
    for name in [m for m in sys.modules if m.split(".")[0] == "awkward_client"]:
        del sys.modules[name]


def test_parameters_named_like_options_keep_their_wire_names(client: tuple[Any, list[httpx.Request]]) -> None:
    sdk, sent = client
    thing = sdk.tag_2.retrieve("t1", timeout_query=5, max_retries_query=1, id_header="x-1", timeout=3.0)
    assert thing.name == "n"
    (request,) = sent
    # `owner`'s uuid default is the server's: documented, not sent.
    assert dict(request.url.params) == {"timeout": "5", "max_retries": "1"}
    assert 'Server default: "3fa85f64-5717-4562-b3fc-2c963f66afa6"' in " ".join(
        (sdk.tag_2.retrieve.__doc__ or "").split()
    )
    assert request.url.path == "/things/t1" and request.headers["X-Id"] == "x-1"
    assert request.headers["Authorization"] == "Bearer token"  # the first security alternative


def test_reserved_method_names_and_a_body_offered_as_json_and_form(client: tuple[Any, list[httpx.Request]]) -> None:
    from awkward_client.types import File  # type: ignore[import-not-found]

    sdk, sent = client
    assert sdk.numbers.int_() == 7
    sdk.tag_2.update("t1", name="n", size=2, body_query="b")
    assert sent[-1].headers["Content-Type"] == "application/json" and sent[-1].url.params["body"] == "b"
    assert json.loads(sent[-1].content) == {"name": "n", "size": 2}
    sdk.numbers.import_(body=File(payload=b"1\n2\n"))  # text/plain is sent raw, in its own media type
    assert sent[-1].headers["Content-Type"] == "text/plain" and sent[-1].content == b"1\n2\n"


def test_two_schemes_get_one_argument_each(awkward: Path) -> None:
    client = (awkward / "awkward_client" / "_client.py").read_text(encoding="utf-8")
    assert "bearer → `api_key`, apiKeyHeader → `api_key_header`" in client
