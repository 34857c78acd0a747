"""Console scripts run in a process forked from one that has already imported them (a zygote).

Starting `mkdocs build` costs about 0.8 s of CPU before it reads a file: the interpreter, MkDocs, Material,
pymdown-extensions and the package are imported, and the plugins and extensions named in mkdocs.yml are
loaded. The suite starts dozens of builds; each pytest-xdist worker keeps one zygote that has done that
once, and forks it for every command. The fork is still a process of its own: its own working directory,
environment, standard streams, exit code and atexit handlers, as `subprocess.run` gives them.

What a fork cannot give is a fresh interpreter: every command of one zygote shares its hash seed and the
interpreter's start-up settings (stream encodings, `sys.flags`). A test about those, or about two processes
giving the same output, starts the console script itself.

Run as a script, this module is the zygote: it reads one JSON request per line on stdin and answers with
the child's pid and then its exit code.
"""

from __future__ import annotations

import contextlib
import functools
import json
import os
import select
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PRELOAD_CONFIG = Path(__file__).resolve().parent.parent / "mkdocs.yml"


def _preload() -> None:
    """Import what the commands need, and load mkdocs.yml once so that its plugins and extensions are imported."""
    import mkdocs.__main__  # noqa: F401
    from kennisbank.ops import cli  # noqa: F401
    from mkdocs.config import load_config

    with contextlib.redirect_stderr(open(os.devnull, "w")):  # noqa: SIM115 - closed with the process
        load_config(str(PRELOAD_CONFIG))
    for name in ("mkdocs", "kennisbank"):
        _entry_point(name)


@functools.cache
def _entry_point(name: str):  # noqa: ANN202 - a console script's function
    from importlib.metadata import entry_points

    (entry,) = entry_points(group="console_scripts", name=name)
    return entry.load()


def _child(request: dict) -> None:
    """In the forked child: become the command, run it, exit as Python would."""
    for fd, path, flags in (
        (0, os.devnull, os.O_RDONLY),  # nothing to read: a build asks no questions
        (1, request["stdout"], os.O_WRONLY | os.O_CREAT | os.O_TRUNC),
        (2, request["stderr"], os.O_WRONLY | os.O_CREAT | os.O_TRUNC),
    ):
        opened = os.open(path, flags, 0o600)
        os.dup2(opened, fd)
        os.close(opened)
    encoding = sys.stdout.encoding
    # New stream objects: the zygote's may hold a half-read request. (sys.__stdout__ and the like still write
    # to the same descriptors, now the files.)
    sys.stdin = open(0, encoding=encoding, closefd=False)  # noqa: SIM115
    sys.stdout = open(1, "w", encoding=encoding, closefd=False)  # noqa: SIM115
    sys.stderr = open(2, "w", encoding=encoding, errors="backslashreplace", closefd=False)  # noqa: SIM115
    os.chdir(request["cwd"])
    os.environ.clear()
    os.environ.update(request["env"])
    sys.argv = [request["argv0"], *request["args"]]
    signal.signal(signal.SIGINT, signal.default_int_handler)
    code: object
    try:
        code = _entry_point(request["entry"])()
    except SystemExit as exc:
        code = exc.code
    except BaseException:
        import traceback

        traceback.print_exc()
        code = 1
    if code is None:
        code = 0
    elif not isinstance(code, int):
        print(code, file=sys.stderr)
        code = 1
    import atexit

    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(Exception):
            stream.flush()
    os._exit(code)


def serve() -> None:
    """The zygote's loop: fork one child per request line, report its pid and then its exit code."""
    sys.path[0] = os.path.dirname(sys.executable)  # as for a console script: not this folder
    _preload()
    answers = sys.stdout
    for line in sys.stdin:
        request = json.loads(line)
        answers.flush()
        sys.stderr.flush()
        pid = os.fork()
        if pid == 0:
            _child(request)
        answers.write(json.dumps({"pid": pid}) + "\n")
        answers.flush()
        _, status = os.waitpid(pid, 0)
        answers.write(json.dumps({"code": os.waitstatus_to_exitcode(status)}) + "\n")
        answers.flush()


class Zygote:
    """One zygote process, started on first use by this (single-threaded) test worker."""

    def __init__(self) -> None:
        self._process: subprocess.Popen[bytes] | None = None
        self._pending = b""  # answers read from the pipe but not yet used

    def _start(self) -> subprocess.Popen[bytes]:
        if self._process is None or self._process.poll() is not None:
            self._process = subprocess.Popen([sys.executable, __file__], stdin=subprocess.PIPE, stdout=subprocess.PIPE)
            self._pending = b""
        return self._process

    def _answer(self, timeout: float) -> dict:
        """The zygote's next answer line; select() on the pipe itself, so nothing may sit in a reader's buffer."""
        assert self._process is not None and self._process.stdout is not None
        fd = self._process.stdout.fileno()
        deadline = time.monotonic() + timeout
        while b"\n" not in self._pending:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([fd], [], [], left)[0]:
                raise subprocess.TimeoutExpired("zygote", timeout)
            chunk = os.read(fd, 4096)
            if not chunk:
                raise RuntimeError("de zygote van de testsuite is gestopt")
            self._pending += chunk
        line, self._pending = self._pending.split(b"\n", 1)
        return json.loads(line)

    def run(
        self,
        entry: str,
        args: list[str],
        *,
        argv0: str,
        cwd: Path,
        env: dict[str, str],
        timeout: float = 600,
    ) -> subprocess.CompletedProcess[str]:
        """`entry` (a console script's name) with `args`, as `subprocess.run(capture_output=True, text=True)`."""
        process = self._start()
        assert process.stdin is not None and process.stdout is not None
        with tempfile.TemporaryDirectory(prefix="zygote-") as scratch:
            out, err = Path(scratch, "stdout"), Path(scratch, "stderr")
            request = {
                "entry": entry,
                "args": args,
                "argv0": argv0,
                "cwd": str(cwd),
                "env": env,
                "stdout": str(out),
                "stderr": str(err),
            }
            process.stdin.write(json.dumps(request).encode() + b"\n")
            process.stdin.flush()
            pid = self._answer(60)["pid"]
            try:
                code = self._answer(timeout)["code"]
            except subprocess.TimeoutExpired:
                os.kill(pid, signal.SIGKILL)
                self.close()
                raise subprocess.TimeoutExpired([argv0, *args], timeout) from None

            def text(path: Path) -> str:  # universal newlines, as subprocess.run(text=True)
                return path.read_bytes().decode("utf-8").replace("\r\n", "\n").replace("\r", "\n")

            return subprocess.CompletedProcess([argv0, *args], code, text(out), text(err))

    def close(self) -> None:
        """Stop the zygote (its children have all been waited for)."""
        if self._process is not None:
            self._process.kill()
            self._process.wait()
            self._process = None


if __name__ == "__main__":
    serve()
