"""The media-type passes (normalize/passes/media.py): one media type per body and per response.

Each pass on a tiny inline spec, one class per pass (`TestLiftNullableUnions` for lift_nullable_unions): at least
one exact output, and the runner's "found nothing to change" warning when the pass has nothing to do. The lossy
repairs are also run the way a published SDK runs them (strict): refused, naming the place, unless the overrides
file accepts the repair.
"""

from __future__ import annotations

import copy

import pytest

from sdkpipeline.errors import PipelineError
from sdkpipeline.normalize import normalize
from sdkpipeline.normalize import passes as p
from tests.normalize.passes.fragments import (
    NO_OVERRIDES,
    REF,
    Doc,
    assert_nothing_to_do,
    changes_of,
    make_obj,
    make_op,
    make_spec,
    run_pass,
    run_repair,
)


def _body(*media: str, schema: Doc | None = None) -> Doc:
    return {"content": {m: {"schema": schema or {"$ref": REF("Pet")}} for m in media}}


PET = {"Pet": make_obj(name={"type": "string"})}


RAW = {"type": "string", "format": "binary"}


class TestFillMissingBodySchemas:
    def test_a_body_without_a_schema_is_any_value_of_its_media_type(self) -> None:
        # the generator refuses a body without a schema ("Missing schema") and drops the operation
        body = {"content": {"application/json": {}, "multipart/form-data": {}, "text/csv": {}}}
        out, log = run_pass(
            p.fill_missing_body_schemas, make_spec(paths={"/x": {"post": make_op("upload", requestBody=body)}})
        )
        content = out["paths"]["/x"]["post"]["requestBody"]["content"]
        assert content == {
            "application/json": {"schema": {}},
            "multipart/form-data": {"schema": {"type": "object"}},
            "text/csv": {"schema": RAW},
        }
        assert [m for _, m in changes_of(log)] == [
            "no schema: the body is any JSON value",
            "no schema: the body is any fields",
            "no schema: the body is raw bytes",
        ]

    def test_nothing_to_do(self) -> None:
        doc = make_spec(PET, {"/pet": {"put": make_op("updatePet", requestBody=_body("application/json"))}})
        assert_nothing_to_do(p.fill_missing_body_schemas, doc)


class TestSendWildcardBodiesAsJson:
    def test_a_structured_body_in_any_media_type_is_json_a_file_is_bytes(self) -> None:
        structured = {"content": {"*/*": {"schema": {"$ref": REF("Deployment")}}}}
        upload = {"content": {"*/*": {"schema": {"type": "string", "format": "binary"}}}}
        paths = {
            "/d": {"put": make_op("replace", requestBody=structured)},
            "/a": {"post": make_op("avatar", requestBody=upload)},
        }
        out, log = run_repair(
            p.send_wildcard_bodies_as_json, make_spec({"Deployment": make_obj(name={"type": "string"})}, paths)
        )
        assert out["paths"]["/d"]["put"]["requestBody"]["content"] == {
            "application/json": {"schema": {"$ref": REF("Deployment")}}
        }
        assert out["paths"]["/a"]["post"]["requestBody"]["content"] == {
            "application/octet-stream": {"schema": {"type": "string", "format": "binary"}}
        }
        assert [m for _, m in changes_of(log)] == [
            "request body in */*: sent as JSON (application/json)",
            "request body in */*: sent as raw bytes (application/octet-stream)",
        ]

    def test_nothing_to_do(self) -> None:
        body = {"content": {"application/json": {"schema": {"type": "object"}}}}
        assert_nothing_to_do(
            p.send_wildcard_bodies_as_json, make_spec(paths={"/d": {"put": make_op("replace", requestBody=body)}})
        )


class TestPreferJsonMediaTypes:
    def test_a_body_offered_as_json_xml_and_form_is_sent_as_json(self) -> None:
        # the swagger petstore's PUT /pet: one model as JSON, XML and a form (the generator sent it as a form)
        body = _body("application/xml", "application/x-www-form-urlencoded", "application/json")
        out, log = run_pass(
            p.prefer_json_media_types, make_spec(PET, {"/pet": {"put": make_op("updatePet", requestBody=body)}})
        )
        assert list(out["paths"]["/pet"]["put"]["requestBody"]["content"]) == ["application/json"]
        assert changes_of(log) == [
            (
                "/paths/~1pet/put/requestBody/content",
                "request body offered as application/json, application/xml, application/x-www-form-urlencoded: "
                "the SDK sends application/json",
            )
        ]

    def test_without_json_a_form_comes_before_multipart(self) -> None:
        body = _body("multipart/form-data", "application/x-www-form-urlencoded")
        out, _ = run_pass(
            p.prefer_json_media_types, make_spec(PET, {"/pet": {"post": make_op("addPet", requestBody=body)}})
        )
        assert list(out["paths"]["/pet"]["post"]["requestBody"]["content"]) == ["application/x-www-form-urlencoded"]

    def test_a_response_is_read_as_json_before_text(self) -> None:
        ok = {"description": "ok", **_body("text/plain", "application/problem+json", "application/json")}
        out, _ = run_pass(
            p.prefer_json_media_types, make_spec(PET, {"/pet": {"get": make_op("getPet", responses={"200": ok})}})
        )
        assert list(out["paths"]["/pet"]["get"]["responses"]["200"]["content"]) == ["application/json"]

    def test_nothing_to_do(self) -> None:
        doc = make_spec(PET, {"/pet": {"put": make_op("updatePet", requestBody=_body("application/json"))}})
        assert_nothing_to_do(p.prefer_json_media_types, doc)


class TestWrapMultipartFiles:
    def test_a_multipart_body_that_is_one_file_is_a_form_with_a_file_part(self) -> None:
        body = {"content": {"multipart/form-data": {"schema": {"type": "string", "format": "binary"}}}}
        out, log = run_repair(
            p.wrap_multipart_files, make_spec(paths={"/attach": {"post": make_op("attach", requestBody=body)}})
        )
        assert out["paths"]["/attach"]["post"]["requestBody"]["content"]["multipart/form-data"]["schema"] == {
            "type": "object",
            "properties": {"file": {"type": "string", "format": "binary"}},
            "required": ["file"],
        }
        assert [(m, c.lossy) for (_, m), c in zip(changes_of(log), log.changes, strict=True)] == [
            ("a multipart body that is one file: sent as the form part `file`", True)
        ]

    def test_nothing_to_do(self) -> None:
        form = make_obj(file={"type": "string", "format": "binary"})
        body = {"content": {"multipart/form-data": {"schema": form}}}
        assert_nothing_to_do(
            p.wrap_multipart_files, make_spec(paths={"/attach": {"post": make_op("attach", requestBody=body)}})
        )


class TestTreatOtherMediaAsBytes:
    def test_a_string_body_in_a_custom_media_type_is_sent_raw(self) -> None:
        # the generator's own test document: `openapi/python/client` with a string schema, both ways
        body = _body("openapi/python/client", schema={"type": "string"})
        ok = {"description": "ok", **_body("openapi/python/client", schema={"type": "string"})}
        doc = make_spec(paths={"/x": {"post": make_op("override", requestBody=body, responses={"200": ok})}})
        out, log = run_pass(p.treat_other_media_as_bytes, doc)
        op = out["paths"]["/x"]["post"]
        assert op["requestBody"]["content"]["openapi/python/client"]["schema"] == RAW
        assert op["responses"]["200"]["content"]["openapi/python/client"]["schema"] == RAW
        assert [c[0] for c in changes_of(log)] == [
            "/paths/~1x/post/requestBody/content/openapi~1python~1client/schema",
            "/paths/~1x/post/responses/200/content/openapi~1python~1client/schema",
        ]

    def test_a_spreadsheet_download_is_read_as_bytes(self) -> None:
        ok = {"description": "ok", **_body("application/vnd.ms-excel", schema=RAW)}
        xml = {"description": "ok", **_body("application/xml")}
        doc = make_spec(
            PET,
            {"/x": {"get": make_op("export", responses={"200": ok}), "put": make_op("put", responses={"200": xml})}},
        )
        out, log = run_pass(p.treat_other_media_as_bytes, doc)
        assert out["paths"]["/x"]["put"]["responses"]["200"]["content"]["application/xml"]["schema"] == RAW
        assert [c[0] for c in changes_of(log)] == ["/paths/~1x/put/responses/200/content/application~1xml/schema"]

    def test_a_structured_body_in_xml_is_raw_bytes_but_refused_for_a_published_sdk(self) -> None:
        doc = make_spec(PET, {"/pet": {"post": make_op("addPet", requestBody=_body("application/xml"))}})
        where = "/paths/~1pet/post/requestBody/content/application~1xml/schema"
        with pytest.raises(PipelineError, match="its schema is not used \\(the caller encodes it\\)") as info:
            run_pass(p.treat_other_media_as_bytes, copy.deepcopy(doc))  # strict, as for an API of the registry
        assert info.value.where == where
        out, log = normalize(doc, NO_OVERRIDES, passes=(p.treat_other_media_as_bytes,), strict=False)
        assert out["paths"]["/pet"]["post"]["requestBody"]["content"]["application/xml"]["schema"] == RAW
        assert [c.lossy for c in log.changes] == [True]

    def test_a_text_request_body_makes_text_responses_bytes_too(self) -> None:
        # the generator handles one media type one way: text/plain is overridden to bytes for the request
        text = {"type": "string"}
        ok = {"description": "ok", **_body("text/plain", schema=text)}
        doc = make_spec(
            paths={"/n": {"post": make_op("note", requestBody=_body("text/plain", schema=text), responses={"200": ok})}}
        )
        out, _ = run_pass(p.treat_other_media_as_bytes, doc)
        assert out["paths"]["/n"]["post"]["responses"]["200"]["content"]["text/plain"]["schema"] == RAW
