"""The import check: every module of a generated package imports, both clients construct, every resource and method
is reached, in fresh interpreters, before the package is swapped in.

A module of its own, importing nothing heavy, so that the command line can start the first interpreter before its
own imports (`prestart`): it then loads what every package imports while the command line loads.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import PipelineError

if TYPE_CHECKING:
    from ..spec.registry import Api
    from .model import SdkModel

# Run in a fresh interpreter: every module of the package imports, both clients construct, and every
# resource (with its methods and their raw and streaming twins) is reached on each; one line per failure.
# Started before the package is written, it loads httpx, attrs and httpcore (which every package imports: 0.1 s),
# then reads two lines on stdin: the modules to compile while it waits (the runtime's, `warm`), then its orders:
# the package's folder and name, and which part it checks (`part` of `parts`; part 0 makes the clients; with two,
# the parts share the other modules through a folder of claims). At the end of its input it exits.
_IMPORT_CHECK = """
import importlib, importlib.machinery, json, os, pkgutil, sys
import httpx
for module in ("attrs", "httpcore"):  # what every package imports but httpx does not, loaded before the orders
    try:
        importlib.import_module(module)
    except ImportError:
        pass  # the package's own import says it, with the module that needs it

# First the modules to compile before the package is there (the runtime's), then the orders.
early, paths = {}, json.loads(sys.stdin.readline() or "null")
if paths is None:
    sys.exit(0)
for path in paths:
    try:
        with open(path, "rb") as source:
            data = source.read()
        early[path] = (data, compile(data, path, "exec", dont_inherit=True))
    except (OSError, SyntaxError, ValueError):
        pass  # compiled again when imported, which says what fails

loader = importlib.machinery.SourceFileLoader
compile_source = loader.source_to_code

def source_to_code(self, data, path, *, _optimize=-1):
    # A module compiled early is not compiled again: the same bytes at the same path make the same code.
    made = early.get(path)
    if made is not None and made[0] == data and _optimize == -1:
        return made[1]
    return compile_source(self, data, path, _optimize=_optimize)

loader.source_to_code = source_to_code

orders = json.loads(sys.stdin.readline() or "null")
if orders is None:
    sys.exit(0)
sys.path.insert(0, orders["root"])
package, client_class, plan = orders["package"], orders["client_class"], orders["plan"]
part, parts = orders["part"], orders["parts"]
failures = []

def attempt(where, action):
    try:
        return action()
    except Exception as exc:
        failures.append(f"{where}: {type(exc).__name__}: {exc}")

def import_all(names):
    for name in names:
        attempt(name, lambda name=name: importlib.import_module(name))

def claimed(index):  # whether this part imports the index-th module: the part that first creates its file does
    try:
        os.close(os.open(os.path.join(orders["claims"], str(index)), os.O_CREAT | os.O_EXCL | os.O_WRONLY))
    except FileExistsError:
        return False
    return True

top = attempt(package, lambda: importlib.import_module(package))
if top is not None:
    names = sorted(info.name for info in pkgutil.walk_packages(top.__path__, package + "."))
    resources = [name for name in names if name.startswith(package + ".resources.")]
    rest = [name for name in names if not name.startswith(package + ".resources.")]
    if part == 0:  # the resource modules, and the clients, which use them
        import_all(resources)
        for cls in (client_class, "Async" + client_class):
            keys = {parameter: "import-check" for parameter in plan["credentials"]}
            client = attempt(f"{package}.{cls}()", lambda: getattr(top, cls)(base_url="http://127.0.0.1", **keys))
            for attribute, module, methods in plan["resources"] if client is not None else ():
                resource = attempt(f"{module} ({cls}.{attribute})", lambda a=attribute: getattr(client, a))
                for method in methods if resource is not None else ():
                    attempt(f"{module} ({cls}.{attribute}.{method})", lambda m=method: getattr(resource, m))
                    for view in ("with_raw_response", "with_streaming_response"):
                        attempt(f"{module} ({cls}.{attribute}.{view}.{method})",
                                lambda m=method, v=view: getattr(getattr(resource, v), m))
    # The other modules: with two parts, part 0 takes them from the start of the list and part 1 from the end, each
    # importing those it claims first, so the parts end together however much each module costs.
    order = range(len(rest)) if part == 0 else range(len(rest) - 1, -1, -1)
    import_all(rest if parts == 1 else (rest[i] for i in order if claimed(i)))
print("\\n".join(failures), flush=True)
os._exit(1 if failures else 0)  # not sys.exit: tearing down ~600 modules takes 0.05 s (Kubernetes apps)
"""


_CHECK_HINT = "a template or a pass produced code that fails for this spec: fix it there, never in generated code"


class ImportCheck:
    """Every module imports, both clients construct, every resource and method is reached, in fresh interpreters.

    A module imported only on first use (a resource, an endpoint, a model) would otherwise fail in the user's
    hands; a failure refuses the output and names the module. The first interpreter starts with the command line
    (`prestart`, else with the run) and loads what every package imports, then compiles the runtime, while the
    package is generated: swagger-petstore3 0.54 -> 0.48 s, oai-petstore-expanded 0.49 -> 0.41 s (medians of 7,
    started with the run and not compiling early). A large package is checked in two: part 0 makes
    the clients, then both take the other modules from the two ends of the list, each the ones it claims first,
    so they end together (Kubernetes apps 0.16 s, Jira 0.46 s; each importing every other module, 0.21 s and
    0.55 s; in one, 0.25 s and 0.82 s); on one core there is one. The second starts only once the normalized spec
    shows a large package (`widen`): started with the first, it took CPU from the run's own start (petstore3 0.72 s
    against 0.68 s).
    """

    def __init__(self) -> None:
        self._procs: list[subprocess.Popen[str]] = []
        self._orders: list[int] = []  # the write end of each one's stdin
        self._warm: list[str] | None = None  # what each compiles early (`warm`), once it is known
        if _spare and _spare[0][0] == os.getpid():  # started by this process's command line (`prestart`)
            _, proc, write_end = _spare.pop()
            self._procs.append(proc)
            self._orders.append(write_end)
        else:
            self._start()

    def warm(self, paths: Sequence[Path]) -> None:
        """The modules each interpreter compiles while it waits for its orders (once, before `running`)."""
        self._warm = [str(path) for path in paths]
        for write_end in self._orders:
            self._send(write_end, json.dumps(self._warm))

    def widen(self) -> None:
        """A second interpreter, where there is a second core to run it (idempotent)."""
        if len(self._procs) == 1 and self._orders and (os.cpu_count() or 1) > 1:
            self._start()

    def _start(self) -> None:
        proc, write_end = _interpreter()
        self._procs.append(proc)
        self._orders.append(write_end)
        if self._warm is not None:  # started after the others were given theirs
            self._send(write_end, json.dumps(self._warm))

    @contextlib.contextmanager
    def running(self, api: Api, package_root: Path, sdk: SdkModel, spec_path: Path) -> Iterator[None]:
        """Check the package at `package_root` while the block runs, and raise what fails when it ends."""
        plan = {
            "credentials": [c.parameter for c in sdk.credentials],
            "resources": [
                [r.attribute, f"{api.package}.resources.{r.name}", [m.method_name for m in r.methods]]
                for r in sdk.resources
            ],
        }
        # One part per interpreter: the second was started (`widen`) only for a package worth splitting.
        parts = len(self._orders)
        orders = {"root": str(package_root), "package": api.package, "client_class": api.client_class}
        claims = None
        try:
            if parts > 1:  # where the parts claim modules (beside the package, in the staging folder)
                claims = orders["claims"] = tempfile.mkdtemp(prefix=".import-check.", dir=package_root.parent)
            if self._warm is None:
                self.warm([])
            for part, write_end in enumerate(list(self._orders)):
                self._send(write_end, json.dumps({**orders, "plan": plan, "part": part, "parts": parts}))
                self._orders.remove(write_end)  # closed once: `stop` closes those still here
                os.close(write_end)
            yield
            said_by = [(proc, *proc.communicate()) for proc in self._procs]
        except BaseException:
            # The block failed, or Ctrl-C/SIGTERM came while waiting: the interpreters must not outlive this (their
            # claims would land in a staging folder being removed, which then stayed).
            self.stop()
            raise
        finally:
            if claims is not None:  # now, not with the staging folder: its removal is over sooner
                shutil.rmtree(claims, ignore_errors=True)
        lines: list[str] = []
        for proc, stdout, stderr in said_by:
            if proc.returncode != 0:
                said = stdout.strip().splitlines() or stderr.strip().splitlines()[-5:]
                lines += [line for line in said if line not in lines]  # a failing package is said by each part
        if lines:
            shown = lines[:10] + ([f"… and {len(lines) - 10} more"] if len(lines) > 10 else [])
            raise PipelineError(
                "the generated package does not work; nothing was written:\n  " + "\n  ".join(shown),
                file=spec_path,
                hint=_CHECK_HINT,
            )

    @staticmethod
    def _send(write_end: int, line: str) -> None:
        data = (line + "\n").encode()
        with contextlib.suppress(BrokenPipeError):  # an interpreter that failed to start says why on stderr
            while data:
                data = data[os.write(write_end, data) :]

    def stop(self) -> None:
        """Stop what is still running (the run failed before the check, or during it)."""
        while self._orders:  # never given its orders (emptied: stopping twice closes nothing twice)
            os.close(self._orders.pop())
        for proc in self._procs:
            if proc.returncode is None:  # not waited for yet
                proc.kill()
                proc.communicate()


# The interpreter `prestart` started, with the process that started it (a forked worker must not take it).
_spare: list[tuple[int, subprocess.Popen[str], int]] = []


def prestart() -> None:
    """Start the first interpreter now, for this process's next `ImportCheck`: the command line calls it before its
    own imports (0.1 s), so that the interpreter has loaded what every package imports when the package is there."""
    if not _spare:
        _spare.append((os.getpid(), *_interpreter()))


def discard_spare() -> None:
    """Stop the interpreter `prestart` started, if nothing took it (the APIs are generated in worker processes)."""
    while _spare:
        _, proc, write_end = _spare.pop()
        os.close(write_end)  # at the end of its input it exits
        proc.communicate()


def _interpreter() -> tuple[subprocess.Popen[str], int]:
    """A fresh interpreter running the check, and the write end of its stdin."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    read_end, write_end = os.pipe()
    try:
        proc = subprocess.Popen(
            [sys.executable, "-c", _IMPORT_CHECK],
            env=env,
            stdin=read_end,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
    except BaseException:
        os.close(write_end)
        raise
    finally:
        os.close(read_end)
    return proc, write_end
