"""Usage figures of one month: one file `tips/gebruik/<jjjj-mm>.yml`, aggregated from the web server's log.

`kennisbank gebruik import` writes these files (`knowledge/usage_log.py` reads the log,
`knowledge/usage.py` counts). They are content like a nulmeting: reviewable, and checked by
`checks/usage.py` on every load, so a hand edit cannot add a name or an impossible figure. They hold counts
only: no address, user, browser, referrer or time, and only search phrases that pass the privacy rules.
The format is shared with the browser beacons and the site (see the contract of issue 25).
"""

from __future__ import annotations

import json
from typing import Annotated, ClassVar

from pydantic import ConfigDict, Field

from .models import SourceData, Strict

Count = Annotated[int, Field(ge=0)]
Month = Annotated[str, Field(pattern=r"^\d{4}-(0[1-9]|1[0-2])$")]
FEEDBACK_REASONS = ("verouderd", "onduidelijk", "niet-gezocht")


class LineCounts(Strict):
    """What the import read for this month, for the reviewer."""

    read: Count = 0  # log lines of this month (after overlapping files were counted once)
    counted: Count = 0  # colleagues' requests that count: tip and path views, search, click and feedback beacons
    bots: Count = 0  # bots, monitors, link checkers, HEAD requests, the build's and previews' own requests
    broken: Count = 0  # lines that could not be read


class Phrase(Strict):
    """A search phrase that passed the privacy rules: folded to lower case, single spaces."""

    query: Annotated[str, Field(min_length=1, max_length=200)]
    count: Annotated[int, Field(ge=1)]
    results: Count  # the number of full results the search page reported most often for this phrase


class Searches(Strict):
    """Settled searches of the month (all of them counted; phrases only those that may be kept)."""

    total: Count = 0
    without_result: Count = 0
    ended_on_tip: Count = 0
    phrases: list[Phrase] = Field(default_factory=list)


class Feedback(Strict):
    """'Heeft deze tip je geholpen?' for one tip: answers and, of the 'nee' answers, the reasons given."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    ja: Count = 0
    nee: Count = 0
    verouderd: Count = 0
    onduidelijk: Count = 0
    niet_gezocht: Count = Field(default=0, alias="niet-gezocht")

    def reason(self, name: str) -> int:
        """The count of a reason by its name in the file ('niet-gezocht')."""
        return int(getattr(self, name.replace("-", "_")))


class UsageMonthFile(Strict):
    """What a usage file holds. Keys of `views` and `feedback` are tip slugs, of `path_views` path slugs."""

    month: Month
    example: bool = False  # invented sample figures (README: Voorbeeldinhoud)
    lines: LineCounts = Field(default_factory=LineCounts)
    views: dict[str, Annotated[int, Field(ge=1)]] = Field(default_factory=dict)
    path_views: dict[str, Annotated[int, Field(ge=1)]] = Field(default_factory=dict)
    searches: Searches = Field(default_factory=Searches)
    feedback: dict[str, Feedback] = Field(default_factory=dict)


class UsageMonth(SourceData, UsageMonthFile):
    """A validated usage file with its place in the repository (`Repository.usage`, oldest month first)."""

    kind: ClassVar[str] = "gebruik"


FILE_HEADER = """\
# Gebruik van de kennisbank in één maand: opgeteld uit het toegangslog van de intranetserver.
# Gemaakt met 'kennisbank gebruik import'; je mag het met de hand aanpassen, 'kennisbank validate' controleert het.
# Er staan geen IP-adressen, gebruikersnamen, browsers, verwijzende pagina's of tijdstippen in: alleen aantallen.
# Een zoekterm staat er alleen als minstens {minimum} verschillende collega's ze zochten, ze geen e-mailadres,
# lang getal, adres of nummerplaat bevat, geen persoon lijkt te noemen (voornaam, familienaam, aanspreking,
# digicoach) en elk woord een gewoon Nederlands woord of een woord van de site is. Bots en eigen controles
# tellen niet mee.
"""


def _quote(text: str) -> str:
    """A YAML double-quoted scalar (JSON's escaping is valid YAML)."""
    return json.dumps(text, ensure_ascii=False)


def dump_usage(usage: UsageMonthFile, minimum: int) -> str:
    """The YAML text of a usage file: tips by most viewed, phrases by count (then alphabetically)."""
    lines = [FILE_HEADER.format(minimum=minimum).rstrip("\n")]
    if usage.example:
        lines.append("example: true")
    counts = usage.lines
    searches = usage.searches
    lines += [
        f"month: {usage.month}",
        "lines:",
        f"  read: {counts.read}",
        f"  counted: {counts.counted}",
        f"  bots: {counts.bots}",
        f"  broken: {counts.broken}",
    ]
    for key, views in (("views", usage.views), ("path_views", usage.path_views)):
        lines.append(f"{key}:" + ("" if views else " {}"))
        lines += [f"  {slug}: {n}" for slug, n in sorted(views.items(), key=lambda item: (-item[1], item[0]))]
    lines += [
        "searches:",
        f"  total: {searches.total}",
        f"  without_result: {searches.without_result}",
        f"  ended_on_tip: {searches.ended_on_tip}",
        "  phrases:" + ("" if searches.phrases else " []"),
    ]
    lines += [
        f"    - {{query: {_quote(p.query)}, count: {p.count}, results: {p.results}}}"
        for p in sorted(searches.phrases, key=lambda p: (-p.count, p.query))
    ]
    lines.append("feedback:" + ("" if usage.feedback else " {}"))
    for slug, answers in sorted(usage.feedback.items()):
        reasons = ", ".join(f"{name}: {answers.reason(name)}" for name in FEEDBACK_REASONS)
        lines.append(f"  {slug}: {{ja: {answers.ja}, nee: {answers.nee}, {reasons}}}")
    return "\n".join(lines) + "\n"
