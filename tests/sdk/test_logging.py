"""`CNAUGHT_LOG` / `FUNGIES_LOG` (`debug` or `info`, like OPENAI_LOG) turn the SDK's logging on at its first request:
the package logger gets the level and a handler printing to stderr, keys redacted; unset, the logger is left alone;
another value is ignored with a warning naming the variable. Both SDKs, blocking and asyncio.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Any

import pytest
from cnaught_client import _base_client as cn_base
from fungies_client import _base_client as fg_base

from ..mock_api import Server
from .conftest import CN_KEY, FG_SECRET, cn_order, fg_order, fg_success, json_response, resolve

SDKS = {
    # variable, logger, the module holding the once-per-process flag, the client fixtures' suffix, one read, its
    # answer, a key
    "cnaught": ("CNAUGHT_LOG", "cnaught_client", cn_base, "cn", lambda c: c.orders.retrieve("o1"), cn_order(), CN_KEY),
    "fungies": (
        "FUNGIES_LOG",
        "fungies_client",
        fg_base,
        "fg",
        lambda c: c.orders.retrieve("1001"),
        fg_success({"order": fg_order()}),
        FG_SECRET,
    ),
}


@pytest.fixture(params=[(api, engine) for api in sorted(SDKS) for engine in ("sync", "async")], ids="-".join)
def sdk(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[Any, ...]]:
    """One SDK and engine with its logging not yet configured this process; its logger restored afterwards."""
    api, engine = request.param
    variable, name, module, short, read, body, key = SDKS[api]
    fixture = f"make_{'a' if engine == 'async' else ''}{short}"
    monkeypatch.setattr(module, "_log_configured", False)
    monkeypatch.delenv(variable, raising=False)
    logger = logging.getLogger(name)
    level, handlers = logger.level, list(logger.handlers)
    yield variable, logger, request.getfixturevalue(fixture), read, body, key
    logger.setLevel(level)
    logger.handlers[:] = handlers


async def test_debug_prints_each_request_to_stderr_with_keys_redacted(
    sdk: tuple[Any, ...], server: Server, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    variable, logger, make, read, body, key = sdk
    monkeypatch.setenv(variable, "debug")
    server.reply(json_response(503, {}), json_response(200, body))
    await resolve(read(make()))
    err = capsys.readouterr().err
    assert logger.level == logging.DEBUG
    assert f"{logger.name} DEBUG] request " in err and f"{logger.name} INFO] retrying " in err
    assert "<redacted>" in err and key not in err


async def test_info_prints_retries_and_not_each_request(
    sdk: tuple[Any, ...], server: Server, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    variable, logger, make, read, body, _ = sdk
    monkeypatch.setenv(variable, "INFO")
    server.reply(json_response(503, {}), json_response(200, body))
    await resolve(read(make()))
    err = capsys.readouterr().err
    assert logger.level == logging.INFO
    assert "INFO] retrying " in err and "] request " not in err


async def test_unset_leaves_the_logger_as_the_application_configured_it(
    sdk: tuple[Any, ...], server: Server, capsys: pytest.CaptureFixture[str]
) -> None:
    _, logger, make, read, body, _ = sdk
    level, handlers = logger.level, list(logger.handlers)
    server.reply(json_response(200, body))
    await resolve(read(make()))
    assert (logger.level, logger.handlers, capsys.readouterr().err) == (level, handlers, "")


async def test_another_value_is_ignored_with_a_warning_naming_the_variable(
    sdk: tuple[Any, ...], server: Server, monkeypatch: pytest.MonkeyPatch
) -> None:
    variable, logger, make, read, body, _ = sdk
    monkeypatch.setenv(variable, "verbose")
    level, handlers = logger.level, list(logger.handlers)
    server.reply(json_response(200, body))
    with pytest.warns(RuntimeWarning, match=f"{variable}='verbose' is ignored: it is 'debug' or 'info'"):
        await resolve(read(make()))
    assert (logger.level, logger.handlers) == (level, handlers)
