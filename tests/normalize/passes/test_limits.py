"""The repairs of what the generator cannot hold (normalize/passes/limits.py): refused defaults, merged enum
members, class names given twice, allOf it cannot merge.

Each pass on a tiny inline spec, one class per pass (`TestLiftNullableUnions` for lift_nullable_unions): at least
one exact output, and the runner's "found nothing to change" warning when the pass has nothing to do. The lossy
repairs are also run the way a published SDK runs them (strict): refused, naming the place, unless the overrides
file accepts the repair.
"""

from __future__ import annotations

import copy

import pytest

from sdkpipeline.errors import PipelineError
from sdkpipeline.normalize import Overrides
from sdkpipeline.normalize import passes as p
from sdkpipeline.normalize.context import NamesRecord
from tests.normalize.passes.fragments import (
    NULL,
    REF,
    Doc,
    assert_nothing_to_do,
    changes_of,
    make_obj,
    make_op,
    make_spec,
    run_repair,
)


class TestLiftNullableComponents:
    def test_a_nullable_base_model_admits_null_at_its_uses_not_where_it_is_extended(self) -> None:
        base = {"type": "object", "nullable": True, "properties": {"id": {"type": "string"}}}
        doc = make_spec(
            {
                "FileBase": base,
                "FileMini": {"allOf": [{"$ref": REF("FileBase")}, make_obj(name={"type": "string"})]},
                "Folder": make_obj(item={"$ref": REF("FileBase"), "description": "the item"}),
            },
            version="3.0.3",
        )
        out, log = run_repair(p.lift_nullable_components, doc)
        schemas = out["components"]["schemas"]
        assert "nullable" not in schemas["FileBase"]
        assert schemas["FileMini"]["allOf"][0] == {"$ref": REF("FileBase")}
        assert schemas["Folder"]["properties"]["item"] == {
            "anyOf": [{"$ref": REF("FileBase")}, NULL],
            "description": "the item",
        }
        assert changes_of(log) == [("/components/schemas/FileBase", "nullable model: its uses admit null instead")]

    def test_nothing_to_do(self) -> None:
        # Nullable, but no allOf extends it: the generator's union is fine (lift_nullable_unions names it).
        nullable = {"type": ["object", "null"], "properties": {"id": {"type": "string"}}}
        assert_nothing_to_do(
            p.lift_nullable_components, make_spec({"Base": nullable, "Use": make_obj(b={"$ref": REF("Base")})})
        )


class TestMergeAllOfFragments:
    def test_scalar_fragments_become_one_schema_a_later_word_winning(self) -> None:
        fragments = {"allOf": [{"type": "string", "nullable": True, "example": "3"}, {"nullable": False}]}
        out, log = run_repair(
            p.merge_all_of_fragments, make_spec({"File": make_obj(sequence_id=fragments)}, version="3.0.3")
        )
        assert out["components"]["schemas"]["File"]["properties"]["sequence_id"] == {"type": "string", "example": "3"}
        assert changes_of(log) == [
            ("/components/schemas/File/properties/sequence_id", "2 fragments of one string: merged")
        ]

    def test_annotations_beside_a_reference_leave_the_referenced_class(self) -> None:
        described = {"allOf": [{"$ref": REF("Role")}, {"description": "the role"}, {"x-example-key": "r"}]}
        doc = make_spec({"Role": {"type": "string", "enum": ["editor", "viewer"]}, "Grant": make_obj(role=described)})
        out, _ = run_repair(p.merge_all_of_fragments, doc)
        assert out["components"]["schemas"]["Grant"]["properties"]["role"] == {
            "description": "the role",
            "x-example-key": "r",
            "allOf": [{"$ref": REF("Role")}],
        }

    def test_nothing_to_do(self) -> None:
        # Two models: the generator merges their properties into one class itself.
        both = {"allOf": [{"$ref": REF("A")}, make_obj(b={"type": "string"})]}
        assert_nothing_to_do(p.merge_all_of_fragments, make_spec({"A": make_obj(a={"type": "string"}), "AB": both}))


class TestSettleAllOfRedefinitions:
    SCHEMAS: Doc = {  # noqa: RUF012  (read-only fixture)
        "Kind": {"type": "string", "enum": ["task", "milestone"]},
        "Task": make_obj(kind={"$ref": REF("Kind")}),
        "Attachment": make_obj(
            parent={
                "allOf": [
                    {"$ref": REF("Task")},
                    make_obj(kind={"type": ["string", "null"], "description": "the parent's kind"}),
                ]
            }
        ),
    }

    def test_an_enum_then_a_nullable_string_keeps_the_enum(self) -> None:
        out, log = run_repair(p.settle_all_of_redefinitions, make_spec(copy.deepcopy(self.SCHEMAS)))
        parent = out["components"]["schemas"]["Attachment"]["properties"]["parent"]
        assert parent["allOf"][1]["properties"]["kind"] == {"description": "the parent's kind"}
        assert changes_of(log) == [
            (
                "/components/schemas/Attachment/properties/parent/allOf",
                "property 'kind' defined again as union after enum: the generator cannot merge them, "
                "the first definition stands",
            )
        ]

    def test_a_published_sdk_refuses_it_unless_the_overrides_accept_it(self) -> None:
        doc = make_spec(copy.deepcopy(self.SCHEMAS))
        with pytest.raises(PipelineError, match=r"settle_all_of_redefinitions would change the document here") as info:
            run_repair(p.settle_all_of_redefinitions, copy.deepcopy(doc), strict=True)
        assert info.value.where == "/components/schemas/Attachment/properties/parent/allOf"
        accepted = Overrides(repairs={"settle_all_of_redefinitions": "apply"})
        out, _ = run_repair(p.settle_all_of_redefinitions, doc, accepted, strict=True)
        assert out["components"]["schemas"]["Attachment"]["properties"]["parent"]["allOf"][1]["properties"]["kind"]

    def test_nothing_to_do(self) -> None:
        # An enum redefined as a plain string merges: the generator keeps the enum itself.
        schemas = copy.deepcopy(self.SCHEMAS)
        schemas["Attachment"]["properties"]["parent"]["allOf"][1]["properties"]["kind"] = {"type": "string"}
        assert_nothing_to_do(p.settle_all_of_redefinitions, make_spec(schemas))


class TestUnwrapComponentAliases:
    def test_an_all_of_of_one_model_with_inline_models_becomes_a_titled_copy(self) -> None:
        base = {**make_obj(owner=make_obj(name={"type": "string"})), "title": "TemplateBase"}
        doc = make_spec({"Base": base, "Response": {"allOf": [{"$ref": REF("Base")}], "description": "the answer"}})
        out, log = run_repair(p.unwrap_component_aliases, doc)
        assert out["components"]["schemas"]["Response"] == {
            **make_obj(owner=make_obj(name={"type": "string"})),
            "title": "Response",
            "description": "the answer",
        }
        assert changes_of(log) == [
            ("/components/schemas/Response", f"allOf of one model ({REF('Base')}): a copy of it, titled")
        ]

    def test_nothing_to_do(self) -> None:
        # An alias of an enum is that enum; of a model without inline models, that model (the generator's
        # reading); an allOf with properties of its own is a model of its own.
        schemas = {
            "Kind": {"type": "string", "enum": ["a"]},
            "KindAlias": {"allOf": [{"$ref": REF("Kind")}]},
            "Flat": make_obj(kind={"$ref": REF("Kind")}),
            "FlatAlias": {"allOf": [{"$ref": REF("Flat")}]},
            "More": {"allOf": [{"$ref": REF("Kind")}], "properties": {"x": {"type": "string"}}},
        }
        assert_nothing_to_do(p.unwrap_component_aliases, make_spec(schemas))


class TestDisambiguateEnumMembers:
    @pytest.mark.parametrize(
        ("values", "members", "renamed"),
        [
            (["ASC", "asc", "DESC", "desc"], ["ASC", "ASC_2", "DESC", "DESC_2"], "'asc' → ASC_2, 'desc' → DESC_2"),
            (["add", "Add"], ["ADD", "ADD_2"], "'Add' → ADD_2"),
            (["GMT+0", "GMT0"], ["GMT0", "GMT0_2"], "'GMT0' → GMT0_2"),
        ],
    )
    def test_values_the_generator_names_alike_get_members_of_their_own(
        self, values: list[str], members: list[str], renamed: str
    ) -> None:
        out, log = run_repair(p.disambiguate_enum_members, make_spec({"Sort": {"type": "string", "enum": values}}))
        assert out["components"]["schemas"]["Sort"]["x-enum-varnames"] == members
        assert changes_of(log) == [("/components/schemas/Sort", f"enum members named apart: {renamed}")]

    def test_a_value_listed_twice_is_kept_once(self) -> None:
        out, log = run_repair(
            p.disambiguate_enum_members, make_spec({"Sort": {"type": "string", "enum": ["a", None, "a", 1]}})
        )
        assert out["components"]["schemas"]["Sort"]["enum"] == ["a", None, 1]
        assert changes_of(log)[0][1] == "enum value(s) 'a' listed more than once: kept once"

    def test_a_published_member_keeps_its_value(self) -> None:
        """The record says `asc` is ASC (a release published it); the vendor now lists ASC first."""
        record = NamesRecord(enum_members={"/components/schemas/Sort": {"ASC": "asc", "ASC_2": "ASC"}})
        doc = make_spec({"Sort": {"type": "string", "enum": ["ASC", "asc"]}})
        out, _ = run_repair(p.disambiguate_enum_members, doc, Overrides(record=record))
        assert out["components"]["schemas"]["Sort"]["x-enum-varnames"] == ["ASC_2", "ASC"]

    def test_nothing_to_do(self) -> None:
        assert_nothing_to_do(
            p.disambiguate_enum_members, make_spec({"Sort": {"type": "string", "enum": ["asc", "desc", 1]}})
        )


class TestDropUnsupportedDefaults:
    def test_a_default_beside_a_reference_to_a_model_is_dropped_naming_the_property(self) -> None:
        meta = {"allOf": [{"$ref": REF("Meta")}], "default": {}, "description": "metadata"}
        doc = make_spec({"Meta": make_obj(name={"type": "string"}), "Deployment": make_obj(metadata=meta)})
        out, log = run_repair(p.drop_unsupported_defaults, doc)
        assert "default" not in out["components"]["schemas"]["Deployment"]["properties"]["metadata"]
        assert changes_of(log) == [
            (
                "/components/schemas/Deployment/properties/metadata",
                "property 'metadata': dropped default {}: a model takes no default",
            )
        ]

    def test_an_enum_default_that_is_none_of_its_values_names_value_and_enum(self) -> None:
        param = {"name": "sort", "in": "query", "schema": {"type": "string", "enum": ["a", "b"], "default": ""}}
        out, log = run_repair(
            p.drop_unsupported_defaults, make_spec(paths={"/o": {"get": make_op("o", parameters=[param])}})
        )
        assert "default" not in out["paths"]["/o"]["get"]["parameters"][0]["schema"]
        assert changes_of(log)[0][1] == "parameter 'sort': dropped default '': not one of the enum's values ('a', 'b')"

    @pytest.mark.parametrize("default", ["inf", "1e999", "nan", 2.5, True])
    def test_an_integer_default_the_generator_cannot_convert_is_dropped(self, default: object) -> None:
        # "inf" and "1e999" made the generator's own conversion raise OverflowError: a traceback, not a repair.
        doc = make_spec({"Page": make_obj(size={"type": "integer", "default": default})})
        out, log = run_repair(p.drop_unsupported_defaults, doc)
        assert "default" not in out["components"]["schemas"]["Page"]["properties"]["size"]
        assert changes_of(log) == [
            ("/components/schemas/Page/properties/size", f"property 'size': dropped default {default!r}: no integer")
        ]

    def test_a_published_sdk_refuses_to_drop_it(self) -> None:
        doc = make_spec({"When": make_obj(day={"type": "string", "format": "date", "default": "someday"})})
        with pytest.raises(PipelineError, match="drop_unsupported_defaults would change the document here"):
            run_repair(p.drop_unsupported_defaults, doc, strict=True)

    def test_nothing_to_do(self) -> None:
        schemas = {
            "Kind": {"type": "string", "enum": ["a", "b"]},
            "Use": make_obj(
                kind={"allOf": [{"$ref": REF("Kind")}], "default": "a"},
                day={"type": "string", "format": "date", "default": "2024-02-29"},
                any={"type": ["string", "null"], "default": None},
                count={"type": "integer", "default": "3"},
            ),
        }
        assert_nothing_to_do(p.drop_unsupported_defaults, make_spec(schemas))


class TestSeparateClashingClassNames:
    def test_an_inline_enum_named_like_a_component_is_titled_apart(self) -> None:
        doc = make_spec(
            {
                "OrderStatus": {"type": "string", "enum": ["pending", "paid"]},
                "Order": make_obj(status={"type": "string", "enum": ["open", "closed"]}),
            }
        )
        out, log = run_repair(p.separate_clashing_class_names, doc)
        # The class of an inline enum is its parent's name and its title.
        assert out["components"]["schemas"]["Order"]["properties"]["status"]["title"] == "Status2"
        assert changes_of(log) == [
            (
                "/components/schemas/Order/properties/status",
                "class OrderStatus is also /components/schemas/OrderStatus: this enum is class OrderStatus2",
            )
        ]

    def test_a_class_named_like_the_runtime_base_class(self) -> None:
        out, log = run_repair(p.separate_clashing_class_names, make_spec({"Model": make_obj(name={"type": "string"})}))
        assert out["components"]["schemas"]["Model"]["title"] == "Model2"
        assert changes_of(log)[0][1] == "class Model is a name the generated modules use: this model is class Model2"

    def test_two_components_the_generator_names_alike(self) -> None:
        out, _ = run_repair(
            p.separate_clashing_class_names, make_spec({"plan": make_obj(a={"type": "string"}), "Plan": make_obj()})
        )
        assert out["components"]["schemas"]["Plan"]["title"] == "Plan2"

    def test_nothing_to_do(self) -> None:
        # Identical enums share their class.
        status = {"type": "string", "enum": ["open", "closed"]}
        assert_nothing_to_do(
            p.separate_clashing_class_names, make_spec({"OrderStatus": status, "Order": make_obj(status=status)})
        )
