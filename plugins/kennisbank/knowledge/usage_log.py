"""Reading a web server's access log as it is: Apache/nginx "combined" (or "common") and IIS W3C extended.

A small reader of the documented formats rather than a library: apachelogs (on PyPI) reads only Apache's
format strings, not IIS, and parses each time stamp with `strptime`, which alone would take most of the
minute a year of logs may cost. Lines are matched as bytes (no decoding of what is never used), files
are streamed (plain or gzip, found by their first bytes, not their name), and a line that does not fit
is returned as broken with its number, never raised. A line longer than `MAX_LINE` is broken too, and is
never held whole: the reader skips to its end. A cut-off `.gz` yields every complete line before the break.

- Combined: `host ident user [10/Oct/2026:13:55:36 +0200] "GET /path?q HTTP/1.1" 200 2326 "referer" "agent"`,
  optionally after `vhost:port ` (Debian's vhost_combined) and followed by more fields (%D, X-Forwarded-For)
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

# An optional "%v:%p " in front (Debian's vhost_combined, the format of other_vhosts_access.log): a line
# with four fields before the time instead of three; the group is tried first and given up when it does not fit.
_COMBINED = re.compile(
    rb"^(?:\S+:\d{1,5} )?(\S+(?:, ?\S+)*) \S+ \S+ \[(\d{2}/\w{3}/\d{4}):(\d{2}):(\d{2}):(\d{2}) ([+-]\d{4})\] "
    rb'"([^"\\]*(?:\\.[^"\\]*)*)" (\d{3}) (?:\d+|-)(?: "[^"\\]*(?:\\.[^"\\]*)*" "([^"\\]*(?:\\.[^"\\]*)*)"(.*))?'
)
# An X-Forwarded-For value: addresses (IPv4, IPv6, with or without port) separated by commas; IIS writes a
# space as '+'. Strict, so that another number a custom format logs (a request time "0.003") is never taken.
_ADDRESS = rb"(?:\d{1,3}(?:\.\d{1,3}){3}(?::\d{1,5})?|\[?[0-9A-Fa-f]{0,4}(?::[0-9A-Fa-f.]{0,15}){2,8}\]?(?::\d{1,5})?)"
_FORWARDED = re.compile(rb"^" + _ADDRESS + rb"(?:,[ +]?" + _ADDRESS + rb")*$")
# The first field after the agent, as nginx's stock "main" format and the usual Apache variant add it:
# ... "agent" "$http_x_forwarded_for" / ... \"%{User-Agent}i\" \"%{X-Forwarded-For}i\".
_AFTER_AGENT = re.compile(rb' "([^"]*)"')
_MONTHS = {name.encode(): number for number, name in enumerate(calendar.month_abbr) if name}
_IIS_DATE = re.compile(rb"^(\d{4})-(\d{2})-(\d{2})$")
_IIS_TIME = re.compile(rb"^(\d{2}):(\d{2}):(\d{2})")
_IIS_NEEDED = (b"date", b"time", b"cs-method", b"cs-uri-stem", b"sc-status")
OUT_OF_ORDER = 600  # seconds: a slow request is logged a few minutes late; a line further off is out of order
WAITING = 10_000  # unrecognised lines at a file's head remembered (with their place) until a line is read
MAX_LINE = 16 * 1024  # bytes: a real log line is a few hundred; a longer one is unreadable
CHUNK = 1 << 20  # bytes read (and decompressed) at a time
TRUNCATED = "het bestand is afgebroken (gzip)"
DAMAGED = "het bestand is beschadigd (gzip)"


class Request(NamedTuple):
    """What the import uses of one request. Client, agent and forwarded address live only in memory, during
    the import."""

    method: bytes
    target: bytes  # path and query as requested ("/kennisbank/tips/x/?a=b"), still percent-encoded
    status: int
    client: bytes
    agent: bytes | None  # None: the format does not log it (common log format)
    forwarded: bytes | None = None  # the first address of X-Forwarded-For, when the log carries it


class Entry(NamedTuple):
    """One line of one file: its place in time, a digest of its bytes, where it is, the request (None for a
    broken line, which carries the time of the line before it) and its own time.

    `epoch` orders the files' lines for merging and for recognising a line two files share: the file's clock,
    which never goes back and does not follow a single line far out of order (see `_in_time_order`). `when`
    is the line's own time (UTC seconds), which decides its month."""

    epoch: int
    digest: int
    source: int  # index of the file among those given
    line: int
    request: Request | None
    when: int


@dataclass
class FileReport:
    """What went wrong while reading one file (reported in the summary, never raised)."""

    name: str
    truncated_after: int | None = None  # a damaged or cut-off gzip: read up to this line
    error: str | None = None  # the file could not be opened
    out_of_order: int = 0  # lines more than OUT_OF_ORDER seconds before the line before them, or after both
    unrecognised: int = 0  # lines read while not one line of the file was recognised (0: some line was)


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


def _lines(chunks: Iterator[bytes]) -> Iterator[tuple[int, bytes | None]]:
    """The non-blank lines of a stream of chunks as (line number, line without its line end); None for a line
    longer than `MAX_LINE`, of which at most `MAX_LINE` + one chunk is ever in memory. A chunk of nothing but
    line ends (a file padded with millions of empty lines) is counted in one step, not line by line."""
    done = 0  # line ends seen so far
    head = b""  # the start of a line that continues in the next chunk
    too_long = False
    for chunk in chunks:
        if not head and not too_long and not chunk.strip(b"\r\n"):
            done += chunk.count(b"\n")
            continue
        parts = chunk.split(b"\n")
        last = parts.pop()
        if parts:
            first: bytes | None = parts[0]
            if too_long:
                first = None
                too_long = False
            elif head:
                first = head + parts[0] if len(head) + len(parts[0]) <= MAX_LINE else None
            for part in itertools.chain((first,), itertools.islice(parts, 1, None)):
                done += 1
                if part is None or len(part) > MAX_LINE:
                    yield done, None
                elif part:
                    yield done, part
            head = b""
        if too_long:
            continue
        if len(head) + len(last) > MAX_LINE:
            head, too_long = b"", True
        else:
            head += last
    if too_long:
        yield done + 1, None
    elif head:
        yield done + 1, head


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
    client, day, hh, mm, ss, zone, request, status, agent, rest = match.groups()
    midnight = clock.local_day(day, zone)
    if midnight is None:
        return None
    epoch = midnight + int(hh) * 3600 + int(mm) * 60 + int(ss)
    parts = _unescape(request).split(b" ")
    if len(parts) < 2:  # "-" for a connection closed before a request (408)
        method, target = b"-", b"-"
    else:
        method, target = parts[0], parts[1]
    forwarded = None
    if b"," in client:  # X-Forwarded-For logged in place of the address (Apache's %{X-Forwarded-For}i first)
        forwarded = _first_address(client)
        client = forwarded or client
    elif rest:  # fields after the agent: nginx's "$http_x_forwarded_for", Apache's \"%{X-Forwarded-For}i\"
        forwarded = _forwarded_after_agent(rest)
    agent = None if agent is None else _unescape(agent)
    return epoch, Request(method, target, int(status), client, agent, forwarded)


def _first_address(value: bytes) -> bytes | None:
    """The first address of an X-Forwarded-For value ("10.1.2.3, 10.0.0.1" or IIS's "10.1.2.3,+10.0.0.1"):
    the colleague's computer; the others are the proxies it passed. None when the value is no address list."""
    value = value.strip()
    if not _FORWARDED.match(value):
        return None
    return value.split(b",", 1)[0].strip(b" +") or None


def _forwarded_after_agent(rest: bytes) -> bytes | None:
    """The address in the first quoted field after the agent, when that field is an X-Forwarded-For value."""
    match = _AFTER_AGENT.match(rest)
    return _first_address(match[1]) if match is not None else None


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
        # IIS logs a request header as a custom field under the name it was given, usually the header's own.
        self.forwarded = where.get(b"x-forwarded-for", where.get(b"cs(x-forwarded-for)"))


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
    forwarded = None
    if columns.forwarded is not None and values[columns.forwarded] != b"-":
        forwarded = _first_address(values[columns.forwarded])
    return epoch, Request(values[columns.method], target, int(status), client, agent, forwarded)


def read_entries(path: Path, source: int, report: FileReport) -> Iterator[Entry]:
    """The lines of one log file as entries, in file order, each placed on the file's clock (`Entry.epoch`,
    see `_in_time_order`), so that the files can be merged by time. Comment and blank lines are skipped;
    broken lines before the first readable one take its time."""
    return _in_time_order(_file_entries(path, source, report), report)


def _in_time_order(entries: Iterator[Entry], report: FileReport) -> Iterator[Entry]:
    """The entries with `epoch` on the file's clock: it never goes back, and it does not follow one line that
    jumps more than `OUT_OF_ORDER` seconds ahead of the line before it when the line after it comes back.

    A log is in time order give or take a slow request, and merging the files by time and recognising the
    lines two overlapping files share both rely on that. One line far out of order (a request logged when a
    two-hour download ended, a clock that jumped for a moment, a line pasted in by hand) would otherwise hold
    back its whole file behind it in the merge, and the other file's copies of the lines after it would no
    longer be recognised. On the clock, a line sits where it stands in the file, and both copies of an
    overlapping stretch get the same place. Such lines are counted in `report.out_of_order`; each still
    counts in the month of its own time (`when`)."""
    clock: int | None = None
    held: Entry | None = None  # a line far ahead of the clock, until the next readable line tells
    behind: list[Entry] = []  # broken lines after the held one
    for entry in entries:
        if entry.request is None:
            if held is not None:
                behind.append(entry)
            else:
                yield entry if clock is None or entry.epoch == clock else entry._replace(epoch=clock)
            continue
        if held is not None:
            if held.when - entry.when > OUT_OF_ORDER:  # the next line came back: the held one was out of order
                report.out_of_order += 1
                place = entry.when if clock is None else clock
            else:  # the time really moved on (a quiet night, a weekend)
                place = clock = held.when
            yield held._replace(epoch=place)
            yield from (line._replace(epoch=place) for line in behind)
            held, behind = None, []
        if clock is None or entry.when - clock > OUT_OF_ORDER:
            held = entry
            continue
        if entry.when >= clock:  # the usual case: the entry as read
            clock = entry.when
            yield entry
            continue
        if clock - entry.when > OUT_OF_ORDER:
            report.out_of_order += 1
        yield entry._replace(epoch=clock)
    if held is not None:
        yield held
        yield from (line._replace(epoch=held.when) for line in behind)


def _file_entries(path: Path, source: int, report: FileReport) -> Iterator[Entry]:
    """The lines of one file as entries in file order, each with its own time (a broken line: the time of
    the readable line before it)."""
    clock = _Clock()
    columns: _IisColumns | None = None
    last = None
    waiting: list[tuple[int, int]] = []  # broken lines before the first readable one (at most WAITING)
    dropped = 0  # broken lines before the first readable one beyond WAITING: counted, not remembered
    try:
        handle = path.open("rb")
    except OSError as error:
        report.error = error.strerror or str(error)
        return
    number = 0
    try:
        with handle:
            for number, raw in _lines(_chunks(handle)):  # noqa: B007 - the last is reported
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
                        if len(waiting) < WAITING:
                            waiting.append((hash(line), number))
                        else:
                            dropped += 1
                        continue
                    yield Entry(last, hash(line), source, number, None, last)
                    continue
                epoch, request = parsed
                if last is None:
                    yield from (Entry(epoch, digest, source, at, None, epoch) for digest, at in waiting)
                    # A damaged head: the lines past WAITING are broken too, each counted (one digest: lines
                    # of one file with the same digest all count, see OverlapFilter).
                    unremembered = hash(b"\x00unremembered")
                    yield from (Entry(epoch, unremembered, source, number, None, epoch) for _ in range(dropped))
                    waiting, dropped = [], 0
                last = epoch
                yield Entry(epoch, hash(line), source, number, request, epoch)
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
        report.unrecognised = len(waiting) + dropped
        report.error = report.error or f"geen enkele regel herkend ({report.unrecognised} regels)"
