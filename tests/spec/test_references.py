"""Where a `$ref` is a reference (spec/pointer.py `references`): not inside examples, defaults, enum members or `x-`
extensions; a property, a component or a response called like a keyword is still a place of references."""

from __future__ import annotations

from typing import Any

from sdkpipeline.spec.pointer import find, pointer, references


def _places(doc: Any, **kw: Any) -> list[str]:
    return sorted(pointer(*tokens) for tokens, _ in references(doc, **kw))


def test_data_and_extensions_hold_no_reference() -> None:
    doc = {
        "paths": {
            "/a": {
                "get": {
                    "x-policy": {"$ref": "#/components/x-policy/p"},
                    "responses": {
                        "default": {"$ref": "#/components/responses/Error"},
                        "200": {
                            "content": {
                                "application/json": {
                                    "schema": {"$ref": "#/components/schemas/A"},
                                    "example": {"link": {"$ref": "http://x"}},
                                    "examples": {"one": {"value": {"$ref": "no"}}, "two": {"$ref": "#/components/x"}},
                                }
                            }
                        },
                    },
                }
            },
            "x-paths-extension": {"$ref": "no"},
        },
        "components": {
            "x-policy": {"p": {"$ref": "../policies.yaml"}},
            "schemas": {
                "A": {"properties": {"default": {"$ref": "#/components/schemas/B"}}, "default": {"$ref": "no"}},
                "example": {"$ref": "#/components/schemas/A"},
                "E": {"enum": [{"$ref": "no"}], "examples": [{"$ref": "no"}]},
            },
        },
    }
    assert _places(doc) == [
        "/components/schemas/A/properties/default",
        "/components/schemas/example",
        "/paths/~1a/get/responses/200/content/application~1json/examples/two",
        "/paths/~1a/get/responses/200/content/application~1json/schema",
        "/paths/~1a/get/responses/default",
    ]


def test_a_mapping_yaml_put_at_many_places_is_walked_once() -> None:
    shared = {"$ref": "#/components/schemas/A"}
    doc = {"components": {"schemas": {"B": {"properties": {f"p{i}": shared for i in range(1000)}}}}}
    assert len(list(references(doc))) == 1


def test_find_is_none_for_a_place_the_document_lacks() -> None:
    doc = {"a": [{"b": 1}]}
    assert (find(doc, ["a", "0", "b"]), find(doc, ("a", 1)), find(doc, ("c",))) == (1, None, None)
