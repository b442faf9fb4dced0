"""Tests for the passes that repair what openapi-python-client would refuse, each on a tiny inline spec.

One class per pass (test_passes.py checks that every pass of PASSES has one here or there): an exact output,
the log line, and "found nothing to change" when there is nothing to do. The lossy ones are also run the way a
published SDK runs them (strict): refused, naming the place, unless the overrides file accepts the repair.
"""

from __future__ import annotations

import copy
from typing import Any

import pytest

from sdkpipeline.errors import PipelineError
from sdkpipeline.normalize import Overrides, PassLog, normalize
from sdkpipeline.normalize import passes as p
from sdkpipeline.normalize.context import NamesRecord
from sdkpipeline.normalize.passes import Pass

Doc = dict[str, Any]
NOTHING = "found nothing to change"
REF = "#/components/schemas/{}".format
NULL = {"type": "null"}


def _spec(schemas: Doc | None = None, paths: Doc | None = None, version: str = "3.1.0") -> Doc:
    doc: Doc = {"openapi": version, "info": {"title": "Shop", "version": "1.0.0"}, "paths": paths or {}}
    if schemas is not None:
        doc["components"] = {"schemas": schemas}
    return doc


def _op(operation_id: str, **fields: Any) -> Doc:
    return {"operationId": operation_id, "responses": {"200": {"description": "ok"}}, **fields}


def _obj(**properties: Any) -> Doc:
    return {"type": "object", "properties": properties}


def _run(step: Pass, doc: Doc, overrides: Overrides | None = None, *, strict: bool = False) -> tuple[Doc, PassLog]:
    """One pass through the runner, as ad hoc mode runs it unless `strict` (a published SDK)."""
    return normalize(doc, overrides or Overrides(), passes=(step,), strict=strict)


def _changes(log: PassLog) -> list[tuple[str, str]]:
    return [(c.pointer, c.message) for c in log.changes]


def _nothing_to_do(step: Pass, doc: Doc) -> None:
    out, log = _run(step, copy.deepcopy(doc))
    assert (log.changes, log.warnings, out) == ([], [f"{step.__name__}: {NOTHING}"], doc)


class TestRenameDuplicateOperationIds:
    def test_the_head_beside_the_get_is_renamed(self) -> None:
        item = {"get": _op("getThing"), "head": _op("getThing")}
        out, log = _run(p.rename_duplicate_operation_ids, _spec(paths={"/thing": item}))
        assert out["paths"]["/thing"]["head"]["operationId"] == "getThing_head"
        assert _changes(log) == [
            (
                "/paths/~1thing/head/operationId",
                "operationId 'getThing' is also /paths/~1thing/get/operationId: renamed 'getThing_head'",
            )
        ]

    def test_a_taken_new_name_gets_a_number(self) -> None:
        paths = {"/a": {"get": _op("x"), "head": _op("x")}, "/b": {"get": _op("x_head")}, "/c": {"head": _op("x")}}
        out, _ = _run(p.rename_duplicate_operation_ids, _spec(paths=paths))
        assert [out["paths"][k][m]["operationId"] for k, m in [("/a", "head"), ("/c", "head")]] == [
            "x_head_2",
            "x_head_3",
        ]

    def test_nothing_to_do(self) -> None:
        _nothing_to_do(p.rename_duplicate_operation_ids, _spec(paths={"/a": {"get": _op("a"), "head": _op("b")}}))


class TestRequirePathParameters:
    def test_an_optional_nullable_path_parameter_is_required_and_not_null(self) -> None:
        param = {"name": "id", "in": "path", "schema": {"type": ["string", "null"]}}
        out, log = _run(p.require_path_parameters, _spec(paths={"/o/{id}": {"get": _op("o", parameters=[param])}}))
        fixed = out["paths"]["/o/{id}"]["get"]["parameters"][0]
        assert fixed == {"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}
        assert [m for _, m in _changes(log)] == [
            "path parameter 'id' made required",
            "path parameter 'id' made non-nullable",
        ]

    def test_nothing_to_do(self) -> None:
        param = {"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}
        query = {"name": "q", "in": "query", "schema": {"type": ["string", "null"]}}
        _nothing_to_do(
            p.require_path_parameters, _spec(paths={"/o/{id}": {"get": _op("o", parameters=[param, query])}})
        )


class TestMoveRequiredFlags:
    def test_a_property_flag_moves_to_the_parent_list(self) -> None:
        doc = _spec(
            {"Pet": {**_obj(name={"type": "string", "required": True}, tag={"type": "string", "required": False})}}
        )
        out, log = _run(p.move_required_flags, doc)
        assert out["components"]["schemas"]["Pet"] == {
            "type": "object",
            "properties": {"name": {"type": "string"}, "tag": {"type": "string"}},
            "required": ["name"],
        }
        assert _changes(log)[0] == (
            "/components/schemas/Pet/properties/name/required",
            "`required: true` on property 'name' moved to its parent's list",
        )

    def test_on_a_body_schema_it_makes_the_body_required(self) -> None:
        body = {"content": {"application/octet-stream": {"schema": {"type": "string", "required": True}}}}
        out, log = _run(p.move_required_flags, _spec(paths={"/img": {"put": _op("up", requestBody=body)}}))
        assert out["paths"]["/img"]["put"]["requestBody"] == {
            "content": {"application/octet-stream": {"schema": {"type": "string"}}},
            "required": True,
        }
        assert _changes(log)[0][1] == "`required: true` on the request body's schema: the request body is required"

    def test_nothing_to_do(self) -> None:
        _nothing_to_do(p.move_required_flags, _spec({"Pet": {**_obj(name={"type": "string"}), "required": ["name"]}}))


class TestLiftNullableComponents:
    def test_a_nullable_base_model_admits_null_at_its_uses_not_where_it_is_extended(self) -> None:
        base = {"type": "object", "nullable": True, "properties": {"id": {"type": "string"}}}
        doc = _spec(
            {
                "FileBase": base,
                "FileMini": {"allOf": [{"$ref": REF("FileBase")}, _obj(name={"type": "string"})]},
                "Folder": _obj(item={"$ref": REF("FileBase"), "description": "the item"}),
            },
            version="3.0.3",
        )
        out, log = _run(p.lift_nullable_components, doc)
        schemas = out["components"]["schemas"]
        assert "nullable" not in schemas["FileBase"]
        assert schemas["FileMini"]["allOf"][0] == {"$ref": REF("FileBase")}
        assert schemas["Folder"]["properties"]["item"] == {
            "anyOf": [{"$ref": REF("FileBase")}, NULL],
            "description": "the item",
        }
        assert _changes(log) == [("/components/schemas/FileBase", "nullable model: its uses admit null instead")]

    def test_nothing_to_do(self) -> None:
        # Nullable, but no allOf extends it: the generator's union is fine (lift_nullable_unions names it).
        nullable = {"type": ["object", "null"], "properties": {"id": {"type": "string"}}}
        _nothing_to_do(p.lift_nullable_components, _spec({"Base": nullable, "Use": _obj(b={"$ref": REF("Base")})}))


class TestMergeAllOfFragments:
    def test_scalar_fragments_become_one_schema_a_later_word_winning(self) -> None:
        fragments = {"allOf": [{"type": "string", "nullable": True, "example": "3"}, {"nullable": False}]}
        out, log = _run(p.merge_all_of_fragments, _spec({"File": _obj(sequence_id=fragments)}, version="3.0.3"))
        assert out["components"]["schemas"]["File"]["properties"]["sequence_id"] == {"type": "string", "example": "3"}
        assert _changes(log) == [
            ("/components/schemas/File/properties/sequence_id", "2 fragments of one string: merged")
        ]

    def test_annotations_beside_a_reference_leave_the_referenced_class(self) -> None:
        described = {"allOf": [{"$ref": REF("Role")}, {"description": "the role"}, {"x-example-key": "r"}]}
        doc = _spec({"Role": {"type": "string", "enum": ["editor", "viewer"]}, "Grant": _obj(role=described)})
        out, _ = _run(p.merge_all_of_fragments, doc)
        assert out["components"]["schemas"]["Grant"]["properties"]["role"] == {
            "description": "the role",
            "x-example-key": "r",
            "allOf": [{"$ref": REF("Role")}],
        }

    def test_nothing_to_do(self) -> None:
        # Two models: the generator merges their properties into one class itself.
        both = {"allOf": [{"$ref": REF("A")}, _obj(b={"type": "string"})]}
        _nothing_to_do(p.merge_all_of_fragments, _spec({"A": _obj(a={"type": "string"}), "AB": both}))


class TestSettleAllOfRedefinitions:
    SCHEMAS: Doc = {  # noqa: RUF012  (read-only fixture)
        "Kind": {"type": "string", "enum": ["task", "milestone"]},
        "Task": _obj(kind={"$ref": REF("Kind")}),
        "Attachment": _obj(
            parent={
                "allOf": [
                    {"$ref": REF("Task")},
                    _obj(kind={"type": ["string", "null"], "description": "the parent's kind"}),
                ]
            }
        ),
    }

    def test_an_enum_then_a_nullable_string_keeps_the_enum(self) -> None:
        out, log = _run(p.settle_all_of_redefinitions, _spec(copy.deepcopy(self.SCHEMAS)))
        parent = out["components"]["schemas"]["Attachment"]["properties"]["parent"]
        assert parent["allOf"][1]["properties"]["kind"] == {"description": "the parent's kind"}
        assert _changes(log) == [
            (
                "/components/schemas/Attachment/properties/parent/allOf",
                "property 'kind' defined again as union after enum: the generator cannot merge them, "
                "the first definition stands",
            )
        ]

    def test_a_published_sdk_refuses_it_unless_the_overrides_accept_it(self) -> None:
        doc = _spec(copy.deepcopy(self.SCHEMAS))
        with pytest.raises(PipelineError, match=r"settle_all_of_redefinitions would change the document here") as info:
            _run(p.settle_all_of_redefinitions, copy.deepcopy(doc), strict=True)
        assert info.value.where == "/components/schemas/Attachment/properties/parent/allOf"
        accepted = Overrides(repairs={"settle_all_of_redefinitions": "apply"})
        out, _ = _run(p.settle_all_of_redefinitions, doc, accepted, strict=True)
        assert out["components"]["schemas"]["Attachment"]["properties"]["parent"]["allOf"][1]["properties"]["kind"]

    def test_nothing_to_do(self) -> None:
        # An enum redefined as a plain string merges: the generator keeps the enum itself.
        schemas = copy.deepcopy(self.SCHEMAS)
        schemas["Attachment"]["properties"]["parent"]["allOf"][1]["properties"]["kind"] = {"type": "string"}
        _nothing_to_do(p.settle_all_of_redefinitions, _spec(schemas))


class TestUnwrapComponentAliases:
    def test_an_all_of_of_one_model_with_inline_models_becomes_a_titled_copy(self) -> None:
        base = {**_obj(owner=_obj(name={"type": "string"})), "title": "TemplateBase"}
        doc = _spec({"Base": base, "Response": {"allOf": [{"$ref": REF("Base")}], "description": "the answer"}})
        out, log = _run(p.unwrap_component_aliases, doc)
        assert out["components"]["schemas"]["Response"] == {
            **_obj(owner=_obj(name={"type": "string"})),
            "title": "Response",
            "description": "the answer",
        }
        assert _changes(log) == [
            ("/components/schemas/Response", f"allOf of one model ({REF('Base')}): a copy of it, titled")
        ]

    def test_nothing_to_do(self) -> None:
        # An alias of an enum is that enum; of a model without inline models, that model (the generator's
        # reading); an allOf with properties of its own is a model of its own.
        schemas = {
            "Kind": {"type": "string", "enum": ["a"]},
            "KindAlias": {"allOf": [{"$ref": REF("Kind")}]},
            "Flat": _obj(kind={"$ref": REF("Kind")}),
            "FlatAlias": {"allOf": [{"$ref": REF("Flat")}]},
            "More": {"allOf": [{"$ref": REF("Kind")}], "properties": {"x": {"type": "string"}}},
        }
        _nothing_to_do(p.unwrap_component_aliases, _spec(schemas))


class TestSendWildcardBodiesAsJson:
    def test_a_structured_body_in_any_media_type_is_json_a_file_is_bytes(self) -> None:
        structured = {"content": {"*/*": {"schema": {"$ref": REF("Deployment")}}}}
        upload = {"content": {"*/*": {"schema": {"type": "string", "format": "binary"}}}}
        paths = {
            "/d": {"put": _op("replace", requestBody=structured)},
            "/a": {"post": _op("avatar", requestBody=upload)},
        }
        out, log = _run(p.send_wildcard_bodies_as_json, _spec({"Deployment": _obj(name={"type": "string"})}, paths))
        assert out["paths"]["/d"]["put"]["requestBody"]["content"] == {
            "application/json": {"schema": {"$ref": REF("Deployment")}}
        }
        assert out["paths"]["/a"]["post"]["requestBody"]["content"] == {
            "application/octet-stream": {"schema": {"type": "string", "format": "binary"}}
        }
        assert [m for _, m in _changes(log)] == [
            "request body in */*: sent as JSON (application/json)",
            "request body in */*: sent as raw bytes (application/octet-stream)",
        ]

    def test_nothing_to_do(self) -> None:
        body = {"content": {"application/json": {"schema": {"type": "object"}}}}
        _nothing_to_do(p.send_wildcard_bodies_as_json, _spec(paths={"/d": {"put": _op("replace", requestBody=body)}}))


class TestWrapMultipartFiles:
    def test_a_multipart_body_that_is_one_file_is_a_form_with_a_file_part(self) -> None:
        body = {"content": {"multipart/form-data": {"schema": {"type": "string", "format": "binary"}}}}
        out, log = _run(p.wrap_multipart_files, _spec(paths={"/attach": {"post": _op("attach", requestBody=body)}}))
        assert out["paths"]["/attach"]["post"]["requestBody"]["content"]["multipart/form-data"]["schema"] == {
            "type": "object",
            "properties": {"file": {"type": "string", "format": "binary"}},
            "required": ["file"],
        }
        assert [(m, c.lossy) for (_, m), c in zip(_changes(log), log.changes, strict=True)] == [
            ("a multipart body that is one file: sent as the form part `file`", True)
        ]

    def test_nothing_to_do(self) -> None:
        form = _obj(file={"type": "string", "format": "binary"})
        body = {"content": {"multipart/form-data": {"schema": form}}}
        _nothing_to_do(p.wrap_multipart_files, _spec(paths={"/attach": {"post": _op("attach", requestBody=body)}}))


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
        out, log = _run(p.disambiguate_enum_members, _spec({"Sort": {"type": "string", "enum": values}}))
        assert out["components"]["schemas"]["Sort"]["x-enum-varnames"] == members
        assert _changes(log) == [("/components/schemas/Sort", f"enum members named apart: {renamed}")]

    def test_a_value_listed_twice_is_kept_once(self) -> None:
        out, log = _run(p.disambiguate_enum_members, _spec({"Sort": {"type": "string", "enum": ["a", None, "a", 1]}}))
        assert out["components"]["schemas"]["Sort"]["enum"] == ["a", None, 1]
        assert _changes(log)[0][1] == "enum value(s) 'a' listed more than once: kept once"

    def test_a_published_member_keeps_its_value(self) -> None:
        """The record says `asc` is ASC (a release published it); the vendor now lists ASC first."""
        record = NamesRecord(enum_members={"/components/schemas/Sort": {"ASC": "asc", "ASC_2": "ASC"}})
        doc = _spec({"Sort": {"type": "string", "enum": ["ASC", "asc"]}})
        out, _ = _run(p.disambiguate_enum_members, doc, Overrides(record=record))
        assert out["components"]["schemas"]["Sort"]["x-enum-varnames"] == ["ASC_2", "ASC"]

    def test_nothing_to_do(self) -> None:
        _nothing_to_do(p.disambiguate_enum_members, _spec({"Sort": {"type": "string", "enum": ["asc", "desc", 1]}}))


class TestDropUnsupportedDefaults:
    def test_a_default_beside_a_reference_to_a_model_is_dropped_naming_the_property(self) -> None:
        meta = {"allOf": [{"$ref": REF("Meta")}], "default": {}, "description": "metadata"}
        doc = _spec({"Meta": _obj(name={"type": "string"}), "Deployment": _obj(metadata=meta)})
        out, log = _run(p.drop_unsupported_defaults, doc)
        assert "default" not in out["components"]["schemas"]["Deployment"]["properties"]["metadata"]
        assert _changes(log) == [
            (
                "/components/schemas/Deployment/properties/metadata",
                "property 'metadata': dropped default {}: a model takes no default",
            )
        ]

    def test_an_enum_default_that_is_none_of_its_values_names_value_and_enum(self) -> None:
        param = {"name": "sort", "in": "query", "schema": {"type": "string", "enum": ["a", "b"], "default": ""}}
        out, log = _run(p.drop_unsupported_defaults, _spec(paths={"/o": {"get": _op("o", parameters=[param])}}))
        assert "default" not in out["paths"]["/o"]["get"]["parameters"][0]["schema"]
        assert _changes(log)[0][1] == "parameter 'sort': dropped default '': not one of the enum's values ('a', 'b')"

    def test_a_published_sdk_refuses_to_drop_it(self) -> None:
        doc = _spec({"When": _obj(day={"type": "string", "format": "date", "default": "someday"})})
        with pytest.raises(PipelineError, match="drop_unsupported_defaults would change the document here"):
            _run(p.drop_unsupported_defaults, doc, strict=True)

    def test_nothing_to_do(self) -> None:
        schemas = {
            "Kind": {"type": "string", "enum": ["a", "b"]},
            "Use": _obj(
                kind={"allOf": [{"$ref": REF("Kind")}], "default": "a"},
                day={"type": "string", "format": "date", "default": "2024-02-29"},
                any={"type": ["string", "null"], "default": None},
                count={"type": "integer", "default": "3"},
            ),
        }
        _nothing_to_do(p.drop_unsupported_defaults, _spec(schemas))


class TestSeparateClashingClassNames:
    def test_an_inline_enum_named_like_a_component_is_titled_apart(self) -> None:
        doc = _spec(
            {
                "OrderStatus": {"type": "string", "enum": ["pending", "paid"]},
                "Order": _obj(status={"type": "string", "enum": ["open", "closed"]}),
            }
        )
        out, log = _run(p.separate_clashing_class_names, doc)
        # The class of an inline enum is its parent's name and its title.
        assert out["components"]["schemas"]["Order"]["properties"]["status"]["title"] == "Status2"
        assert _changes(log) == [
            (
                "/components/schemas/Order/properties/status",
                "class OrderStatus is also /components/schemas/OrderStatus: this enum is class OrderStatus2",
            )
        ]

    def test_a_class_named_like_the_runtime_base_class(self) -> None:
        out, log = _run(p.separate_clashing_class_names, _spec({"Model": _obj(name={"type": "string"})}))
        assert out["components"]["schemas"]["Model"]["title"] == "Model2"
        assert _changes(log)[0][1] == "class Model is a name the generated modules use: this model is class Model2"

    def test_two_components_the_generator_names_alike(self) -> None:
        out, _ = _run(p.separate_clashing_class_names, _spec({"plan": _obj(a={"type": "string"}), "Plan": _obj()}))
        assert out["components"]["schemas"]["Plan"]["title"] == "Plan2"

    def test_nothing_to_do(self) -> None:
        # Identical enums share their class.
        status = {"type": "string", "enum": ["open", "closed"]}
        _nothing_to_do(p.separate_clashing_class_names, _spec({"OrderStatus": status, "Order": _obj(status=status)}))
