"""The normalizer passes, by family; each small, named for what it does, spec in → spec out.

A pass reads only the document and the API's overrides, and reports every change it makes to the
log (the runner warns about a pass that changed nothing). The runner hands each pass its own copy
of the document once, so passes edit that copy in place and return it.
"""

from __future__ import annotations

from ._common import Document, Pass
from .declarative import add_extra_schemas, apply_patches
from .media import fill_missing_body_schemas, prefer_json_media_types, treat_other_media_as_bytes
from .names import keep_published_operations, name_operations, rename_components
from .repairs import (
    collapse_binary_request_bodies,
    declare_path_parameters,
    derive_operation_ids,
    fix_defaults_outside_bounds,
    fix_null_defaults,
    fix_untyped_schemas,
    hoist_response_schemas,
    mark_deprecated_operations,
    strip_html_from_descriptions,
    strip_ignored_header_parameters,
)
from .sdk import describe_pagination, describe_unwrap, name_sdk_classes
from .sharing import hoist_repeated_schemas, lift_nullable_unions, merge_identical_components

__all__ = ["BEFORE_CHECKS", "PASSES", "REPAIR_PASSES", "Document", "Pass"]

# Passes that repair a defect of the vendor document: each change is reported to the maintainer.
REPAIR_PASSES = frozenset(
    {
        "derive_operation_ids",
        "declare_path_parameters",
        "strip_ignored_header_parameters",
        "fix_untyped_schemas",
        "fix_defaults_outside_bounds",
        "fix_null_defaults",
        "collapse_binary_request_bodies",
        "fill_missing_body_schemas",
        "prefer_json_media_types",
        "treat_other_media_as_bytes",
        "hoist_response_schemas",
        "strip_html_from_descriptions",
        "mark_deprecated_operations",
    }
)

# The explicit, ordered list the runner applies; the document's contents are checked right after the passes in
# BEFORE_CHECKS (so the published operation names are back, and a patch can fix what a check refuses). Order
# matters: fixes first, then sharing, then names, then the SDK decisions written as x-sdk-* extensions (they
# read the final names).
PASSES: tuple[Pass, ...] = (
    keep_published_operations,  # first: the overrides' patches and the names record point at published names
    apply_patches,
    derive_operation_ids,
    add_extra_schemas,
    declare_path_parameters,
    strip_ignored_header_parameters,
    strip_html_from_descriptions,
    fix_untyped_schemas,
    fix_defaults_outside_bounds,
    fix_null_defaults,
    collapse_binary_request_bodies,
    fill_missing_body_schemas,
    prefer_json_media_types,
    treat_other_media_as_bytes,
    hoist_response_schemas,
    hoist_repeated_schemas,
    lift_nullable_unions,
    merge_identical_components,
    rename_components,
    name_operations,
    mark_deprecated_operations,  # after name_operations: it names the replacement in SDK terms
    describe_pagination,
    describe_unwrap,  # after describe_pagination: a list that pages returns its pages
    name_sdk_classes,  # last: names what the methods take and return, as the decisions above made them
)
BEFORE_CHECKS: frozenset[Pass] = frozenset({keep_published_operations, apply_patches})
