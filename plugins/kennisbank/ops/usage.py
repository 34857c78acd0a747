"""`kennisbank gebruik import LOG…`: access logs of the intranet web server -> tips/gebruik/<jjjj-mm>.yml.

Reads every log once, streamed and merged by time (`knowledge/usage_log.py`, `knowledge/usage.py`), keeps
only counts and the phrases the privacy rules allow, checks each month file as `validate` would and only
then writes it. An existing month file is replaced only with `force`; nothing else is ever overwritten.
"""

from __future__ import annotations

import os
import re
import tempfile
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from urllib.parse import urlsplit

from ..checks.usage import PhraseRules, check_usage, rules_for
from ..content.problems import Severity
from ..content.repository import Repository
from ..content.sourcefile import parse_yaml
from ..content.usage import UsageMonthFile, dump_usage
from ..knowledge.usage import MonthTally, PhraseOutcome, SiteRoutes, Tallies, judge_phrases, usage_month
from ..knowledge.usage_log import FileReport, read_entries
from ..policy import USAGE_MIN_SEARCHES

PAD_HINT_MINIMUM = 10  # requests under another path before "bedoel je --pad …?" replaces an all-zero month
PROXY_SHARE = 0.5  # one address with more than this share of the counted requests: a proxy or NAT, most likely
PROXY_MINIMUM = 20  # counted requests in a month before that share says anything
FORMATS_READ = (
    "Gelezen worden: Apache en nginx 'combined' en 'common' (ook met '%v:%p' ervoor, zoals Debians "
    "'vhost_combined', en met velden erna, zoals %D of X-Forwarded-For) en IIS 'W3C extended' (met zijn "
    "'#Fields:'-regel)."
)
MAX_FILES = 500  # all files are open at once (merged by time); far below the usual limit of 1,024 handles


class UsageImportError(Exception):
    """A Dutch message for the coach: nothing was written."""


@dataclass(frozen=True)
class UsageRequest:
    """What to import: the log files, the site's base path ("/kennisbank/"), whether to replace months."""

    logs: tuple[Path, ...]
    base_path: str
    force: bool = False


def base_path_of(explicit: str | None, root: Path) -> str:
    """The site's path on the server: `--pad`, else the path of $KENNISBANK_SITE_URL, else of mkdocs.yml's
    site_url default; always with a slash at both ends."""
    url = explicit
    if url is None:
        url = os.environ.get("KENNISBANK_SITE_URL")
    if url is None:
        try:
            text = (root / "mkdocs.yml").read_text(encoding="utf-8")
        except OSError:
            text = ""
        found = re.search(r"^site_url:.*?(https?://[^\s\"'\]]+)", text, re.MULTILINE)
        url = found.group(1) if found else "/"
    path = urlsplit(url).path if "://" in url else url
    return "/" + path.strip("/") + "/" if path.strip("/") else "/"


@dataclass
class MonthResult:
    """One month of the import: its tally, what became of its phrases and where it was written."""

    tally: MonthTally
    outcome: PhraseOutcome
    target: Path
    replaced: bool


def run_usage_import(
    request: UsageRequest, repository: Repository, folder: str, today: date
) -> tuple[list[MonthResult], str]:
    """Read the logs, count per month, check and write the month files; returns them and the Dutch summary."""
    for log in request.logs:
        if not log.is_file():
            raise UsageImportError(f"{log}: dit bestand bestaat niet (of is een map).")
    if len(request.logs) > MAX_FILES:
        raise UsageImportError(
            f"meer dan {MAX_FILES} logbestanden tegelijk (ze zijn allemaal tegelijk open); lees ze per maand in."
        )
    names = [str(log) for log in request.logs]
    reports = [FileReport(name) for name in names]
    routes = SiteRoutes(
        request.base_path.encode("utf-8"),
        frozenset(tip.slug for tip in repository.tips),
        frozenset(path.slug for path in repository.paths),
    )
    rules_cache: list[PhraseRules] = []

    def rules() -> PhraseRules:
        if not rules_cache:
            rules_cache.append(rules_for(repository))
        return rules_cache[0]

    tallies = Tallies(routes, names, rules)
    tallies.add_all(read_entries(log, index, reports[index]) for index, log in enumerate(request.logs))
    unrecognised = [r for r in reports if r.unrecognised]
    if unrecognised and tallies.months:  # alone, the message below says it; among others it must not be missed
        raise UsageImportError(
            "; ".join(f"{r.name}: geen enkele regel herkend ({_lines(r.unrecognised)})" for r in unrecognised)
            + f". {FORMATS_READ} Zonder dat bestand zouden zijn verzoeken ongemerkt ontbreken in de cijfers: "
            "laat het weg of zet het log om. Er is niets geschreven."
        )
    if not tallies.months:
        unread = "; ".join(f"{r.name}: {r.error}" for r in reports if r.error)
        raise UsageImportError(
            "in deze bestanden staat geen enkele regel van een toegangslog (Apache, nginx of IIS)"
            + (f" ({unread})" if unread else "")
            + f". {FORMATS_READ} Er is niets geschreven."
        )
    if not any(t.counted for t in tallies.months.values()) and tallies.elsewhere:
        prefix, hits = tallies.elsewhere.most_common(1)[0]
        if hits >= PAD_HINT_MINIMUM:
            shown = prefix.decode("utf-8", "replace")
            raise UsageImportError(
                f"er is niets geteld onder het pad {request.base_path}, maar {_n(hits)} verzoeken naar tips, "
                f"leerpaden of meetbestanden staan onder {shown}: bedoel je --pad {shown}? Er is niets geschreven."
            )
    counted = sum(t.counted for t in tallies.months.values())
    local = sum(t.local for t in tallies.months.values())
    if not counted and local >= PAD_HINT_MINIMUM:
        raise UsageImportError(
            f"er is niets geteld: {_n(local)} verzoeken komen van de server zelf (127.0.0.1, ::1). Staat er een "
            "proxy voor de webserver (nginx voor Apache, IIS met ARR)? Dan staat het adres van de collega in "
            "X-Forwarded-For: laat de webserver dat veld loggen, of het als adres gebruiken (nginx realip, Apache "
            "mod_remoteip); zie README, 'Gebruik van de site'. Er is niets geschreven."
        )
    base = repository.root / folder
    months = sorted(tallies.months.values(), key=lambda t: t.month)
    targets = {t.month: base / f"{t.month}.yml" for t in months}
    future = [m for m in targets if m > f"{today:%Y-%m}"]
    if future:
        raise UsageImportError(
            f"het log bevat regels uit de toekomst ({', '.join(future)}; vandaag is {today}): klopt de klok van "
            "de server? Er is niets geschreven."
        )
    for target in targets.values():
        if target.is_symlink() or (target.exists() and not target.is_file()):
            raise UsageImportError(f"{target} is geen gewoon bestand; er is niets geschreven.")
    # An invented example month (the sample) is replaced without --force: real figures never wait behind it.
    invented = {str(repository.root / month.source_path) for month in repository.usage if month.example}
    existing = [str(target) for target in targets.values() if target.exists() and str(target) not in invented]
    if existing and not request.force:
        raise UsageImportError(
            "deze maand(en) staan al in de kennisbank: " + ", ".join(existing) + ". Met --force worden ze "
            "vervangen door de cijfers uit de logbestanden die je nu meegeeft (geef dus alle logbestanden van die "
            "maand mee). Er is niets geschreven."
        )
    results: list[MonthResult] = []
    texts: list[tuple[Path, str]] = []
    tip_slugs, path_slugs = routes.tips, routes.paths
    for tally in months:
        outcome = judge_phrases(tally)
        content = usage_month(tally, outcome)
        text = dump_usage(content, USAGE_MIN_SEARCHES)
        target = targets[tally.month]
        rel_path = f"{folder}/{target.name}"
        data, positions, problems = parse_yaml(text, rel_path)
        checked = UsageMonthFile.model_validate(data)
        problems += check_usage(checked, rel_path, positions, today, tip_slugs, path_slugs, rules)
        errors = [p for p in problems if p.severity is Severity.ERROR]
        if errors:  # never write what validate would refuse
            details = "\n".join(p.format_text() for p in errors)
            raise UsageImportError(
                f"het resultaat voor {tally.month} is niet geldig; er is niets geschreven:\n{details}"
            )
        results.append(MonthResult(tally, outcome, target, target.exists()))
        texts.append((target, text))
    base.mkdir(parents=True, exist_ok=True)
    for target, text in texts:
        _write(target, text)
    return results, summary(results, reports, repository.root, today)


def _write(target: Path, text: str) -> None:
    """Write beside the target and rename: a reader never sees half a file."""
    handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(text.encode("utf-8"))
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _n(number: int) -> str:
    """A count the Flemish way: 1.234.567."""
    return f"{number:,}".replace(",", ".")


def _lines(number: int) -> str:
    """'1 regel', '2 regels', '1.234 regels'."""
    return f"{_n(number)} {'regel' if number == 1 else 'regels'}"


def summary(results: list[MonthResult], reports: list[FileReport], root: Path, today: date) -> str:
    """The Dutch summary: per month what was read, counted and left out (and why), the phrases kept and
    dropped (never the dropped phrases themselves), and the files written."""
    lines: list[str] = []
    for report in reports:
        if report.truncated_after is not None:
            lines.append(f"Let op: {report.name}: {report.error}; gelezen tot regel {_n(report.truncated_after)}.")
        elif report.error:
            lines.append(f"Let op: {report.name}: {report.error}.")
        if report.out_of_order:
            lines.append(
                f"Let op: {report.name}: {_lines(report.out_of_order)} buiten volgorde (meer dan 10 minuten "
                "vroeger dan de regel ervoor, of later dan de regels rond hen). Ze tellen één keer, in de maand van "
                "hun eigen tijd; een bestand dat een ander overlapt, wordt op hun plaats in het bestand vergeleken."
            )
    for result in results:
        t = result.tally
        o = result.outcome
        try:
            shown = result.target.relative_to(root)
        except ValueError:
            shown = result.target
        lines += [
            f"{t.month}: {_lines(t.read)} gelezen, {_n(t.counted)} geteld.",
            f"  niet geteld: {_n(t.bots)} bots en monitors, {_n(t.head)} HEAD-verzoeken, {_n(t.local)} van de "
            f"server zelf (127.0.0.0/8, ::1: voorbeelden en controles), {_n(t.status)} met een foutcode, "
            f"{_n(t.other)} andere verzoeken (pagina's, afbeeldingen, onbekende tips), {_n(t.broken)} onleesbaar.",
        ]
        share = t.busiest_address_share()
        if t.counted >= PROXY_MINIMUM and share > PROXY_SHARE and t.forwarded * 2 < t.counted:
            lines.append(
                f"  Let op: alle verkeer lijkt van één adres te komen (proxy?): {round(share * 100)} % van de getelde "
                "verzoeken kwam van hetzelfde adres. Een collega is daarom dat adres samen met de browser (alleen "
                "in het geheugen, tijdens de import): collega's met precies dezelfde browser achter dat adres tellen "
                f"als één voor de regel van {USAGE_MIN_SEARCHES} verschillende collega's. Laat de webserver het "
                "veld X-Forwarded-For loggen (README, 'Gebruik van de site')."
            )
        if t.no_agent:
            lines.append(
                f"  Let op: {_lines(t.no_agent)} {'heeft' if t.no_agent == 1 else 'hebben'} geen browsernaam "
                "(user agent): het log is in het formaat "
                "'common' of IIS zonder het veld cs(User-Agent). Bots en monitors zijn daarom niet te herkennen en "
                "tellen mee als collega's. Log in het formaat 'combined' (Apache, nginx) of met cs(User-Agent) (IIS)."
            )
        if t.bare_beacons and not t.searches and not t.feedback:
            lines.append(
                f"  Let op: {_n(t.bare_beacons)} meldingen van de site (gebruik/…txt) staan zonder querystring in het "
                "log, dus zonder zoekvraag of antwoord: zoekopdrachten, kliks en feedback zijn niet te tellen. Log de "
                "querystring (IIS: het veld cs-uri-query; Apache/nginx: het formaat 'combined')."
            )
        if t.local > t.counted and t.local >= PROXY_MINIMUM:
            lines.append(
                f"  Let op: {_n(t.local)} verzoeken kwamen van de server zelf, meer dan er geteld zijn. Staat er een "
                "proxy voor de webserver? Log dan X-Forwarded-For (README, 'Gebruik van de site')."
            )
        if t.duplicates:
            lines.append(f"  {_lines(t.duplicates)} ook in een ander bestand: één keer geteld.")
        if t.broken_at:
            more = f" (en {_n(t.broken - len(t.broken_at))} meer)" if t.broken > len(t.broken_at) else ""
            lines.append(f"  onleesbare regels: {', '.join(t.broken_at)}{more}.")
        lines += [
            f"  tips: {_n(sum(t.views.values()))} keer gelezen ({len(t.views)} tips); leerpaden: "
            f"{_n(sum(t.path_views.values()))}.",
            f"  zoeken: {_n(t.searches)} {'zoekopdracht' if t.searches == 1 else 'zoekopdrachten'}, "
            f"{_n(t.without_result)} zonder resultaat, "
            f"{_n(t.ended_on_tip)} eindigden op een tip.",
            f"  zoektermen: {len(o.kept)} bewaard; {_n(o.dropped_rare)} niet bewaard omdat minder dan "
            f"{USAGE_MIN_SEARCHES} verschillende collega's ze zochten, {_n(o.dropped_private)} niet bewaard "
            "omdat ze een e-mailadres, een lang getal, een adres, een naam of een onbekend woord bevatten.",
            f"  feedback: {sum(c['ja'] for c in t.feedback.values())} keer ja, "
            f"{sum(c['nee'] for c in t.feedback.values())} keer nee.",
            f"  {'vervangen' if result.replaced else 'geschreven'}: {shown}",
        ]
        if t.month == f"{today:%Y-%m}":
            lines.append("  deze maand loopt nog: lees ze na het einde van de maand opnieuw in, met --force.")
    lines.append(
        "Er staan geen IP-adressen, gebruikersnamen, browsers, verwijzende pagina's of tijdstippen in de "
        "bestanden. Controleer ze met 'kennisbank validate' en voeg ze toe met een pull request."
    )
    return "\n".join(lines) + "\n"
