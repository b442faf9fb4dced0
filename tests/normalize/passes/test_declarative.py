"""The declarative passes (normalize/passes/declarative.py): the overrides file's patches, the project's extra schemas.

Each pass on a tiny inline spec, one class per pass (`TestLiftNullableUnions` for lift_nullable_unions): at least
one exact output, and the runner's "found nothing to change" warning when the pass has nothing to do.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from sdkpipeline.errors import PipelineError
from sdkpipeline.normalize import Overrides, load_overrides
from sdkpipeline.normalize import passes as p
from tests.normalize.passes.fragments import (
    assert_nothing_to_do,
    changes_of,
    make_obj,
    make_spec,
    run_pass,
    schemas_of,
)


class TestApplyPatches:
    @staticmethod
    def _overrides(tmp_path: Path, patches: str) -> Overrides:
        path = tmp_path / "overrides.yaml"
        path.write_text(f"patches:\n{patches}", encoding="utf-8")
        return load_overrides(path)

    def test_set_merge_remove(self, tmp_path: Path) -> None:
        overrides = self._overrides(
            tmp_path,
            "  - {pointer: /components/schemas/Order/properties/note, set: {type: string}, reason: live API}\n"
            "  - {pointer: /components/schemas/Order, merge: {description: An order}, reason: docs}\n"
            "  - {pointer: /components/schemas/Order/properties/legacy, remove: true, reason: gone}\n",
        )
        doc = make_spec({"Order": make_obj(id={"type": "string"}, legacy={"type": "string"})})
        out, log = run_pass(p.apply_patches, doc, overrides)
        assert schemas_of(out) == {
            "Order": {**make_obj(id={"type": "string"}, note={"type": "string"}), "description": "An order"}
        }
        assert changes_of(log) == [
            ("/components/schemas/Order/properties/note", "set: live API"),
            ("/components/schemas/Order", "merge: docs"),
            ("/components/schemas/Order/properties/legacy", "remove: gone"),
        ]
        assert_nothing_to_do(p.apply_patches, out, overrides)  # already applied: a re-run changes nothing

    def test_bad_pointer_names_the_overrides_file_and_entry(self, tmp_path: Path) -> None:
        overrides = self._overrides(
            tmp_path,
            "  - {pointer: /components/schemas/Order, merge: {description: x}, reason: fine}\n"
            "  - {pointer: /components/schemas/Refund/properties/id, set: {type: string}, reason: stale}\n",
        )
        with pytest.raises(PipelineError) as info:
            run_pass(p.apply_patches, make_spec({"Order": make_obj()}), overrides)
        assert str(info.value).startswith(f"{tmp_path / 'overrides.yaml'}#/patches/1: patch target ")
        assert info.value.hint == "the vendor document changed: update or drop this patch"

    def test_merge_needs_a_mapping(self, tmp_path: Path) -> None:
        overrides = self._overrides(tmp_path, "  - {pointer: /info/title, merge: {a: 1}, reason: wrong}\n")
        with pytest.raises(PipelineError, match="merge needs an existing mapping at /info/title") as info:
            run_pass(p.apply_patches, make_spec(), overrides)
        assert info.value.where == "/patches/0"

    def test_nothing_to_do(self) -> None:
        assert_nothing_to_do(p.apply_patches, make_spec({"Order": make_obj()}))


class TestAddExtraSchemas:
    def test_adds_project_kept_schemas(self) -> None:
        overrides = Overrides(extra_schemas={"WebhookEvent": make_obj(type={"type": "string"})})
        out, log = run_pass(p.add_extra_schemas, make_spec({"Order": make_obj()}), overrides)
        assert list(schemas_of(out)) == ["Order", "WebhookEvent"]
        assert changes_of(log) == [("/components/schemas/WebhookEvent", "added project-kept schema")]

    def test_clash_with_vendor_component(self) -> None:
        overrides = Overrides(file=Path("overrides.yaml"), extra_schemas={"Order": make_obj(type={"type": "string"})})
        with pytest.raises(PipelineError, match="extra schema 'Order' clashes"):
            run_pass(p.add_extra_schemas, make_spec({"Order": make_obj()}), overrides)

    def test_nothing_to_do(self) -> None:
        assert_nothing_to_do(p.add_extra_schemas, make_spec({"Order": make_obj()}))

    def test_already_added_is_nothing_to_do(self) -> None:
        """An identical schema already there (a normalized spec normalized again) is left alone."""
        assert_nothing_to_do(
            p.add_extra_schemas, make_spec({"W": make_obj()}), Overrides(extra_schemas={"W": make_obj()})
        )
