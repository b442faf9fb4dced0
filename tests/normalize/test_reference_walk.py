"""The references the normalizer walks once and shares (PassLog.references): never stale after a pass changes the
document, shared while no pass does, and the passes that keep them (KEEP_REFERENCES) really leave every `$ref` where
it was; and the copy normalize() makes of its input (copy_document), which is the one deepcopy makes."""

from __future__ import annotations

import copy
import datetime
import functools
from typing import Any

import pytest

import sdkpipeline.normalize as normalizer
from sdkpipeline.normalize import PASSES, copy_document, load_overrides, normalize
from sdkpipeline.normalize.context import Overrides, PassLog
from sdkpipeline.normalize.passes import BEFORE_CHECKS, KEEP_REFERENCES, Document, Pass
from sdkpipeline.spec.pointer import pointer, references
from sdkpipeline.spec.registry import load_registry
from sdkpipeline.spec.yamlio import load_document
from tests.normalize.passes.fragments import NO_OVERRIDES, make_obj, make_spec

APIS = sorted(load_registry().values(), key=lambda api: api.name)


def _places(refs: tuple[tuple[Any, ...], ...]) -> list[str]:
    return [pointer(*tokens) for tokens, _ in refs]


def _add_a_reference(doc: Document, overrides: Overrides, log: PassLog) -> Document:
    """A pass that refers to Order from a new component, and says so."""
    doc["components"]["schemas"]["Holder"] = make_obj(order={"$ref": "#/components/schemas/Order"})
    log.change("/components/schemas/Holder", "added")
    return doc


def _change_nothing(doc: Document, overrides: Overrides, log: PassLog) -> Document:
    return doc


def _seen_by(seen: list[tuple[Any, ...]]) -> Pass:
    def read_references(doc: Document, overrides: Overrides, log: PassLog) -> Document:
        seen.append(log.references(doc))
        return doc

    return read_references


def _doc() -> Document:
    return make_spec(
        {"Order": make_obj(id={"type": "string"}), "Cart": make_obj(order={"$ref": "#/components/schemas/Order"})}
    )


def test_a_pass_that_changes_the_document_makes_the_next_reader_walk_again() -> None:
    seen: list[tuple[Any, ...]] = []
    # normalize() walks the references before the first pass (reference_problems): the reader after the adding
    # pass must not be served that walk.
    normalize(_doc(), NO_OVERRIDES, passes=(_add_a_reference, _seen_by(seen)))
    assert _places(seen[0]) == _places(tuple(references(_add_a_reference(_doc(), NO_OVERRIDES, PassLog()))))
    assert "/components/schemas/Holder/properties/order" in _places(seen[0])


def test_passes_that_change_nothing_share_one_walk() -> None:
    seen: list[tuple[Any, ...]] = []
    normalize(_doc(), NO_OVERRIDES, passes=(_seen_by(seen), _change_nothing, _seen_by(seen)))
    assert seen[0] is seen[1]
    assert _places(seen[0]) == ["/components/schemas/Cart/properties/order"]


def test_a_walk_of_another_document_is_not_served_for_this_one() -> None:
    log, first, second = PassLog(), _doc(), _doc()
    second["components"]["schemas"].pop("Cart")
    assert _places(log.references(first)) == ["/components/schemas/Cart/properties/order"]
    assert _places(log.references(second)) == []


def test_document_changed_forgets_the_walk() -> None:
    log, doc = PassLog(), _doc()
    assert len(log.references(doc)) == 1
    _add_a_reference(doc, NO_OVERRIDES, log)
    log.document_changed()
    assert len(log.references(doc)) == 2


def _refs_of(doc: Document) -> list[tuple[str, int]]:
    return [(pointer(*tokens), id(holder)) for tokens, holder in references(doc)]


@pytest.mark.parametrize("api", APIS, ids=lambda api: api.name)
def test_the_passes_that_keep_references_move_no_ref(api: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each KEEP_REFERENCES pass, run in its place over a vendored spec, leaves every `$ref` (place and mapping)."""
    moved: list[str] = []
    ran: list[str] = []

    def checked(step: Pass) -> Pass:
        @functools.wraps(step)
        def run(doc: Document, overrides: Overrides, log: PassLog) -> Document:
            before = _refs_of(doc)
            out = step(doc, overrides, log)
            ran.append(step.__name__)
            if _refs_of(out) != before:
                moved.append(step.__name__)
            return out

        return run

    wrapped = tuple(checked(step) if step in KEEP_REFERENCES else step for step in PASSES)
    monkeypatch.setattr(
        normalizer, "BEFORE_CHECKS", frozenset(w for w, s in zip(wrapped, PASSES, strict=True) if s in BEFORE_CHECKS)
    )
    normalize(load_document(api.spec), load_overrides(api.overrides), file=api.spec, passes=wrapped)
    assert sorted(ran) == sorted(step.__name__ for step in KEEP_REFERENCES)
    assert moved == []


def test_copy_document_is_deepcopy() -> None:
    shared = {"type": "string", "enum": ["a", "b"]}
    doc = {"a": shared, "b": [shared, 1, 2.5, None, True], "when": datetime.date(2024, 1, 2), "tags": {"x", "y"}}
    copied = copy_document(doc)
    assert copied == copy.deepcopy(doc)
    assert copied["a"] is copied["b"][0]  # one mapping in two places (a YAML alias) stays one
    assert copied["a"] is not shared
    assert copied["tags"] is not doc["tags"]  # what is no JSON value is copied by deepcopy


def test_copy_document_keeps_a_list_that_holds_itself() -> None:
    loop: list[Any] = [1]
    loop.append(loop)
    copied = copy_document({"loop": loop})
    assert copied["loop"][1] is copied["loop"] and copied["loop"] is not loop
