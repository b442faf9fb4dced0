"""The normalizer passes, by family; each small, named for what it does, spec in → spec out.

A pass reads only the document and the API's overrides, and reports every change it makes to the
log (the runner warns about a pass that changed nothing). The runner hands each pass its own copy
of the document once, so passes edit that copy in place and return it.
"""

from __future__ import annotations

from ._common import Document, Pass
from .declarative import add_extra_schemas, apply_patches
from .limits import (
    disambiguate_enum_members,
    drop_unsupported_defaults,
    lift_nullable_components,
    merge_all_of_fragments,
    separate_clashing_class_names,
    settle_all_of_redefinitions,
    unwrap_component_aliases,
)
from .media import (
    fill_missing_body_schemas,
    prefer_json_media_types,
    send_wildcard_bodies_as_json,
    treat_other_media_as_bytes,
    wrap_multipart_files,
)
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
    move_required_flags,
    rename_duplicate_operation_ids,
    require_path_parameters,
    strip_html_from_descriptions,
    strip_ignored_header_parameters,
)
from .sdk import describe_pagination, describe_unwrap, name_sdk_classes
from .sharing import hoist_repeated_schemas, lift_nullable_unions, merge_identical_components

__all__ = ["BEFORE_CHECKS", "KEEP_REFERENCES", "PASSES", "REPAIR_PASSES", "Document", "Pass"]

# Passes that repair a defect of the vendor document: each change is reported to the maintainer.
REPAIR_PASSES = frozenset(
    {
        "rename_duplicate_operation_ids",
        "derive_operation_ids",
        "declare_path_parameters",
        "require_path_parameters",
        "strip_ignored_header_parameters",
        "move_required_flags",
        "fix_untyped_schemas",
        "lift_nullable_components",
        "merge_all_of_fragments",
        "settle_all_of_redefinitions",
        "unwrap_component_aliases",
        "fix_defaults_outside_bounds",
        "fix_null_defaults",
        "collapse_binary_request_bodies",
        "fill_missing_body_schemas",
        "send_wildcard_bodies_as_json",
        "wrap_multipart_files",
        "prefer_json_media_types",
        "treat_other_media_as_bytes",
        "disambiguate_enum_members",
        "drop_unsupported_defaults",
        "hoist_response_schemas",
        "strip_html_from_descriptions",
        "mark_deprecated_operations",
        "separate_clashing_class_names",
    }
)

# The explicit, ordered list the runner applies; the document's contents are checked right after the passes in
# BEFORE_CHECKS (so the published operation names are back, and a patch can fix what a check refuses). Order
# matters: fixes first, then sharing, then names, then the SDK decisions written as x-sdk-* extensions (they
# read the final names).
PASSES: tuple[Pass, ...] = (
    keep_published_operations,  # first: the overrides' patches and the names record point at published names
    apply_patches,
    rename_duplicate_operation_ids,
    derive_operation_ids,  # after the renames: a derived name is one no operation has
    add_extra_schemas,
    declare_path_parameters,
    require_path_parameters,
    strip_ignored_header_parameters,
    strip_html_from_descriptions,
    move_required_flags,
    fix_untyped_schemas,
    lift_nullable_components,
    merge_all_of_fragments,  # after fix_untyped_schemas: fragments have their types
    settle_all_of_redefinitions,
    unwrap_component_aliases,
    fix_defaults_outside_bounds,
    fix_null_defaults,
    collapse_binary_request_bodies,
    fill_missing_body_schemas,
    send_wildcard_bodies_as_json,  # before prefer_json_media_types: `*/*` beside a form is JSON
    prefer_json_media_types,
    wrap_multipart_files,  # after prefer_json_media_types: only a body sent as multipart
    treat_other_media_as_bytes,
    disambiguate_enum_members,  # before sharing: the names record keys an enum by its place in the raw document
    drop_unsupported_defaults,  # after the enum and nullability repairs, which make more defaults valid
    hoist_response_schemas,
    hoist_repeated_schemas,
    lift_nullable_unions,
    merge_identical_components,
    rename_components,
    name_operations,
    mark_deprecated_operations,  # after name_operations: it names the replacement in SDK terms
    describe_pagination,
    describe_unwrap,  # after describe_pagination: a list that pages returns its pages
    name_sdk_classes,  # names what the methods take and return, as the decisions above made them
    separate_clashing_class_names,  # last: every class name is final
)
BEFORE_CHECKS: frozenset[Pass] = frozenset({keep_published_operations, apply_patches})
# Passes that edit prose, titles, operation names and `x-sdk-*` decisions only: they never add, move or remove a
# `$ref`, so the references walked before them are the document's after them too (PassLog.references).
KEEP_REFERENCES: frozenset[Pass] = frozenset(
    {
        strip_html_from_descriptions,
        name_operations,
        mark_deprecated_operations,
        describe_pagination,
        describe_unwrap,
        name_sdk_classes,
    }
)
