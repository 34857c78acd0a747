"""Counting usage from access-log entries: one tally per month, then the month files' content.

The entries of all files are merged by time (each log is in time order), so a line that two overlapping
files both hold (a rotated log and its .gz copy, copytruncate's doubled lines) arrives twice within
seconds. `OverlapFilter` remembers only the lines of the last `OVERLAP_WINDOW` seconds: memory stays
flat however many lines are read, and a line counts as many times as the one file holding it most often
has it (two identical requests in the same second in one file are two requests).

A phrase is kept only when at least `USAGE_MIN_SEARCHES` different senders searched it: one colleague typing
a citizen's name three times must not be enough. A sender is the first address of X-Forwarded-For when the
log carries it (colleagues behind a proxy), else the client address, always together with the browser (user
agent): behind a proxy or NAT every colleague has the same address, and the address alone would make them one;
and the same colleague must be one sender in a log with X-Forwarded-For and in one without.
Senders are hashed with a random salt made for this run (`SenderHasher`): held in memory during the import
only, never written, and at most `USAGE_MIN_SEARCHES` of them per phrase (enough to know whether the phrase
reached that many). Per month the import also counts requests per hashed address (at most `ADDRESSES_KEPT`
of them), only to warn when one address holds most of the traffic.
"""

from __future__ import annotations

import functools
import hashlib
import heapq
import ipaddress
import re
import secrets
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from operator import attrgetter
from urllib.parse import unquote_to_bytes
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from ..checks.usage import PhraseRules, normalise_phrase
from ..content.usage import FEEDBACK_REASONS, Feedback, LineCounts, Phrase, Searches, UsageMonthFile
from ..policy import USAGE_MIN_SEARCHES
from .usage_log import Entry, Request

OVERLAP_WINDOW = 600  # seconds: far more than a log's own disorder, far less than a month
PAIR_WINDOW = 3600  # a feedback reason belongs to the 'nee' of the same sender and tip within the hour
BROKEN_SHOWN = 5  # broken lines named in the summary, per month
ADDRESSES_KEPT = 10_000  # hashed addresses counted per month for the proxy warning: flat memory
_BOT = re.compile(
    rb"bot|crawl|spider|slurp|monitor|curl|python-requests|python-urllib|aiohttp|httpx|wget|headless|"
    rb"linkcheck|link-check|checklink|check_http|nagios|zabbix|uptime|pingdom|go-http-client|java/|okhttp|"
    rb"libwww|httpclient|lighthouse|powershell|scan|preview|webdav|"
    # Office fetching a pasted link for a preview or an existence check, not a colleague reading it.
    rb"microsoft office|ms-office|msoffice|microsoft outlook|existence discovery",
    re.IGNORECASE,
)
MEMORY_KEPT = 100_000  # (sender, phrase) pairs remembered per month for the clicks: flat memory
PHRASE_MAX = 200  # characters of a phrase kept; a longer one is cut at the last whole word
_REASONS = frozenset(FEEDBACK_REASONS)


@functools.cache
def _crawler_list() -> re.Pattern[str]:
    """The maintained list of crawlers, monitors and fetchers of the crawler-user-agents package (about 1,500
    patterns: Site24x7, W3C_Validator, axios, node-fetch, facebookexternalhit …), compiled once when needed."""
    from crawleruseragents import CRAWLER_PATTERNS

    patterns: re.Pattern[str] = CRAWLER_PATTERNS.case_sensitive
    return patterns


def _is_local(address: bytes) -> bool:
    """The machine itself: all of 127.0.0.0/8 (Debian maps its own host name to 127.0.1.1), ::1 in any
    spelling, and IPv4 loopback mapped into IPv6."""
    if address.startswith(b"127.") or address == b"localhost":
        return True
    if b":" not in address:
        return False
    text = address.strip(b"[]").decode("latin-1").split("%", 1)[0]
    try:
        parsed = ipaddress.ip_address(text)
    except ValueError:
        return False
    mapped = getattr(parsed, "ipv4_mapped", None)
    return parsed.is_loopback or (mapped is not None and mapped.is_loopback)


def shortened(phrase: str) -> str:
    """A phrase of at most `PHRASE_MAX` characters, cut after its last whole word (a single word that long:
    at the limit)."""
    if len(phrase) <= PHRASE_MAX:
        return phrase
    cut = phrase[: PHRASE_MAX + 1].rsplit(" ", 1)[0]
    return cut if len(cut) <= PHRASE_MAX else phrase[:PHRASE_MAX]


class OverlapFilter:
    """Says whether an entry was already counted from another file; remembers `OVERLAP_WINDOW` seconds."""

    def __init__(self, window: int = OVERLAP_WINDOW) -> None:
        self.window = window
        self._per_file: dict[int, int] = {}  # (digest, file) folded into one int: no tuple per line
        self._best: dict[int, int] = {}
        self._order: deque[tuple[int, int, int]] = deque()
        self._frontier = 0

    def is_new(self, entry: Entry) -> bool:
        """True the first time a line is seen (and again for each extra copy within one file)."""
        epoch, digest = entry.epoch, entry.digest
        if epoch > self._frontier:
            self._frontier = epoch
            horizon = epoch - self.window
            order = self._order
            while order and order[0][0] < horizon:
                _, key, old = order.popleft()
                self._per_file.pop(key, None)
                self._best.pop(old, None)
        key = (digest << 12) | entry.source  # a hash is 64 bits; up to 4,096 files
        seen = self._per_file.get(key, 0) + 1
        self._per_file[key] = seen
        if seen == 1:
            self._order.append((epoch, key, digest))
        if seen > self._best.get(digest, 0):
            self._best[digest] = seen
            return True
        return False


class MonthOf:
    """The calendar month ('2026-11') of an epoch second in the municipality's time zone, cached per month."""

    def __init__(self, zone: str = "Europe/Brussels") -> None:
        try:
            self.zone: ZoneInfo | None = ZoneInfo(zone)
        except (ZoneInfoNotFoundError, ValueError):
            self.zone = None  # no time zone data (Windows without tzdata): months in UTC
        self._start, self._end, self._month = 1, 0, ""

    def __call__(self, epoch: int) -> str:
        if self._start <= epoch < self._end:
            return self._month
        moment = datetime.fromtimestamp(epoch, self.zone or UTC)
        first = moment.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
        following = first.replace(year=first.year + first.month // 12, month=first.month % 12 + 1)
        # Back to a real local time: replace() keeps the offset of the moment, not of the 1st.
        start = datetime(first.year, first.month, 1, tzinfo=self.zone or UTC)
        end = datetime(following.year, following.month, 1, tzinfo=self.zone or UTC)
        self._start, self._end, self._month = int(start.timestamp()), int(end.timestamp()), f"{first:%Y-%m}"
        return self._month


@dataclass
class MonthTally:
    """Everything counted for one month; only what `usage_month` returns is ever written."""

    month: str
    read: int = 0
    counted: int = 0
    bots: int = 0  # by user agent
    head: int = 0
    local: int = 0  # 127.0.0.1 / ::1: the build's checks and the coaches' previews
    broken: int = 0
    duplicates: int = 0  # the same line from an overlapping file
    status: int = 0  # not 2xx or 304
    other: int = 0  # requests that are not a tip, path or beacon (pages, images, scripts, unknown tips)
    broken_at: list[str] = field(default_factory=list)
    views: Counter[str] = field(default_factory=Counter)
    path_views: Counter[str] = field(default_factory=Counter)
    searches: int = 0
    without_result: int = 0
    ended_on_tip: int = 0
    phrases: dict[str, Counter[int]] = field(default_factory=dict)  # only phrases the privacy rules allow
    senders: dict[str, set[int]] = field(default_factory=dict)  # salted client hashes per phrase, at most 3
    refused: Counter[int] = field(default_factory=Counter)  # the others, by hash: their text is not kept
    feedback: dict[str, Counter[str]] = field(default_factory=dict)
    # (hashed sender, tip) -> times of the 'nee' answers still without their reason (in memory only)
    waiting_nee: dict[tuple[int, str], list[int]] = field(default_factory=dict)
    # hash of (hashed sender, phrase) -> [searches settled, clicks counted] (in memory only)
    clicks: dict[int, list[int]] = field(default_factory=dict)
    no_agent: int = 0  # requests from a format without a user agent: bots cannot be told apart
    bare_beacons: int = 0  # requests for a beacon without any query string (IIS without cs-uri-query)
    forwarded: int = 0  # counted requests whose log line carried X-Forwarded-For
    by_address: Counter[int] = field(default_factory=Counter)  # counted requests per hashed origin address

    def busiest_address_share(self) -> float:
        """The share of the counted requests that came from the busiest single address (0 to 1)."""
        if not self.by_address or not self.counted:
            return 0.0
        return self.by_address.most_common(1)[0][1] / self.counted


@dataclass(frozen=True)
class SiteRoutes:
    """Which requests count: the site's base path and the slugs that exist."""

    base: bytes  # "/kennisbank/"
    tips: frozenset[str]
    paths: frozenset[str]


def _query(raw: bytes) -> dict[str, str]:
    """A query string's parameters, plus- and percent-decoded; bytes as UTF-8, else Latin-1 (an old
    browser or a hand-typed URL)."""
    values: dict[str, str] = {}
    for part in raw.split(b"&"):
        key, _, value = part.partition(b"=")
        data = unquote_to_bytes(value.replace(b"+", b" "))
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            text = data.decode("latin-1")
        values.setdefault(key.decode("latin-1"), text)
    return values


def _slug(rest: bytes) -> str | None:
    """'wachtwoord-vergeten/' or 'wachtwoord-vergeten/index.html' -> the slug; anything else None."""
    slug, _, tail = rest.partition(b"/")
    if not slug or tail not in (b"", b"index.html"):
        return None
    return slug.decode("latin-1")


def _number(text: str | None) -> int | None:
    return int(text) if text is not None and text.isdigit() and len(text) < 7 else None


class SenderHasher:
    """A client address as a salted 64-bit hash; the salt is random per run and never leaves memory, so the
    hashes cannot be matched with another import or reversed by trying every address of the network."""

    def __init__(self) -> None:
        self._salt = secrets.token_bytes(16)

    def __call__(self, client: bytes) -> int:
        return int.from_bytes(hashlib.blake2b(client, digest_size=8, key=self._salt).digest(), "big")

    def of(self, request: Request) -> int:
        """Who sent a request, as well as the log tells: the colleague's address (the forwarded one where the log
        has it) with the browser. The browser is part of the key in both cases so that one colleague is one
        sender in a log with X-Forwarded-For and in one without (a web server that starts logging it mid-month,
        or a proxy's log imported with the server's own)."""
        address = request.forwarded if request.forwarded is not None else request.client
        return self(address + b"\x00" + (request.agent or b""))


class Tallies:
    """The tallies per month of one import, fed entry by entry."""

    def __init__(
        self,
        routes: SiteRoutes,
        names: list[str],
        rules: Callable[[], PhraseRules],
        zone: str = "Europe/Brussels",
    ) -> None:
        self.routes = routes
        self.rules = rules
        # Per distinct phrase (by hash), whether the privacy rules refuse it: judged once, and a refused
        # phrase's text is dropped at once instead of being held until the end of the import.
        self._refused: dict[int, bool] = {}
        self.names = names
        self.months: dict[str, MonthTally] = {}
        self.month_of = MonthOf(zone)
        self.overlap = OverlapFilter()
        self.sender = SenderHasher()
        # Requests outside the base path that look like the site's pages, by the path in front of them: a
        # forgotten --pad shows up as nothing counted and many requests under one other path.
        self.elsewhere: Counter[bytes] = Counter()
        self._bots: dict[bytes, bool] = {}

    def _tally(self, when: int) -> MonthTally:
        month = self.month_of(when)
        tally = self.months.get(month)
        if tally is None:
            tally = self.months[month] = MonthTally(month)
        return tally

    def add_all(self, streams: Iterable[Iterator[Entry]]) -> None:
        """Count the entries of all files, merged by time."""
        add = self.add
        for entry in heapq.merge(*streams, key=attrgetter("epoch")):
            add(entry)

    def add(self, entry: Entry) -> None:
        """Count one entry (a line of a log)."""
        tally = self._tally(entry.when)
        if not self.overlap.is_new(entry):
            tally.duplicates += 1
            return
        tally.read += 1
        request = entry.request
        if request is None:
            tally.broken += 1
            if len(tally.broken_at) < BROKEN_SHOWN:
                tally.broken_at.append(f"{self.names[entry.source]}:{entry.line}")
            return
        if request.agent is None:  # the format logs no browser (common, IIS without cs(User-Agent))
            tally.no_agent += 1
        # Behind a reverse proxy on the same server every line comes from 127.0.0.1: the colleague is the
        # forwarded address then.
        if _is_local(request.forwarded or request.client):
            tally.local += 1
        elif request.method == b"HEAD":
            tally.head += 1
        elif request.agent is not None and self._is_bot(request.agent):
            tally.bots += 1
        elif not (200 <= request.status < 300 or request.status == 304):
            tally.status += 1
        elif request.method != b"GET" or not self._count(tally, entry.when, request):
            tally.other += 1
        else:
            tally.counted += 1
            tally.forwarded += request.forwarded is not None
            # Python's own hash of bytes is keyed per run too (SipHash, random seed), and far cheaper than
            # blake2b on every counted request; only a count per address is needed here.
            origin = hash(request.forwarded or request.client)
            if origin in tally.by_address or len(tally.by_address) < ADDRESSES_KEPT:
                tally.by_address[origin] += 1

    def _is_bot(self, agent: bytes) -> bool:
        """An empty agent, one naming a robot, or one on crawler-user-agents' list; cached, since a year of logs
        holds a few thousand agents (the list costs about a millisecond per new agent)."""
        known = self._bots.get(agent)
        if known is None:
            if len(self._bots) > 50_000:  # flat memory also against agents that vary per request
                self._bots.clear()
            known = self._bots[agent] = (
                not agent
                or agent == b"-"
                or _BOT.search(agent) is not None
                # The list's patterns are text; an agent is ASCII, and Latin-1 maps any other byte one to one.
                or _crawler_list().search(agent.decode("latin-1")) is not None
            )
        return known

    def _count(self, tally: MonthTally, epoch: int, request: Request) -> bool:
        base = self.routes.base
        target = request.target
        if not target.startswith(base):
            self._note_elsewhere(target)
            return False
        path, _, query = target[len(base) :].partition(b"?")
        for prefix, known, views in (
            (b"tips/", self.routes.tips, tally.views),
            (b"leerpaden/", self.routes.paths, tally.path_views),
        ):
            if path.startswith(prefix):
                slug = _slug(path[len(prefix) :])
                if slug in known:
                    views[slug] += 1
                    return True
                return False
        if not path.startswith(b"gebruik/"):
            self._note_elsewhere(target)  # "/kennisbank/tips/…" with --pad / (the marker is further on)
            return False
        beacon = path[8:]
        values = _query(query)
        if beacon == b"zoek.txt":
            return self._search(tally, values, request)
        if not query:
            tally.bare_beacons += 1
        if beacon == b"klik.txt":
            return self._click(tally, values, request)
        if beacon == b"feedback.txt":
            return self._feedback(tally, epoch, self.sender.of(request), values)
        return False

    def _note_elsewhere(self, target: bytes) -> None:
        path = target.partition(b"?")[0]
        for marker in (b"/tips/", b"/leerpaden/", b"/gebruik/"):
            at = path.find(marker)
            if at >= 0:
                prefix = path[: at + 1]
                if prefix in self.elsewhere or len(self.elsewhere) < 100:  # bounded: a handful of prefixes
                    self.elsewhere[prefix] += 1
                return

    def _search(self, tally: MonthTally, values: dict[str, str], request: Request) -> bool:
        typed = values.get("q", "")
        phrase = normalise_phrase(typed)
        full = _number(values.get("n"))
        if not phrase or full is None:
            return False
        tally.searches += 1
        tally.without_result += full == 0
        self._clicks_of(tally, phrase, request)[0] += 1
        phrase = shortened(phrase)
        key = hash(phrase)
        refused = self._refused.get(key)
        if refused is None:
            refused = self._refused[key] = self.rules().refusal(phrase) is not None
        if not refused and self.rules().names_by_capitals(typed):  # "dossier Bakker": this spelling says it
            refused = self._refused[key] = True
            self._withdraw(phrase, key)
        if refused:
            tally.refused[key] += 1
        else:
            tally.phrases.setdefault(phrase, Counter())[full] += 1
            senders = tally.senders.setdefault(phrase, set())
            if len(senders) < USAGE_MIN_SEARCHES:  # bounded: only whether the phrase reached that many
                senders.add(self.sender.of(request))
        return True

    def _clicks_of(self, tally: MonthTally, phrase: str, request: Request) -> list[int]:
        """[searches settled, clicks counted] of one sender and phrase this month."""
        key = hash((self.sender.of(request), phrase))
        counts = tally.clicks.get(key)
        if counts is None:
            if len(tally.clicks) >= MEMORY_KEPT:  # flat memory: a month of a big municipality starts over
                tally.clicks.clear()
            counts = tally.clicks[key] = [0, 0]
        return counts

    def _click(self, tally: MonthTally, values: dict[str, str], request: Request) -> bool:
        """A click on a search result: it ends a search on a tip when the tip exists, at most once per search
        the same sender settled with that phrase (a search that ends on several tips is one search that ended
        on a tip). The click may be logged just before its search (both leave at once): one click per phrase
        and sender counts before its search is seen."""
        phrase = normalise_phrase(values.get("q", ""))
        if values.get("tip", "") not in self.routes.tips or not phrase:
            return False
        counts = self._clicks_of(tally, phrase, request)
        if counts[1] < max(counts[0], 1):
            counts[1] += 1
            tally.ended_on_tip += 1
        return True

    def _withdraw(self, phrase: str, key: int) -> None:
        """A phrase refused after it was counted (another spelling showed a name): drop its text everywhere."""
        for tally in self.months.values():
            outcomes = tally.phrases.pop(phrase, None)
            tally.senders.pop(phrase, None)
            if outcomes is not None:
                tally.refused[key] += sum(outcomes.values())

    def _feedback(self, tally: MonthTally, epoch: int, sender: int, values: dict[str, str]) -> bool:
        tip, answer, reason = values.get("tip", ""), values.get("antwoord"), values.get("reden")
        if tip not in self.routes.tips or answer not in ("ja", "nee") or (reason and reason not in _REASONS):
            return False
        counts = tally.feedback.setdefault(tip, Counter())
        key = (sender, tip)  # in memory only: pairs a reason with its 'nee', never written
        waiting = tally.waiting_nee
        if answer == "ja":
            counts["ja"] += 1
        elif not reason:
            counts["nee"] += 1
            waiting.setdefault(key, []).append(epoch)
        else:
            counts[reason] += 1
            # The reason belongs to one earlier 'nee' of the same sender and tip that has no reason yet (two
            # tabs, or colleagues on one terminal server, may answer twice before their reasons follow).
            open_nee = [t for t in waiting.pop(key, ()) if epoch - t <= PAIR_WINDOW]
            if open_nee:
                open_nee.pop()
            else:
                counts["nee"] += 1  # a reason without its 'nee' still is one 'nee'
            if open_nee:
                waiting[key] = open_nee
        if len(waiting) > 10_000:  # keep the pairing memory flat: forget answers older than the window
            for old in [k for k, times in waiting.items() if epoch - times[-1] > PAIR_WINDOW]:
                del waiting[old]
        return True


@dataclass(frozen=True)
class PhraseOutcome:
    """What became of the month's phrases: kept ones, and how many were dropped for which reason."""

    kept: tuple[Phrase, ...]
    dropped_rare: int  # distinct phrases searched fewer than USAGE_MIN_SEARCHES times or by fewer senders
    dropped_private: int  # distinct phrases often enough, but holding an e-mail, long number or unknown word


def judge_phrases(tally: MonthTally) -> PhraseOutcome:
    """The month's phrases that may be kept (searched often enough; the privacy rules were applied when they
    were counted), most searched first; `results` is the number of full results reported most often (the
    smaller on a tie)."""
    kept: list[Phrase] = []
    rare = sum(1 for count in tally.refused.values() if count < USAGE_MIN_SEARCHES)
    private = len(tally.refused) - rare
    for query, outcomes in tally.phrases.items():
        count = sum(outcomes.values())
        if count < USAGE_MIN_SEARCHES or len(tally.senders.get(query, ())) < USAGE_MIN_SEARCHES:
            rare += 1
        else:
            results = min(outcomes, key=lambda n: (-outcomes[n], n))
            kept.append(Phrase(query=query, count=count, results=results))
    kept.sort(key=lambda p: (-p.count, p.query))
    return PhraseOutcome(tuple(kept), rare, private)


def usage_month(tally: MonthTally, outcome: PhraseOutcome) -> UsageMonthFile:
    """The file content of one month's tally."""
    feedback = {
        tip: Feedback.model_validate({name: counts[name] for name in ("ja", "nee", *FEEDBACK_REASONS)})
        for tip, counts in sorted(tally.feedback.items())
    }
    return UsageMonthFile(
        month=tally.month,
        lines=LineCounts(
            read=tally.read,
            counted=tally.counted,
            bots=tally.bots + tally.head + tally.local,
            broken=tally.broken,
        ),
        views=dict(tally.views.most_common()),
        path_views=dict(tally.path_views.most_common()),
        searches=Searches(
            total=tally.searches,
            without_result=tally.without_result,
            ended_on_tip=min(tally.ended_on_tip, tally.searches),
            phrases=list(outcome.kept),
        ),
        feedback=feedback,
    )
