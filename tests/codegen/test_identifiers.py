"""Tests for sdkpipeline.codegen.identifiers: every name the SDK prints is a valid, distinct identifier."""

from __future__ import annotations

import keyword

import pytest

from sdkpipeline.codegen import identifiers as ids
from sdkpipeline.codegen import packagenames
from sdkpipeline.codegen.model import OPTION_KEYWORDS
from sdkpipeline.errors import PipelineError


@pytest.mark.parametrize(
    ("name", "method"),
    [
        ("list", "list"),  # the REST verb stays: the resource spells annotations `builtins.list[...]`
        ("retrieve", "retrieve"),
        ("int", "int_"),  # `-> int` in the class body would name the method (mypy: not valid as a type)
        ("str", "str_"),
        ("property", "property_"),
        ("import", "import_"),  # a keyword
        ("with_raw_response", "with_raw_response_"),  # the resource's own attribute
        ("with_streaming_response", "with_streaming_response_"),
        ("get-pets.json", "get_pets_json"),
        ("2fa", "field_2fa"),
    ],
)
def test_method_name(name: str, method: str) -> None:
    assert ids.method_name(name) == method


@pytest.mark.parametrize(
    ("tag", "resource"),
    [("orders", "orders"), ("2", "tag_2"), ("Pet Store", "pet_store"), ("class", "class_"), ("---", "default")],
)
def test_resource_name(tag: str, resource: str) -> None:
    assert ids.resource_name(tag) == resource
    assert resource.isidentifier() and not keyword.iskeyword(resource)


def test_a_parameter_named_like_a_per_call_option_takes_its_location() -> None:
    reserved = {"self", *OPTION_KEYWORDS}
    params = [("id", "path"), ("timeout", "query"), ("max_retries", "header"), ("limit", "query")]
    assert ids.parameter_keywords(params, reserved=reserved) == ["id", "timeout_query", "max_retries_header", "limit"]


def test_parameters_that_clash_with_each_other_are_told_apart() -> None:
    # a header `X-Id` (keyword `id`) beside the path's `id`; a query `body` beside the request body
    params = [("id", "path"), ("id", "header"), ("body", "query"), ("id", "cookie")]
    assert ids.parameter_keywords(params, reserved={"self", "body"}) == ["id", "id_header", "body_query", "id_cookie"]


def test_distinct_numbers_what_a_suffix_cannot_settle() -> None:
    assert ids.distinct(["a", "a", "a_x", "a"], suffixes=["x", "x", "", "x"]) == ["a", "a_x", "a_x_2", "a_x_3"]


def test_one_constructor_argument_per_security_scheme() -> None:
    # a bearer token and an apiKey scheme named api_key both want `api_key`; a scheme may not take `timeout`
    wanted = [("api_key", "bearerAuth"), ("api_key", "api_key"), ("timeout", "timeout"), ("public_key", "pk")]
    assert ids.credential_parameters(wanted) == ["api_key", "api_key_2", "timeout_2", "public_key"]
    assert ids.credential_parameters([("api_key", "bearer"), ("api_key", "header")]) == ["api_key", "header"]


@pytest.mark.parametrize(
    ("title", "dist", "package", "client"),
    [
        ("Swagger Petstore - OpenAPI 3.0", "swagger-petstore-client", "swagger_petstore_client", "SwaggerPetstore"),
        ("Ory Kratos API", "ory-kratos-client", "ory_kratos_client", "OryKratos"),
        (
            "CNaught Carbon Credits API v1",
            "cnaught-carbon-credits-client",
            "cnaught_carbon_credits_client",
            "CNaughtCarbonCredits",
        ),
        ("3D Secure", "3d-secure-client", "sdk_3d_secure_client", "API3DSecure"),
        ("Client", "client", "client", "ClientAPI"),  # a class `Client` would shadow the generator's
        ("openapi-python-client", "openapi-python-client", "openapi_python_client_sdk", "OpenapiPythonClient"),
    ],
)
def test_names_from_the_title(title: str, dist: str, package: str, client: str) -> None:
    names = packagenames.package_names(title)
    assert (names.dist_name, names.package, names.client_class) == (dist, package, client)


def test_flags_win_and_the_package_follows_the_distribution() -> None:
    names = packagenames.package_names("Swagger Petstore", dist_name="acme-pets", client_class="Pets")
    assert (names.dist_name, names.package, names.client_class, names.env_prefix) == (
        "acme-pets",
        "acme_pets",
        "Pets",
        "ACME_PETS",
    )


@pytest.mark.parametrize(
    ("flags", "message"),
    [
        ({"client_class": "Client"}, "--client-class 'Client' would shadow the package's own Client"),
        ({"client_class": "APIError"}, "would shadow"),
        ({"client_class": "my client"}, "not a valid Python class name"),
        ({"package": "my-pkg"}, "not a valid Python package name"),
        ({"dist_name": "my pkg"}, "not a valid distribution name"),
    ],
)
def test_names_that_would_not_work_are_refused(flags: dict[str, str], message: str) -> None:
    with pytest.raises(PipelineError, match=message):
        packagenames.package_names("Swagger Petstore", **flags)


@pytest.mark.parametrize(
    ("python_name", "keyword"),
    [("type_", "type"), ("format_", "format"), ("id", "id"), ("from_", "from_"), ("dict_", "dict_"), ("x_", "x_")],
)
def test_method_keywords_drop_the_suffix_of_a_builtin(python_name: str, keyword: str) -> None:
    """`type_` is `type` (openai-python names it so); keywords and names the method bodies use keep the suffix."""
    assert ids.method_keyword(python_name) == keyword
