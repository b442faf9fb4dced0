"""The import check: every module of a generated package imports, both clients construct, every resource and method
is reached, in a fresh interpreter, before the package is swapped in.

A module of its own, importing nothing heavy, so that the command line can start the interpreter before its
own imports (`prestart`): it then loads what every package imports while the command line loads.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
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
# then reads lines on stdin: modules to compile while it waits (`warm`: the runtime's, then the models), then its
# orders: the package's folder and name, and in how many parts to check it. For two it forks itself: part 1 in the
# child, with what this one loaded and compiled; part 0 here makes the clients; the parts share the other modules
# through tickets, below. At the end of its input it exits.
_IMPORT_CHECK = """
import gc, importlib, importlib.machinery, json, os, pkgutil, sys
gc.disable()  # a short life that makes little garbage; and no collection in part 1 copies part 0's pages
# httpx's command line, which no package uses: where click, rich and pygments are installed (beside the generator's
# own command line) `import httpx` loads them too, 0.07 s of the interpreter's 0.17 s of CPU.
sys.modules["httpx._main"] = None
import httpx
for module in ("attrs", "httpcore"):  # what every package imports but httpx does not, loaded before the orders
    try:
        importlib.import_module(module)
    except ImportError:
        pass  # the package's own import says it, with the module that needs it

loader = importlib.machinery.SourceFileLoader
compile_source = loader.source_to_code
early = {}

def source_to_code(self, data, path, *, _optimize=-1):
    # A module compiled early is not compiled again: the same bytes at the same path make the same code.
    made = early.get(path)
    if made is not None and made[0] == data and _optimize == -1:
        return made[1]
    return compile_source(self, data, path, _optimize=_optimize)

loader.source_to_code = source_to_code

# Modules to compile while the rest of the package is made, a list of paths a line (the runtime's, then the models
# once the generator has written them), then the orders. A file changed after it was compiled is compiled again.
while isinstance(orders := json.loads(sys.stdin.readline() or "null"), list):
    for path in orders:
        try:
            with open(path, "rb") as source:
                data = source.read()
            early[path] = (data, compile(data, path, "exec", dont_inherit=True))
        except (OSError, SyntaxError, ValueError):
            pass  # compiled again when imported, which says what fails
if orders is None:
    sys.exit(0)
sys.path.insert(0, orders["root"])
package, client_class, plan = orders["package"], orders["client_class"], orders["plan"]
parts, partner, part = orders["parts"], 0, 0
if parts > 1:
    sys.stdout.flush()
    try:
        partner = os.fork()
        part = 0 if partner else 1
    except OSError:
        parts = 1  # no second process to be had: this one checks it all
failures = []

def attempt(where, action):
    try:
        return action()
    except Exception as exc:
        failures.append(f"{where}: {type(exc).__name__}: {exc}")

def import_all(names):
    for name in names:
        attempt(name, lambda name=name: importlib.import_module(name))

def tickets(count):
    # The indices of the other modules this part imports: each the next ticket either part reads from the pipe
    # both share (4 bytes each, all written before they read, so a read takes one whole ticket), until a stop
    # ticket (the run writes one per part after its own, at least one per module).
    while True:
        ticket = os.read(orders["tickets"], 4)
        index = int.from_bytes(ticket, "big") if len(ticket) == 4 else count
        if index >= count:
            return
        yield index

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
                # Each view once: it wraps every method when made (Kubernetes apps' 77, once per method: 0.06 s).
                for view in ("with_raw_response", "with_streaming_response") if resource is not None else ():
                    twin = attempt(f"{module} ({cls}.{attribute}.{view})", lambda v=view: getattr(resource, v))
                    for method in methods if twin is not None else ():
                        attempt(f"{module} ({cls}.{attribute}.{view}.{method})", lambda m=method: getattr(twin, m))
    # The other modules: with two parts, each imports the next one whenever it is free (part 0 once it made the
    # clients), so the parts end together however much each module costs.
    import_all(rest if parts == 1 else (rest[i] for i in tickets(len(rest))))
failed = False
if partner:  # part 0 says its failures after part 1's (one stream), and fails where either did
    failed = os.waitstatus_to_exitcode(os.waitpid(partner, 0)[1]) != 0
print("\\n".join(failures), flush=True)
os._exit(1 if failures or failed else 0)  # not sys.exit: tearing down ~600 modules takes 0.05 s (Kubernetes apps)
"""


_CHECK_HINT = "a template or a pass produced code that fails for this spec: fix it there, never in generated code"


class ImportCheck:
    """Every module imports, both clients construct, every resource and method is reached, in a fresh interpreter.

    A module imported only on first use (a resource, an endpoint, a model) would otherwise fail in the user's
    hands; a failure refuses the output and names the module. The interpreter starts with the command line
    (`prestart`, else with the run) and loads what every package imports, then compiles the runtime, while the
    package is generated: swagger-petstore3 0.54 -> 0.48 s, oai-petstore-expanded 0.49 -> 0.41 s (medians of 7,
    started with the run and not compiling early). A large package is checked in two: part 0 makes the clients,
    then both take the other modules one at a time, each the next one whenever it is free (a ticket from a pipe
    they share), so they end together; on one core there is one. Kubernetes apps' check took 0.16 s when each
    module was claimed by creating a file (0.06 s of part 1's went on creating them in /tmp), 0.11 s with tickets
    (and each view made once per resource, not per method: 0.02 s of that); with each part importing every other
    module, 0.21 s; in one interpreter, 0.25 s. Part 1 is a fork of the interpreter, made when the orders come, with
    what it loaded and compiled: a second interpreter started beside the first cost its start, httpx and the
    runtime's compiling again, 0.15 s of CPU while the package was built.
    """

    def __init__(self) -> None:
        self._parts = 1  # in how many parts the package is checked (`widen`)
        if _spare and _spare[0][0] == os.getpid():  # started by this process's command line (`prestart`)
            _, self._proc, self._orders, self._tickets = _spare.pop()
        else:
            self._tickets = os.pipe()  # read, write: the interpreter is given the read end
            self._proc, self._orders = _interpreter(self._tickets[0])
        # `_orders` is the write end of the interpreter's stdin, -1 once closed.

    def warm(self, paths: Sequence[Path]) -> None:
        """Modules the interpreter compiles while it waits for its orders (before `running`, any number of times);
        a module whose file has changed since is compiled again when imported."""
        if self._orders >= 0:
            self._send(self._orders, json.dumps([str(path) for path in paths]))

    def widen(self) -> None:
        """Check in two parts, where there is a second core to run the second (idempotent)."""
        # The interpreter forks itself for part 1, and the parts share tickets through a pipe it was given
        # (`pass_fds`): both POSIX only.
        if (os.cpu_count() or 1) > 1 and os.name == "posix":
            self._parts = 2

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
        # Two parts only for a package worth splitting (`widen`).
        parts = self._parts
        orders = {
            "root": str(package_root),
            "package": api.package,
            "client_class": api.client_class,
            "tickets": self._tickets[0],
        }
        try:
            self._send(self._orders, json.dumps({**orders, "plan": plan, "parts": parts}))
            self._close_orders()
            if parts > 1:
                # A ticket per file of the package (at least one per module a part takes), then one stop per part.
                count = sum(1 for _ in (package_root / api.package).rglob("*.py"))
                tickets = [*range(count), *([_STOP_TICKET] * parts)]
                self._write(self._tickets[1], b"".join(ticket.to_bytes(4, "big") for ticket in tickets))
            self._close_tickets()
            yield
            stdout, stderr = self._proc.communicate()
        except BaseException:
            # The block failed, or Ctrl-C/SIGTERM came while waiting: the interpreter must not outlive this.
            self.stop()
            raise
        lines: list[str] = []
        if self._proc.returncode != 0:
            said = stdout.strip().splitlines() or stderr.strip().splitlines()[-5:]
            lines = list(dict.fromkeys(said))  # a failing package is said by each part: once
        if lines:
            shown = lines[:10] + ([f"… and {len(lines) - 10} more"] if len(lines) > 10 else [])
            raise PipelineError(
                "the generated package does not work; nothing was written:\n  " + "\n  ".join(shown),
                file=spec_path,
                hint=_CHECK_HINT,
            )

    @classmethod
    def _send(cls, write_end: int, line: str) -> None:
        cls._write(write_end, (line + "\n").encode())

    @staticmethod
    def _write(write_end: int, data: bytes) -> None:
        with contextlib.suppress(BrokenPipeError):  # an interpreter that failed to start says why on stderr
            while data:
                data = data[os.write(write_end, data) :]

    def _close_orders(self) -> None:
        if self._orders >= 0:  # -1: closed already (stopping twice closes nothing twice)
            os.close(self._orders)
        self._orders = -1

    def _close_tickets(self) -> None:
        """Close this process's ends of the tickets' pipe (the interpreter holds the read end it needs)."""
        for end in self._tickets:
            if end >= 0:  # -1: closed already (stopping twice closes nothing twice)
                os.close(end)
        self._tickets = (-1, -1)

    def stop(self) -> None:
        """Stop what is still running (the run failed before the check, or during it)."""
        self._close_tickets()
        self._close_orders()  # never given its orders: at the end of its input it exits
        if self._proc.returncode is None:  # not waited for yet
            _kill(self._proc)
            self._proc.communicate()


def _kill(proc: subprocess.Popen[str]) -> None:
    """Kill an interpreter and the part it forked (its process group, where there is one)."""
    if os.name == "posix":
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
    else:
        proc.kill()


# A ticket no module has: a part that reads it has no more to import.
_STOP_TICKET = 2**32 - 1

# The interpreter `prestart` started, with the process that started it (a forked worker must not take it) and the
# pipe of its check's tickets.
_spare: list[tuple[int, subprocess.Popen[str], int, tuple[int, int]]] = []


def prestart() -> None:
    """Start the first interpreter now, for this process's next `ImportCheck`: the command line calls it before its
    own imports (0.1 s), so that the interpreter has loaded what every package imports when the package is there."""
    if not _spare:
        tickets = os.pipe()
        _spare.append((os.getpid(), *_interpreter(tickets[0]), tickets))


def discard_spare() -> None:
    """Stop the interpreter `prestart` started, if nothing took it (the APIs are generated in worker processes)."""
    while _spare:
        _, proc, write_end, tickets = _spare.pop()
        for end in (write_end, *tickets):  # at the end of its input it exits
            os.close(end)
        proc.communicate()


def _interpreter(tickets: int) -> tuple[subprocess.Popen[str], int]:
    """A fresh interpreter running the check, given `tickets` (the read end of its check's tickets' pipe), and the
    write end of its stdin."""
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
            pass_fds=(tickets,) if os.name == "posix" else (),  # one part, which reads none, elsewhere
            process_group=0 if os.name == "posix" else None,  # its own: `stop` kills the part it forked with it
        )
    except BaseException:
        os.close(write_end)
        raise
    finally:
        os.close(read_end)
    return proc, write_end
