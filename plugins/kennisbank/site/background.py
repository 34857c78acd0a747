"""Work that runs beside the page rendering: the pages' own HTML parts, the search index, the exports, the
feeds.

Where the operating system can fork (Linux: CI and the intranet server) the work runs in a child process
on the other core, sharing the already built site model copy-on-write; what it makes for the pages comes
back over a pipe while the engine renders Markdown. Elsewhere (Windows, macOS) the files are written in a
thread and the pages' parts are made by the caller when it needs them.
"""

from __future__ import annotations

import multiprocessing
import sys
import threading
import time
import traceback
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from typing import Any

Stream = Callable[[], Iterator[tuple[str, Any]]]


class BackgroundError(RuntimeError):
    """The background work failed; the message holds its traceback."""


def _in_child(stream: Stream | None, work: Callable[[], None], report: Connection) -> None:
    try:
        for key, value in stream() if stream else ():
            report.send(("item", key, value))
        report.send(("streamed",))
        work()
    except BaseException:  # everything reaches the parent, which decides what the build does with it
        report.send(("error", traceback.format_exc()))
    else:
        report.send(("done", _shared_mib()))
    finally:
        report.close()


def _shared_mib() -> float | None:
    """How much of this process's memory is still shared with its parent (Linux), in MiB."""
    try:
        with open("/proc/self/smaps_rollup", encoding="ascii") as rollup:
            fields = dict(line.split(":", 1) for line in rollup if ":" in line)
    except OSError:
        return None
    return sum(int(fields.get(name, "0 kB").split()[0]) for name in ("Shared_Clean", "Shared_Dirty")) / 1024


@dataclass
class Job:
    """One piece of background work: items it streams (`get`) and work whose end `wait` awaits."""

    name: str
    started: float = field(default_factory=time.perf_counter)
    seconds: float = 0.0
    peak_mib: float | None = None  # the child process's peak memory, when it ran in one
    # The part of that memory still shared with the parent at its end (the site model, copy-on-write): the
    # child's own memory was never more than peak_mib - shared_mib.
    shared_mib: float | None = None
    _process: multiprocessing.process.BaseProcess | None = None
    _thread: threading.Thread | None = None
    _items: dict[str, Any] = field(default_factory=dict)
    _streamed: bool = True  # no stream unless a child sends one
    _finished: bool = False
    _error: str | None = None
    _changed: threading.Condition = field(default_factory=threading.Condition)

    def get(self, key: str) -> Any | None:
        """The streamed item `key`, waiting for it while the stream runs; None when it never comes."""
        with self._changed:
            self._changed.wait_for(lambda: key in self._items or self._streamed)
            return self._items.pop(key, None)

    def wait(self) -> None:
        """Block until the work is done; BackgroundError when it failed."""
        with self._changed:
            self._changed.wait_for(lambda: self._finished)
        if self._process is not None:
            self._process.join()
            if self._error is None and self._process.exitcode != 0:
                self._error = f"{self.name}: het achtergrondproces stopte met code {self._process.exitcode}"
            import resource  # POSIX only, like fork

            # ru_maxrss is the largest of the waited-for children, in KiB on Linux.
            self.peak_mib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        self.seconds = time.perf_counter() - self.started
        if self._error:
            raise BackgroundError(self._error)

    def cancel(self) -> None:
        """Stop the work if it still runs (a newer build replaces it); a thread is left to finish."""
        if self._process is not None:
            if self._process.is_alive():
                self._process.terminate()
            self._process.join()  # also reaps a child that already finished
        self._end(self._error)

    def _put(self, key: str, value: Any) -> None:
        with self._changed:
            self._items[key] = value
            self._changed.notify_all()

    def _end_stream(self) -> None:
        with self._changed:
            self._streamed = True
            self._changed.notify_all()

    def _end(self, error: str | None) -> None:
        with self._changed:
            self._error = self._error or error
            self._streamed = self._finished = True
            self._changed.notify_all()

    def _read(self, report: Connection) -> None:
        """In a thread of the parent: take the child's messages as they come, so the child never blocks."""
        error = None
        try:
            while True:
                message = report.recv()
                if message[0] == "item":
                    self._put(message[1], message[2])
                elif message[0] == "streamed":
                    self._end_stream()
                else:
                    error = message[1] if message[0] == "error" else None
                    self.shared_mib = message[1] if message[0] == "done" else None
                    break
        except EOFError:
            error = f"{self.name}: het achtergrondproces stopte onverwacht"
        finally:
            report.close()
            self._end(error)


def own_peak_mib() -> float:
    """This process's own peak memory (0 where the OS does not say)."""
    try:
        import resource
    except ImportError:  # Windows
        return 0.0
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def start(name: str, work: Callable[[], None], stream: Stream | None = None) -> Job:
    """Run `work` beside the caller, after streaming the items of `stream` (child process only)."""
    job = Job(name)
    if sys.platform.startswith("linux"):
        context = multiprocessing.get_context("fork")
        receive, send = context.Pipe(duplex=False)
        job._streamed = stream is None
        job._process = context.Process(target=_in_child, args=(stream, work, send), name=name, daemon=True)
        job._process.start()
        send.close()
        threading.Thread(target=job._read, args=(receive,), name=f"{name} (lezen)", daemon=True).start()
    else:  # an else, not a fall-through: mypy then knows this is the other platforms' branch

        def in_thread() -> None:
            try:
                work()
            except Exception:
                job._end(traceback.format_exc())
            else:
                job._end(None)

        job._thread = threading.Thread(target=in_thread, name=name, daemon=True)
        job._thread.start()
    return job
