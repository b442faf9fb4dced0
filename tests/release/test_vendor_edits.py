"""Each kind of vendor edit, taken with `update_specs` into a copy of the repository and its packages: the bump,
the spec report's and the surface comparison's verdicts, and the line the CHANGELOG entry opens with.

The copy holds the committed packages (the previous release), so the surface is compared for real; the table of
what every edit found is printed at the end of the run (tests/release/conftest.py).
"""

from __future__ import annotations

import copy
import datetime
import functools
import shutil
from pathlib import Path

import pytest

from sdkpipeline.normalize.record import check_names_record
from sdkpipeline.release.changelog import check_release_records, entry_summary, newest_entry
from sdkpipeline.release.surface import read_surface
from sdkpipeline.release.update import update_spec
from sdkpipeline.spec.registry import load_registry
from sdkpipeline.spec.repo import Repo
from sdkpipeline.spec.yamlio import dump_document, load_document

from ..conftest import copy_repo
from . import vendor_edits as v
from .vendor_edits import ADDITIVE, BREAKING, PATCH, Doc, Edit, Row

ROOT = Repo.default().root
TODAY = datetime.date(2027, 3, 14)
SPECS = {"cnaught": ROOT / "specs/cnaught/openapi.yaml", "fungies": ROOT / "specs/fungies/api-docs.yaml"}

EDITS = [
    # --- a widening in response position is additive; a narrowing in request position is breaking ----------
    pytest.param(
        Edit(
            "cnaught",
            v.order_state_gains_a_value,
            "3.1.0",
            ADDITIVE,
            ADDITIVE,
            'additive: response field `data[].state`: enum value "refunded" added '
            "(GET /orders, GET /orders/{id}, POST /orders and 2 more)",
        ),
        id="response-enum-value-added",
    ),
    pytest.param(
        Edit(
            "fungies",
            v.subscription_status_gains_a_value,
            "0.5.1",
            ADDITIVE,
            ADDITIVE,
            'additive: response field `data.orders[].subscription.status`: enum value "scheduled" added '
            "(GET /v0/orders/list)",
        ),
        id="response-enum-value-added-fungies",
    ),
    pytest.param(
        Edit(
            "fungies",
            v.subscription_filter_gains_a_value,
            "0.5.1",
            ADDITIVE,
            ADDITIVE,
            'additive: parameter `status` (query): enum value "scheduled" added (GET /v0/subscriptions/list)',
        ),
        id="request-enum-value-added",
    ),
    pytest.param(
        Edit(
            "fungies",
            v.order_filter_loses_a_value,
            "0.6.0",
            BREAKING,
            BREAKING,
            'breaking: parameter `statuses` (query) field `[]`: enum value "EXPIRED" removed (GET /v0/orders/list)',
        ),
        id="request-enum-value-removed",
    ),
    pytest.param(
        Edit(
            "cnaught",
            v.order_state_loses_a_value,
            "4.0.0",
            BREAKING,
            BREAKING,
            'breaking: response field `data[].state`: enum value "fulfilled" removed '
            "(GET /orders, GET /orders/{id}, POST /orders and 2 more)",
        ),
        id="response-enum-value-removed",
    ),
    pytest.param(
        Edit(
            "fungies",
            v.discount_gains_an_optional_field,
            "0.5.1",
            ADDITIVE,
            ADDITIVE,
            "additive: optional response field `data.discount.note` added (GET /v0/discounts/{discountId})",
            keeps=("models.Discount.__init__",),
        ),
        id="optional-response-field-added",
    ),
    pytest.param(
        Edit(
            "fungies",
            v.payment_envelope_gains_a_field,
            "0.5.1",
            ADDITIVE,
            ADDITIVE,
            "additive: required response field `requestId` added (GET /v0/payments/{paymentId})",
            keeps=("resources.payments.PaymentsResource.retrieve",),
        ),
        id="envelope-field-added",
    ),
    pytest.param(
        Edit(
            "cnaught",
            v.response_field_made_nullable,
            "4.0.0",
            BREAKING,
            None,  # an optional field is `str | None` already: the SDK's types do not change
            "breaking: response field `data[].name` is now nullable (GET /portfolios, GET /portfolios/{id})",
        ),
        id="response-field-made-nullable",
    ),
    pytest.param(
        Edit(
            "cnaught",
            v.request_field_made_nullable,
            "3.1.0",
            ADDITIVE,
            ADDITIVE,
            "additive: request field `name` is now nullable (POST /subaccounts)",
        ),
        id="request-field-made-nullable",
    ),
    pytest.param(
        Edit(
            "cnaught",
            v.required_request_field_added,
            "4.0.0",
            BREAKING,
            BREAKING,
            "breaking: required request field `country` added (POST /subaccounts)",
        ),
        id="required-request-field-added",
    ),
    pytest.param(
        Edit(
            "cnaught",
            v.list_limit_type_changed,
            "4.0.0",
            BREAKING,
            BREAKING,
            "breaking: parameter `limit` (query) changed type from integer to number (GET /orders)",
        ),
        id="parameter-type-changed",
    ),
    # --- parameters and operations ----------------------------------------------------------------------
    pytest.param(
        Edit(
            "cnaught",
            v.optional_query_parameter_added,
            "3.1.0",
            ADDITIVE,
            ADDITIVE,
            "additive: optional parameter `status` (query) added (GET /orders)",
        ),
        id="optional-parameter-added",
    ),
    pytest.param(
        Edit(
            "fungies",
            v.order_list_needs_a_region,
            "0.6.0",
            BREAKING,
            BREAKING,
            "breaking: required parameter `region` (query) added (GET /v0/orders/list)",
        ),
        id="required-parameter-added",
    ),
    pytest.param(
        Edit(
            "cnaught",
            v.operation_added,
            "3.1.0",
            ADDITIVE,
            ADDITIVE,
            "additive: operation added (GET /portfolios/{id}/projects)",
        ),
        id="operation-added",
    ),
    pytest.param(
        Edit(
            "fungies",
            v.unarchive_removed_with_its_components,
            "0.6.0",
            BREAKING,
            BREAKING,
            "breaking: operation removed (PATCH /v0/users/{userId}/unarchive)",
        ),
        id="operation-removed",
    ),
    pytest.param(
        Edit(
            "fungies",
            v.unarchive_removed_components_left,
            "0.6.0",
            BREAKING,
            BREAKING,
            "breaking: operation removed (PATCH /v0/users/{userId}/unarchive)",
            keeps=("models.ErrorResponse",),
        ),
        id="operation-removed-components-left",
    ),
    # --- a changed request default changes what the server does with an unchanged call ---------------------
    pytest.param(
        Edit(
            "fungies",
            v.cancel_default_changed,
            "0.6.0",
            BREAKING,
            None,  # the SDK sends no default: its surface is the same, the server's behaviour is not
            "breaking: request field `cancelAtIntervalEnd`: default changed from false to true: calls that leave it "
            "out now get true from the server (the SDK sends nothing for it) "
            "(PATCH /v0/subscriptions/{subscriptionIdOrNumber}/cancel)",
        ),
        id="request-body-default-changed",
    ),
    pytest.param(
        Edit(
            "cnaught",
            v.list_limit_default_changed,
            "4.0.0",
            BREAKING,
            None,  # the signatures default to UNSET before and after: the server's behaviour changed, not the SDK's
            "breaking: parameter `limit` (query): default changed from 20 to 50: calls that leave it out now get 50 "
            "from the server (the SDK sends nothing for it) "
            "(GET /orders)",
        ),
        id="query-default-changed",
    ),
    pytest.param(
        Edit(
            "cnaught",
            v.subaccount_header_gets_a_default,
            "4.0.0",
            BREAKING,
            None,  # the signatures default to UNSET before and after: the server's behaviour changed, not the SDK's
            'breaking: parameter `X-Subaccount-Id` (header): default changed from none to "main": calls that leave '
            'it out now get "main" from the server (the SDK sends nothing for it) (GET /impact/data, '
            "GET /impact/hosted-page-config, GET /orders and 13 more)",
        ),
        id="header-default-added",
    ),
    # --- names the vendor changes while the SDK keeps what it published ---------------------------------
    pytest.param(
        Edit(
            "cnaught",
            v.order_retrieval_operation_id_renamed,
            "3.0.1",
            PATCH,
            None,
            'other: operationId changed from "GetOrderById" to "RetrieveOrder"; the SDK keeps the published function '
            "module and method (GET /orders/{id})",
            keeps=("api.orders.get_order_by_id", "resources.orders.OrdersResource.retrieve"),
        ),
        id="operation-id-renamed",
    ),
    pytest.param(
        Edit(
            "fungies",
            v.payment_operation_id_renamed_with_its_components,
            "0.5.1",
            PATCH,
            None,
            'other: operationId changed from "GetV0PaymentsPaymentId" to "RetrievePayment"; the SDK keeps the '
            "published function module and method (GET /v0/payments/{paymentId})",
            keeps=("api.payments.get_v0_payments_payment_id", "models.ErrorResponse"),
        ),
        id="operation-id-renamed-with-components",
    ),
    pytest.param(
        Edit(
            "fungies",
            v.payment_operation_id_renamed_alone,
            "0.5.1",
            PATCH,
            None,
            'other: operationId changed from "GetV0PaymentsPaymentId" to "RetrievePayment"; the SDK keeps the '
            "published function module and method (GET /v0/payments/{paymentId})",
            keeps=("api.payments.get_v0_payments_payment_id", "models.ErrorResponse"),
        ),
        id="operation-id-renamed-components-kept",
    ),
    pytest.param(
        Edit(
            "cnaught",
            v.orders_filed_under_another_first_tag,
            "3.0.1",
            PATCH,
            None,
            'other: tags changed from ["Orders"] to ["Purchases", "Orders"]; the SDK keeps the published function '
            "module and resource (GET /orders)",
            keeps=("api.orders.get_list_of_order", "resources.orders.OrdersResource.list"),
        ),
        id="first-tag-changed",
    ),
    pytest.param(
        Edit(
            "fungies",
            v.user_update_patch_becomes_put,
            "0.5.1",
            PATCH,
            PATCH,
            "other: PATCH /v0/users/{userId}/update is now PUT /v0/users/{userId}/update (operationId "
            '"PatchV0UsersUserIdUpdate" kept): its HTTP method changed; the SDK method stays, judged on the SDK '
            "surface",
            keeps=("resources.users.UsersResource.update", "api.users.patch_v0_users_user_id_update"),
        ),
        id="http-method-changed",
    ),
    pytest.param(
        Edit(
            "cnaught",
            v.order_path_parameter_renamed,
            "4.0.0",
            BREAKING,
            BREAKING,
            "breaking: path parameter `id` renamed to `order_id`: a call that names it as a keyword argument must use "
            "the new name (GET /orders/{order_id})",
        ),
        id="path-parameter-renamed",
    ),
    pytest.param(
        Edit(
            "cnaught",
            v.quote_class_renamed,
            "4.0.0",
            BREAKING,
            BREAKING,
            "breaking: `Quote` renamed to `CarbonQuote`",
            overrides=v.quote_patch_follows_the_rename,
        ),
        id="class-renamed",
    ),
    pytest.param(
        Edit(
            "cnaught",
            v.order_list_description_changed,
            "3.0.1",
            PATCH,
            None,
            "other: operation: description changed (GET /orders)",
        ),
        id="description-changed",
    ),
]


@functools.cache
def _vendored(api: str) -> Doc:
    return load_document(SPECS[api])


@pytest.fixture(scope="module")
def released(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Repo]:
    """A copy of the repository per API, with its committed package: the previous release each test starts from."""
    return {api: copy_repo(tmp_path_factory.mktemp(api) / "repo", apis=[api]) for api in SPECS}


@pytest.mark.slow
@pytest.mark.parametrize("edit", EDITS)
def test_a_vendor_edit_is_released_as_it_affects_users(
    request: pytest.FixtureRequest, tmp_path: Path, released: dict[str, Repo], edit: Edit
) -> None:
    """`update_specs` takes the edited document: version, both verdicts, the CHANGELOG's first line, the records."""
    repo = Repo(tmp_path / "repo")
    shutil.copytree(released[edit.api].root, repo.root, symlinks=True)
    api = load_registry(repo)[edit.api]
    if edit.overrides is not None:
        api.overrides.write_text(edit.overrides(api.overrides.read_text(encoding="utf-8")), encoding="utf-8")
    before = read_surface(api.output_dir, api.package)
    doc = copy.deepcopy(_vendored(edit.api))
    edit.edit(doc)
    source = tmp_path / SPECS[edit.api].name
    source.write_text(dump_document(doc), encoding="utf-8")

    update = update_spec(edit.api, source=str(source), repo=repo, today=TODAY)

    assert update.surface is not None, "the previous package was compared"
    summary = entry_summary(update.entry)
    v.ROWS.append(
        Row(
            kind=request.node.callspec.id,
            api=edit.api,
            spec=v.severity_text(update.spec_severity, len(update.changes)),
            bump=f"{update.old_version} → {update.new_version}",
            surface=v.severity_text(update.surface_severity, len(update.surface)),
            summary=summary[0] if summary else "",
        )
    )
    assert (update.spec_severity, update.surface_severity) == (edit.spec, edit.surface)
    assert update.new_version == edit.version
    assert summary and summary[0] == edit.summary
    released_api = load_registry(repo)[edit.api]
    after = read_surface(released_api.output_dir, released_api.package)
    for path in edit.keeps:
        full = f"{api.package}.{path}"
        assert after[full] == before[full], f"{path} changed"
    # Nothing is called removed that users can still import.
    assert [c.path for c in update.surface if " removed" in c.detail and c.path in after] == []
    # The release records agree (what the drift check adds): the newest entry, the version, the names.
    assert newest_entry(released_api.changelog.read_text(encoding="utf-8"))[0] == edit.version  # type: ignore[index]
    assert check_release_records(released_api) == []
    assert check_names_record(released_api) == []
