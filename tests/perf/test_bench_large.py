"""The bench's large-documents section (perf/bench.py, perf/scale.py): which documents, the synthesized one, and
the table it prints. No timings asserted."""

from __future__ import annotations

import subprocess
from pathlib import Path

from sdkpipeline.perf.bench import Measured, _bare_argv_of, _large_report, alternating, child_env, large_documents
from sdkpipeline.perf.scale import synthesize_document
from sdkpipeline.spec.registry import load_registry
from sdkpipeline.spec.repo import Repo
from sdkpipeline.spec.yamlio import load_document


def test_the_large_documents_are_the_corpus_in_manifest_order() -> None:
    assert [p.name for p in large_documents(Repo.default())] == [
        "jira.json",
        "k8s-apps-v1.json",
        "spotify.yaml",
        "box.json",
        "asana.yaml",
    ]


def test_a_synthesized_document_is_about_the_size_asked_and_every_operation_is_unique(tmp_path: Path) -> None:
    api = load_registry()["cnaught"]
    made = synthesize_document(api, 0.5, tmp_path / "synthetic.yaml")
    assert 0.4e6 < made.stat().st_size < 0.6e6
    doc = load_document(made)
    ids = [op["operationId"] for item in doc["paths"].values() for op in item.values() if isinstance(op, dict)]
    assert len(ids) == len(set(ids)) > len(load_document(api.spec)["paths"])


def test_the_table_says_operations_times_memory_and_repairs() -> None:
    entry = {
        "bytes": 1_700_000,
        "operations": 468,
        "ours": {"wall_s": 20.0, "max_rss_mb": 140.0, "exit": 0, "operations": 468, "said": ""},
        "bare": {"wall_s": 10.0, "max_rss_mb": 108.0, "exit": 0, "operations": 465},
        "repairs": {"send_wildcard_bodies_as_json": 6, "wrap_multipart_files": 1},
        "ratio": 2.0,
        "runs": 3,
    }
    refused = {**entry, "ours": {**entry["ours"], "exit": 1, "said": "a problem"}, "ratio": None}
    lines = _large_report({"documents": {"jira": entry, "other": refused}, "synthetic_from": "fungies", "command": "x"})
    table = "\n".join(lines)
    assert "jira (1.7 MB)" in table and "468" in table and "465" in table
    assert "20.00 s / 10.00 s" in table and "140 / 108 MB" in table
    assert "runs" in lines[-1].splitlines()[0]
    assert " 465     3 " in table  # the runs the medians are of, after bare's operations
    assert "send_wildcard_bodies_as_json 6, wrap_multipart_files 1" in table
    assert "refused: a problem" in table


def test_bare_is_run_as_installed_alone_without_httpxs_command_line(tmp_path: Path) -> None:
    # httpx tries to load its command line (click first) on import; the bench environment has click (black brings
    # it), which the generator's own installation has not, so the bench runs bare with that import blocked (our
    # `generate` imports no httpx in its own process): an attempt to load click is then never made (without the
    # block this log has a `click` line even where click is missing: the failed attempt).
    spec = Path(__file__).resolve().parents[1] / "data" / "corpus" / "oai-petstore-expanded.yaml"
    out = tmp_path / "bare"
    argv = _bare_argv_of(spec, out)
    run = subprocess.run(
        [argv[0], "-X", "importtime", *argv[1:]], env=child_env(), capture_output=True, text=True, check=False
    )
    assert run.returncode == 0, run.stderr[-2000:]
    modules = {line.rpartition("|")[2].strip() for line in run.stderr.splitlines() if line.startswith("import time:")}
    assert "httpx" in modules and "openapi_python_client" in modules
    assert "click" not in modules
    assert (out / "api").is_dir() and (out / "models").is_dir()  # the generator wrote its package (meta none)


def _measured(wall_s: float) -> Measured:
    return Measured(wall_s=wall_s, max_rss_kb=1, returncode=0, output="")


def test_runs_alternate_until_the_budget_is_spent_or_the_count_reached() -> None:
    calls: list[str] = []

    def side(name: str, wall_s: float) -> Measured:
        calls.append(name)
        return _measured(wall_s)

    ours, bare = alternating(lambda: side("ours", 1.0), lambda: side("bare", 1.0), runs=7, budget_s=5.0)
    assert calls == ["ours", "bare"] * 3  # 2 s a pair: none starts after 6 s
    assert len(ours) == len(bare) == 3
    calls.clear()
    alternating(lambda: side("ours", 0.1), lambda: side("bare", 0.1), runs=4, budget_s=20.0)
    assert calls == ["ours", "bare"] * 4  # quick: the count ends it
    calls.clear()
    alternating(lambda: side("ours", 50.0), lambda: side("bare", 40.0), runs=7, budget_s=20.0)
    assert calls == ["ours", "bare"]  # one pair, however long
