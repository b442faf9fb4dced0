"""The example receivers shipped in each webhooks module's docstring run as documented.

The snippet lives in one place: the `receiver_example` macro of templates/sdk.<api>/webhooks.py.jinja,
rendered into the module docstring (```python block) and importable by the README template. These tests
run exactly the text the generated module carries: called as a WSGI app, and behind a real HTTP server.
"""

from __future__ import annotations

import contextlib
import io
import re
import threading
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from types import ModuleType
from typing import Any
from wsgiref.simple_server import WSGIRequestHandler, make_server
from wsgiref.util import setup_testing_defaults

import cnaught_client.webhooks
import fungies_client.webhooks
import pytest

from ..inputs import ROOT, vendor_file

PAYMENT_SUCCESS = vendor_file("fungies/examples/webhooks/payment_success__help_center_example.json")
SUBSCRIPTION_CREATED = vendor_file("fungies/examples/webhooks/subscription_created__help_center_example.json")
SECRET = "whsec_receiver_test"
TOKEN = "tok_3b1d9c"
App = Callable[[dict[str, Any], Callable[..., Any]], list[bytes]]


def snippet(module: ModuleType) -> str:
    """The ```python block of the module docstring."""
    found = re.search(r"```python\n(.*?)```", module.__doc__ or "", re.DOTALL)
    assert found, f"{module.__name__} has no example receiver in its docstring"
    return found.group(1)


def load_app(module: ModuleType) -> App:
    namespace: dict[str, Any] = {"__name__": "receiver_example"}  # not __main__: it must not serve forever
    exec(compile(snippet(module), f"<{module.__name__} receiver example>", "exec"), namespace)
    app: App = namespace["app"]
    return app


def call(app: App, body: bytes = b"", *, method: str = "POST", query: str = "", **headers: str) -> tuple[str, bytes]:
    environ: dict[str, Any] = {
        "REQUEST_METHOD": method,
        "QUERY_STRING": query,
        "CONTENT_LENGTH": str(len(body)),
        "wsgi.input": io.BytesIO(body),
        **{f"HTTP_{name.upper()}": value for name, value in headers.items()},
    }
    setup_testing_defaults(environ)
    status: list[str] = []
    chunks = app(environ, lambda s, h: status.append(s))
    return status[0], b"".join(chunks)


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@contextlib.contextmanager
def serving(app: App) -> Iterator[str]:
    """The app behind wsgiref's HTTP server on a free local port; yields its base URL."""
    server = make_server("127.0.0.1", 0, app, handler_class=_QuietHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def post(url: str, body: bytes, headers: dict[str, str]) -> tuple[int, bytes]:
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


@pytest.fixture
def fungies_app(monkeypatch: pytest.MonkeyPatch) -> App:
    monkeypatch.setenv("FUNGIES_WEBHOOK_SECRET", SECRET)
    return load_app(fungies_client.webhooks)


@pytest.fixture
def cnaught_app(monkeypatch: pytest.MonkeyPatch) -> App:
    monkeypatch.setenv("CNAUGHT_CALLBACK_TOKEN", TOKEN)
    return load_app(cnaught_client.webhooks)


# --------------------------------------------------------------------------- Fungies


def test_fungies_receiver_handles_a_signed_payment(fungies_app: App, capsys: pytest.CaptureFixture[str]) -> None:
    """A signed payment_success gets 200 and reaches the payment_success branch."""
    body = PAYMENT_SUCCESS.read_bytes()
    signature = fungies_client.webhooks.sign(body, SECRET)
    assert call(fungies_app, body, x_fngs_signature=signature) == ("200 OK", b"ok")
    assert (
        capsys.readouterr().out == "paid: 47f68b70-898e-4dc8-99bd-9f30ce73c2f4 f4cbd202-89c5-4538-b44b-11b2b7fa36ea\n"
    )


def test_fungies_receiver_rejects_a_bad_signature(fungies_app: App, capsys: pytest.CaptureFixture[str]) -> None:
    """A body signed with another secret gets 401 and is not handled."""
    body = PAYMENT_SUCCESS.read_bytes()
    signature = fungies_client.webhooks.sign(body, "whsec_other")
    assert call(fungies_app, body, x_fngs_signature=signature) == ("401 Unauthorized", b"invalid signature")
    assert capsys.readouterr().out == ""


def test_fungies_receiver_rejects_a_missing_signature(fungies_app: App) -> None:
    """A delivery without the x-fngs-signature header gets 401."""
    body = PAYMENT_SUCCESS.read_bytes()
    assert call(fungies_app, body)[0] == "401 Unauthorized"


def test_fungies_receiver_rejects_a_signed_malformed_body(fungies_app: App) -> None:
    """A correctly signed body that is not JSON gets 400."""
    body = b"{not json"
    signature = fungies_client.webhooks.sign(body, SECRET)
    assert call(fungies_app, body, x_fngs_signature=signature) == ("400 Bad Request", b"invalid payload")


def test_fungies_receiver_acknowledges_an_unknown_type(fungies_app: App, capsys: pytest.CaptureFixture[str]) -> None:
    """An unknown event type is acknowledged with 200 (no retries) and reported as unhandled."""
    body = b'{"id": "e1", "type": "product_updated", "data": {}}'
    signature = fungies_client.webhooks.sign(body, SECRET)
    assert call(fungies_app, body, x_fngs_signature=signature)[0] == "200 OK"
    assert capsys.readouterr().out == "unhandled event type: product_updated\n"


def test_fungies_receiver_allows_only_post(fungies_app: App) -> None:
    """A GET gets 405 with an Allow header."""
    assert call(fungies_app, method="GET")[0] == "405 Method Not Allowed"


def test_fungies_receiver_behind_a_real_http_server(fungies_app: App, capsys: pytest.CaptureFixture[str]) -> None:
    """Over HTTP the x-fngs-signature header reaches the app: signed 200, tampered 401."""
    body = SUBSCRIPTION_CREATED.read_bytes()
    cancelled = body.replace(b'"subscription_created"', b'"subscription_cancelled"')
    signature = fungies_client.webhooks.sign(cancelled, SECRET)
    with serving(fungies_app) as url:
        assert post(url, cancelled, {"x-fngs-signature": signature}) == (200, b"ok")
        assert post(url, cancelled + b" ", {"x-fngs-signature": signature}) == (401, b"invalid signature")
    assert capsys.readouterr().out == "subscription cancelled: z26yYXQWFMoFsOBa\n"


# --------------------------------------------------------------------------- CNaught


def test_cnaught_receiver_handles_a_callback(cnaught_app: App, capsys: pytest.CaptureFixture[str]) -> None:
    """A callback to the URL with the right token gets 200 and prints the order's new state."""
    body = (ROOT / "tests" / "webhooks" / "fixtures" / "order_status__fulfilled.json").read_bytes()
    assert call(cnaught_app, body, query=f"token={TOKEN}") == ("200 OK", b"ok")
    assert capsys.readouterr().out == "order Gre28Fc35bt3 is now fulfilled\n"


@pytest.mark.parametrize("query", ["", "token=tok_wrong", f"token={TOKEN}x"], ids=["none", "wrong", "longer"])
def test_cnaught_receiver_rejects_a_wrong_token(cnaught_app: App, query: str) -> None:
    """Without the callback URL's token the receiver answers 404 and handles nothing."""
    body = (ROOT / "tests" / "webhooks" / "fixtures" / "order_status__fulfilled.json").read_bytes()
    assert call(cnaught_app, body, query=query) == ("404 Not Found", b"not found")


def test_cnaught_receiver_rejects_a_malformed_body(cnaught_app: App) -> None:
    """A body without an order gets 400."""
    assert call(cnaught_app, b'{"state": "fulfilled"}', query=f"token={TOKEN}") == (
        "400 Bad Request",
        b"invalid payload",
    )


def test_cnaught_receiver_behind_a_real_http_server(cnaught_app: App, capsys: pytest.CaptureFixture[str]) -> None:
    """Over HTTP the cancelled callback is handled with 200."""
    body = (ROOT / "tests" / "webhooks" / "fixtures" / "order_status__cancelled.json").read_bytes()
    with serving(cnaught_app) as url:
        assert post(f"{url}/cnaught/callback?token={TOKEN}", body, {"Content-Type": "application/json"}) == (200, b"ok")
    assert capsys.readouterr().out == "order Gre28Fc35bt3 is now cancelled\n"
