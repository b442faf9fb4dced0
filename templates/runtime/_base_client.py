"""The request engine under each SDK's client and its async twin: auth, retries, errors, logging.

Hand-written runtime (templates/runtime/_base_client.py), copied unchanged into each SDK; what differs
between APIs (security schemes, which operations carry an idempotency key, the success envelope) comes
from the spec through the `Operation` and `Credential` records the generated modules pass in.

The server is not trusted: a key never leaves the origin of `base_url` (a redirect elsewhere is a
`RedirectError`, not followed), nor shows in an error, a repr or a log record (keys are checked when the
client is made, so no library error can quote one); a body is read within `max_response_size` and each
attempt within its timeout as a whole (`_transport`).
"""

from __future__ import annotations

import _thread  # threading's lock, without importing threading (not loaded at start-up)
import time

from ._exceptions import (
    APIConnectionError,
    APIError,
    APIResponseValidationError,
    APITimeoutError,
    ClientClosedError,
    MissingCredentialsError,
    RedirectError,
    ResponseTooLargeError,
    decode_json,
    make_status_error,
)
from ._sentinels import NOT_GIVEN, NotGiven

# Not `from typing import TYPE_CHECKING`: importing typing (re, enum, collections, ...) would be most of
# what importing the package costs; type checkers treat any `TYPE_CHECKING` name as true.
TYPE_CHECKING = False
if TYPE_CHECKING:
    import logging
    from collections.abc import Awaitable, Callable, Mapping, Sequence
    from typing import Any, Final, TypeAlias, TypeVar

    # httpx (like logging, uuid, random and email.utils) is imported where a request is built or sent, not
    # here: it is most of what importing the package would otherwise cost (ssl, email, ...), and
    # constructing a client sends nothing.
    import httpx

    from ._files import FileInput
    from ._models import Responses
    from ._request import Operation, RequestOptions, TimeoutTypes
    from ._response import (
        APIResponse,
        AsyncStreamedAPIResponse,
        Mode,
        StreamedAPIResponse,
    )
    from ._transport import BodyReader

    T = TypeVar("T")
    # The files of a custom request's multipart body: field name → file, or (field name, file) pairs.
    Files: TypeAlias = Mapping[str, FileInput] | Sequence[tuple[str, FileInput]]

__all__ = [
    "DEFAULT_MAX_RESPONSE_SIZE",
    "NOT_GIVEN",
    "AsyncAPIClient",
    "Credential",
    "NotGiven",
    "SyncAPIClient",
]

# The package's own name (this module is `<package>._base_client`).
LOGGER_NAME: Final = __name__.rpartition(".")[0]


def _log() -> logging.Logger:
    """The SDK's logger; logging loads with the first request (httpx imports it then anyway), not at import."""
    import logging

    return logging.getLogger(LOGGER_NAME)


# The levels `<PREFIX>_LOG` may name (as OPENAI_LOG does); the variable is read once, by the first request.
LOG_LEVELS: Final = {"debug": 10, "info": 20}
_log_configured = False


def _configure_log(variable: str | None) -> None:
    """At the first request: `<PREFIX>_LOG=debug|info` in the environment gives the SDK's logger that level and a
    handler printing to stderr (keys redacted, as in every record); unset, the logger is left as the application
    configured it. Another value is ignored, with a warning naming the variable."""
    global _log_configured  # once per process, as the logging module's own configuration is
    if _log_configured or not variable:
        return
    _log_configured = True
    import os

    given = os.environ.get(variable, "").strip()
    if not given:
        return
    level = LOG_LEVELS.get(given.lower())
    if level is None:
        import warnings

        warnings.warn(f"{variable}={given!r} is ignored: it is 'debug' or 'info'", RuntimeWarning, stacklevel=4)
        return
    import logging

    logger = logging.getLogger(LOGGER_NAME)
    logger.setLevel(level)
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("[%(asctime)s %(name)s %(levelname)s] %(message)s"))
    logger.addHandler(handler)


# Statuses worth another attempt (RFC 9110: 408 Request Timeout, 429 Too Many Requests, 5xx).
RETRY_STATUSES: Final = frozenset({408, 429})
# The response headers a request id is read from (`_request_id` of what a method returns), the first present:
# neither API documents one; these are the names servers and gateways commonly send.
REQUEST_ID_HEADERS: Final = ("x-request-id", "request-id")
# Headers whose values never reach a log record (the security schemes' headers are added per client).
ALWAYS_REDACTED: Final = frozenset({"authorization", "proxy-authorization", "cookie", "set-cookie"})

INITIAL_RETRY_DELAY: Final = 0.5
MAX_RETRY_DELAY: Final = 8.0
# A Retry-After longer than this (or unreadable, or in the past) is not waited for: the backoff is used instead.
MAX_RETRY_AFTER: Final = 60.0
DEFAULT_MAX_RETRIES: Final = 2
# The largest response body a client reads, as sent and decoded: over a hundred times the largest answer
# either API documents (a page of 100 items of a few KB), and small enough that a hostile answer (a gzip
# bomb, an endless body) costs tens of MB, not gigabytes. A client option: `max_response_size`.
DEFAULT_MAX_RESPONSE_SIZE: Final = 32 * 2**20
# The content codings the runtime decodes itself, within the limit (`_transport.BodyReader`).
ACCEPT_ENCODING: Final = "gzip, deflate"
# What a cookie value cannot hold (RFC 6265 §4.1.1) besides spaces and control characters.
COOKIE_SEPARATORS: Final = '";,\\'
DEFAULT_PORTS: Final = {"http": 80, "https": 443}


class Credential:
    """One security scheme of the spec: the argument and environment variable it is read from, and where it is sent.

    `location` is "header" (an API key header, or `Authorization` with a `Bearer ` prefix), "query" or
    "cookie"; `name` is the header, query parameter or cookie the key is sent as.
    """

    # Not a dataclass: `_client` builds these at import, and importing dataclasses (inspect, ast, dis, ...)
    # would cost more than the rest of the package import.
    __slots__ = ("env", "location", "name", "parameter", "prefix", "scheme")

    def __init__(
        self, *, scheme: str, parameter: str, env: str, name: str, location: str = "header", prefix: str = ""
    ) -> None:
        if location not in ("header", "query", "cookie"):
            raise ValueError(f"a credential is sent in a header, the query or a cookie, not {location!r}")
        self.scheme = scheme
        self.parameter = parameter
        self.env = env
        self.name = name
        self.location = location
        self.prefix = prefix

    def __repr__(self) -> str:
        return (
            f"Credential(scheme={self.scheme!r}, parameter={self.parameter!r}, env={self.env!r}, "
            f"name={self.name!r}, location={self.location!r}, prefix={self.prefix!r})"
        )


class _Pool:
    """The connection pool a client sends through: the httpx client the caller gave (`given`: this SDK never closes
    it, the clients follow its state), or the one made on first use (`made`, closed with the client that made it).
    The copies `with_options()` makes share it (and see it closed when that client is)."""

    __slots__ = ("closed", "given", "lock", "made")

    def __init__(self, given: Any) -> None:
        self.given = given
        self.made: Any = None
        self.closed = False
        self.lock = _thread.allocate_lock()

    def current(self) -> Any:
        """The httpx client requests go through now (None until one is made)."""
        return self.given if self.given is not None else self.made


class _BaseClient:
    """State and decisions shared by the sync and async engines (no I/O here)."""

    # The engines set it (`_Pool` of the caller's httpx client or of the one they make).
    _pool: _Pool
    # What a custom request (`client.get(path, ...)`) takes of the API beyond its keys, set by the generated client
    # from the operations: the header that makes a write safe to retry, and the success envelope's `status`.
    _idempotency_header: str | None = None
    _success_status: str | None = None
    # The environment variable that turns the SDK's logging on (`<PREFIX>_LOG`), set by the generated client.
    _log_env: str | None = None

    if TYPE_CHECKING:
        # Each engine's own (the async engine's are coroutines); `_answer` picks one.
        def request(
            self, operation: Operation, kwargs: Mapping[str, Any], responses: Responses, options: RequestOptions
        ) -> Any: ...

        def request_raw(
            self,
            operation: Operation,
            kwargs: Mapping[str, Any],
            responses: Responses,
            options: RequestOptions,
            *,
            result: Callable[[Any], Any] | None = None,
        ) -> Any: ...

        def request_stream(
            self,
            operation: Operation,
            kwargs: Mapping[str, Any],
            responses: Responses,
            options: RequestOptions,
            *,
            result: Callable[[Any], Any] | None = None,
        ) -> Any: ...

    _credentials: tuple[Credential, ...] = ()

    def __init__(
        self,
        *,
        keys: Mapping[str, str | None],
        base_url: str,
        timeout: TimeoutTypes | NotGiven,
        max_retries: int,
        default_headers: Mapping[str, str] | None,
        user_agent: str,
        random_fn: Callable[[], float] | None,
        strict_response_validation: bool = False,
        max_response_size: int = DEFAULT_MAX_RESPONSE_SIZE,
    ) -> None:
        if max_retries < 0:
            raise ValueError(f"max_retries must be 0 or more, not {max_retries}")
        if max_response_size < 1:
            raise ValueError(f"max_response_size must be 1 byte or more, not {max_response_size}")
        self._keys = dict(keys)
        self._check_keys()
        # The texts a key may show as (itself, URL-encoded), masked in every error and log record: made when
        # first needed (urllib.parse is not loaded to construct a client).
        self._key_texts: list[str] | None = None
        self.max_response_size = max_response_size
        self._closed = False
        self._owns_pool = True  # False for a copy sending through the pool of the client it was made from
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        self.max_retries = max_retries
        # Off (the default): responses parse leniently (unknown enum values and fields kept, forgotten nulls
        # and missing fields tolerated); on: any of those is an APIResponseValidationError naming the path.
        self.strict_response_validation = strict_response_validation
        self._default_headers = {
            "User-Agent": user_agent,
            "Accept-Encoding": ACCEPT_ENCODING,
            **(default_headers or {}),
        }
        for name, value in self._default_headers.items():
            problem = _malformed(value, spaces=True)
            if problem:
                raise ValueError(f"{type(self).__name__}: {_header_problem(name, problem)}")
        # None: `random.random`, imported when the first retry waits (nothing random happens before).
        self._random = random_fn
        self._redacted = ALWAYS_REDACTED | {c.name.lower() for c in self._credentials if c.location == "header"}
        # Query parameters that carry a key: their values are masked in logged URLs.
        self._secret_params = frozenset(c.name for c in self._credentials if c.location == "query")

    # -- keys -----------------------------------------------------------------------------------------

    def _check_keys(self) -> None:
        """Refuse a key that cannot be sent as it is, naming its argument and variable and never showing it.

        httpx would refuse it at the first request, in an error that quotes the whole header (key included);
        a key read from a file with its line break is the usual case.
        """
        for c in self._credentials:
            value = self._keys.get(c.parameter)
            if not value:
                continue
            problem = _malformed(value, spaces=False, also=COOKIE_SEPARATORS if c.location == "cookie" else "")
            if problem:
                hint = (
                    ": a key read from a file keeps its line break, strip it" if problem.endswith("at its end") else ""
                )
                raise ValueError(
                    f"{type(self).__name__}: the key given as {c.parameter}=... (or read from {c.env}) contains "
                    f"{problem}{hint}; a key is printable ASCII without spaces (the key is not shown)"
                )

    def _mask_keys(self, text: str) -> str:
        """`text` with every key (as given, and URL-encoded) replaced by `<redacted>`: a server may echo one."""
        if self._key_texts is None:
            from urllib.parse import quote

            values = {v for v in self._keys.values() if v}
            self._key_texts = sorted(values | {quote(v, safe="") for v in values}, key=len, reverse=True)
        for key in self._key_texts:
            text = text.replace(key, "<redacted>")
        return text

    def _masked(self, error: APIError) -> APIError:
        """`error`, and each error it was raised from, with any key in its text masked (changed in place)."""
        seen: set[int] = set()
        current: BaseException | None = error
        while current is not None and id(current) not in seen:
            seen.add(id(current))
            args = tuple(self._mask_keys(a) if isinstance(a, str) else a for a in current.args)
            if args != current.args:
                current.args = args
            if isinstance(current, APIError):
                current.message = self._mask_keys(current.message)
            current = current.__cause__ or current.__context__
        return error

    # -- auth -----------------------------------------------------------------------------------------

    def _auth(self, operation: Operation) -> list[tuple[Credential, str]]:
        """(credential, value) of the first alternative of the operation's security that the client has keys for."""
        if not operation.security:
            return []
        by_scheme = {c.scheme: c for c in self._credentials}
        for alternative in operation.security:
            known = [by_scheme[s] for s in alternative if s in by_scheme]
            if len(known) == len(alternative) and all(self._keys.get(c.parameter) for c in known):
                return [(c, c.prefix + str(self._keys[c.parameter])) for c in known]
        raise self._missing_credentials(operation, by_scheme)

    def _missing_credentials(
        self, operation: Operation, by_scheme: Mapping[str, Credential]
    ) -> MissingCredentialsError:
        """The error naming the keys the operation needs that the client lacks, and where each comes from."""
        missing = sorted(
            {
                c.parameter
                for alternative in operation.security
                for c in (by_scheme.get(s) for s in alternative)
                if c is not None and not self._keys.get(c.parameter)
            }
        )
        hints = "; ".join(
            f"pass {type(self).__name__}({c.parameter}=...) or set {c.env}"
            for c in self._credentials
            if c.parameter in missing
        )
        return MissingCredentialsError(
            f"{operation.qualified_name} ({operation.operation_id}) needs {' and '.join(missing) or 'a key'}: {hints}"
        )

    def _redact(self, headers: Mapping[str, str]) -> dict[str, str]:
        """`headers` for a log record: a credential's value (by the API's schemes, or by its name) redacted, any key
        the client holds masked in the others."""
        from ._request import credential_like

        return {
            k: ("<redacted>" if k.lower() in self._redacted or credential_like(k) else self._mask_keys(v))
            for k, v in headers.items()
        }

    def _shown_url(self, url: httpx.URL) -> str:
        """The URL for a log record or an error: a query parameter that carries a key, and a password, masked."""
        from ._transport import mask_params

        if url.password:
            url = url.copy_with(username=url.username, password="<redacted>")
        return self._mask_keys(str(mask_params(url, self._secret_params)))

    def _key_repr(self) -> str:
        return ", ".join(f"{c.parameter}={'<set>' if self._keys.get(c.parameter) else None}" for c in self._credentials)

    def __repr__(self) -> str:
        keys = self._key_repr()
        return f"{type(self).__name__}(base_url={self.base_url!r}{', ' + keys if keys else ''})"

    # -- answering ------------------------------------------------------------------------------------

    def _answer(
        self,
        mode: Mode,
        operation: Operation,
        kwargs: Mapping[str, Any],
        responses: Responses,
        options: RequestOptions,
        result: Callable[[Any], Any] | None = None,
    ) -> Any:
        """The engine's answer as the call asks (`mode`, `_response.response_mode()`): what the method returns, or the
        raw or streamed response whose `parse()` gives it (`result` of the parsed body: a list's first page). The
        async engine's is an awaitable."""
        if mode == "raw":
            return self.request_raw(operation, kwargs, responses, options, result=result)
        if mode == "stream":
            return self.request_stream(operation, kwargs, responses, options, result=result)
        return self.request(operation, kwargs, responses, options)

    def _custom(
        self,
        method: str,
        path: str,
        cast_to: Any,
        *,
        body: object = None,
        files: Files | None = None,
        params: Mapping[str, object] | None = None,
        headers: Mapping[str, str] | None = None,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> Any:
        """A custom request (`client.get(path, ...)`), sent as a generated method's is: the keys the client holds,
        an idempotency key on a write where the API uses them (so it is retried as safely), typed errors, the body
        read as `cast_to`; `ValueError` before anything is sent for a path outside `base_url`."""
        import urllib.parse

        from ._models import query_params
        from ._request import SAFE_METHODS, Operation, RequestOptions, custom_path
        from ._response import response_mode

        # httpx replaces a URL's query with `params=`: a link's own query (`?page=2`) goes into the parameters.
        relative, _, query = custom_path(path, self.base_url).split("#", 1)[0].partition("?")
        pairs = urllib.parse.parse_qs(query, keep_blank_values=True)
        linked = {k: v[0] if len(v) == 1 else v for k, v in pairs.items()}
        operation = Operation(
            resource="client",
            name=method.lower(),
            operation_id=f"{method} {relative}",
            method=method,
            path=relative,
            endpoint="",
            security=self._custom_security(),
            idempotency_header=None if method in SAFE_METHODS else self._idempotency_header,
            success_status=self._success_status,
        )
        kwargs: dict[str, Any] = {"method": method, "url": relative, **_custom_body(operation, body, files)}
        if linked or params:
            kwargs["params"] = {**linked, **query_params(params or {})}
        if headers:
            kwargs["headers"] = dict(headers)
        options = RequestOptions(timeout=timeout, max_retries=max_retries)
        return self._answer(response_mode(), operation, kwargs, _read_as(cast_to), options)

    def _custom_security(self) -> tuple[tuple[str, ...], ...]:
        """A custom request's security: every key the client holds (a custom endpoint's is not in the spec); none
        held: every scheme, so that the error names them."""
        if not self._credentials:
            return ()
        held = tuple(c.scheme for c in self._credentials if self._keys.get(c.parameter))
        return (held or tuple(c.scheme for c in self._credentials),)

    # -- the pool: shared, closed ---------------------------------------------------------------------

    def _open_pool(self) -> _Pool:
        """The pool, or `ClientClosedError` (before anything is sent) when this client, the client it was copied
        from, or the caller's `http_client` is closed: a closed client never opens a new pool behind the caller."""
        pool, name = self._pool, type(self).__name__
        if self._closed:
            raise ClientClosedError(f"{name} is closed (close() or the end of its `with` block): make a new client")
        if pool.closed:
            raise ClientClosedError(
                f"the {name} this client was made from with with_options() is closed, and with it the connection "
                "pool they share: make a new client"
            )
        if pool.given is not None and pool.given.is_closed:
            raise ClientClosedError(
                f"the http_client given to {name} is closed: give it an open one (this SDK never closes it)"
            )
        return pool

    def _close(self) -> Any:
        """Mark this client closed; the httpx client it made, for the engine to close (None: nothing to close)."""
        pool = self._pool
        if pool.given is not None:
            return None  # the caller's: left open, and this client goes on following its state
        self._closed = True
        if not self._owns_pool:
            return None
        pool.closed = True
        made, pool.made = pool.made, None
        return made

    def _share_pool(self, parent: _BaseClient) -> None:
        """Send through `parent`'s pool (what `with_options()` does), unless this client was given an http_client of
        its own or another base_url; a caller's http_client is kept whatever the base_url (it is the caller's
        configuration: proxies, certificates, transports)."""
        if self._pool.given is None and (parent._pool.given is not None or self.base_url == parent.base_url):
            self._pool = parent._pool
            self._owns_pool = False

    # -- building -------------------------------------------------------------------------------------

    def _request_args(
        self, operation: Operation, kwargs: Mapping[str, Any], options: RequestOptions
    ) -> tuple[dict[str, Any], Any]:
        """httpx.build_request arguments: the generated `_get_kwargs` output plus auth and options."""
        import httpx

        args = dict(kwargs)
        if hasattr(args.get("content"), "read"):
            # A raw upload (a `File`'s payload) is a blocking file object: httpx's AsyncClient refuses to send
            # one, and a retried attempt could not send a stream read by the first. Bytes serve both engines.
            args["content"] = args["content"].read()
        if options.extra_query:
            args["params"] = {**(args.get("params") or {}), **options.extra_query}
        if options.extra_body:
            args.update(_with_extra_body(operation, args, options.extra_body))
        headers = self._call_headers(operation, args.pop("headers", None) or {})
        self._add_credentials(operation, args, headers)
        headers.update(options.extra_headers or {})
        _refuse_malformed_headers(operation, headers)
        args["headers"] = headers
        args["url"] = self.base_url + str(args["url"])
        timeout = options.timeout if not isinstance(options.timeout, NotGiven) else self.timeout
        return args, (httpx.USE_CLIENT_DEFAULT if isinstance(timeout, NotGiven) else timeout)

    def _call_headers(self, operation: Operation, given: Mapping[str, Any]) -> dict[str, str]:
        """The client's default headers, the call's own, and an idempotency key on a write where the API uses them."""
        headers: dict[str, str] = {**self._default_headers}
        headers.update({k: str(v) for k, v in given.items()})
        if operation.idempotency_header and not any(k.lower() == operation.idempotency_header.lower() for k in headers):
            # One key per call, the same on every attempt: the server applies the write at most once.
            import uuid  # here, not at module level: it costs a few ms at import and only writes need it

            headers[operation.idempotency_header] = str(uuid.uuid4())
        return headers

    def _add_credentials(self, operation: Operation, args: dict[str, Any], headers: dict[str, str]) -> None:
        """The operation's keys, each where its scheme sends it: a header, a query parameter, a cookie."""
        for credential, value in self._auth(operation):
            if credential.location == "header":
                headers[credential.name] = value
            elif credential.location == "query":
                args["params"] = {**(args.get("params") or {}), credential.name: value}
                from ._transport import mask_in_httpx_log

                mask_in_httpx_log(self._secret_params)
            else:
                args["cookies"] = {**(args.get("cookies") or {}), credential.name: value}

    def _max_retries(self, options: RequestOptions) -> int:
        return self.max_retries if isinstance(options.max_retries, NotGiven) else options.max_retries

    # -- redirects ------------------------------------------------------------------------------------

    def _redirect(
        self, operation: Operation, response: httpx.Response, *, hops: int, http: httpx.Client | httpx.AsyncClient
    ) -> httpx.Request | None:
        """The request a redirect leads to, when `http` follows redirects (its `follow_redirects`, `max_redirects`)
        and the redirect stays on the origin.

        A redirect to another origin (scheme, host, port) raises `RedirectError` naming its Location: httpx
        would strip only `Authorization`, and send every other key (and on 307/308 the body) there. A
        redirect on the origin is followed with every key, the ones httpx drops (query, cookie) put back.
        """
        target = response.next_request
        if target is None or not http.follow_redirects:
            return None
        request = response.request
        location = self._shown_url(target.url)
        if hops >= http.max_redirects:
            raise RedirectError(
                f"{operation.qualified_name}: more than {http.max_redirects} redirects (the last, "
                f"HTTP {response.status_code}, to {location}); not followed",
                response=response,
                location=location,
            )
        if _origin(target.url) != _origin(request.url):
            scheme, host, port = _origin(request.url)
            raise RedirectError(
                f"{operation.qualified_name}: HTTP {response.status_code} redirects to {location}, another origin than "
                f"{scheme}://{host}:{port}; not followed, so neither a key nor the request body was sent there "
                "(if the API has moved, pass base_url=...)",
                response=response,
                location=location,
            )
        for credential, value in self._auth(operation):
            if credential.location == "query" and credential.name not in target.url.params:
                target.url = target.url.copy_merge_params({credential.name: value})
            elif credential.location == "cookie":
                jar = target.headers.get("cookie")
                target.headers["Cookie"] = f"{jar}; {credential.name}={value}" if jar else f"{credential.name}={value}"
        _log().debug("following HTTP %d to %s", response.status_code, location)
        return target

    # -- reading --------------------------------------------------------------------------------------

    def _body_reader(self, response: httpx.Response, deadline: float | None) -> BodyReader:
        from ._transport import BodyReader

        return BodyReader(response.headers, limit=self.max_response_size, deadline=deadline, request=response.request)

    def _refuse_body(self, operation: Operation, response: httpx.Response, exc: Exception) -> None:
        """After the reader refused a body: `ResponseTooLargeError`, or for one not valid in its Content-Encoding
        an `APIResponseValidationError`, except after an accepted write (an empty body, judged by `_parse`)."""
        from ._transport import BodyTooLarge, keep_body

        if isinstance(exc, BodyTooLarge):
            raise ResponseTooLargeError(
                f"{operation.qualified_name}: the HTTP {response.status_code} response {exc}: more than "
                f"max_response_size ({self.max_response_size:,} bytes), so it was not read further; if the API does "
                "send that much, "
                f"raise it: {type(self).__name__}(max_response_size=...) or client.with_options(max_response_size=...)",
                limit=self.max_response_size,
                status_code=response.status_code,
                headers=response.headers,
                request=response.request,
            ) from None
        if not _accepted_write(operation, response):
            raise APIResponseValidationError(
                f"{operation.qualified_name}: the HTTP {response.status_code} body cannot be read: {exc}",
                operation=operation.qualified_name,
                request=response.request,
            ) from None
        _log().debug("%s: the HTTP %d body cannot be read: %s", operation.qualified_name, response.status_code, exc)
        keep_body(response, b"")

    def _in_memory_body(self, operation: Operation, response: httpx.Response) -> None:
        """A transport that answered with the body already in memory (httpx.MockTransport): only its size to check."""
        from ._transport import BodyTooLarge

        if len(response.content) > self.max_response_size:
            self._refuse_body(operation, response, BodyTooLarge(f"holds {len(response.content):,} bytes"))

    # -- retry decisions ------------------------------------------------------------------------------

    @staticmethod
    def _never_sent(exc: httpx.TransportError) -> bool:
        """Failures before the request left: no connection, or none free in the pool."""
        import httpx

        return isinstance(exc, httpx.ConnectError | httpx.ConnectTimeout | httpx.PoolTimeout)

    def _retry_on_error(self, operation: Operation, exc: httpx.TransportError) -> bool:
        return self._never_sent(exc) or operation.retry_safe

    def _retry_on_status(self, operation: Operation, response: httpx.Response) -> bool:
        if response.status_code not in RETRY_STATUSES and response.status_code < 500:
            return False
        # The server answered, so the request reached it: only a safe request goes again.
        return operation.retry_safe

    def _retry_delay(self, retries_taken: int, response: httpx.Response | None) -> float:
        """Retry-After when the server sent a usable one, else exponential backoff with jitter."""
        if response is not None:
            after = _retry_after(response.headers)
            if after is not None and 0 <= after <= MAX_RETRY_AFTER:
                return after
        delay = min(INITIAL_RETRY_DELAY * 2.0**retries_taken, MAX_RETRY_DELAY)
        if self._random is None:
            import random

            self._random = random.random
        return delay * (1 - 0.25 * self._random())

    # -- responses ------------------------------------------------------------------------------------

    def _check(self, operation: Operation, response: httpx.Response) -> None:
        """Raise the typed error for an error response (or a 2xx carrying an error envelope)."""
        if not response.is_success:
            raise make_status_error(response, operation=operation.qualified_name)
        if operation.success_status is not None:
            body = decode_json(response)
            if isinstance(body, dict) and "status" in body and body["status"] != operation.success_status:
                raise make_status_error(response, operation=operation.qualified_name)

    def _parse(self, operation: Operation, response: httpx.Response, responses: Responses) -> Any:
        """The body as the model the endpoint documents for its status (an undocumented 2xx: the success model).

        A body that does not fit raises `APIResponseValidationError` naming the operation and the JSON path,
        except after a write the server accepted (a 2xx to anything but GET, HEAD or OPTIONS): the write
        happened, so the caller gets the model of what fits (`_models.salvage`) and a
        `ResponseValidationWarning`, never an exception that would invite a second write.
        """
        from ._models import (
            UNSET,
            ResponseValidationError,
            decode_body,
            parse,
            read_body,
            response_for_status,
            salvage,
            type_name,
        )

        _, source, tp = response_for_status(responses, response.status_code)
        if source == "response":  # a custom request's `cast_to=httpx.Response`
            return response
        if source != "json" or tp is None:
            return read_body(source, tp, response.content, lambda: response.text)
        data: Any = UNSET
        try:
            data = decode_body(response.content)
            value = parse(tp, data, strict=self.strict_response_validation)
            if operation.custom:
                _check_root(tp, value)
            return value
        except ResponseValidationError as exc:
            where = (
                f"{operation.qualified_name} ({operation.operation_id}): the HTTP {response.status_code} body does "
                f"not fit {type_name(tp)}: {exc.details}"
            )
            if not _accepted_write(operation, response):
                raise APIResponseValidationError(
                    where, operation=operation.qualified_name, path=exc.path, response=response
                ) from exc
            _log().debug("%s; the write succeeded: returning what fits", where)
            _warn_accepted_write(f"{where} (the write succeeded)")
            return salvage(tp, data)

    def _log_request(self, request: httpx.Request, attempt: int) -> None:
        import logging

        _configure_log(self._log_env)
        log = _log()
        if log.isEnabledFor(logging.DEBUG):
            log.debug(
                "request %s %s attempt %d headers=%s",
                request.method,
                self._shown_url(request.url),
                attempt,
                self._redact(request.headers),
            )

    def _log_response(self, request: httpx.Request, response: httpx.Response) -> None:
        import logging

        log = _log()
        if log.isEnabledFor(logging.DEBUG):
            log.debug(
                "response %s %s -> %d headers=%s",
                request.method,
                self._shown_url(request.url),
                response.status_code,
                self._redact(response.headers),
            )

    @staticmethod
    def _log_retry(operation: Operation, reason: str, delay: float, left: int) -> None:
        _log().info("retrying %s in %.3fs after %s (%d retries left)", operation.qualified_name, delay, reason, left)

    @staticmethod
    def _unwrap(operation: Operation, response: httpx.Response, parsed: Any) -> Any:
        """What the method returns: the resource an envelope carries (`data.order`), or the parsed body itself.

        A body without that resource raises `APIResponseValidationError`, except after a write the server
        accepted: the caller gets the parsed body as it came and a `ResponseValidationWarning`. The body, and
        what is returned of it, carry the response's request id (`_request_id`).
        """
        from ._models import stamp_request_id

        request_id = next((response.headers[h] for h in REQUEST_ID_HEADERS if h in response.headers), None)
        stamp_request_id(parsed, request_id)
        value = parsed
        for name in operation.unwrap:
            value = getattr(value, name, None)
            # `Unset` marks an absent field; a model is not tested for truth (an empty one has len() 0).
            if value is None or type(value).__name__ == "Unset":
                path = ".".join(operation.unwrap)
                where = (
                    f"{operation.qualified_name} ({operation.operation_id}): the response body has no {path} to return"
                )
                if _accepted_write(operation, response):
                    _warn_accepted_write(f"{where} (the write succeeded): returning the whole body")
                    return parsed
                raise APIResponseValidationError(
                    f"{where} (HTTP {response.status_code}); the whole body is on this error's `response`",
                    operation=operation.qualified_name,
                    path=path,
                    response=response,
                )
        stamp_request_id(value, request_id)
        return value

    def _parser(
        self, operation: Operation, response: httpx.Response, responses: Responses, result: Callable[[Any], Any] | None
    ) -> Callable[[], Any]:
        """A raw response's `parse()`: what the method returns (`result` of it: a list's first page), keys masked."""

        def parsed() -> Any:
            try:
                value = self._unwrap(operation, response, self._parse(operation, response, responses))
            except APIError as exc:
                self._masked(exc)
                raise
            return result(value) if result is not None else value

        return parsed


def _accepted_write(operation: Operation, response: httpx.Response) -> bool:
    """A 2xx to anything but GET, HEAD or OPTIONS: the write happened, so what follows may warn, never raise."""
    return response.is_success and not operation.safe


def _warn_accepted_write(message: str) -> None:
    """A `ResponseValidationWarning` shown at the caller's line."""
    from ._models import ResponseValidationWarning
    from ._request import warn_at_caller

    warn_at_caller(message, ResponseValidationWarning)


def _with_extra_body(operation: Operation, args: Mapping[str, Any], extra: Mapping[str, object]) -> dict[str, Any]:
    """The body arguments with `extra_body` merged in: into a JSON object or a form, or as the whole JSON body."""
    for key in ("json", "data"):
        if key in args:
            if not isinstance(args[key], dict):
                break
            return {key: {**args[key], **extra}}
    else:
        if "content" not in args and "files" not in args:
            return {"json": dict(extra)}
    raise TypeError(
        f"{operation.qualified_name}: extra_body needs a JSON object or form body; this request sends another kind"
    )


def _custom_body(operation: Operation, body: object, files: Files | None) -> dict[str, Any]:
    """The httpx body arguments of a custom request: JSON (a dict, a list, a model, any JSON value), raw bytes, or
    with `files` a multipart form whose other fields are `body` (a dict)."""
    from ._request import to_jsonable

    if files:
        from ._files import upload

        pairs = files.items() if hasattr(files, "items") else files
        parts = [(str(field), upload(value, name=f"files[{field!r}]")) for field, value in pairs]
        if body is None:
            return {"files": parts}
        if not hasattr(body, "items"):
            raise TypeError(f"{operation.qualified_name}: with files=, body= holds the form's other fields: a dict")
        return {"files": parts, "data": to_jsonable(body)}
    if body is None:
        return {}
    if isinstance(body, bytes | bytearray | memoryview):
        return {"content": bytes(body)}
    return {"json": to_jsonable(body)}


def _check_root(tp: Any, value: Any) -> None:
    """A custom request's body is the kind its `cast_to` says at its root (lenient parsing keeps a JSON value it
    does not convert as it came: a list where `dict` was asked for would reach the caller as a dict)."""
    from ._models import ResponseValidationError

    origin = getattr(tp, "__origin__", tp)
    expected = {dict: "an object", list: "a list"}.get(origin)
    if expected is not None and not isinstance(value, origin):
        raise ResponseValidationError([("", f"expected {expected}, got {type(value).__name__}")])


def _read_as(cast_to: Any) -> Responses:
    """What a custom request reads a 2xx body as: `cast_to` (a model, `list[Model]`, `object` for any JSON), a JSON
    object for `dict`, a list for `list`, the text for `str`, the bytes for `bytes`, the response for httpx.Response."""
    import typing

    import httpx

    if cast_to is httpx.Response:
        return ((200, 299, "response", None),)
    if cast_to is str or cast_to is bytes:
        return ((200, 299, "text" if cast_to is str else "bytes", cast_to),)
    read_as = {dict: dict[str, typing.Any], list: list[typing.Any]}.get(cast_to, cast_to)
    return ((200, 299, "json", read_as),)


def _default_timeout() -> httpx.Timeout:
    """The timeout of a client the SDK creates itself: 60 s for each attempt, 5 s to connect."""
    import httpx

    return httpx.Timeout(60.0, connect=5.0)


def _retry_after(headers: httpx.Headers) -> float | None:
    """Seconds to wait from `retry-after-ms` or `Retry-After` (delta-seconds or an HTTP date)."""
    value = headers.get("retry-after-ms")
    if value is not None:
        try:
            return float(value) / 1000
        except ValueError:
            pass
    value = headers.get("retry-after")
    if value is None:
        return None
    try:
        return float(value)
    except ValueError:
        import email.utils  # an HTTP-date Retry-After is rare; email.utils costs more than the package import

        parsed = email.utils.parsedate_tz(value)
        if parsed is None:
            return None
        return float(email.utils.mktime_tz(parsed) - time.time())


def _error_for(exc: httpx.TransportError, request: httpx.Request, attempt: _Attempt) -> APIConnectionError:
    import httpx

    if isinstance(exc, httpx.TimeoutException):
        if attempt.deadline is not None and time.monotonic() >= attempt.deadline:
            return APITimeoutError(
                f"Request timed out: the attempt took longer than its timeout ({attempt.budget:g} s in all, "
                "however slowly the server sent its answer)",
                request=request,
            )
        return APITimeoutError(f"Request timed out: {type(exc).__name__}", request=request)
    return APIConnectionError(f"Connection error: {type(exc).__name__}: {exc}", request=request)


class _Attempt:
    """The time one attempt may take in all (`budget`, seconds) and the time.monotonic() it must end by."""

    __slots__ = ("budget", "deadline")

    def __init__(self, budget: float | None) -> None:
        self.budget = budget
        self.deadline = None if budget is None else time.monotonic() + budget


def _budget(timeout: TimeoutTypes) -> float | None:
    """The longest one attempt may take in all: the timeout, or the largest part of an httpx.Timeout."""
    if timeout is None or isinstance(timeout, int | float):
        return timeout
    parts = [t for t in (timeout.connect, timeout.read, timeout.write, timeout.pool) if t is not None]
    return max(parts) if parts else None


def _origin(url: httpx.URL) -> tuple[str, str, int | None]:
    """Scheme, host and port (the scheme's default when the URL names none): where a key may be sent."""
    return url.scheme, url.host, url.port or DEFAULT_PORTS.get(url.scheme)


def _malformed(value: str, *, spaces: bool, also: str = "") -> str | None:
    """What makes `value` unfit for a header (or, without `spaces`, for a key), said without showing it; None if fit.

    A header value is printable ASCII (httpx encodes it as ASCII, h11 refuses control characters) and
    neither starts nor ends with a space; a key has no space at all, nor any character of `also`.
    """
    if _fits(value, spaces=spaces, also=also):
        return None
    last = len(value) - 1
    for i, ch in enumerate(value):
        kind = _unfit_character(ch, spaces=spaces and i not in (0, last), also=also)
        if kind is not None:
            return f"{kind} {_position(i, last)}"
    return None


def _fits(value: str, *, spaces: bool, also: str) -> bool:
    fit = value.isascii() and value.isprintable() and value.strip(" ") == value
    return fit and (spaces or " " not in value) and not any(ch in also for ch in value)


def _position(i: int, last: int) -> str:
    """Where character `i` of a value whose last index is `last` is, in words."""
    return "at its end" if i == last else "at its start" if i == 0 else f"at character {i + 1} of {last + 1}"


def _unfit_character(ch: str, *, spaces: bool, also: str) -> str | None:
    """What kind of character unfit for a header `ch` is (`spaces`: a space is fit here); None: it is fit."""
    if ch in "\r\n":
        return "a line break"
    if not ch.isascii():
        return "a non-ASCII character"
    if not ch.isprintable():
        return "a control character"
    if ch == " " and not spaces:
        return "a space"
    if ch in also:
        return f"a {ch!r}"
    return None


def _refuse_malformed_headers(operation: Operation, headers: Mapping[str, str]) -> None:
    """`ValueError` before anything is sent for a header value httpx or the server would refuse, naming the header."""
    for name, value in headers.items():
        problem = _malformed(value, spaces=True)
        if problem:
            raise ValueError(f"{operation.qualified_name}: {_header_problem(name, problem)}")


def _header_problem(name: str, problem: str) -> str:
    return f"the value of the {name!r} header contains {problem}; header values are printable ASCII (not shown)"


class SyncAPIClient(_BaseClient):
    """The blocking engine."""

    def __init__(
        self,
        *,
        http_client: httpx.Client | None,
        sleep: Callable[[float], None] | None,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self._pool = _Pool(http_client)
        self._sleep = sleep or time.sleep

    @property
    def http_client(self) -> httpx.Client:
        """The httpx client requests go through (created on first use unless one was given); `ClientClosedError`
        once the client is closed."""
        pool = self._open_pool()
        if pool.current() is None:
            # Threads sharing the client may make their first request together: one of them creates the pool,
            # the others wait for it (each making its own would leave all but the last one open for good).
            with pool.lock:
                if pool.made is None:
                    import httpx

                    from ._transport import deadline_transport

                    timeout = _default_timeout() if isinstance(self.timeout, NotGiven) else self.timeout
                    # Redirects are followed by `_attempt`, on the origin only; True says that it may.
                    pool.made = httpx.Client(timeout=timeout, follow_redirects=True, transport=deadline_transport())
        http: httpx.Client = pool.current()
        return http

    def close(self) -> None:
        """Close the client: its connection pool, and every later call raises `ClientClosedError`. A client passed
        in as `http_client` is left to its owner (this client follows its state); a copy made by `with_options()`
        closes only itself, the client it was made from closes the pool they share."""
        made = self._close()
        if made is not None:
            made.close()

    def get(
        self,
        path: str,
        *,
        cast_to: type[T],
        params: Mapping[str, object] | None = None,
        headers: Mapping[str, str] | None = None,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> T:
        """GET `path`, relative to `base_url`: a custom request, for an endpoint this SDK has no method for yet.

        It goes as a generated method's call does: with the client's keys, retried under the same rules, an error
        answer raised as its typed error. `cast_to` is what the body is read as: a model class, `list[Model]`,
        `dict`, `object` (any JSON), `str`, `bytes`, or `httpx.Response` for the response itself. `params` and
        `headers` are sent as given; `timeout` and `max_retries` apply to this call. A path that would leave
        `base_url` (another origin, `//host`, a `..` segment) raises ValueError before anything is sent.
        """
        result: T = self._custom(
            "GET", path, cast_to, params=params, headers=headers, timeout=timeout, max_retries=max_retries
        )
        return result

    def post(
        self,
        path: str,
        *,
        cast_to: type[T],
        body: object = None,
        files: Files | None = None,
        params: Mapping[str, object] | None = None,
        headers: Mapping[str, str] | None = None,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> T:
        """POST `path`, relative to `base_url`: a custom request, sent and read as `get()` says.

        `body` is JSON (a dict, a list, a model) or raw bytes; `files` (field name → bytes, a `Path`, a binary file,
        `(file name, content, content type)` or `File`) makes it a multipart form whose other fields are `body`.
        Where the API uses idempotency keys, one goes with the request, so a retry cannot apply it twice.
        """
        result: T = self._custom(
            "POST",
            path,
            cast_to,
            body=body,
            files=files,
            params=params,
            headers=headers,
            timeout=timeout,
            max_retries=max_retries,
        )
        return result

    def put(
        self,
        path: str,
        *,
        cast_to: type[T],
        body: object = None,
        files: Files | None = None,
        params: Mapping[str, object] | None = None,
        headers: Mapping[str, str] | None = None,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> T:
        """PUT `path`, relative to `base_url`: a custom request, sent and read as `get()` says.

        `body` is JSON (a dict, a list, a model) or raw bytes; `files` (field name → bytes, a `Path`, a binary file,
        `(file name, content, content type)` or `File`) makes it a multipart form whose other fields are `body`.
        Where the API uses idempotency keys, one goes with the request, so a retry cannot apply it twice.
        """
        result: T = self._custom(
            "PUT",
            path,
            cast_to,
            body=body,
            files=files,
            params=params,
            headers=headers,
            timeout=timeout,
            max_retries=max_retries,
        )
        return result

    def patch(
        self,
        path: str,
        *,
        cast_to: type[T],
        body: object = None,
        files: Files | None = None,
        params: Mapping[str, object] | None = None,
        headers: Mapping[str, str] | None = None,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> T:
        """PATCH `path`, relative to `base_url`: a custom request, sent and read as `get()` says.

        `body` is JSON (a dict, a list, a model) or raw bytes; `files` (field name → bytes, a `Path`, a binary file,
        `(file name, content, content type)` or `File`) makes it a multipart form whose other fields are `body`.
        Where the API uses idempotency keys, one goes with the request, so a retry cannot apply it twice.
        """
        result: T = self._custom(
            "PATCH",
            path,
            cast_to,
            body=body,
            files=files,
            params=params,
            headers=headers,
            timeout=timeout,
            max_retries=max_retries,
        )
        return result

    def delete(
        self,
        path: str,
        *,
        cast_to: type[T],
        body: object = None,
        files: Files | None = None,
        params: Mapping[str, object] | None = None,
        headers: Mapping[str, str] | None = None,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> T:
        """DELETE `path`, relative to `base_url`: a custom request, sent and read as `get()` says.

        `body` is JSON (a dict, a list, a model) or raw bytes; `files` (field name → bytes, a `Path`, a binary file,
        `(file name, content, content type)` or `File`) makes it a multipart form whose other fields are `body`.
        Where the API uses idempotency keys, one goes with the request, so a retry cannot apply it twice.
        """
        result: T = self._custom(
            "DELETE",
            path,
            cast_to,
            body=body,
            files=files,
            params=params,
            headers=headers,
            timeout=timeout,
            max_retries=max_retries,
        )
        return result

    @property
    def with_raw_response(self) -> _RawRequests:
        """The custom requests (`get`, `post`, `put`, `patch`, `delete`) answering with the `APIResponse`."""
        return _RawRequests(self)

    @property
    def with_streaming_response(self) -> _StreamedRequests:
        """The custom requests as context managers whose body is read only as it is iterated or parsed."""
        return _StreamedRequests(self)

    def _send(
        self, operation: Operation, kwargs: Mapping[str, Any], options: RequestOptions, *, stream: bool = False
    ) -> tuple[httpx.Response, int]:
        import httpx

        args, timeout = self._request_args(operation, kwargs, options)
        request = self.http_client.build_request(**args, timeout=timeout)
        budget = _budget(self.http_client.timeout if timeout is httpx.USE_CLIENT_DEFAULT else timeout)
        max_retries = self._max_retries(options)
        retries = 0
        while True:
            self._log_request(request, retries + 1)
            attempt = _Attempt(budget)
            try:
                response = self._attempt(operation, request, attempt, stream=stream)
            except httpx.TransportError as exc:
                if retries < max_retries and self._retry_on_error(operation, exc):
                    delay = self._retry_delay(retries, None)
                    self._log_retry(operation, type(exc).__name__, delay, max_retries - retries)
                    self._sleep(delay)
                    retries += 1
                    continue
                _log().debug("%s failed: %s", operation.qualified_name, type(exc).__name__)
                raise _error_for(exc, request, attempt) from exc
            if retries < max_retries and self._retry_on_status(operation, response):
                delay = self._retry_delay(retries, response)
                self._log_retry(operation, f"HTTP {response.status_code}", delay, max_retries - retries)
                self._sleep(delay)
                retries += 1
                continue
            if not (stream and response.is_success):  # a streamed body is checked when it is read whole
                self._check(operation, response)
            return response, retries

    def _attempt(
        self, operation: Operation, request: httpx.Request, attempt: _Attempt, *, stream: bool = False
    ) -> httpx.Response:
        """Send, follow redirects on the origin, read the body: everything within the attempt's deadline."""
        from ._transport import DEADLINE

        # The transport the client made for itself waits at no socket past this deadline (`_transport`).
        token = DEADLINE.set(attempt.deadline)
        try:
            return self._follow(operation, request, attempt, stream=stream)
        finally:
            DEADLINE.reset(token)

    def _follow(
        self, operation: Operation, request: httpx.Request, attempt: _Attempt, *, stream: bool = False
    ) -> httpx.Response:
        hops = 0
        while True:
            response = self.http_client.send(request, stream=True, follow_redirects=False)
            if stream and response.is_success:
                # Handed back unread: the caller iterates it, or reads it whole (`_read_body`) to parse it.
                self._log_response(request, response)
                return response
            self._read_body(operation, response, attempt.deadline)
            self._log_response(request, response)
            follow = self._redirect(operation, response, hops=hops, http=self.http_client)
            if follow is None:
                return response
            request, hops = follow, hops + 1

    def _read_body(self, operation: Operation, response: httpx.Response, deadline: float | None) -> None:
        """The whole body, read within the size limit (and the deadline, if any) and kept on the response."""
        from ._transport import BodyTooLarge, UndecodableBody, keep_body

        if response.is_stream_consumed:
            self._in_memory_body(operation, response)
            return
        try:
            reader = self._body_reader(response, deadline)
            for chunk in response.iter_raw():
                reader.feed(chunk)
            keep_body(response, reader.finish())
        except (BodyTooLarge, UndecodableBody) as exc:
            self._refuse_body(operation, response, exc)
        finally:
            response.close()

    def request(
        self, operation: Operation, kwargs: Mapping[str, Any], responses: Responses, options: RequestOptions
    ) -> Any:
        """Send, retry, check and parse: the typed result of one operation."""
        try:
            response, _ = self._send(operation, kwargs, options)
            return self._unwrap(operation, response, self._parse(operation, response, responses))
        except APIError as exc:
            self._masked(exc)
            raise

    def request_raw(
        self,
        operation: Operation,
        kwargs: Mapping[str, Any],
        responses: Responses,
        options: RequestOptions,
        *,
        result: Callable[[Any], Any] | None = None,
    ) -> APIResponse[Any]:
        """Send, retry and check; `parse()` gives what the method returns (`result` of it: a list's first page)."""
        from ._response import APIResponse

        try:
            response, retries = self._send(operation, kwargs, options)
        except APIError as exc:
            self._masked(exc)
            raise
        return APIResponse(
            http_response=response,
            parse=self._parser(operation, response, responses, result),
            operation=operation,
            retries_taken=retries,
        )

    def request_stream(
        self,
        operation: Operation,
        kwargs: Mapping[str, Any],
        responses: Responses,
        options: RequestOptions,
        *,
        result: Callable[[Any], Any] | None = None,
    ) -> StreamedAPIResponse[Any]:
        """Send, retry and check the status; the body is read only as the caller iterates it, or whole (within
        max_response_size) when it is read or parsed."""
        from ._response import StreamedAPIResponse

        try:
            response, retries = self._send(operation, kwargs, options, stream=True)
        except APIError as exc:
            self._masked(exc)
            raise
        parse = self._parser(operation, response, responses, result)

        def read() -> bytes:
            try:
                self._read_body(operation, response, None)
                self._check(operation, response)
            except APIError as exc:
                self._masked(exc)
                raise
            return response.content

        def parsed() -> Any:
            read()
            return parse()

        return StreamedAPIResponse(
            http_response=response, parse=parsed, read=read, operation=operation, retries_taken=retries
        )


class AsyncAPIClient(_BaseClient):
    """The asyncio engine."""

    def __init__(
        self,
        *,
        http_client: httpx.AsyncClient | None,
        sleep: Callable[[float], Awaitable[None]] | None,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self._pool = _Pool(http_client)
        if sleep is None:
            import asyncio  # here: importing the package must stay cheap for sync users

            sleep = asyncio.sleep
        self._sleep = sleep

    @property
    def http_client(self) -> httpx.AsyncClient:
        """The httpx client requests go through (created on first use unless one was given); `ClientClosedError`
        once the client is closed."""
        pool = self._open_pool()
        if pool.current() is None:
            import httpx

            timeout = _default_timeout() if isinstance(self.timeout, NotGiven) else self.timeout
            # Redirects are followed by `_attempt`, on the origin only; True says that it may.
            pool.made = httpx.AsyncClient(timeout=timeout, follow_redirects=True)
        http: httpx.AsyncClient = pool.current()
        return http

    async def close(self) -> None:
        """Close the client: its connection pool, and every later call raises `ClientClosedError`. A client passed
        in as `http_client` is left to its owner (this client follows its state); a copy made by `with_options()`
        closes only itself, the client it was made from closes the pool they share."""
        made = self._close()
        if made is not None:
            await made.aclose()

    async def get(
        self,
        path: str,
        *,
        cast_to: type[T],
        params: Mapping[str, object] | None = None,
        headers: Mapping[str, str] | None = None,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> T:
        """GET `path`, relative to `base_url`: a custom request, for an endpoint this SDK has no method for yet.

        It goes as a generated method's call does: with the client's keys, retried under the same rules, an error
        answer raised as its typed error. `cast_to` is what the body is read as: a model class, `list[Model]`,
        `dict`, `object` (any JSON), `str`, `bytes`, or `httpx.Response` for the response itself. `params` and
        `headers` are sent as given; `timeout` and `max_retries` apply to this call. A path that would leave
        `base_url` (another origin, `//host`, a `..` segment) raises ValueError before anything is sent.
        """
        result: T = await self._custom(
            "GET", path, cast_to, params=params, headers=headers, timeout=timeout, max_retries=max_retries
        )
        return result

    async def post(
        self,
        path: str,
        *,
        cast_to: type[T],
        body: object = None,
        files: Files | None = None,
        params: Mapping[str, object] | None = None,
        headers: Mapping[str, str] | None = None,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> T:
        """POST `path`, relative to `base_url`: a custom request, sent and read as `get()` says.

        `body` is JSON (a dict, a list, a model) or raw bytes; `files` (field name → bytes, a `Path`, a binary file,
        `(file name, content, content type)` or `File`) makes it a multipart form whose other fields are `body`.
        Where the API uses idempotency keys, one goes with the request, so a retry cannot apply it twice.
        """
        result: T = await self._custom(
            "POST",
            path,
            cast_to,
            body=body,
            files=files,
            params=params,
            headers=headers,
            timeout=timeout,
            max_retries=max_retries,
        )
        return result

    async def put(
        self,
        path: str,
        *,
        cast_to: type[T],
        body: object = None,
        files: Files | None = None,
        params: Mapping[str, object] | None = None,
        headers: Mapping[str, str] | None = None,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> T:
        """PUT `path`, relative to `base_url`: a custom request, sent and read as `get()` says.

        `body` is JSON (a dict, a list, a model) or raw bytes; `files` (field name → bytes, a `Path`, a binary file,
        `(file name, content, content type)` or `File`) makes it a multipart form whose other fields are `body`.
        Where the API uses idempotency keys, one goes with the request, so a retry cannot apply it twice.
        """
        result: T = await self._custom(
            "PUT",
            path,
            cast_to,
            body=body,
            files=files,
            params=params,
            headers=headers,
            timeout=timeout,
            max_retries=max_retries,
        )
        return result

    async def patch(
        self,
        path: str,
        *,
        cast_to: type[T],
        body: object = None,
        files: Files | None = None,
        params: Mapping[str, object] | None = None,
        headers: Mapping[str, str] | None = None,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> T:
        """PATCH `path`, relative to `base_url`: a custom request, sent and read as `get()` says.

        `body` is JSON (a dict, a list, a model) or raw bytes; `files` (field name → bytes, a `Path`, a binary file,
        `(file name, content, content type)` or `File`) makes it a multipart form whose other fields are `body`.
        Where the API uses idempotency keys, one goes with the request, so a retry cannot apply it twice.
        """
        result: T = await self._custom(
            "PATCH",
            path,
            cast_to,
            body=body,
            files=files,
            params=params,
            headers=headers,
            timeout=timeout,
            max_retries=max_retries,
        )
        return result

    async def delete(
        self,
        path: str,
        *,
        cast_to: type[T],
        body: object = None,
        files: Files | None = None,
        params: Mapping[str, object] | None = None,
        headers: Mapping[str, str] | None = None,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> T:
        """DELETE `path`, relative to `base_url`: a custom request, sent and read as `get()` says.

        `body` is JSON (a dict, a list, a model) or raw bytes; `files` (field name → bytes, a `Path`, a binary file,
        `(file name, content, content type)` or `File`) makes it a multipart form whose other fields are `body`.
        Where the API uses idempotency keys, one goes with the request, so a retry cannot apply it twice.
        """
        result: T = await self._custom(
            "DELETE",
            path,
            cast_to,
            body=body,
            files=files,
            params=params,
            headers=headers,
            timeout=timeout,
            max_retries=max_retries,
        )
        return result

    @property
    def with_raw_response(self) -> _AsyncRawRequests:
        """The custom requests (`get`, `post`, `put`, `patch`, `delete`) answering with the `APIResponse`."""
        return _AsyncRawRequests(self)

    @property
    def with_streaming_response(self) -> _AsyncStreamedRequests:
        """The custom requests as context managers whose body is read only as it is iterated or parsed."""
        return _AsyncStreamedRequests(self)

    async def _send(
        self, operation: Operation, kwargs: Mapping[str, Any], options: RequestOptions, *, stream: bool = False
    ) -> tuple[httpx.Response, int]:
        import httpx

        args, timeout = self._request_args(operation, kwargs, options)
        request = self.http_client.build_request(**args, timeout=timeout)
        budget = _budget(self.http_client.timeout if timeout is httpx.USE_CLIENT_DEFAULT else timeout)
        max_retries = self._max_retries(options)
        retries = 0
        while True:
            self._log_request(request, retries + 1)
            attempt = _Attempt(budget)
            try:
                response = await self._attempt(operation, request, attempt, stream=stream)
            except httpx.TransportError as exc:
                if retries < max_retries and self._retry_on_error(operation, exc):
                    delay = self._retry_delay(retries, None)
                    self._log_retry(operation, type(exc).__name__, delay, max_retries - retries)
                    await self._sleep(delay)
                    retries += 1
                    continue
                _log().debug("%s failed: %s", operation.qualified_name, type(exc).__name__)
                raise _error_for(exc, request, attempt) from exc
            if retries < max_retries and self._retry_on_status(operation, response):
                delay = self._retry_delay(retries, response)
                self._log_retry(operation, f"HTTP {response.status_code}", delay, max_retries - retries)
                await self._sleep(delay)
                retries += 1
                continue
            if not (stream and response.is_success):  # a streamed body is checked when it is read whole
                self._check(operation, response)
            return response, retries

    async def _attempt(
        self, operation: Operation, request: httpx.Request, attempt: _Attempt, *, stream: bool = False
    ) -> httpx.Response:
        """Send, follow redirects on the origin, read the body: everything within the attempt's deadline."""
        import asyncio

        import httpx

        from ._transport import DEADLINE_PASSED

        try:
            # The whole attempt is cancelled at its deadline, whatever it is waiting for (and whichever
            # transport the client has): no socket wait outlives it.
            async with asyncio.timeout(attempt.budget):
                return await self._follow(operation, request, attempt, stream=stream)
        except TimeoutError:
            raise httpx.ReadTimeout(DEADLINE_PASSED, request=request) from None

    async def _follow(
        self, operation: Operation, request: httpx.Request, attempt: _Attempt, *, stream: bool = False
    ) -> httpx.Response:
        hops = 0
        while True:
            response = await self.http_client.send(request, stream=True, follow_redirects=False)
            if stream and response.is_success:
                self._log_response(request, response)
                return response
            await self._read_body(operation, response, attempt.deadline)
            self._log_response(request, response)
            follow = self._redirect(operation, response, hops=hops, http=self.http_client)
            if follow is None:
                return response
            request, hops = follow, hops + 1

    async def _read_body(self, operation: Operation, response: httpx.Response, deadline: float | None) -> None:
        """The whole body, read within the size limit (and the deadline, if any) and kept on the response."""
        from ._transport import BodyTooLarge, UndecodableBody, keep_body

        if response.is_stream_consumed:
            self._in_memory_body(operation, response)
            return
        try:
            reader = self._body_reader(response, deadline)
            async for chunk in response.aiter_raw():
                reader.feed(chunk)
            keep_body(response, reader.finish())
        except (BodyTooLarge, UndecodableBody) as exc:
            self._refuse_body(operation, response, exc)
        finally:
            await response.aclose()

    async def request(
        self, operation: Operation, kwargs: Mapping[str, Any], responses: Responses, options: RequestOptions
    ) -> Any:
        """Send, retry, check and parse: the typed result of one operation."""
        try:
            response, _ = await self._send(operation, kwargs, options)
            return self._unwrap(operation, response, self._parse(operation, response, responses))
        except APIError as exc:
            self._masked(exc)
            raise

    async def request_raw(
        self,
        operation: Operation,
        kwargs: Mapping[str, Any],
        responses: Responses,
        options: RequestOptions,
        *,
        result: Callable[[Any], Any] | None = None,
    ) -> APIResponse[Any]:
        """Send, retry and check; `parse()` gives what the method returns (`result` of it: a list's first page)."""
        from ._response import APIResponse

        try:
            response, retries = await self._send(operation, kwargs, options)
        except APIError as exc:
            self._masked(exc)
            raise
        return APIResponse(
            http_response=response,
            parse=self._parser(operation, response, responses, result),
            operation=operation,
            retries_taken=retries,
        )

    async def request_stream(
        self,
        operation: Operation,
        kwargs: Mapping[str, Any],
        responses: Responses,
        options: RequestOptions,
        *,
        result: Callable[[Any], Any] | None = None,
    ) -> AsyncStreamedAPIResponse[Any]:
        """Send, retry and check the status; the body is read only as the caller iterates it, or whole (within
        max_response_size) when it is read or parsed."""
        from ._response import AsyncStreamedAPIResponse

        try:
            response, retries = await self._send(operation, kwargs, options, stream=True)
        except APIError as exc:
            self._masked(exc)
            raise
        parse = self._parser(operation, response, responses, result)

        async def read() -> bytes:
            try:
                await self._read_body(operation, response, None)
                self._check(operation, response)
            except APIError as exc:
                self._masked(exc)
                raise
            return response.content

        async def parsed() -> Any:
            await read()
            return parse()

        return AsyncStreamedAPIResponse(
            http_response=response, parse=parsed, read=read, operation=operation, retries_taken=retries
        )


class _RawRequests:
    """`client.with_raw_response`: the custom requests, each answering with its `APIResponse`."""

    def __init__(self, client: SyncAPIClient) -> None:
        from ._response import to_raw_response_wrapper

        self.get = to_raw_response_wrapper(client.get)
        self.post = to_raw_response_wrapper(client.post)
        self.put = to_raw_response_wrapper(client.put)
        self.patch = to_raw_response_wrapper(client.patch)
        self.delete = to_raw_response_wrapper(client.delete)


class _StreamedRequests:
    """`client.with_streaming_response`: the custom requests as context managers of a streamed response."""

    def __init__(self, client: SyncAPIClient) -> None:
        from ._response import to_streamed_response_wrapper

        self.get = to_streamed_response_wrapper(client.get)
        self.post = to_streamed_response_wrapper(client.post)
        self.put = to_streamed_response_wrapper(client.put)
        self.patch = to_streamed_response_wrapper(client.patch)
        self.delete = to_streamed_response_wrapper(client.delete)


class _AsyncRawRequests:
    """`client.with_raw_response` (asyncio): the custom requests, each answering with its `APIResponse`."""

    def __init__(self, client: AsyncAPIClient) -> None:
        from ._response import async_to_raw_response_wrapper

        self.get = async_to_raw_response_wrapper(client.get)
        self.post = async_to_raw_response_wrapper(client.post)
        self.put = async_to_raw_response_wrapper(client.put)
        self.patch = async_to_raw_response_wrapper(client.patch)
        self.delete = async_to_raw_response_wrapper(client.delete)


class _AsyncStreamedRequests:
    """`client.with_streaming_response` (asyncio): the custom requests as `async with` context managers."""

    def __init__(self, client: AsyncAPIClient) -> None:
        from ._response import async_to_streamed_response_wrapper

        self.get = async_to_streamed_response_wrapper(client.get)
        self.post = async_to_streamed_response_wrapper(client.post)
        self.put = async_to_streamed_response_wrapper(client.put)
        self.patch = async_to_streamed_response_wrapper(client.patch)
        self.delete = async_to_streamed_response_wrapper(client.delete)
