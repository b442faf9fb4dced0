"""One line per change: what a CHANGELOG entry opens with, before the spec report's and the surface's details.

One vendor edit can be many lines of detail: a class rename is a line per signature that names the class, a
default is the same keyword argument on the sync, async and raw-response twins of a method and on the function
layer, an enum value added to a shared schema is a line per operation that returns it. A headline says each
once, with where it applies: "`Quote` renamed to `CarbonQuote`", "keyword argument `id` renamed to `order_id`
in `orders.retrieve`, `api.orders.get_order_by_id`". Spec-report lines are grouped by what changed at one
place; surface lines by the same change of the same name, wherever a user meets it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from .specdiff import Change, Severity
from .surface import SurfaceChange

__all__ = ["Headline", "format_headlines", "headlines"]

_RANK = {Severity.BREAKING: 0, Severity.ADDITIVE: 1, Severity.PATCH: 2}
_WORD = {Severity.BREAKING: "breaking", Severity.ADDITIVE: "additive", Severity.PATCH: "other"}
_SHOWN = 3  # places named in a headline before "and N more"


@dataclass(frozen=True)
class Headline:
    severity: Severity
    text: str


def headlines(changes: Sequence[Change], surface: Sequence[SurfaceChange] | None = None) -> list[Headline]:
    """The spec report's and the surface comparison's changes, one line each; the worst first, the spec report's
    before the surface's at the same severity, a line both would say said once."""
    found: dict[str, Severity] = {}
    for line in [*_spec_headlines(changes), *_surface_headlines(surface or ())]:
        known = found.get(line.text)
        found[line.text] = line.severity if known is None else min(known, line.severity, key=_RANK.__getitem__)
    order = list(found)
    return sorted((Headline(s, t) for t, s in found.items()), key=lambda h: (_RANK[h.severity], order.index(h.text)))


def format_headlines(lines: Iterable[Headline]) -> str:
    """Markdown bullets, `- breaking: …`; empty when there is nothing to say."""
    return "".join(f"- {_WORD[h.severity]}: {h.text}\n" for h in lines)


# --- the spec report ------------------------------------------------------------------------------------------

_MODEL_RENAMED = re.compile(r"is now component `([^`]+)` instead of component `([^`]+)`")


def _spec_headlines(changes: Sequence[Change]) -> list[Headline]:
    groups: dict[tuple[str, Severity, str], list[Change]] = {}
    for change in changes:
        renamed = _MODEL_RENAMED.search(change.detail) if change.kind == "model-renamed" else None
        # A renamed model is one rename wherever it is used; anything else is one change at one place.
        key = f"`{renamed[2]}` renamed to `{renamed[1]}`" if renamed else f"{change.kind} {change.location}"
        groups.setdefault((key, change.severity, change.kind), []).append(change)
    out = []
    for (key, severity, _), group in groups.items():
        if key.startswith("`"):
            out.append(Headline(severity, key))
            continue
        labels = list(dict.fromkeys(c.operation for c in group if c.operation))
        first = group[0]
        text = first.detail
        if first.operation and text.startswith(f"{first.operation}: "):
            # Said once for every operation it reaches (a shared schema is reported once per operation).
            text = f"{text[len(first.operation) + 2 :]} ({_places(labels)})"
        out.append(Headline(severity, text))
    return out


# --- the SDK surface ------------------------------------------------------------------------------------------

_PATH = re.compile(r"`([^`]+)`")


def _surface_headlines(changes: Iterable[SurfaceChange]) -> list[Headline]:
    groups: dict[tuple[str, Severity], tuple[str, list[str]]] = {}
    for change in changes:
        key, text, place = _surface_line(change)
        known = groups.setdefault((key, change.severity), (text, []))
        if place and place not in known[1]:
            known[1].append(place)
    return [
        Headline(severity, f"{text} in {_places([f'`{p}`' for p in places])}" if places else text)
        for (_, severity), (text, places) in groups.items()
    ]


def _surface_line(change: SurfaceChange) -> tuple[str, str, str]:
    """(what groups it, its text without the places, one place where a user meets it)."""
    if change.renamed and change.was and change.detail.startswith("keyword argument "):
        old, new = change.renamed
        text = f"keyword argument `{old}` renamed to `{new}`"
        return text, text, _owner(change.path)[0]
    if change.renamed:
        # The class's rename says it all: its module, and every annotation that only follows it.
        old, new = change.renamed
        text = f"`{old}` renamed to `{new}`"
        return text, text, ""
    match = _PATH.search(change.detail)
    if match is None or match[1] != change.path:
        return change.detail, change.detail, ""
    owner, member = _owner(change.path)
    before, after = change.detail[: match.start()], change.detail[match.end() :]
    if not member:
        text = f"{before}`{owner}`{after}"
        return text, text, ""
    text = f"{before}`{member}`{after}"
    return text, text, owner


def _owner(path: str) -> tuple[str, str]:
    """(where a user meets it, its name there): `…resources.orders.AsyncOrdersResource.list(limit)` is `limit` of
    `orders.list`, `…api.orders.get_list_of_order.sync_detailed(limit)` of `api.orders.get_list_of_order`, a
    model field `….models.Order.state` is `state` of `Order`; a class or module is itself, without its package."""
    head, member = _split_parameter(path)
    parts = head.split(".")[1:]
    if parts[:1] == ["resources"] and len(parts) >= 4:
        owner = ".".join([parts[1], *parts[3:]])  # the client's resource attribute and the method
    elif parts[:1] == ["api"] and len(parts) >= 4:
        owner = ".".join(parts[:3])  # one module per operation: sync, asyncio and their _detailed are one
    elif parts[:1] == ["models"] and len(parts) == 3 and not member:
        owner, member = parts[1], parts[2]
    else:
        owner = _module_or_class(parts) or path
    return owner, member


def _split_parameter(path: str) -> tuple[str, str]:
    """(`….f`, `limit`) of a parameter's path `….f(limit)`; (the path, "") of anything else."""
    if path.endswith(")") and "(" in path:
        return path[: path.index("(")], path[path.index("(") + 1 : -1]
    return path, ""


def _module_or_class(parts: list[str]) -> str:
    """A model is known by its class name; a module keeps its package's (`models.order`)."""
    shorter = parts[:1] == ["models"] and len(parts) > 1 and parts[-1][:1].isupper()
    return ".".join(parts[1:] if shorter else parts)


def _places(names: list[str]) -> str:
    shown = ", ".join(names[:_SHOWN])
    return shown if len(names) <= _SHOWN else f"{shown} and {len(names) - _SHOWN} more"
