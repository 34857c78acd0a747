"""Reading a web server's access log as it is: Apache/nginx "combined" (or "common") and IIS W3C extended.

A small reader of the documented formats rather than a library: apachelogs (on PyPI) reads only Apache's
format strings, not IIS, and parses each time stamp with `strptime`, which alone would take most of the
minute a year of logs may cost. Lines are matched as bytes (no decoding of what is never used), files
are streamed (plain or gzip, found by their first bytes, not their name), and a line that does not fit
is returned as broken with its number, never raised. A line longer than `MAX_LINE` is broken too, and is
never held whole: the reader skips to its end. A cut-off `.gz` yields every complete line before the break.

- Combined: `host ident user [10/Oct/2026:13:55:36 +0200] "GET /path?q HTTP/1.1" 200 2326 "referer" "agent"`
  (nginx escapes a quote as \\x22, Apache as \\"; "common" is the same without referer and agent).
- IIS: `#Fields: date time ... cs-method cs-uri-stem cs-uri-query ... c-ip cs(User-Agent) ... sc-status`,
  values separated by spaces, `-` for empty, `+` for a space in the agent; times in UTC. A new `#Fields:`
  line (IIS writes one after every restart) changes the columns from there on.
"""

from __future__ import annotations

import calendar
import gzip
import io
import itertools
import re
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import BinaryIO, NamedTuple

_COMBINED = re.compile(
    rb"^(\S+) \S+ \S+ \[(\d{2}/\w{3}/\d{4}):(\d{2}):(\d{2}):(\d{2}) ([+-]\d{4})\] "
    rb'"([^"\\]*(?:\\.[^"\\]*)*)" (\d{3}) (?:\d+|-)(?: "[^"\\]*(?:\\.[^"\\]*)*" "([^"\\]*(?:\\.[^"\\]*)*)")?'
)
_MONTHS = {name.encode(): number for number, name in enumerate(calendar.month_abbr) if name}
_IIS_DATE = re.compile(rb"^(\d{4})-(\d{2})-(\d{2})$")
_IIS_TIME = re.compile(rb"^(\d{2}):(\d{2}):(\d{2})")
_IIS_NEEDED = (b"date", b"time", b"cs-method", b"cs-uri-stem", b"sc-status")
MAX_LINE = 16 * 1024  # bytes: a real log line is a few hundred; a longer one is unreadable
CHUNK = 1 << 20  # bytes read (and decompressed) at a time
TRUNCATED = "het bestand is afgebroken (gzip)"
DAMAGED = "het bestand is beschadigd (gzip)"


class Request(NamedTuple):
    """What the import uses of one request. Client and agent live only in memory, during the import."""

    method: bytes
    target: bytes  # path and query as requested ("/kennisbank/tips/x/?a=b"), still percent-encoded
    status: int
    client: bytes
    agent: bytes | None  # None: the format does not log it (common log format)


class Entry(NamedTuple):
    """One line of one file: its time (UTC seconds), a digest of its bytes, where it is, and the request
    (None for a broken line, which carries the time of the line before it)."""

    epoch: int
    digest: int
    source: int  # index of the file among those given
    line: int
    request: Request | None


@dataclass
class FileReport:
    """What went wrong while reading one file (reported in the summary, never raised)."""

    name: str
    truncated_after: int | None = None  # a damaged or cut-off gzip: read up to this line
    error: str | None = None  # the file could not be opened


def open_log(path: Path) -> BinaryIO:
    """The file's bytes, decompressed when it is gzip (by its magic number, whatever its name)."""
    handle = path.open("rb")
    if handle.read(2) == b"\x1f\x8b":
        handle.close()
        # GzipFile's own readline checks its state per call; a buffer in front reads lines three times faster.
        return io.BufferedReader(gzip.GzipFile(path, "rb"), 1 << 20)
    handle.seek(0)
    return handle


class _Truncated(Exception):
    """A gzip file that ends inside a compressed member."""


def _chunks(handle: BinaryIO) -> Iterator[bytes]:
    """The file's bytes in chunks of at most `CHUNK`, gunzipped when it starts with gzip's magic number.
    Decompressed here rather than by GzipFile behind a buffer: everything before a break is handed on, and a
    member that inflates enormously never comes out larger than one chunk."""
    data = handle.read(CHUNK)
    if data[:2] != b"\x1f\x8b":
        while data:
            yield data
            data = handle.read(CHUNK)
        return
    inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
    started = False  # the current member received input (a file may hold several members)
    while True:
        if not data:
            data = handle.read(CHUNK)
            if not data:
                if started:
                    raise _Truncated
                return
        started = True
        out = inflater.decompress(data, CHUNK)
        data = inflater.unconsumed_tail
        if out:
            yield out
        if inflater.eof:  # the end of a member: the next one starts with the bytes left over
            data = inflater.unused_data + data
            inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
            started = False


def _lines(chunks: Iterator[bytes]) -> Iterator[bytes | None]:
    """The lines of a stream of chunks without their line end; None for a line longer than `MAX_LINE`, of
    which at most `MAX_LINE` + one chunk is ever in memory."""
    head = b""  # the start of a line that continues in the next chunk
    too_long = False
    for chunk in chunks:
        parts = chunk.split(b"\n")
        last = parts.pop()
        if parts:
            first: bytes | None = parts[0]
            if too_long:
                first = None
                too_long = False
            elif head:
                first = head + parts[0] if len(head) + len(parts[0]) <= MAX_LINE else None
            yield first if first is None or len(first) <= MAX_LINE else None
            for part in itertools.islice(parts, 1, None):
                yield part if len(part) <= MAX_LINE else None
            head = b""
        if too_long:
            continue
        if len(head) + len(last) > MAX_LINE:
            head, too_long = b"", True
        else:
            head += last
    if too_long:
        yield None
    elif head:
        yield head


class _Clock:
    """Epoch seconds of a day, cached: a year of logs has 365 distinct days and millions of lines."""

    def __init__(self) -> None:
        self._days: dict[tuple[int, int, int], int] = {}
        self._local: dict[bytes, int] = {}

    def day(self, year: int, month: int, day: int) -> int:
        key = (year, month, day)
        epoch = self._days.get(key)
        if epoch is None:
            epoch = self._days[key] = calendar.timegm((year, month, day, 0, 0, 0))
        return epoch

    def local_day(self, day: bytes, zone: bytes) -> int | None:
        """UTC seconds of local midnight of '10/Oct/2026' at offset '+0200'; None for a day that does not exist."""
        key = day + zone
        epoch = self._local.get(key)
        if epoch is None:
            month = _MONTHS.get(day[3:6])
            try:
                if month is None:
                    raise ValueError(day)
                date = datetime(int(day[7:11]), month, int(day[0:2]))
            except ValueError:  # 31/Nov, or a month that is no month
                return None
            offset = (int(zone[1:3]) * 3600 + int(zone[3:5]) * 60) * (-1 if zone[0:1] == b"-" else 1)
            epoch = self._local[key] = calendar.timegm(date.timetuple()) - offset
        return epoch


_ESCAPED_BYTE = re.compile(rb"\\x([0-9a-fA-F]{2})")


def _unescape(field: bytes) -> bytes:
    """Apache writes a quote as \\" and other bytes as \\xhh, nginx every such byte as \\xHH."""
    if b"\\" not in field:
        return field
    return _ESCAPED_BYTE.sub(lambda m: bytes((int(m[1], 16),)), field.replace(b'\\"', b'"'))


def _combined(line: bytes, clock: _Clock) -> tuple[int, Request] | None:
    match = _COMBINED.match(line)
    if match is None:
        return None
    client, day, hh, mm, ss, zone, request, status, agent = match.groups()
    midnight = clock.local_day(day, zone)
    if midnight is None:
        return None
    epoch = midnight + int(hh) * 3600 + int(mm) * 60 + int(ss)
    parts = _unescape(request).split(b" ")
    if len(parts) < 2:  # "-" for a connection closed before a request (408)
        method, target = b"-", b"-"
    else:
        method, target = parts[0], parts[1]
    return epoch, Request(method, target, int(status), client, None if agent is None else _unescape(agent))


class _IisColumns:
    """The columns of a `#Fields:` line."""

    def __init__(self, directive: bytes) -> None:
        self.names = directive.split(b":", 1)[1].split()
        where = {name.lower(): index for index, name in enumerate(self.names)}
        self.ok = all(name in where for name in _IIS_NEEDED)
        self.date = where.get(b"date", 0)
        self.time = where.get(b"time", 0)
        self.method = where.get(b"cs-method", 0)
        self.stem = where.get(b"cs-uri-stem", 0)
        self.query = where.get(b"cs-uri-query")
        self.status = where.get(b"sc-status", 0)
        self.client = where.get(b"c-ip")
        self.agent = where.get(b"cs(user-agent)")


def _iis(line: bytes, columns: _IisColumns, clock: _Clock) -> tuple[int, Request] | None:
    values = line.split(b" ")
    if len(values) != len(columns.names) or not columns.ok:
        return None
    date, time = _IIS_DATE.match(values[columns.date]), _IIS_TIME.match(values[columns.time])
    status = values[columns.status]
    if date is None or time is None or not status.isdigit():
        return None
    try:
        day = clock.day(int(date[1]), int(date[2]), int(date[3]))
    except ValueError:
        return None
    epoch = day + int(time[1]) * 3600 + int(time[2]) * 60 + int(time[3])
    query = values[columns.query] if columns.query is not None else b"-"
    target = values[columns.stem] + (b"?" + query if query != b"-" else b"")
    client = values[columns.client] if columns.client is not None else b"-"
    agent = None
    if columns.agent is not None:
        agent = b"" if values[columns.agent] == b"-" else values[columns.agent].replace(b"+", b" ")
    return epoch, Request(values[columns.method], target, int(status), client, agent)


def read_entries(path: Path, source: int, report: FileReport) -> Iterator[Entry]:
    """The lines of one log file as entries, in file order (a log is in time order, give or take the few
    seconds a slow request takes). Comment and blank lines are skipped; broken lines before the first
    readable one take its time."""
    clock = _Clock()
    columns: _IisColumns | None = None
    last = None
    waiting: list[tuple[int, int]] = []  # broken lines before the first readable one
    try:
        handle = path.open("rb")
    except OSError as error:
        report.error = error.strerror or str(error)
        return
    number = 0
    try:
        with handle:
            for number, raw in enumerate(_lines(_chunks(handle)), start=1):  # noqa: B007 - the last is reported
                if raw is None:  # longer than MAX_LINE: unreadable, and never held whole
                    line, parsed = b"\x00%d" % number, None
                else:
                    line = raw.rstrip(b"\r")
                    if not line:
                        continue
                    if line[0] == 35:  # '#': an IIS directive
                        if line.startswith(b"#Fields:"):
                            columns = _IisColumns(line)
                        continue
                    parsed = _iis(line, columns, clock) if columns is not None else _combined(line, clock)
                if parsed is None:
                    if last is None:
                        if len(waiting) < 10_000:
                            waiting.append((hash(line), number))
                        continue
                    yield Entry(last, hash(line), source, number, None)
                    continue
                epoch, request = parsed
                if last is None:
                    yield from (Entry(epoch, digest, source, at, None) for digest, at in waiting)
                    waiting = []
                last = epoch
                yield Entry(epoch, hash(line), source, number, request)
    except _Truncated:  # a cut-off .gz: every complete line before the break was read
        report.truncated_after = number
        report.error = TRUNCATED
    except zlib.error:
        report.truncated_after = number
        report.error = DAMAGED
    except OSError as error:
        report.truncated_after = number
        report.error = f"lezen mislukt ({error.strerror or 'invoer-/uitvoerfout'})"
    if last is None and waiting:
        report.error = report.error or f"geen enkele regel herkend ({len(waiting)} regels)"
