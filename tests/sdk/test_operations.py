"""Every operation of both SDKs, through its resource method: the exact auth and idempotency headers it sends.

The operations come from each package's `_operations.json`, so a new operation is covered when it is generated.
"""

from __future__ import annotations

import contextlib
import datetime
import enum
import importlib
import inspect
import io
import json
import re
import types
import typing
import uuid
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

import cnaught_client
import fungies_client
import pytest

from .conftest import CN_KEY, FG_PUBLIC, FG_SECRET, Server, json_response

PACKAGES = {"cnaught": cnaught_client, "fungies": fungies_client}
# Headers every request carries whatever the operation (httpx's own, and the body's).
TRANSPORT_HEADERS = {"host", "accept", "accept-encoding", "connection", "user-agent", "content-length", "content-type"}


def _index(api: str) -> dict[str, Any]:
    path = Path(PACKAGES[api].__file__).parent / "_operations.json"
    index: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return index


def _operations(api: str) -> list[dict[str, Any]]:
    ops: list[dict[str, Any]] = _index(api)["operations"]
    return ops


def _declared_headers(api: str, op: dict[str, Any]) -> set[str]:
    """Header parameters the operation declares, from the package's operation index."""
    return {str(p["wire_name"]).lower() for p in op["params"] if p["location"] == "header"}


def _api_key_headers(api: str, op: dict[str, Any]) -> tuple[str, ...]:
    """The headers of the API-key schemes the operation's security names (any of its alternatives)."""
    headers = {c["scheme"]: c["name"] for c in _index(api)["credentials"] if c["style"] == "header"}
    return tuple(sorted({headers[s] for alternative in op["security"] for s in alternative if s in headers}))


class FakeValues:
    """Builds a value for a parameter annotation: enough for the request to be serialised."""

    def __init__(self, package: types.ModuleType) -> None:
        self.package = package
        self.models = importlib.import_module(package.__name__ + ".models")
        self.types = importlib.import_module(package.__name__ + ".types")

    def namespace(self) -> dict[str, Any]:
        ns: dict[str, Any] = {"UUID": uuid.UUID, "datetime": datetime, "Literal": typing.Literal}
        ns.update({n: getattr(self.models, n) for n in self.models.__all__})
        ns.update(
            {
                "File": self.types.File,
                "FileInput": self.types.FileInput,
                "Unset": self.types.Unset,
                "builtins": __import__("builtins"),
            }
        )
        literals = importlib.import_module(self.package.__name__ + ".literals")
        ns.update({n: getattr(literals, n) for n in literals.__all__})
        ns.update({"Mapping": typing.Mapping, "Any": typing.Any, "NotGiven": type(None)})
        return ns

    def for_annotation(self, annotation: str) -> Any:
        return self.for_type(eval(annotation, self.namespace()))

    def for_type(self, tp: Any) -> Any:
        origin = typing.get_origin(tp)
        if origin in (typing.Union, types.UnionType):
            options = [a for a in typing.get_args(tp) if a not in (type(None), self.types.Unset)]
            return self.for_type(options[0])
        if origin is typing.Literal:
            return typing.get_args(tp)[0]
        if origin is list:
            return [self.for_type(typing.get_args(tp)[0])]
        if origin is dict:
            return {}
        if tp is str:
            return "x1"
        if tp is bool:
            return True
        if tp in (int, float):
            return 1
        if tp is uuid.UUID:
            return uuid.UUID(int=1)
        if tp is datetime.datetime:
            return datetime.datetime(2024, 1, 1, tzinfo=datetime.UTC)
        if tp is datetime.date:
            return datetime.date(2024, 1, 1)
        if tp is bytes:  # a file's content (`FileInput`'s first form)
            return b"\x89PNG"
        if tp is self.types.File:
            return self.types.File(payload=io.BytesIO(b"\x89PNG"), mime_type="image/png")
        if isinstance(tp, type) and issubclass(tp, enum.Enum):
            return next(iter(tp))
        if isinstance(tp, type) and hasattr(tp, "from_dict"):  # a generated model: its required fields
            hints = typing.get_type_hints(tp)
            return tp(**{attr: self.for_type(hints[attr]) for attr, _ in tp._required})
        if tp is typing.Any:
            return "x1"
        raise AssertionError(f"no fake value for {tp!r}")

    def call_args(self, method: Callable[..., Any]) -> tuple[list[Any], dict[str, Any]]:
        """Values for the method's required parameters: path parameters positionally, the rest by name.

        A method taking its body as keywords or `body=` has overloads: the first (the first body variant's
        keywords) says which are required.
        """
        args: list[Any] = []
        kwargs: dict[str, Any] = {}
        overloads = typing.get_overloads(getattr(method, "__func__", method))
        signature = inspect.signature(overloads[0]) if overloads else inspect.signature(method)
        for name, param in signature.parameters.items():
            if name == "self":
                continue
            if param.default is not inspect.Parameter.empty:
                continue
            value = self.for_annotation(str(param.annotation))
            if param.kind is inspect.Parameter.POSITIONAL_OR_KEYWORD:
                args.append(value)
            else:
                kwargs[name] = value
        return args, kwargs


def _cases() -> list[Any]:
    return [
        pytest.param(api, op, id=f"{api}-{op['resource']}.{op['name']}") for api in PACKAGES for op in _operations(api)
    ]


def _expected_headers(api: str, op: dict[str, Any]) -> dict[str, str | None]:
    """Credential and idempotency headers the operation must send (None: any value) and nothing else."""
    expected: dict[str, str | None] = {}
    if api == "cnaught":
        expected["authorization"] = f"Bearer {CN_KEY}"
    else:
        expected["x-fngs-public-key"] = FG_PUBLIC
        if "x-fngs-secret-key" in _api_key_headers(api, op):
            expected["x-fngs-secret-key"] = FG_SECRET
    if "idempotency-key" in _declared_headers(api, op):
        expected["idempotency-key"] = None
    return expected


@pytest.mark.parametrize(("api", "op"), _cases())
def test_operation_sends_exactly_its_auth_and_idempotency_headers(
    api: str, op: dict[str, Any], server: Server, make_cn: Any, make_fg: Any
) -> None:
    """Each operation sends its security scheme's headers, an Idempotency-Key when declared, and no other key."""
    server.reply(json_response(400, {"status": "error", "error": {"message": "stop here"}}))
    client = make_cn(max_retries=0) if api == "cnaught" else make_fg(max_retries=0)
    resource = getattr(client, op["resource"])
    method = getattr(resource, op["name"])
    args, kwargs = FakeValues(PACKAGES[api]).call_args(method)
    # A deprecated operation warns (naming its replacement when the spec or an override says one).
    deprecated = op["deprecation"] is not None
    warns = (
        pytest.warns(DeprecationWarning, match="is deprecated by the API") if deprecated else contextlib.nullcontext()
    )
    with warns, contextlib.suppress(PACKAGES[api].BadRequestError):
        method(*args, **kwargs)
    assert len(server.requests) == 1
    request = server.last
    assert request.method == op["method"]
    sent = {k.lower(): v for k, v in request.headers.items() if k.lower() not in TRANSPORT_HEADERS}
    expected = _expected_headers(api, op)
    assert set(sent) == set(expected)
    for name, value in expected.items():
        if value is None:
            uuid.UUID(sent[name])  # a generated key is a UUID
        else:
            assert sent[name] == value
    assert request.headers["user-agent"].startswith(f"{api}-client/")


@pytest.mark.parametrize(("api", "op"), _cases())
def test_operation_sends_only_what_the_call_passed(
    api: str, op: dict[str, Any], server: Server, make_cn: Any, make_fg: Any
) -> None:
    """Called with its required arguments only, each operation sends those and, in a body, the required fields
    with one possible value (filled in): no spec default of a query parameter or a body field is sent."""
    server.reply(json_response(400, {"status": "error", "error": {"message": "stop here"}}))
    client = make_cn(max_retries=0) if api == "cnaught" else make_fg(max_retries=0)
    method = getattr(getattr(client, op["resource"]), op["name"])
    args, kwargs = FakeValues(PACKAGES[api]).call_args(method)
    with warnings.catch_warnings(), contextlib.suppress(PACKAGES[api].BadRequestError):
        warnings.simplefilter("ignore", DeprecationWarning)
        method(*args, **kwargs)
    request = server.last
    query = {p["wire_name"] for p in op["params"] if p["location"] == "query" and p["keyword"] in kwargs}
    assert set(request.url.params) == query
    body = op["body"]
    if body is None or not request.content or not request.headers["content-type"].startswith("application/json"):
        return
    sent = set(json.loads(request.content))
    if body["shapes"]:  # keywords: the first shape's (the first overload's), which `call_args` passed
        shape, fields = body["shapes"][0], {f["keyword"]: f for f in body["fields"]}
        # What the SDK fills in is a required field's only value, never a spec default of an optional one.
        assert all(fields[k]["required"] for k in shape["defaults"]), shape["defaults"]
        passed = [k for k in shape["fields"] if k in kwargs or k in shape["defaults"]]
        assert sent == {fields[k]["wire_name"] for k in passed}
    else:
        model = kwargs["body"]
        given = {attr for attr, _ in model._required} | set(model._filled)
        assert sent == {key for attr, key in model._fields if attr in given}


@pytest.mark.parametrize(("api", "op"), _cases())
def test_each_parameter_is_documented_in_words(api: str, op: dict[str, Any], make_cn: Any, make_fg: Any) -> None:
    """`help(method)` says what each path, query and header parameter is: the spec's text, or a sentence with its
    name, place, type and values where the spec has none or only a placeholder (`GET /v0/offers/list Parameter`)."""
    client = make_cn() if api == "cnaught" else make_fg()
    doc = inspect.getdoc(getattr(getattr(client, op["resource"]), op["name"])) or ""
    for param in (p for p in op["params"] if p["location"] in ("path", "query", "header")):
        line = re.search(rf"^    {param['keyword']}: (.+)$", doc, flags=re.M)
        assert line is not None, f"{param['keyword']} is not documented"
        assert not re.search(r"[A-Z]+ /\S* Parameter", line.group(1)), line.group(0)


@pytest.mark.parametrize(("api", "op"), _cases())
def test_a_method_returns_the_resource_or_says_what_it_returns(
    api: str, op: dict[str, Any], make_cn: Any, make_fg: Any
) -> None:
    """A method on an enveloped answer returns the resource inside it; the exceptions say so in their docstring
    (and the package README lists them): `data` whole where it holds no single resource, and the members beside
    a returned resource, which the raw response keeps."""
    unwrap = op["unwrap"] or []
    client = make_cn() if api == "cnaught" else make_fg()
    method = getattr(getattr(client, op["resource"]), op["name"])
    returns = str(inspect.signature(method).return_annotation).removeprefix("builtins.")
    returns_data = len(unwrap) == 1 and not returns.startswith("list[")
    if op["success_status"] and not op["pagination"]:  # an enveloped answer: the resource in it, or `data` whole
        assert len(unwrap) == 2 or returns_data, unwrap
    envelope, beside = _envelope_and_beside(api, op)
    doc = " ".join((inspect.getdoc(method) or "").split())
    readme = (Path(PACKAGES[api].__file__).parents[1] / "README.md").read_text(encoding="utf-8")
    listed = f"`client.{op['resource']}.{op['name']}()` returns the"
    if returns_data:
        assert "The answer holds no single resource to return: this is its `data` object whole." in doc
        assert listed in readme
    for path in beside:
        assert f"`{path}`" in doc and f"`{path}`" in readme
        assert f"{envelope}.from_dict(raw.json())" in doc
    if not beside and not returns_data:
        assert listed not in readme


def _envelope_and_beside(api: str, op: dict[str, Any]) -> tuple[str, list[str]]:
    """The class of an unwrapped answer's whole body, read from the endpoint module's parsed type, and the
    attribute paths of the members of `data` beside the one the method returns (none unless it returns one)."""
    unwrap = op["unwrap"] or []
    if len(unwrap) != 2:
        return "", []
    module = importlib.import_module(f"{PACKAGES[api].__name__}.{op['endpoint']}")
    parsed = typing.get_args(typing.get_type_hints(module.sync)["return"])
    (envelope,) = [c for c in parsed if isinstance(c, type) and unwrap[0] in dict(getattr(c, "_fields", ()))]
    data = typing.get_type_hints(envelope)[unwrap[0]]  # the holder class (or `Holder | None`)
    holder = next(c for c in (typing.get_args(data) or (data,)) if isinstance(c, type))
    return envelope.__name__, [f"{unwrap[0]}.{attr}" for attr, _ in holder._fields if attr != unwrap[1]]


def test_operations_cover_every_kind() -> None:
    """The parametrised cases include reads and writes of Fungies and POSTs with and without an Idempotency-Key."""
    fg = _operations("fungies")
    assert {_api_key_headers("fungies", op) for op in fg} == {
        ("x-fngs-public-key",),
        ("x-fngs-public-key", "x-fngs-secret-key"),
    }
    cn_posts = [op for op in _operations("cnaught") if op["method"] == "POST"]
    with_key = [op for op in cn_posts if "idempotency-key" in _declared_headers("cnaught", op)]
    assert {op["operation_id"] for op in with_key} == {
        "SubmitOrder",
        "SubmitRideOrder",
        "CancelOrder",
        "CreateSubaccount",
    }
    assert len(cn_posts) > len(with_key)
