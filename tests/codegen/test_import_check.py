"""The import check before the swap: every module imports, both clients construct, every resource is reached.

A module the package loads only on first use (a resource, an endpoint, a model) used to be left out, so a
package that failed in the user's hands was reported as a success.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from types import SimpleNamespace
from typing import Any, cast

import pytest

from sdkpipeline.cli import main
from sdkpipeline.codegen import generate, importcheck

from ..conftest import copy_repo

pytestmark = pytest.mark.slow

NOTES = Path(__file__).resolve().parents[1] / "data" / "specs" / "notes.yaml"


def test_a_resource_module_that_fails_refuses_the_output(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    repo = copy_repo(tmp_path / "repo", apis=[], generated=False)
    template = repo.templates / "sdk" / "resources" / "{resource}.py.jinja"
    # A resource module that fails when loaded (as a NameError in an annotation would): the package still imports.
    template.write_text(template.read_text(encoding="utf-8") + "\nraise RuntimeError('broken on purpose')\n", "utf-8")
    output = tmp_path / "out"
    code = main(["--root", str(repo.root), "generate", "--spec", str(NOTES), "--output", str(output)])
    err = capsys.readouterr().err
    assert code == 1
    assert "the generated package does not work; nothing was written:" in err
    assert "sticky_notes_client.resources.notes: RuntimeError: broken on purpose" in err
    assert "sticky_notes_client.resources.notes (StickyNotes.notes): RuntimeError" in err
    assert "sticky_notes_client.resources.notes (AsyncStickyNotes.notes): RuntimeError" in err
    assert not output.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["repo"]


@pytest.mark.parametrize("split_from", [0, 10_000], ids=["two interpreters", "one interpreter"])
def test_each_failure_is_said_once_however_the_check_is_split(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, split_from: int
) -> None:
    """Split in two, each interpreter imports every other module: a broken module is said by the one importing
    it, a broken package (which both import first) once, and a module of either half is reached."""
    monkeypatch.setattr(generate, "_SPLIT_CHECK_FROM", split_from)
    repo = copy_repo(tmp_path / "repo", apis=[], generated=False)
    init = repo.templates / "package_init.py.jinja"
    model = repo.templates / "model.py.jinja"
    init.write_text(init.read_text(encoding="utf-8") + "\nimport no_such_module_anywhere\n", "utf-8")
    model.write_text(model.read_text(encoding="utf-8") + "\nraise RuntimeError('model broken on purpose')\n", "utf-8")
    output = tmp_path / "out"
    code = main(["--root", str(repo.root), "generate", "--spec", str(NOTES), "--output", str(output)])
    err = capsys.readouterr().err
    assert code == 1
    said = [line.strip() for line in err.splitlines() if "no_such_module_anywhere" in line]
    assert said == ["sticky_notes_client: ModuleNotFoundError: No module named 'no_such_module_anywhere'"]
    assert not output.exists()


def test_split_in_two_the_check_reaches_every_module_one_interpreter_does(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = copy_repo(tmp_path / "repo", apis=[], generated=False)
    model = repo.templates / "model.py.jinja"
    model.write_text(model.read_text(encoding="utf-8") + "\nraise RuntimeError('model broken on purpose')\n", "utf-8")
    reported = {}
    for split_from in (0, 10_000):
        monkeypatch.setattr(generate, "_SPLIT_CHECK_FROM", split_from)
        output = tmp_path / f"out-{split_from}"
        assert main(["--root", str(repo.root), "generate", "--spec", str(NOTES), "--output", str(output)]) == 1
        err = capsys.readouterr().err
        reported[split_from] = {line.strip() for line in err.splitlines() if "broken on purpose" in line}
    models = {line.split(":")[0] for line in reported[10_000] if line.startswith("sticky_notes_client.models.")}
    assert models == {"sticky_notes_client.models.note", "sticky_notes_client.models.new_note"}  # the spec's two
    assert reported[0] == reported[10_000]


@pytest.mark.parametrize(("split_from", "parts"), [(10_000, 1), (0, 2)], ids=["small package", "large package"])
def test_one_interpreter_checks_and_splits_in_two_only_a_package_worth_splitting(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, split_from: int, parts: int
) -> None:
    """A second interpreter started beside the first cost its start, httpx and the runtime's compiling again (0.15 s
    of CPU while the package was built): the one forks itself for part 1 when its orders say two parts."""
    monkeypatch.setattr(generate, "_SPLIT_CHECK_FROM", split_from)
    monkeypatch.setattr(generate.os, "cpu_count", lambda: 2)
    starts: list[int] = []
    orders: list[dict[str, Any]] = []
    start, send = importcheck._interpreter, importcheck.ImportCheck._send

    def counted(tickets: int) -> tuple[subprocess.Popen[str], int]:
        starts.append(1)
        return start(tickets)

    def sent(write_end: int, line: str) -> None:
        said = json.loads(line)
        orders.extend([said] if isinstance(said, dict) else [])
        send(write_end, line)

    monkeypatch.setattr(importcheck, "_interpreter", counted)
    monkeypatch.setattr(importcheck.ImportCheck, "_send", staticmethod(sent))
    output = tmp_path / "out"
    assert main(["generate", "--spec", str(NOTES), "--output", str(output)]) == 0
    assert (len(starts), [said["parts"] for said in orders]) == (1, [parts])
    assert (output / generate.OUTPUT_MARKER).is_file()


def test_widen_is_once_and_only_where_there_is_a_second_core(monkeypatch: pytest.MonkeyPatch) -> None:
    for cores, expected in ((1, 1), (2, 2), (None, 1)):
        monkeypatch.setattr(generate.os, "cpu_count", lambda cores=cores: cores)
        check = importcheck.ImportCheck()
        try:
            check.widen()
            check.widen()
            assert check._parts == expected
        finally:
            check.stop()
        assert check._proc.returncode is not None  # stopped, not left running


def test_the_expected_module_count_is_schemas_and_operations() -> None:
    doc = {
        "paths": {"/a": {"get": {}, "post": {}, "parameters": []}, "/b": {"delete": {}}, "/c": "not an item"},
        "components": {"schemas": {"A": {}, "B": {}}},
    }
    assert generate._modules_expected(doc) == 5
    assert generate._modules_expected({"paths": None, "components": []}) == 0


class _Interrupted(BaseException):
    """What the alarm raises in the test below: a stand-in for Ctrl-C (KeyboardInterrupt) or SIGTERM."""


def test_an_interrupt_while_waiting_for_the_check_stops_its_interpreters(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The interpreters must not outlive Ctrl-C: when the parts claimed modules with files beside the package, those
    left running wrote into the staging folder being removed, which stayed (`.fungies-client.*`, once in 40 runs
    interrupted near the end)."""
    monkeypatch.setattr(generate.os, "cpu_count", lambda: 2)
    root = tmp_path / "stage" / "out"
    (root / "slow_client").mkdir(parents=True)
    (root / "slow_client" / "__init__.py").write_text("import time\ntime.sleep(30)\n", encoding="utf-8")
    api, sdk = (
        SimpleNamespace(package="slow_client", client_class="Slow"),
        SimpleNamespace(credentials=[], resources=[]),
    )

    def interrupt(signum: int, frame: object) -> None:
        raise _Interrupted

    check = importcheck.ImportCheck()
    check.widen()
    left_running = None
    started = stopped_in = 0.0
    previous = signal.signal(signal.SIGALRM, interrupt)
    try:
        with check.running(cast(Any, api), root, cast(Any, sdk), tmp_path / "spec.yaml"):
            started = time.monotonic()
            signal.setitimer(signal.ITIMER_REAL, 0.5)  # fires while the interpreters import the package
    except _Interrupted:
        stopped_in = time.monotonic() - started
        left_running = [check._proc.pid] if check._proc.returncode is None else []
        # Part 1, the interpreter's fork, is in its process group: gone with it (no live process left in it).
        group_left = [check._proc.pid] if _group_alive(check._proc.pid) else []
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        check.stop()
    assert check._parts == 2
    assert (left_running, group_left) == ([], [])  # stopped before the interrupt left the check, part 1 too
    # Not waited for: part 1 left running held the output pipe until its import ended (30 s here).
    assert stopped_in < 10


def _group_alive(pgid: int) -> bool:
    """Whether a process of the group still runs (a killed one the init process has not reaped yet does not)."""
    proc = Path("/proc")
    if not proc.is_dir():
        try:
            os.killpg(pgid, 0)
        except ProcessLookupError:
            return False
        return True
    for stat in proc.glob("[0-9]*/stat"):
        with contextlib.suppress(OSError):
            # pid (comm) state ppid pgrp ...: comm may hold spaces, so split after its closing parenthesis.
            state, _, pgrp = stat.read_text().rpartition(")")[2].split()[:3]
            if int(pgrp) == pgid and state not in ("Z", "X"):
                return True
    return False


def test_the_interpreter_the_command_line_started_is_the_checks_first(tmp_path: Path) -> None:
    importcheck.prestart()
    try:
        [(owner, spare, _, _)] = importcheck._spare
        assert owner == os.getpid()
        assert main(["generate", "--spec", str(NOTES), "--output", str(tmp_path / "out")]) == 0
        assert (importcheck._spare, spare.returncode) == ([], 0)  # the run's check took it and it passed
    finally:
        importcheck.discard_spare()


def test_a_worker_process_starts_its_own_and_the_spare_is_stopped() -> None:
    importcheck.prestart()
    _, spare, write_end, tickets = importcheck._spare[0]
    importcheck._spare[0] = (-1, spare, write_end, tickets)  # as a forked worker sees it: started by another process
    check = importcheck.ImportCheck()
    try:
        assert check._proc is not spare
    finally:
        check.stop()
        importcheck.discard_spare()
    assert (spare.returncode, importcheck._spare) == (0, [])  # it ended at the end of its input


def test_a_runtime_module_changed_after_its_early_compile_is_checked_as_it_is(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The interpreters compile the runtime while the package is made (`warm`); a file the post-hooks then rewrite
    must be imported as rewritten, never as compiled before."""
    post_hooks = generate._post_hooks

    def rewriting(package_root: Path, spec_path: Path) -> None:
        post_hooks(package_root, spec_path)
        time.sleep(1.5)  # by now the interpreter has compiled the runtime as it was (0.2 s after it started)
        models = package_root / "sticky_notes_client" / "_models.py"
        models.write_text(models.read_text("utf-8") + "\nraise RuntimeError('rewritten after the warm-up')\n", "utf-8")

    monkeypatch.setattr(generate, "_post_hooks", rewriting)
    output = tmp_path / "out"
    assert main(["generate", "--spec", str(NOTES), "--output", str(output)]) == 1
    assert "RuntimeError: rewritten after the warm-up" in capsys.readouterr().err
    assert not output.exists()


def test_stopping_twice_closes_nothing_twice() -> None:
    # The check stops its interpreters when interrupted, and the run stops it again on its way out: the second
    # closed the same pipes again (OSError: Bad file descriptor, a traceback once in 100 stress runs).
    check = importcheck.ImportCheck()
    check.stop()
    check.stop()
    assert check._proc.returncode is not None


def test_split_in_two_each_module_is_imported_once_by_either_part_and_nothing_is_written_beside(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The parts share the modules through tickets from a pipe: each module is imported by one part, both take
    some, and nothing is created beside the package (claiming each module with a file cost 0.06 s in /tmp)."""
    monkeypatch.setattr(generate.os, "cpu_count", lambda: 2)
    root = tmp_path / "stage" / "out"
    package = root / "many_client"
    (package / "models").mkdir(parents=True)
    clients = "class Many:\n    def __init__(self, base_url: str) -> None:\n        pass\n\n\nAsyncMany = Many\n"
    (package / "__init__.py").write_text(clients, encoding="utf-8")
    (package / "models" / "__init__.py").write_text("", encoding="utf-8")
    log = tmp_path / "imported.log"
    # 40 of 50 ms each: a part that starts up to 2 s after the other (a loaded machine) still gets some.
    for index in range(40):
        (package / "models" / f"m{index:02}.py").write_text(
            f"import os, time\ntime.sleep(0.05)\nwith open({str(log)!r}, 'a') as f:\n"
            f"    f.write(f'{{__name__}} {{os.getpid()}}\\n')\n",
            encoding="utf-8",
        )
    api, sdk = (
        SimpleNamespace(package="many_client", client_class="Many"),
        SimpleNamespace(credentials=[], resources=[]),
    )
    check = importcheck.ImportCheck()
    check.widen()
    try:
        with check.running(cast(Any, api), root, cast(Any, sdk), tmp_path / "spec.yaml"):
            beside = [p.name for p in root.parent.iterdir()]  # while the parts import
    finally:
        check.stop()
    assert beside == ["out"]
    lines = [line.split() for line in log.read_text(encoding="utf-8").splitlines()]
    names = sorted(name for name, _ in lines)
    assert names == sorted({f"many_client.models.m{index:02}" for index in range(40)})  # all of them, each once
    interpreter = check._proc.pid
    pids = {int(pid) for _, pid in lines}
    assert len(pids) == 2 and interpreter in pids  # by both parts: the interpreter and its fork


def test_where_the_interpreter_cannot_fork_it_checks_every_module_itself(tmp_path: Path) -> None:
    """Two parts asked, and no process to be had for the second (`os.fork` fails): one part imports them all."""
    package = tmp_path / "few_client"
    package.mkdir()
    clients = "class Few:\n    def __init__(self, base_url: str) -> None:\n        pass\n\n\nAsyncFew = Few\n"
    (package / "__init__.py").write_text(clients, encoding="utf-8")
    (package / "fine.py").write_text("VALUE = 1\n", encoding="utf-8")
    (package / "broken.py").write_text("raise RuntimeError('broken on purpose')\n", encoding="utf-8")
    no_fork = "import os\ndef refused():\n    raise OSError('no process to be had')\nos.fork = refused\n"
    done = _checked_by_hand(tmp_path, "few_client", "Few", parts=2, before=no_fork)
    assert (done.returncode, done.stdout.strip()) == (1, "few_client.broken: RuntimeError: broken on purpose")
    assert "Traceback" not in done.stderr


def _orders(root: Path, package: str, client_class: str, *, parts: int = 1) -> str:
    """The orders' line for the check's interpreter run by hand: no resources, no credentials, no tickets (a part
    that checks it all takes none)."""
    plan: dict[str, list[str]] = {"credentials": [], "resources": []}
    orders = {"root": str(root), "package": package, "client_class": client_class, "tickets": -1, "plan": plan}
    return json.dumps({**orders, "parts": parts}) + "\n"


def _checked_by_hand(
    root: Path, package: str, client_class: str, *, parts: int = 1, before: str = ""
) -> subprocess.CompletedProcess[str]:
    """The check's interpreter run on the package at `root`, nothing compiled early (`before`: code run first)."""
    return subprocess.run(
        [sys.executable, "-c", before + importcheck._IMPORT_CHECK],
        input="[]\n" + _orders(root, package, client_class, parts=parts),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_the_interpreter_leaves_httpxs_command_line_unloaded(tmp_path: Path) -> None:
    """httpx loads its command line (click, rich, pygments) on import where they are installed, as they are beside
    the generator's own command line; no package uses it, and it was 0.07 s of the interpreter's 0.17 s of CPU."""
    package = tmp_path / "probe_client"
    package.mkdir()
    probe = (
        "import sys\n"
        "blocked = 'httpx._main' in sys.modules and sys.modules['httpx._main'] is None\n"
        "loaded = sorted(m for m in ('click', 'rich', 'pygments') if m in sys.modules)\n"
        "raise RuntimeError(f'blocked: {blocked}, loaded: {loaded}')\n"
    )
    (package / "__init__.py").write_text(probe, encoding="utf-8")
    done = _checked_by_hand(tmp_path, "probe_client", "Probe")
    assert (done.returncode, done.stdout.strip()) == (1, "probe_client: RuntimeError: blocked: True, loaded: []")


def test_the_interpreter_compiles_each_list_it_is_given_and_then_takes_its_orders(tmp_path: Path) -> None:
    """`warm` may come more than once (the runtime, then the models); a module is imported as its file is when the
    orders come, never as it was compiled before."""
    package = tmp_path / "warm_client"
    package.mkdir()
    (package / "__init__.py").write_text(
        "class Warm:\n    def __init__(self, base_url: str) -> None:\n        pass\n\n\nAsyncWarm = Warm\n",
        encoding="utf-8",
    )
    early, late = package / "early.py", package / "late.py"
    early.write_text("VALUE = 1\n", encoding="utf-8")
    late.write_text("VALUE = 2\n", encoding="utf-8")
    proc = subprocess.Popen(
        [sys.executable, "-c", importcheck._IMPORT_CHECK],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert proc.stdin is not None
    proc.stdin.write(json.dumps([str(early)]) + "\n" + json.dumps([str(late)]) + "\n")
    proc.stdin.flush()
    time.sleep(1)  # both compiled by now
    late.write_text("raise RuntimeError('changed after it was compiled')\n", encoding="utf-8")
    stdout, stderr = proc.communicate(_orders(tmp_path, "warm_client", "Warm"), timeout=60)
    assert (proc.returncode, stdout.strip()) == (1, "warm_client.late: RuntimeError: changed after it was compiled")
    assert "Traceback" not in stderr
