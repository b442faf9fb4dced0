"""Auth: which security alternative is sent, where each credential goes, the error when a key is missing, and
the one when a key (or any header value) could not be sent as it is."""

from __future__ import annotations

import pytest
from runtime._base_client import Credential
from runtime._exceptions import MissingCredentialsError
from runtime._request import Operation, RequestOptions

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


# -- keys that could not be sent as they are: refused when the client is made, never shown --------------------

MALFORMED_KEYS = [
    (SECRET + "\n", "a line break at its end: a key read from a file keeps its line break, strip it"),
    (SECRET + "\r\n", "a line break at character 24 of 25"),
    (SECRET[:5] + "\x01" + SECRET[5:], "a control character at character 6 of 24"),
    (SECRET[:5] + "\t" + SECRET[5:], "a control character at character 6 of 24"),
    (SECRET[:5] + "é" + SECRET[5:], "a non-ASCII character at character 6 of 24"),
    (SECRET[:5] + "\u2028" + SECRET[5:], "a non-ASCII character at character 6 of 24"),
    (" " + SECRET, "a space at its start"),
    (SECRET[:5] + " " + SECRET[5:], "a space at character 6 of 24"),
]


@pytest.mark.parametrize(("key", "problem"), MALFORMED_KEYS, ids=[repr(k[-3:]) for k, _ in MALFORMED_KEYS])
def test_a_malformed_key_is_refused_at_construction_naming_it_not_showing_it(
    harness: Harness, key: str, problem: str
) -> None:
    """httpx would refuse it at the first request, quoting the header whole: here nothing of the key is shown."""
    with pytest.raises(ValueError) as info:
        harness.client(keys={"secret_key": key})
    message = str(info.value)
    assert message == (
        f"{'AsyncClient' if harness.engine == 'async' else 'Client'}: the key given as secret_key=... (or read from "
        f"RT_SECRET_KEY) contains {problem}; a key is printable ASCII without spaces (the key is not shown)"
    )
    assert SECRET[:8] not in f"{message} {info.value!r}" and info.value.__cause__ is info.value.__context__ is None


@pytest.mark.parametrize("separator", [";", ",", '"', "\\"])
def test_a_cookie_key_cannot_carry_a_cookie_separator(harness: Harness, separator: str) -> None:
    """`session=abc; admin=1` would be two cookies: the key cannot add one of its own."""
    with pytest.raises(ValueError) as info:
        harness.client(keys={"session": f"abc{separator}admin=1"})
    assert f"(or read from RT_SESSION) contains a {separator!r} at character 4 of 11;" in str(info.value)


def test_keys_of_printable_ascii_are_accepted_and_sent_as_given(harness: Harness) -> None:
    harness.client(keys={"api_key": "sk_live_AbC-123.+/=~!$&'()*", "session": "s-1:2@3"})


async def test_a_header_value_that_cannot_be_sent_is_refused_before_sending(harness: Harness) -> None:
    """The same check on every header (default, operation, extra): the error names the header, not the value."""
    options = RequestOptions(extra_headers={"Authorization": f"Bearer {BEARER}\n"})
    with pytest.raises(ValueError) as info:
        await harness.request(_op(("PublicKey",)), options=options)
    assert str(info.value) == (
        "things.retrieve: the value of the 'Authorization' header contains a line break at its end; header values "
        "are printable ASCII (not shown)"
    )
    assert harness.server.requests == []
    with pytest.raises(ValueError, match="the value of the 'X-Team' header contains a non-ASCII character"):
        harness.client(default_headers={"X-Team": "équipe"})
