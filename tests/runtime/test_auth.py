"""Auth: which security alternative is sent, where each credential goes, and the error when a key is missing."""

from __future__ import annotations

import pytest
from runtime._base_client import Credential
from runtime._exceptions import MissingCredentialsError
from runtime._request import Operation

from .conftest import BEARER, PUBLIC, QUERY, SECRET, SESSION, Harness, get_kwargs, json_response, operation

# The key headers a test may see (transport headers such as user-agent are left out of the comparisons).
_KEY_HEADERS = ("authorization", "x-public-key", "x-secret-key", "cookie")


def _op(*alternatives: tuple[str, ...]) -> Operation:
    return operation(name="things.retrieve", operation_id="GetThing", method="GET", security=alternatives)


def _sent_keys(harness: Harness) -> dict[str, str]:
    headers = harness.server.last.headers
    return {name: headers[name] for name in _KEY_HEADERS if name in headers}


async def test_first_alternative_the_client_has_keys_for_is_sent(harness: Harness) -> None:
    """Bearer OR (public AND secret): without the bearer key the pair is sent, and nothing else."""
    harness.server.reply(json_response(200, {}))
    client = harness.client(keys={"public_key": PUBLIC, "secret_key": SECRET})
    await harness.request(_op(("Bearer",), ("PublicKey", "SecretKey")), client=client)
    assert _sent_keys(harness) == {"x-public-key": PUBLIC, "x-secret-key": SECRET}


async def test_only_the_first_satisfied_alternative_is_sent(harness: Harness) -> None:
    """With every key at hand only the first alternative's credentials go out (bearer, with its prefix)."""
    harness.server.reply(json_response(200, {}))
    await harness.request(_op(("Bearer",), ("PublicKey", "SecretKey")))
    assert _sent_keys(harness) == {"authorization": f"Bearer {BEARER}"}


async def test_no_security_sends_no_key(harness: Harness) -> None:
    harness.server.reply(json_response(200, {}))
    await harness.request(_op())
    assert _sent_keys(harness) == {}
    assert "key" not in harness.server.last.url.params


async def test_missing_key_names_the_argument_and_the_environment_variable(harness: Harness) -> None:
    """An alternative needing two keys is not met by one; the error says how to give the missing one."""
    client = harness.client(keys={"public_key": PUBLIC})
    with pytest.raises(MissingCredentialsError) as info:
        await harness.request(_op(("PublicKey", "SecretKey")), client=client)
    message = str(info.value)
    assert message.startswith("things.retrieve (GetThing) needs secret_key: ")
    assert f"pass {type(client).__name__}(secret_key=...) or set RT_SECRET_KEY" in message
    assert "public_key" not in message and PUBLIC not in message
    assert harness.server.requests == []  # refused before sending


async def test_missing_keys_of_every_alternative_are_named(harness: Harness) -> None:
    """No alternative met: every missing argument of every alternative is named, each with its variable."""
    client = harness.client(keys={"api_key": "", "public_key": None})
    with pytest.raises(MissingCredentialsError) as info:
        await harness.request(_op(("Bearer",), ("PublicKey",)), client=client)
    message = str(info.value)
    assert "needs api_key and public_key" in message  # an empty key counts as missing
    assert "set RT_API_KEY" in message and "set RT_PUBLIC_KEY" in message


async def test_query_credential_goes_in_the_query_beside_the_operations_parameters(harness: Harness) -> None:
    harness.server.reply(json_response(200, {}))
    await harness.request(_op(("QueryKey",)), get_kwargs(params={"limit": 5}))
    assert dict(harness.server.last.url.params) == {"limit": "5", "key": QUERY}
    assert _sent_keys(harness) == {}


async def test_cookie_credential_goes_in_the_cookie_header(harness: Harness) -> None:
    harness.server.reply(json_response(200, {}))
    await harness.request(_op(("CookieKey",)))
    assert _sent_keys(harness) == {"cookie": f"session={SESSION}"}


def test_credential_location_is_header_query_or_cookie() -> None:
    with pytest.raises(ValueError, match="not 'body'"):
        Credential(scheme="S", parameter="p", env="E", name="n", location="body")
