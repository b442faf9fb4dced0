"""What a generated resource method calls: `call` (blocking) and `call_async` (asyncio), with the method's
arguments and the operation's record; everything between the arguments and the answer happens here, once.

A generated method is its signature, its docstring and one line: `call(self._client, _OP_CANCEL, locals())`
(`locals()` at the method's first line: exactly its arguments, by the names the record gives them). From the
record (`_request.Operation`) this module checks the arguments (an empty path parameter, a deprecated operation),
builds the body (keywords or `body=`), fills the generated endpoint function's `_get_kwargs` (imported on first
call, so importing a resource loads no model), and asks the engine for what the call answers: the parsed and
unwrapped body, the first page of a list, or (through `with_raw_response` and `with_streaming_response`, see
`_response.py`) the raw or streamed response.

Hand-written runtime (templates/runtime/_resource.py), copied unchanged into each SDK.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ._pagination import AsyncPage, AsyncPaginator, SyncPage
from ._request import Operation, RequestOptions, check_path_params, json_body, warn_deprecated
from ._response import Mode, response_mode
from ._sentinels import UNSET

if TYPE_CHECKING:
    from types import ModuleType

    from ._base_client import AsyncAPIClient, SyncAPIClient
    from ._models import Responses

__all__ = ["OPTIONS_DOC", "call", "call_async", "document_options"]

# The package this module is copied into (`<package>._resource`): the endpoint modules are its own.
_PACKAGE = __name__.rpartition(".")[0]

# The options every method takes, documented once here and added to each method's docstring at import
# (`document_options`), so `help(client.orders.retrieve)` shows them and the generated modules do not repeat them.
OPTIONS_DOC = """Options (every method takes them):
    extra_headers: headers sent with this call, over the client's `default_headers` and the SDK's own.
    extra_query: query parameters sent as given; they win over the SDK's of the same name.
    extra_body: JSON body members sent as given; they win over the SDK's of the same name.
    timeout: this call's timeout, in seconds or an `httpx.Timeout`, instead of the client's.
    max_retries: how many times this call is retried, instead of the client's `max_retries`."""


@dataclass(frozen=True)
class _Call:
    """One call of an operation, ready to send: the endpoint module's arguments, and the request options."""

    operation: Operation
    endpoint: ModuleType  # the generated endpoint module: `_get_kwargs` builds the request, `_RESPONSES` reads it
    arguments: dict[str, Any]  # `_get_kwargs` arguments
    options: RequestOptions

    @property
    def responses(self) -> Responses:
        responses: Responses = self.endpoint._RESPONSES
        return responses

    def request(self, page: Mapping[str, Any] | None = None) -> dict[str, Any]:
        """The httpx request arguments, for the first page or (`page`: the cursor's arguments) a later one."""
        kwargs: dict[str, Any] = self.endpoint._get_kwargs(**{**self.arguments, **(page or {})})
        return kwargs


def _prepare(operation: Operation, arguments: Mapping[str, Any]) -> _Call:
    """Check a method's arguments and map them to its endpoint function's; nothing is sent yet."""
    warn_deprecated(operation)
    check_path_params(operation, arguments)
    endpoint_arguments = {p.argument: arguments[p.keyword] for p in operation.params if p.location != "body"}
    if operation.body is not None and operation.body.shapes:
        endpoint_arguments["body"] = json_body(operation, arguments)
    elif operation.body is not None:
        keyword = next(p.keyword for p in operation.params if p.location == "body")
        given = arguments[keyword]
        endpoint_arguments["body"] = _file(given, keyword) if operation.body.file and given is not UNSET else given
    endpoint = importlib.import_module(f".{operation.endpoint}", _PACKAGE)
    return _Call(operation, endpoint, endpoint_arguments, RequestOptions.of(arguments))


def document_options(*classes: type) -> None:
    """Add `OPTIONS_DOC` to the docstring of each public method of `classes` that takes the options, indented as
    the docstring is (a resource module calls it once, for its blocking and asyncio classes)."""
    for cls in classes:
        for name, method in vars(cls).items():
            code = getattr(method, "__code__", None)
            if name.startswith("_") or code is None or "extra_headers" not in code.co_varnames:
                continue
            doc = method.__doc__ or ""
            lines = doc.splitlines()[1:]
            indent = min((len(line) - len(line.lstrip()) for line in lines if line.strip()), default=0)
            options = "\n".join(" " * indent + line for line in OPTIONS_DOC.splitlines())
            method.__doc__ = f"{doc.rstrip()}\n\n{options}\n{' ' * indent}"


def _file(value: object, keyword: str) -> Any:
    """A file given in any form `_files.upload` reads, as the package's `File` the endpoint function sends."""
    import io

    from ._files import upload

    file_name, content, content_type = upload(value, name=keyword)
    file_class = importlib.import_module(".types", _PACKAGE).File
    return file_class(payload=io.BytesIO(content), file_name=file_name, mime_type=content_type)


def _first(
    client: SyncAPIClient | AsyncAPIClient, call: _Call, mode: Mode, result: Callable[[Any], Any] | None = None
) -> Any:
    """The engine's answer to the (first page's) request: what the method returns, or the raw or streamed response
    whose `parse()` gives it (`result` of the parsed body: a list's first page)."""
    answer: Any = client._answer(mode, call.operation, call.request(), call.responses, call.options, result)
    return answer


def call(client: SyncAPIClient, operation: Operation, arguments: Mapping[str, Any]) -> Any:
    """What a blocking resource method returns: the body parsed and unwrapped (a list: its first page), or the
    raw or streamed response when a wrapper asks for one."""
    mode = response_mode()
    prepared = _prepare(operation, arguments)
    pagination = operation.pagination
    if pagination is None:
        return _first(client, prepared, mode)

    def fetch(page: Mapping[str, Any]) -> Any:
        return client.request(operation, prepared.request(page), prepared.responses, prepared.options)

    if mode == "parse":
        return SyncPage.first(fetch=fetch, pagination=pagination, params=prepared.arguments)

    def first_page(parsed: Any) -> SyncPage[Any]:
        return SyncPage(fetch=fetch, pagination=pagination, params=prepared.arguments, parsed=parsed)

    return _first(client, prepared, mode, first_page)


def call_async(client: AsyncAPIClient, operation: Operation, arguments: Mapping[str, Any]) -> Any:
    """What an asyncio resource method awaits, or (a list) returns: an `AsyncPaginator`, which is awaited for the
    first page or iterated with `async for`."""
    mode = response_mode()
    prepared = _prepare(operation, arguments)
    pagination = operation.pagination
    if pagination is None:
        return _first(client, prepared, mode)

    async def fetch(page: Mapping[str, Any]) -> Any:
        return await client.request(operation, prepared.request(page), prepared.responses, prepared.options)

    if mode == "parse":
        return AsyncPaginator(fetch=fetch, pagination=pagination, params=prepared.arguments)

    def first_page(parsed: Any) -> AsyncPage[Any]:
        return AsyncPage(fetch=fetch, pagination=pagination, params=prepared.arguments, parsed=parsed)

    return _first(client, prepared, mode, first_page)
