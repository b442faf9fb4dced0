"""Vendor edits that once broke the SDK under a non-breaking version, taken with `update_specs`.

Each case is a realistic edit of a vendored spec of a kind the raw-spec report calls additive or harmless, served
from a loopback server and taken into a copy of the repository (with its committed packages, the previous
release). What users import is compared between the previous and the regenerated package: every edit that only
adds to the vendor document must keep every published name (the surface stays whole), and any release whose
surface breaks must be a breaking one. Run with `-s` to see each report, bump and surface comparison.
"""

from __future__ import annotations

import copy
import datetime
import functools
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from sdkpipeline.release.specdiff import Severity
from sdkpipeline.release.surface import read_surface
from sdkpipeline.release.update import SpecUpdate, plan_update, probe_surface, settle_version, summary
from sdkpipeline.spec.registry import load_registry
from sdkpipeline.spec.repo import Repo
from sdkpipeline.spec.yamlio import dump_document, load_document

from ..conftest import copy_repo
from .conftest import SpecServer
from .vendor_edits import envelope_data, schemas_of

ROOT = Repo.default().root
TODAY = datetime.date(2027, 3, 14)
Doc = dict[str, Any]
SPECS = {"cnaught": ROOT / "specs/cnaught/openapi.yaml", "fungies": ROOT / "specs/fungies/api-docs.yaml"}


@functools.cache
def _vendored(api: str) -> Doc:
    return load_document(SPECS[api])


# --- the edits, one per kind of vendor edit --------------------------------------------------------------


def short_offer_used_twice_more(doc: Doc) -> None:
    # The short offer form (4 uses, class ItemOffer) appears in two more responses, so it outnumbers the full
    # offer (5 uses, class Offer): the majority rule alone would give it `Offer` and rename the full one.
    short = envelope_data(doc, "GetV0UsersUserIdInventoryPositiveResponse")["inventory"]["items"]["properties"]["offer"]
    envelope_data(doc, "GetV0OrdersOrderIdOrNumberPositiveResponse")["offer"] = copy.deepcopy(short)
    envelope_data(doc, "GetV0PaymentsPaymentIdPositiveResponse")["offer"] = copy.deepcopy(short)


def optional_field_on_one_discount(doc: Doc) -> None:
    # Five identical inline discount objects (class Discount); the single-discount response gains a field.
    discount = envelope_data(doc, "GetV0DiscountsDiscountIdPositiveResponse")["discount"]
    discount["properties"]["note"] = {"type": "string", "description": "Internal note on the discount."}


def cancel_option_enum_in_a_new_place(doc: Doc) -> None:
    # The subscription-cancel request's inline enum (one use, named by the generator after its request body)
    # is used by the update request too: two uses would be hoisted under the property's name.
    option = schemas_of(doc)["PatchV0SubscriptionsSubscriptionIdOrNumberCancelRequestBody"]["properties"][
        "cancelOption"
    ]
    update = schemas_of(doc)["PatchV0SubscriptionsSubscriptionIdOrNumberUpdateRequestBody"]["properties"]
    update["cancelOption"] = copy.deepcopy(option)


def another_currency_enum(doc: Doc) -> None:
    # A `currency` enum with other values than the shared Currency: two shapes want the name, so the rule gives
    # it to neither.
    body = schemas_of(doc)["PostV0UsersCreateRequestBody"]["properties"]
    body["currency"] = {"type": "string", "enum": ["USD", "EUR"], "description": "Preferred payout currency."}


def second_tag_on_an_operation(doc: Doc) -> None:
    # GET /orders is filed under Subaccounts too (the last tag used to pick the resource).
    doc["paths"]["/orders"]["get"]["tags"] = ["Orders", "Subaccounts"]


def nullable_request_enum(doc: Doc) -> None:
    # The pause request's invoicing behaviour may now be null: as a union, the generator would name it …Type0.
    prop = schemas_of(doc)["PatchV0SubscriptionsSubscriptionIdOrNumberPauseCollectionRequestBody"]["properties"]
    behaviour = prop["invoicingBehavior"]
    behaviour["type"] = ["string", "null"]
    behaviour["enum"] = [*behaviour["enum"], None]


def schema_made_non_nullable(doc: Doc) -> None:
    # Project.due_diligence_figure is always sent now: a single-use object the sharing rule hoisted only because
    # it was nullable (class DueDiligenceFigure); inline, the generator would call it ProjectDueDiligenceFigure.
    schemas_of(doc)["Project"]["properties"]["due_diligence_figure"]["type"] = "object"


def required_properties_swapped(doc: Doc) -> None:
    # Same two required floats, in the other order: positional constructors would swap the values silently.
    props = schemas_of(doc)["AirFreightQuoteParameters"]["properties"]
    mass, distance = props.pop("freight_mass_kg"), props.pop("distance_km")
    rest = dict(props)
    props.clear()
    props.update({"distance_km": distance, "freight_mass_kg": mass, **rest})


def operations_that_map_to_one_method(doc: Doc) -> None:
    # Two new GET operations ending in a path parameter: the rule names both like the published GetOrderById,
    # orders.retrieve, which must keep that name.
    ok = doc["paths"]["/orders/{id}"]["get"]["responses"]
    for name, path in (("GetOrderCertificate", "certificate"), ("GetOrderReceipt", "receipt")):
        doc["paths"][f"/orders/{{id}}/{path}/{{format}}"] = {
            "get": {
                "operationId": name,
                "tags": ["Orders"],
                "summary": f"Order {path} in a format",
                "parameters": [
                    {"name": "id", "in": "path", "required": True, "schema": {"type": "string"}},
                    {"name": "format", "in": "path", "required": True, "schema": {"type": "string"}},
                ],
                "responses": copy.deepcopy(ok),
            }
        }


EDITS = [
    # (api, edit, names the previous release published that must still be there)
    pytest.param("fungies", short_offer_used_twice_more, ["models.Offer", "models.ItemOffer"], id="majority-flip"),
    pytest.param("fungies", optional_field_on_one_discount, ["models.Discount"], id="optional-field-splits-shape"),
    pytest.param(
        "fungies",
        cancel_option_enum_in_a_new_place,
        ["models.SubscriptionCancelParamsCancelOption"],
        id="same-enum-new-place",
    ),
    pytest.param("fungies", another_currency_enum, ["models.Currency"], id="same-enum-name-other-values"),
    pytest.param("cnaught", second_tag_on_an_operation, ["SDK method orders.list"], id="second-tag"),
    pytest.param(
        "fungies",
        nullable_request_enum,
        ["models.SubscriptionPauseCollectionParamsInvoicingBehavior"],
        id="nullable-request-enum",
    ),
    pytest.param("cnaught", schema_made_non_nullable, ["models.DueDiligenceFigure"], id="made-non-nullable"),
    pytest.param("cnaught", required_properties_swapped, ["models.AirFreightQuoteParameters"], id="required-swapped"),
    pytest.param("cnaught", operations_that_map_to_one_method, ["SDK method orders.retrieve"], id="method-collision"),
]


@pytest.fixture(scope="module")
def previous_release(tmp_path_factory: pytest.TempPathFactory) -> Repo:
    """One copy of the repository with its committed packages (the previous release); each test copies it."""
    return copy_repo(tmp_path_factory.mktemp("previous") / "repo")


def judge(repo: Repo, server: SpecServer, api: str, edit: Callable[[Doc], None], workdir: Path) -> SpecUpdate:
    """What `update_specs` decides for the edited document: spec report, SDK surface against the committed
    package, version and CHANGELOG entry (the final regeneration, which only writes that version, is left out)."""
    doc = copy.deepcopy(_vendored(api))
    edit(doc)
    url = server.serve(SPECS[api].name, dump_document(doc).encode("utf-8"))
    entry = load_registry(repo)[api]
    update = plan_update(entry, source=url, today=TODAY)
    entry.spec.write_bytes(update.data)
    update.surface = probe_surface(entry, update.new_version, workdir=workdir)
    settle_version(update)
    return update


def report(update: SpecUpdate) -> str:
    assert update.surface is not None
    surface = "\n".join(f"    {c.severity.value}: {c.detail}" for c in update.surface) or "    (no change)"
    return f"{summary(update, written=False)}\n  SDK surface comparison:\n{surface}"


@pytest.mark.slow
@pytest.mark.parametrize(("api", "edit", "kept"), EDITS)
def test_an_additive_vendor_edit_keeps_every_published_name(
    tmp_path: Path,
    previous_release: Repo,
    spec_server: SpecServer,
    api: str,
    edit: Callable[[Doc], None],
    kept: list[str],
) -> None:
    """The surface stays whole (nothing removed, renamed or retyped), so the release is rightly not breaking."""
    repo = Repo(tmp_path / "repo")
    shutil.copytree(previous_release.root, repo.root, symlinks=True)
    entry = load_registry(repo)[api]
    before = read_surface(entry.output_dir, entry.package)

    update = judge(repo, spec_server, api, edit, tmp_path)

    print(f"\n=== {api}: {edit.__name__}\n{report(update)}")
    assert update.surface is not None
    breaking = [c.detail for c in update.surface if c.severity is Severity.BREAKING]
    # What an unchanged call sends may change with the edit (nullable-request-enum: the committed package drops the
    # vendor's `default: void` beside a bare $ref, the pinned class carries it): breaking, but no name moved.
    assert [d for d in breaking if "calls that leave it out now" not in d] == [], "a published name moved"
    assert (update.severity is Severity.BREAKING) == bool(breaking)
    assert "### SDK surface" in update.entry
    after = read_surface(tmp_path / entry.dist_name, entry.package)
    assert set(before) <= set(after), "every previously public name is still importable"
    for name in kept:
        path = name if name.startswith("SDK method ") else f"{entry.package}.{name}"
        assert after[path] == before[path], f"{name} changed"
