"""Tests for sdkpipeline.normalize.naming: class names from property names."""

from __future__ import annotations

import pytest

from sdkpipeline.normalize.naming import pascal_case, rewrite_refs, singular


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("countryCode", "CountryCode"),  # camelCase
        ("news_articles", "NewsArticles"),  # snake_case
        ("product.types", "ProductTypes"),  # dotted
        ("billing-details", "BillingDetails"),  # kebab-case
        ("HTTPResponse", "HTTPResponse"),  # a leading acronym stays
        ("order", "Order"),
        ("Order", "Order"),  # already PascalCase
        ("v0 orders", "V0Orders"),  # digits and spaces
        ("", ""),
    ],
)
def test_pascal_case(text: str, expected: str) -> None:
    assert pascal_case(text) == expected


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("orders", "order"),
        ("currencies", "currency"),
        ("Currencies", "Currency"),
        ("CURRENCIES", "CURRENCY"),  # keeps the case of the ending
        ("addresses", "address"),  # irregular
        ("statuses", "status"),
        ("boxes", "box"),
        ("matches", "match"),
        ("wishes", "wish"),
        ("classes", "class"),
        ("lineItems", "lineItem"),
        ("data", "data"),  # no singular
        ("details", "details"),
        ("status", "status"),
        ("analysis", "analysis"),
        ("address", "address"),  # 'ss' is not a plural
        ("s", "s"),
        ("order", "order"),
    ],
)
def test_singular(word: str, expected: str) -> None:
    assert singular(word) == expected


def test_rewrite_refs() -> None:
    doc = {"a": {"$ref": "#/x/Old"}, "b": [{"$ref": "#/x/Old"}, {"$ref": "#/x/Other"}]}
    assert rewrite_refs(doc, {"#/x/Old": "#/x/New"}) == 2
    assert doc == {"a": {"$ref": "#/x/New"}, "b": [{"$ref": "#/x/New"}, {"$ref": "#/x/Other"}]}
