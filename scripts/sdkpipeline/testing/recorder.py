"""Records the contract fixtures: one vcrpy cassette per operation and case, the request made by the SDK.

For every documented response of every operation the recorder makes the SDK call against Prism
serving the normalized spec (`Prefer: code=<status>` picks the response), with obviously fake keys.
The response is the documented example when the vendor documents one (the spec's embedded examples,
the vendor's example files in specs/<api>/examples), else the one Prism made from the
schema. Each cassette's `metadata` says where its request and response come from.

`--live` records against the vendor's API with real keys from the environment instead; it is off by
default, needs the operations named one by one (a live call can create billable objects), and CI
never runs it. Either way secrets are scrubbed before anything is written, and a cassette that still
holds a key is refused.

    python -m sdkpipeline.recorder [API ...]              # re-record every fixture against Prism
    python -m sdkpipeline.recorder cnaught --live --operation GetListOfOrder
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import sys
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

import vcr
import vcr.serialize
from hypothesis import HealthCheck, Phase, find, settings
from hypothesis import strategies as st
from hypothesis_jsonschema import from_schema
from vcr.persisters.filesystem import CassetteNotFoundError
from vcr.serializers import yamlserializer

from ..errors import PipelineError
from ..spec.pointer import escape
from ..spec.statuses import is_success
from .contract import (
    SCRUBBED,
    Response,
    SpecOperation,
    _parameters,
    call_arguments,
    fake_credentials,
    load_operations,
    make_client,
    normalized_spec,
    registry,
    request_schema,
    resolve,
    secret_header_names,
    server_url,
    standalone_schema,
)
from .mockserver import PRISM_VERSION, PrismServer, prism_server

# Request headers worth keeping in a fixture; the rest (host, user-agent, accept-encoding, …) are
# transport details that change with the httpx version.
_KEPT_REQUEST_HEADERS = {"content-type", "accept"}
_KEPT_RESPONSE_HEADERS = {"content-type"}
# A tiny image for the raw upload operations (the mock server does not look into it).
_UPLOAD_BODY = b'<svg xmlns="http://www.w3.org/2000/svg" width="1" height="1"/>'
_SHORTEST_SECRET = 6
# String formats OpenAPI documents use that hypothesis-jsonschema does not generate by itself.
_FORMATS: dict[str, st.SearchStrategy[str]] = {"uuid": st.uuids().map(str), "binary": st.text(max_size=8)}


@dataclass
class Case:
    """One fixture to record: an operation, the response status it covers, where each side comes from."""

    operation: SpecOperation
    name: str
    status: int
    covers: str
    response_body: Any = None  # the documented body; None: keep what the server answered
    response_source: str = ""
    request_body: bytes | None = None
    request_source: str = ""
    content_type: str | None = None
    headers: dict[str, str] = field(default_factory=dict)  # header parameters sent (wire name → value)

    @property
    def stem(self) -> str:
        return f"{self.operation.record.operation_id}__{self.name}"


@dataclass
class Outcome:
    """What recording one case did."""

    case: Case
    path: Path | None
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_") or "example"


def _settings() -> settings:
    # derandomize: re-recording gives the same bodies; database=None: no .hypothesis writes from here.
    return settings(
        database=None,
        derandomize=True,
        max_examples=10,
        phases=[Phase.generate, Phase.shrink],  # the default "explain" phase costs seconds per schema
        suppress_health_check=list(HealthCheck),
        deadline=None,
    )


def schema_strategy(schema: Any) -> st.SearchStrategy[Any]:
    """hypothesis-jsonschema's strategy for a standalone schema, with the OpenAPI formats it lacks."""
    strategy: st.SearchStrategy[Any] = from_schema(schema, custom_formats=_FORMATS)
    return strategy


def generated_instance(schema: Any) -> Any:
    """A deterministic schema-valid instance: the smallest one hypothesis shrinks to."""
    return find(schema_strategy(schema), lambda _: True, settings=_settings())


def request_examples(operation: SpecOperation) -> list[tuple[str, str, bytes]]:
    """(case name, source, body) of every documented request body: the spec's, then the vendor's files."""
    doc = normalized_spec(operation.api.name)
    found: list[tuple[str, str, bytes]] = []
    body = operation.spec.get("requestBody")
    if body:
        where = f"{operation.pointer}/requestBody/content"
        for media, content in (resolve(doc, body).get("content") or {}).items():
            escaped = escape(media)
            if "example" in content:
                found.append(
                    ("request_spec_example", f"spec example {where}/{escaped}/example", _json(content["example"]))
                )
            for name, example in (content.get("examples") or {}).items():
                example = resolve(doc, example)
                if isinstance(example, dict) and "value" in example:
                    source = f"spec example {where}/{escaped}/examples/{name}"
                    found.append((f"request_spec_{slug(name)}", source, _json(example["value"])))
    folder = operation.api.examples_dir
    for path in sorted(folder.glob(f"{operation.record.operation_id}__request_*.json")):
        case = path.stem.split("__", 1)[1]
        body_bytes = _json(json.loads(path.read_text(encoding="utf-8")))
        found.append((case, f"vendor example file {operation.api.name}/examples/{path.name}", body_bytes))
    return found


def _json(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode()


def default_request(operation: SpecOperation) -> tuple[bytes | None, str, str | None]:
    """(body, source, content type) of the request every case of an operation sends."""
    if not operation.request_content_types:
        return None, "no request body", None
    if operation.request_content_types == ("application/octet-stream",):
        return _UPLOAD_BODY, "a one-pixel SVG image made up by the recorder", "application/octet-stream"
    documented = request_examples(operation)
    if documented:
        _, source, body = documented[0]
        return body, source, "application/json"
    _, schema = request_schema(operation)
    instance = generated_instance(schema)
    return (
        _json(instance),
        "generated from the request schema (hypothesis-jsonschema, derandomized)",
        "application/json",
    )


def path_values(operation: SpecOperation) -> dict[str, str]:
    """A value for every path parameter: its documented example, else a generated one."""
    return parameter_values(operation, "path")


def parameter_values(operation: SpecOperation, location: str) -> dict[str, str]:
    """A value for every parameter in `location` (path, header): its documented example, else a generated one."""
    doc = normalized_spec(operation.api.name)
    return {
        str(parameter["name"]): _parameter_value(doc, parameter)
        for parameter in _parameters(operation)
        if parameter.get("in") == location
    }


def _parameter_value(doc: dict[str, Any], parameter: Mapping[str, Any]) -> str:
    """A parameter's documented example (of it or of its schema, else its default), else a generated one."""
    schema = resolve(doc, parameter.get("schema") or {})
    value = _documented_value(parameter, schema)
    if value is not None:
        return str(value)
    if schema.get("type") == "string" and set(schema) <= {"type", "description", "title"}:
        return f"example-{parameter['name']}"
    return str(
        find(
            schema_strategy(standalone_schema(doc, schema)),
            lambda v: isinstance(v, str) and re.fullmatch(r"[A-Za-z0-9._~-]+", v) is not None,
            settings=_settings(),
        )
    )


def _documented_value(parameter: Mapping[str, Any], schema: Mapping[str, Any]) -> str | int | None:
    """The first non-empty text or number among the parameter's examples, its schema's, and its default."""
    candidates = [parameter.get("example"), *(parameter.get("examples") or {}).values()]
    candidates += [schema.get("example"), *(schema.get("examples") or []), schema.get("default")]
    return next((c for c in candidates if isinstance(c, str | int) and str(c)), None)


def plan(api_name: str, operation_ids: Sequence[str] | None = None) -> list[Case]:
    """Every case to record: each documented example of each response, else one recorded response."""
    cases: list[Case] = []
    for op_id, operation in load_operations(api_name).items():
        if not operation_ids or op_id in operation_ids:
            cases += _operation_cases(operation)
    return cases


def _response_cases(operation: SpecOperation, status: int, response: Response, request: dict[str, Any]) -> list[Case]:
    """The cases of one documented status: each spec example and vendor example file, else what Prism makes."""
    success = is_success(status)
    prefix = "" if success else f"{status}_"
    kind = "success" if success else "error"
    documented: list[Case] = []
    for name, where, example in response.examples:
        covers = f"{status} {kind} response: the spec's example {name!r}"
        documented.append(
            Case(operation, f"{prefix}spec_{slug(name)}", status, covers, response_body=example,
                 response_source=f"spec example {where}", **request)
        )  # fmt: skip
    for path in _example_files(operation, status):
        covers = f"{status} {kind} response: the vendor's example file {path.name}"
        documented.append(
            Case(operation, path.stem.split("__", 1)[1], status, covers,
                 response_body=json.loads(path.read_text(encoding="utf-8")),
                 response_source=f"vendor example file {operation.api.name}/examples/{path.name}", **request)
        )  # fmt: skip
    if not documented:
        covers = f"{status} {kind} response, none documented: what Prism makes from the schema"
        documented.append(Case(operation, f"{prefix}prism", status, covers, **request))
    return documented


def _example_files(operation: SpecOperation, status: int) -> list[Path]:
    """The vendor's example response files of one status (`<operationId>__<status>_<case>.json`; no status: success)."""
    found = []
    for path in sorted(operation.api.examples_dir.glob(f"{operation.record.operation_id}__*.json")):
        file_case = path.stem.split("__", 1)[1]
        file_status = int(file_case[:3]) if file_case[:3].isdigit() else operation.success_status
        if not file_case.startswith("request_") and file_status == status:
            found.append(path)
    return found


def _operation_cases(operation: SpecOperation) -> list[Case]:
    body, body_source, content_type = default_request(operation)
    request: dict[str, Any] = {"request_body": body, "request_source": body_source, "content_type": content_type}
    cases: list[Case] = []
    for status, response in operation.responses.items():
        cases += _response_cases(operation, status, response, request)
    # Header parameters (X-Subaccount-Id, Idempotency-Key) are sent by one success case, so the replay sees
    # the SDK send each under its wire name.
    headers = parameter_values(operation, "header")
    if headers:
        cases.append(
            Case(
                operation, "with_header_parameters", operation.success_status,
                f"{operation.success_status} success with every header parameter sent ({', '.join(headers)})",
                headers=headers, **request,
            )
        )  # fmt: skip
    # Every further documented request body gets its own success case.
    for name, source, example in request_examples(operation)[1:]:
        cases.append(
            Case(
                operation, f"with_{name}", operation.success_status,
                f"{operation.success_status} success for the documented request body {name}",
                request_body=example, request_source=source, content_type="application/json",
            )
        )  # fmt: skip
    return cases


class _Unsaved:
    """A vcrpy persister that never loads nor saves: the recorder writes the cassette itself."""

    @classmethod
    def load_cassette(cls, cassette_path: Any, serializer: Any) -> Any:
        raise CassetteNotFoundError()

    @staticmethod
    def save_cassette(cassette_path: Any, cassette_dict: Any, serializer: Any) -> None:
        return None


def _recorder(api_name: str, *, origin: str, secret_headers: set[str]) -> vcr.VCR:
    """A vcrpy recorder whose hooks scrub and trim every exchange before vcrpy keeps it."""
    base = server_url(api_name)

    def before_request(request: Any) -> Any:
        kept = {}
        for name, value in request.headers.items():
            lower = name.lower()
            if lower in secret_headers:
                kept[lower] = _scrubbed(lower, value)
            elif lower in _KEPT_REQUEST_HEADERS or lower.startswith("x-") or lower == "idempotency-key":
                kept[lower] = value
        request.headers = kept
        if request.uri.startswith(origin):
            request.uri = base + request.uri[len(origin) :]
        return request

    def before_response(response: dict[str, Any]) -> dict[str, Any]:
        headers = response["headers"]
        response["headers"] = {k.lower(): v for k, v in headers.items() if k.lower() in _KEPT_RESPONSE_HEADERS}
        for name in list(headers):
            if name.lower() in secret_headers:
                response["headers"][name.lower()] = [SCRUBBED]
        return response

    recorder = vcr.VCR(
        record_mode="all",
        before_record_request=before_request,
        before_record_response=before_response,
        decode_compressed_response=True,
    )
    recorder.register_persister(_Unsaved)
    return recorder


def _scrubbed(header: str, value: str) -> str:
    # Keep the scheme of an Authorization header: a replay can still see which scheme was used.
    if header in ("authorization", "proxy-authorization") and " " in value:
        return f"{value.split(' ', 1)[0]} {SCRUBBED}"
    return SCRUBBED


def find_secrets(text: str, secrets: Sequence[str]) -> list[str]:
    """Which of the secrets (or their header-scheme-less forms) still appear in the text."""
    return [s for s in secrets if len(s) >= _SHORTEST_SECRET and s in text]


def write_cassette(path: Path, cassette: Mapping[str, Any], *, secrets: Sequence[str]) -> None:
    """Serialise with vcrpy and write, refusing a cassette that still holds one of the secrets."""
    text: str = vcr.serialize.serialize(dict(cassette), yamlserializer)
    leaked = find_secrets(text, secrets)
    if leaked:
        raise PipelineError(
            f"refusing to write a fixture that still holds {len(leaked)} secret(s)",
            file=path,
            hint="scrub the header or body that carries it (recorder._recorder hooks) and record again",
        )
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def record_case(
    case: Case,
    base_url: str,
    *,
    credentials: Mapping[str, str],
    prefer_status: bool,
    source: str,
) -> dict[str, Any]:
    """Make the case's SDK call against `base_url`; the cassette (requests, responses, metadata) to write."""
    operation = case.operation
    api_name = operation.api.name
    path = operation.record.path
    for name, value in path_values(operation).items():
        path = path.replace("{" + name + "}", _quote(value))
    uri = base_url.rstrip("/") + path
    arguments = call_arguments(
        operation, uri=uri, body=case.request_body, content_type=case.content_type, base_url=base_url,
        headers=case.headers,
    )  # fmt: skip
    headers = dict(credentials)
    if prefer_status:
        headers["Prefer"] = f"code={case.status}"
    client = make_client(operation, base_url, headers=headers)
    secret_headers = secret_header_names(api_name) | {"prefer"}
    with _recorder(api_name, origin=base_url.rstrip("/"), secret_headers=secret_headers).use_cassette(
        f"{case.stem}.yaml"
    ) as cassette:
        failure: Exception | None = None
        try:
            operation.module.sync_detailed(client=client, **arguments)
        except Exception as exc:  # the replay tests judge the SDK's parse; here only the exchange counts
            failure = exc
        requests = list(cassette.requests)
        responses = [response for _, response in cassette.data]
    if len(requests) != 1:
        raise PipelineError(f"{case.stem}: expected one exchange, recorded {len(requests)} ({failure!r})")
    request, response = requests[0], responses[0]
    # The Prefer header only steers the mock server; the SDK never sends it.
    request.headers = {k: v for k, v in request.headers.items() if k != "prefer"}
    response_source = source
    if case.response_body is not None:
        response["body"] = {"string": _json(case.response_body)}
        response_source = case.response_source
    metadata = {
        "operation": operation.record.operation_id,
        "case": case.name,
        "status": case.status,
        "covers": case.covers,
        "source": {"request": f"{source}; body: {case.request_source}", "response": response_source},
    }
    return {"requests": [request], "responses": [response], "metadata": metadata}


def _quote(value: str) -> str:
    return quote(value, safe="")


def record_against_prism(
    api_name: str, server: PrismServer, out_dir: Path, *, operation_ids: Sequence[str] | None = None
) -> list[Outcome]:
    """Record every planned case of an API against a running Prism; a case Prism flags is not written."""
    outcomes: list[Outcome] = []
    spec = registry()[api_name].normalized_spec.name
    source = f"recorded against Prism {PRISM_VERSION} (static mock of specs/{api_name}/{spec})"
    for case in plan(api_name, operation_ids):
        credentials = fake_credentials(case.operation)
        seen = len(server.violations())
        cassette = record_case(case, server.base_url, credentials=credentials, prefer_status=True, source=source)
        problems = [f"{v['location'] or 'request'}: {v['message']}" for v in server.violations()[seen:]]
        notes, wrong_status = _status_findings(case, cassette, violations=bool(problems))
        problems += wrong_status
        path = out_dir / api_name / f"{case.stem}.yaml"
        if problems:
            outcomes.append(Outcome(case, None, problems))
            continue
        secrets = [v.split(" ", 1)[-1] for v in credentials.values()]
        write_cassette(path, cassette, secrets=secrets)
        outcomes.append(Outcome(case, path, notes=notes))
    return outcomes


def _status_findings(case: Case, cassette: dict[str, Any], *, violations: bool) -> tuple[list[str], list[str]]:
    """(findings, problems) of the status Prism answered a case with (`violations`: the request broke the spec)."""
    response = cassette["responses"][0]
    got = response["status"]["code"]
    mock_errors = _response_violations(response) if got == 500 else []
    if got != case.status and mock_errors and not violations:
        # Prism's own mock response breaks the spec (an invalid example in it): the finding is
        # reported, and the fixture gets a schema-valid body made from the response schema instead.
        _generated_response(case, cassette)
        return [f"Prism's mock {case.status} response violates the spec: {'; '.join(mock_errors)}"], []
    if got != case.status:
        return [], [f"Prism answered {got}, not {case.status}"]
    return [], []


def _response_violations(response: Mapping[str, Any]) -> list[str]:
    """The response-side problems Prism lists in its own 500 (`--errors`), as `pointer: message`."""
    try:
        body = json.loads(response["body"]["string"])
    except (ValueError, TypeError, KeyError):
        return []
    if not isinstance(body, dict) or not str(body.get("type", "")).endswith("#VIOLATIONS"):
        return []
    return [
        "/" + "/".join(str(t) for t in v.get("location", [])) + f": {v.get('message')}"
        for v in body.get("validation") or []
        if (v.get("location") or [""])[0] == "response"
    ]


def _generated_response(case: Case, cassette: dict[str, Any]) -> None:
    operation = case.operation
    documented = operation.responses[case.status]
    schema = standalone_schema(normalized_spec(operation.api.name), documented.schema)
    response = cassette["responses"][0]
    response["status"] = {"code": case.status, "message": ""}
    response["headers"] = {"content-type": [documented.media_type or "application/json"]}
    response["body"] = {"string": _json(generated_instance(schema))}
    cassette["metadata"]["source"]["response"] = (
        "generated from the response schema (hypothesis-jsonschema, derandomized): "
        "Prism's mock response for it violates the spec"
    )


def live_credentials(operation: SpecOperation) -> tuple[dict[str, str], list[str]]:
    """Real keys from the environment (<ENV_PREFIX>_API_KEY, or <ENV_PREFIX>_<HEADER> per key header)."""
    prefix = operation.api.env_prefix
    headers: dict[str, str] = {}
    missing: list[str] = []
    for name, fake in fake_credentials(operation).items():
        variable = f"{prefix}_API_KEY" if name == "Authorization" else f"{prefix}_{_env_name(name)}"
        value = os.environ.get(variable)
        if not value:
            missing.append(variable)
            continue
        headers[name] = f"Bearer {value}" if fake.startswith("Bearer ") else value
    return headers, missing


def _env_name(header: str) -> str:
    return re.sub(r"\W", "_", header).upper()


def record_live(api_name: str, operation_ids: Sequence[str], out_dir: Path) -> list[Outcome]:
    """Record the named operations against the vendor's API (keys from the environment)."""
    operations = load_operations(api_name)
    outcomes: list[Outcome] = []
    for op_id in operation_ids:
        if op_id not in operations:
            raise PipelineError(f"{api_name} has no operation {op_id!r}")
        operation = operations[op_id]
        credentials, missing = live_credentials(operation)
        if missing:
            raise PipelineError(f"live recording of {op_id} needs {', '.join(missing)} in the environment")
        body, body_source, content_type = default_request(operation)
        case = Case(operation, "live", operation.success_status, "a live exchange", request_body=body,
                    request_source=body_source, content_type=content_type)  # fmt: skip
        cassette = record_case(
            case, server_url(api_name), credentials=credentials, prefer_status=False,
            source=f"recorded against the live {api_name} API",
        )  # fmt: skip
        status = int(cassette["responses"][0]["status"]["code"])
        case.name = "live" if is_success(status) else f"{status}_live"
        cassette["metadata"].update(case=case.name, status=status)
        path = out_dir / api_name / f"{case.stem}.yaml"
        secrets = [v.split(" ", 1)[-1] for v in credentials.values()]
        write_cassette(path, cassette, secrets=secrets)
        outcomes.append(Outcome(case, path))
    return outcomes


@contextlib.contextmanager
def _servers(api_names: Sequence[str]) -> Iterator[dict[str, PrismServer]]:
    with contextlib.ExitStack() as stack:
        yield {
            name: stack.enter_context(prism_server(registry()[name].normalized_spec, errors=True)) for name in api_names
        }


def run_recorder(apis: Sequence[str], *, operations: Sequence[str], out: Path | None, live: bool) -> int:
    """`sdkpipeline record`: record the contract fixtures (against Prism unless `live`); 1 when one is refused."""
    for api in registry().values():
        sys.path.insert(0, str(api.output_dir))
    names = list(apis) or list(registry())
    out = out or registry()[names[0]].repo.fixtures
    if live:
        if len(names) != 1 or not operations:
            raise PipelineError("--live records one API and only the operations named with --operation")
        outcomes = record_live(names[0], operations, out)
    else:
        outcomes = []
        with _servers(names) as servers:
            for name in names:
                outcomes += record_against_prism(name, servers[name], out, operation_ids=operations)
    return _report(outcomes)


def _report(outcomes: list[Outcome]) -> int:
    """Print each case's outcome and findings, then the count; 1 when one was refused."""
    failed = 0
    for outcome in outcomes:
        if outcome.problems:
            failed += 1
            print(f"FAIL {outcome.case.stem}: {'; '.join(outcome.problems)}")
        else:
            print(f"ok   {outcome.case.stem}")
        for note in outcome.notes:
            print(f"     finding: {note}")
    print(f"{len(outcomes) - failed} fixture(s) written, {failed} refused")
    return 1 if failed else 0
