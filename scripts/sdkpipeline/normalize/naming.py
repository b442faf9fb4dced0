"""Turning property names into class names, and rewriting references after a rename."""

from __future__ import annotations

import re
from typing import Any

from ..spec.pointer import references

_WORD = re.compile(r"[A-Z]+(?=[A-Z][a-z0-9])|[A-Z]?[a-z0-9]+|[A-Z]+")
_IRREGULAR = {"statuses": "status", "addresses": "address", "data": "data", "details": "details", "news": "news"}


def pascal_case(text: str) -> str:
    """'countryCode' → 'CountryCode', 'news_articles' → 'NewsArticles', 'product.types' → 'ProductTypes'."""
    words = _WORD.findall(re.sub(r"[^A-Za-z0-9]+", " ", text).strip())
    return "".join(w[:1].upper() + w[1:] for w in words)


def singular(word: str) -> str:
    """A best-effort singular of an English plural property name ('currencies' → 'currency')."""
    lower = word.lower()
    if lower in _IRREGULAR:
        return word[: len(word) - (len(lower) - len(_IRREGULAR[lower]))]
    if lower.endswith("ies") and len(word) > 3:
        return word[:-3] + ("Y" if word[-3].isupper() else "y")
    if lower.endswith(("sses", "xes", "ches", "shes")):
        return word[:-2]
    if lower.endswith(("ss", "us", "is")):
        return word  # 'address', 'status', 'analysis' are singular already
    if lower.endswith("s") and len(word) > 1:
        return word[:-1]
    return word


def rewrite_refs(node: Any, mapping: dict[str, str]) -> int:
    """Point every `$ref` in `mapping` (old ref → new ref) at its new target; returns the count.

    A `$ref` inside an example or an `x-` extension is data, not a reference: it is left as written."""
    count = 0
    for _, holder in references(node):
        if holder["$ref"] in mapping:
            holder["$ref"] = mapping[holder["$ref"]]
            count += 1
    return count
