"""Reduced versions of `nox -s reliability`'s scenarios: typed errors, retry decisions, matched answers, no leaks;
and the cheap attacks of its hostile-server table.

Outcomes and request counts only: nothing here depends on how long anything takes.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import replace

import pytest

from sdkpipeline.perf import reliability as rel

# What the README documents, per kind of call: read, write, keyed write (retries: 2 by default, so a retried
# call is seen 3 times). A write the server answered 2xx is never an exception: accepted.
DOCUMENTED = {
    "body cut mid-way": [("APIConnectionError", 3), ("APIConnectionError", 1), ("APIConnectionError", 3)],
    "connection reset mid-body": [("APIConnectionError", 3), ("APIConnectionError", 1), ("APIConnectionError", 3)],
    "200 with invalid JSON": [("APIResponseValidationError", 1), (rel.ACCEPTED, 1), (rel.ACCEPTED, 1)],
    "HTML 502 from a proxy": [("InternalServerError", 3), ("InternalServerError", 1), ("InternalServerError", 3)],
    "headers after the timeout": [("APITimeoutError", 3), ("APITimeoutError", 1), ("APITimeoutError", 3)],
}


@pytest.mark.parametrize("fault", rel.FAULTS, ids=lambda f: f.name)
def test_fault(fault: rel.Fault) -> None:
    row = rel.run_fault(fault, calls_each=1)
    assert row.problems == []
    assert (row.duplicated_writes, row.leaked_connections) == (0, 0)
    expected = Counter[str]()
    for e in fault.expect.values():
        expected[e.outcome] += 2  # sync and async
    assert row.outcomes == expected
    assert sum(row.outcomes.values()) == 2 * len(fault.expect)


@pytest.mark.parametrize("name", sorted(DOCUMENTED))
def test_the_expectations_are_the_documented_ones(name: str) -> None:
    """The table the scenarios judge by says what the README says (not what the runtime happens to do)."""
    fault = next(f for f in rel.FAULTS if f.name == name)
    assert [fault.expect[k] for k in (rel.READ, rel.WRITE, rel.KEYED_WRITE)] == [
        rel.Expect(outcome, n) for outcome, n in DOCUMENTED[name]
    ]


def test_a_wrong_expectation_is_reported() -> None:
    """The scenarios can fail: a write expected to be retried, and a wrong error type, are both caught."""
    fault = next(f for f in rel.FAULTS if f.name == "body cut mid-way")
    wrong = replace(fault, expect={rel.WRITE: rel.Expect("APIConnectionError", 3), rel.READ: rel.Expect("X", 3)})
    problems = rel.run_fault(wrong, calls_each=1).problems
    assert len(problems) == 4  # both kinds, sync and async
    assert any("write, no key (PATCH) s-write,-0: APIConnectionError after 1 request(s)" in p for p in problems)


def test_one_sync_client_shared_by_threads() -> None:
    row = rel.run_sync_concurrency(threads=8, calls_each=10)
    assert row.problems == []
    assert (row.requests, row.outcomes, row.leaked_connections) == (80, Counter({rel.OK: 80}), 0)
    assert 1 <= row.extra["peak open connections"] <= 8


def test_one_async_client_shared_by_tasks() -> None:
    row = rel.run_async_concurrency(tasks=60, calls_each=2)
    assert row.problems == []
    assert (row.requests, row.outcomes, row.leaked_connections) == (120, Counter({rel.OK: 120}), 0)
    assert 1 <= row.extra["peak open connections"] <= 100


@pytest.mark.parametrize("use_async", [False, True], ids=["sync", "async"])
def test_long_lists_are_walked_to_the_end(use_async: bool) -> None:
    cursor, offset = rel.run_pagination(listing=rel.Listing(total=200, page_size=20), use_async=use_async)
    assert cursor.problems == offset.problems == []
    # Cursor style cannot know a full page was the last: one empty page ends it. Offset style stops at `count`.
    assert (cursor.requests, offset.requests) == (11, 10)
    assert cursor.outcomes == offset.outcomes == Counter({"200 items": 1})


# -- a hostile server: each attack stops with its typed error (the cheap ones; the session plays them all) ----

CHEAP_ATTACKS = [
    a
    for a in rel.ATTACKS
    if a.name.startswith(("307 ", "id ", "secret key", "body dripping")) or a.name.endswith("Content-Length")
]


@pytest.mark.parametrize("engine", ["sync", "async"])
@pytest.mark.parametrize("attack", CHEAP_ATTACKS, ids=lambda a: a.name)
def test_attack(attack: rel.Attack, engine: str) -> None:
    row = rel.run_attack(attack, engine=engine)
    assert row.problems == []
    assert row.outcome == attack.expect


def test_the_cheap_attacks_are_the_ones_named() -> None:
    assert len(CHEAP_ATTACKS) == 5


def test_a_wrong_attack_outcome_is_reported() -> None:
    """The attack table can fail: an outcome other than the expected one is a problem of its row."""
    attack = next(a for a in rel.ATTACKS if a.name.startswith("id "))
    row = rel.run_attack(replace(attack, expect="answered"), engine="sync")
    assert row.problems == [f"{rel.REFUSED}, expected answered"]
