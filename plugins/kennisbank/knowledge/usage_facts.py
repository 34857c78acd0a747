"""What the usage figures (`tips/gebruik/<JJJJ-MM>.yml`, issue 25) say, worked out once per build date.

Searches that found nothing or little (with the change since the previous month), the most read tips per
department and per tool, tips nobody opened in three months, how often a coach's tips were read, tips
colleagues found unhelpful, the failed searches for the next meeting's agenda with the open signals they may
belong to, and synonym lines a coach can paste into `tips/synoniemen.yml`.

Only the months that had begun on the build date count, so a build of an earlier date shows what was known
then; example months (`example: true`) only while there is no real month. "This month" is the latest month
with a file, not the calendar month of the build date: the import runs when a coach runs it.
"""

from __future__ import annotations

import functools
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from difflib import SequenceMatcher

from ..content.models import Signal, Tip
from ..content.repository import Repository
from ..content.synonyms import (
    STOP_WORDS,
    SynonymGroups,
    meaningful_words,  # the search page's own rule: a failed search's words are those it looked up
    term_key,
)
from ..content.usage import UsageMonth
from ..policy import AGENDA_FAILED_SEARCHES, MOST_READ, UNHELPFUL_MIN_NO, UNREAD_MONTHS
from .indexes import Facet
from .topics import ToolMatcher, words

# What a section says when there are no figures yet: how to get them (Dutch, shown to coaches).
NO_FIGURES = (
    "Nog geen gebruikscijfers. Een digicoach leest de toegangslogs van de intranetserver in met "
    "'kennisbank gebruik import LOG…'; dat schrijft per maand een bestand tips/gebruik/JJJJ-MM.yml."
)
# The reasons a colleague can give after "Nee", as the feedback buttons word them.
REASONS = (("verouderd", "verouderd"), ("onduidelijk", "onduidelijk"), ("niet-gezocht", "niet wat ik zocht"))
# Two words are "alike" (a compound, a plural, a derivation) when they share a run of letters this long that
# starts one of them and is most of the shorter word: "ontdubbelen" and "dubbele", "verlofsaldo" and "verlof",
# but not "licentie" and "intelligentie" (a shared ending) or "printer" and "printscreen".
_ALIKE_RUN, _ALIKE_SHARE = 5, 0.75


@dataclass(frozen=True)
class SearchFigure:
    """One search phrase of the latest month, with its count the month before."""

    query: str
    count: int
    results: int  # the number of results the page reported most often for it
    compared: bool  # a file exists for the month before
    previous: int | None  # its count then; None when it was not kept (searched fewer than three times)

    @property
    def trend(self) -> str:
        """'+4', '−2', 'gelijk', 'nieuw' (not in last month's list), or '' without a previous month."""
        if not self.compared:
            return ""
        if self.previous is None:
            return "nieuw"
        change = self.count - self.previous
        return "gelijk" if change == 0 else f"+{change}" if change > 0 else f"−{-change}"


@dataclass(frozen=True)
class SearchTotals:
    """A month's searches: all, without a result, and those that ended with a click on a tip."""

    month: date
    total: int
    without_result: int
    ended_on_tip: int

    @property
    def ended_share(self) -> int | None:
        """Percentage of searches that ended on a tip (None without searches)."""
        return round(100 * self.ended_on_tip / self.total) if self.total else None


@dataclass(frozen=True)
class ReadTip:
    tip: Tip
    views: int


@dataclass(frozen=True)
class ReadGroup:
    """The most read tips of one department or tool in the latest month."""

    key: str  # department or tool id
    tips: tuple[ReadTip, ...]


@dataclass(frozen=True)
class CoachReads:
    """How often a coach's tips were read in the latest month."""

    month: date
    views: int
    tips_read: int  # how many of their tips were opened at least once
    tips: int  # how many tips they have


@dataclass(frozen=True)
class UnhelpfulTip:
    """A tip colleagues answered "Nee" for, often enough to review it."""

    tip: Tip
    yes: int
    no: int
    reasons: tuple[tuple[str, int], ...]  # (Dutch reason, count), only those given

    @property
    def text(self) -> str:
        """'4× nee, 1× ja (verouderd: 3, onduidelijk: 1)'."""
        given = ", ".join(f"{reason}: {count}" for reason, count in self.reasons)
        return f"{self.no}× nee, {self.yes}× ja" + (f" ({given})" if given else "")


@dataclass(frozen=True)
class SynonymSuggestion:
    """A line for `tips/synoniemen.yml` that would let a failed search find `tip`."""

    query: str
    tip: Tip
    term: str  # the searched word the site does not know
    partner: str  # the tip's term it resembles, offered as its synonym
    replaces: tuple[str, ...] | None  # the existing group the line replaces (the partner is already in it)

    @property
    def line(self) -> str:
        """The YAML line, indented as in the file."""
        terms = [*(self.replaces or (self.partner,)), self.term]
        return "  - [" + ", ".join(terms) + "]"


@dataclass(frozen=True)
class FailedSearch:
    """One failed search on the agenda: the open signals it may belong to and a synonym that may fix it."""

    figure: SearchFigure
    signals: tuple[Signal, ...]
    suggestion: SynonymSuggestion | None


@dataclass(frozen=True)
class Usage:
    """The usage facts on the build date; every tuple is empty (and `latest` None) without figures."""

    latest: date | None  # the latest month with a file (its first day)
    previous: date | None  # the month before it, when it has a file
    failed: tuple[SearchFigure, ...]  # searched, nothing found: most searched first
    few: tuple[SearchFigure, ...]  # one or two results
    totals: SearchTotals | None
    previous_totals: SearchTotals | None
    read_by_department: tuple[ReadGroup, ...]
    read_by_tool: tuple[ReadGroup, ...]
    unread: tuple[Tip, ...] | None  # None: fewer than three consecutive months of files
    unread_since: date | None  # first day of the three months
    coach_reads: Mapping[str, CoachReads]  # by coach id
    unhelpful: tuple[UnhelpfulTip, ...]
    suggestions: Mapping[str, SynonymSuggestion]  # by failed query
    agenda: tuple[FailedSearch, ...]  # the top failed searches for the next meeting

    @property
    def has_figures(self) -> bool:
        return self.latest is not None


def month_start(month: str) -> date:
    """The first day of a usage file's month ('2026-11')."""
    year, number = month.split("-")
    return date(int(year), int(number), 1)


def _month_before(day: date) -> date:
    return date(day.year - 1, 12, 1) if day.month == 1 else date(day.year, day.month - 1, 1)


def build_usage(
    repository: Repository,
    months: Iterable[UsageMonth],
    today: date,
    facets: Mapping[str, Facet],
    matcher: ToolMatcher,
) -> Usage:
    """The usage facts of `months` (oldest first) as known on `today`."""
    known = [m for m in months if month_start(m.month) <= today]
    # Invented example figures count only until real ones exist (as for the nulmeting): a real month is never
    # compared with an example month.
    if any(not m.example for m in known):
        known = [m for m in known if not m.example]
    by_month = {month_start(m.month): m for m in known}
    tips = {t.slug: t for t in repository.tips}
    if not by_month:
        return Usage(None, None, (), (), None, None, (), (), None, None, {}, (), {}, ())
    latest_day = max(by_month)
    latest = by_month[latest_day]
    previous_day = _month_before(latest_day)
    previous = by_month.get(previous_day)
    figures = _search_figures(latest, previous)
    failed = tuple(f for f in figures if f.results == 0)
    views = {slug: n for slug, n in latest.views.items() if slug in tips}
    window = [latest_day]
    while len(window) < UNREAD_MONTHS and _month_before(window[-1]) in by_month:
        window.append(_month_before(window[-1]))
    unread = None
    if len(window) == UNREAD_MONTHS:
        opened = {slug for day in window for slug, n in by_month[day].views.items() if n > 0}
        unread = tuple(
            sorted(
                (t for t in repository.tips if t.slug not in opened and t.date < window[-1]),
                key=lambda t: (t.title, t.slug),
            )
        )
    suggestions = _suggestions(failed, repository, views, matcher)
    return Usage(
        latest=latest_day,
        previous=previous_day if previous else None,
        failed=failed,
        few=tuple(f for f in figures if f.results in (1, 2)),
        totals=_totals(latest_day, latest),
        previous_totals=_totals(previous_day, previous) if previous else None,
        read_by_department=_most_read(facets["departments"], views),
        read_by_tool=_most_read(facets["tools"], views),
        unread=unread,
        unread_since=window[-1] if unread is not None else None,
        coach_reads=_coach_reads(repository, latest_day, views),
        unhelpful=_unhelpful(repository, by_month),
        suggestions=suggestions,
        agenda=tuple(
            FailedSearch(f, _signals_for(f.query, repository.signals, repository, matcher), suggestions.get(f.query))
            for f in failed[:AGENDA_FAILED_SEARCHES]
        ),
    )


def _search_figures(latest: UsageMonth, previous: UsageMonth | None) -> tuple[SearchFigure, ...]:
    before = {p.query: p.count for p in previous.searches.phrases} if previous else {}
    figures = [
        SearchFigure(p.query, p.count, p.results, previous is not None, before.get(p.query))
        for p in latest.searches.phrases
    ]
    return tuple(sorted(figures, key=lambda f: (-f.count, f.query)))


def _totals(day: date, month: UsageMonth) -> SearchTotals:
    s = month.searches
    return SearchTotals(day, s.total, s.without_result, s.ended_on_tip)


def _most_read(facet: Facet, views: Mapping[str, int]) -> tuple[ReadGroup, ...]:
    groups = []
    for value in facet.values:
        read = sorted(
            (ReadTip(t, views[t.slug]) for t in value.tips if views.get(t.slug, 0) > 0),
            key=lambda r: (-r.views, r.tip.slug),
        )
        if read:
            groups.append(ReadGroup(value.id, tuple(read[:MOST_READ])))
    return tuple(groups)


def _coach_reads(repository: Repository, month: date, views: Mapping[str, int]) -> dict[str, CoachReads]:
    found: dict[str, CoachReads] = {}
    for coach_id in repository.coaches:
        own = [t for t in repository.tips if t.coach == coach_id]
        read = [views.get(t.slug, 0) for t in own]
        found[coach_id] = CoachReads(month, sum(read), sum(1 for n in read if n > 0), len(own))
    return found


def _unhelpful(repository: Repository, by_month: Mapping[date, UsageMonth]) -> tuple[UnhelpfulTip, ...]:
    """Tips with at least UNHELPFUL_MIN_NO "Nee" answers, and more "Nee" than "Ja", since their last review:
    a review answers the complaints, so only whole months that began on or after the review day count."""
    found = []
    for tip in repository.tips:
        yes = no = 0
        reasons = dict.fromkeys((label for _, label in REASONS), 0)
        for day, month in by_month.items():
            answer = month.feedback.get(tip.slug)
            if answer is None or day < tip.last_reviewed:
                continue
            yes, no = yes + answer.ja, no + answer.nee
            for name, label in REASONS:
                reasons[label] += answer.reason(name)
        if no >= UNHELPFUL_MIN_NO and no > yes:
            given = tuple((label, n) for label, n in reasons.items() if n)
            found.append(UnhelpfulTip(tip, yes, no, given))
    return tuple(sorted(found, key=lambda u: (-u.no, u.yes, u.tip.slug)))


def _alike(a: str, b: str) -> bool:
    if min(len(a), len(b)) < _ALIKE_RUN or (a[:_ALIKE_RUN] not in b and b[:_ALIKE_RUN] not in a):
        return False  # no run of letters that starts either word: cheap, and true for nearly every pair
    match = SequenceMatcher(None, a, b, autojunk=False).find_longest_match(0, len(a), 0, len(b))
    starts = match.a == 0 or match.b == 0
    return starts and match.size >= _ALIKE_RUN and match.size >= _ALIKE_SHARE * min(len(a), len(b))


@dataclass(frozen=True)
class _Groups:
    """The synonym groups, looked up by term key and by folded term (built once per build)."""

    by_key: Mapping[str, tuple[str, ...]]
    by_folded: Mapping[str, tuple[str, ...]]

    @classmethod
    def of(cls, synonyms: SynonymGroups) -> _Groups:
        by_key = {term_key(term): group for group in synonyms.groups for term in group}
        by_folded = {words(term).strip(): group for group in synonyms.groups for term in group}
        return cls(by_key, by_folded)

    def of_term(self, term: str) -> tuple[str, ...] | None:
        return self.by_key.get(term_key(term))


@functools.lru_cache(maxsize=16384)  # tags, tool names and synonyms repeat across thousands of tips
def _term_words(term: str) -> tuple[str, ...]:
    return tuple(words(term).split())


def _topic_terms(tip: Tip, tool_names: Mapping[str, tuple[str, ...]], groups: _Groups) -> dict[str, str]:
    """A tip's topic as the search sees it, by folded word: the term a synonym line would name for it. The
    words of its title, its tags, the names of its tools, and the synonyms of any of those."""
    found: dict[str, str] = {}
    for word in _term_words(tip.title):
        if word not in STOP_WORDS:
            found.setdefault(word, word)
    for term in (*tip.tags, *(name for tool in tip.tools for name in tool_names.get(tool, ()))):
        folded = _term_words(term)
        for word in folded:
            if word not in STOP_WORDS:
                found.setdefault(word, " ".join(folded))
    for word in list(found):
        for original in groups.by_folded.get(word, ()):
            for part in _term_words(original):
                found.setdefault(part, original)
    return found


def _suggestions(
    failed: Sequence[SearchFigure], repository: Repository, views: Mapping[str, int], matcher: ToolMatcher
) -> dict[str, SynonymSuggestion]:
    """For each failed search whose words match an existing tip's topic but one, a synonym line: that word next
    to the tip's term it resembles (a compound, a derivation, a typo), which makes the search find the tip.

    Nothing is suggested without such a resemblance, or with more than one unknown word: pairing a word with any
    tag of the tip would be a guess, and a wrong group spoils the search for everyone (tips/synoniemen.yml)."""
    if not failed:
        return {}
    groups = _Groups.of(repository.synonyms)
    tool_names = dict(matcher.names)
    tips = repository.tips
    topics = [_topic_terms(tip, tool_names, groups) for tip in tips]
    index: dict[str, list[int]] = {}  # folded word -> the tips whose topic has it
    for number, topic in enumerate(topics):
        for word in topic:
            index.setdefault(word, []).append(number)
    alike_cache: dict[str, tuple[str, ...]] = {}
    found = {}
    for figure in failed:
        query_words = meaningful_words(figure.query)
        having = Counter(number for word in query_words for number in index.get(word, ()))
        best: tuple[int, SynonymSuggestion] | None = None
        for word in query_words:
            if groups.of_term(word) is not None:  # the search knows it already: something else failed
                continue
            if word not in alike_cache:
                alike_cache[word] = tuple(t for t in index if t != word and _alike(word, t))
            for other in alike_cache[word]:
                for number in index[other]:
                    # The tip has every other word of the search, and a word like this one instead of it.
                    if having[number] != len(query_words) - 1 or word in topics[number]:
                        continue
                    tip, partner = tips[number], topics[number][other]
                    score = views.get(tip.slug, 0)
                    if best is None or score > best[0]:
                        best = (score, SynonymSuggestion(figure.query, tip, word, partner, groups.of_term(partner)))
        if best:
            found[figure.query] = best[1]
    return found


def _signals_for(
    query: str, signals: Iterable[Signal], repository: Repository, matcher: ToolMatcher
) -> tuple[Signal, ...]:
    """The open signals a search may belong to: one names a tool the search names, or shares a word (or a
    synonym of one) of four letters or more with the signal's title or theme."""
    taxonomy = repository.taxonomy
    assert taxonomy is not None
    searched = set(meaningful_words(query))
    for group in repository.synonyms.groups:
        folded = {w for term in group for w in words(term).split()}
        if any(" ".join(words(term).split()) in searched for term in group):
            searched |= folded
    searched = {w for w in searched if len(w) >= 4 and w not in STOP_WORDS}
    tools = set(matcher.tools_in(query))
    found = []
    for signal in signals:
        if not signal.is_open:
            continue
        theme = taxonomy.themes.get(signal.theme)
        text = signal.title + " " + (theme.label if theme else signal.theme)
        if tools & set(matcher.tools_in(signal.title)) or searched & set(words(text).split()):
            found.append(signal)
    return tuple(sorted(found, key=lambda s: (s.raised_on, s.slug)))
