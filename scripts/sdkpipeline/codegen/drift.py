"""Drift check: regenerate into a temporary directory and compare with what is committed.

Missing, extra and changed files all fail, with a report naming each file (after the compare step of
openapi-python-client's own end-to-end tests).
"""

from __future__ import annotations

import difflib
import filecmp
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

from ..errors import PipelineError
from ..spec.registry import Api
from .generate import generate_api

_IGNORED = {"__pycache__", ".mypy_cache", ".ruff_cache", ".pytest_cache", "build", "dist", ".venv"}
_DIFF_LINES = 12


def compare_trees(expected: Path, actual: Path) -> tuple[list[str], list[str], list[str]]:
    """(missing, extra, changed) relative paths: what `actual` lacks, adds, or has different."""
    missing: list[str] = []
    extra: list[str] = []
    changed: list[str] = []

    def walk(cmp: filecmp.dircmp[str], prefix: str) -> None:
        missing.extend(prefix + n for n in cmp.left_only if n not in _IGNORED)
        extra.extend(prefix + n for n in cmp.right_only if n not in _IGNORED)
        # dircmp compares shallowly (size and mtime); compare contents of every common file.
        for name in cmp.common_files:
            if not filecmp.cmp(Path(cmp.left) / name, Path(cmp.right) / name, shallow=False):
                changed.append(prefix + name)
        changed.extend(prefix + n for n in cmp.common_funny)
        for name, sub in cmp.subdirs.items():
            if name not in _IGNORED:
                walk(sub, f"{prefix}{name}/")

    walk(filecmp.dircmp(expected, actual, ignore=list(_IGNORED)), "")
    return sorted(missing), sorted(extra), sorted(changed)


def _excerpt(expected: Path, actual: Path) -> str:
    try:
        a = actual.read_text(encoding="utf-8").splitlines()
        b = expected.read_text(encoding="utf-8").splitlines()
    except UnicodeDecodeError:
        return "      (binary file differs)"
    diff = list(difflib.unified_diff(a, b, "committed", "regenerated", lineterm="", n=1))[2:]
    shown = diff[:_DIFF_LINES]
    more = f"\n      … {len(diff) - len(shown)} more diff lines" if len(diff) > len(shown) else ""
    return "\n".join("      " + line for line in shown) + more


def run_drift(apis: list[Api], *, extra_checks: Callable[[Api], list[str]] | None = None) -> int:
    """Regenerate every API into a temporary directory; 0 when generated/ and the specs match.

    `extra_checks` adds an API's other problems to its report (the CLI passes the release-record check).
    """
    problems = 0
    with tempfile.TemporaryDirectory(prefix="drift-") as tmp:
        for api in apis:
            fresh = Path(tmp) / api.dist_name
            fresh_norm = Path(tmp) / api.normalized_spec.name
            try:
                generate_api(api, output=fresh, normalized_out=fresh_norm)
            except PipelineError as exc:
                print(f"{api.name}: drift check could not regenerate: {exc}", file=sys.stderr)
                problems += 1
                continue
            report: list[str] = []
            committed = api.output_dir
            shown = api.repo.shown
            if not committed.is_dir():
                report.append(f"  missing: {shown(committed)}/ (whole package)")
            else:
                missing, extra, changed = compare_trees(fresh, committed)
                base = shown(committed)
                report += [f"  missing: {base}/{p}" for p in missing]
                report += [f"  extra:   {base}/{p}" for p in extra]
                for p in changed:
                    report.append(f"  changed: {base}/{p}\n{_excerpt(fresh / p, committed / p)}")
            norm = api.normalized_spec
            if not norm.exists():
                report.append(f"  missing: {shown(norm)}")
            elif not filecmp.cmp(fresh_norm, norm, shallow=False):
                report.append(f"  changed: {shown(norm)}\n{_excerpt(fresh_norm, norm)}")
            if extra_checks is not None:
                report += extra_checks(api)
            if report:
                problems += 1
                print(f"{api.name}: generated code drifted from the pipeline ({len(report)} file(s)):")
                print("\n".join(report))
            else:
                print(f"{api.name}: no drift ({shown(api.output_dir)}, {shown(norm)})")
    if problems:
        print("\nRegenerate with `nox -s generate` and commit the result (never edit generated/ by hand).")
        return 1
    return 0
