"""`kennisbank gebruik import`: access logs in three formats -> the same month figures, nothing personal."""

from __future__ import annotations

import re
import subprocess
import sys
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import KENNISBANK, ROOT, copy_content, kennisbank

sys.path.insert(0, str(ROOT / "scripts"))
from usage_logs import (  # noqa: E402
    BOTS,
    BROWSER,
    EDGE,
    IIS_FIELDS_FORWARDED,
    OFFICE_AGENTS,
    Hit,
    combined_line,
    iis_lines,
    write_lines,
)

TODAY = "2026-12-07"
BASE = "/kennisbank/"
EMAIL = "jan.vercruysse@telenet.be"
NATIONAL_NUMBER = "85.07.30-033.28"
PHONE = "058 33 55 12"
CITIZEN = "dossier vandenkerckhove"  # a surname in no Dutch word list and nowhere on the site
PRIVATE = ("vercruysse", "telenet", "85.07.30", "033.28", "058 33", "vandenkerckhove", "10.20.", "2a02:")


def _epoch(text: str) -> int:
    return int(datetime.fromisoformat(text).replace(tzinfo=UTC).timestamp())


def month_hits() -> list[Hit]:
    """A small November 2026 of the kennisbank, in time order: what colleagues, bots and the server did."""
    hits: list[Hit] = []
    t = _epoch("2026-10-31T23:30:00")  # 00:30 on 1 November in Brussels: November, in every format
    people = ["10.20.3.14", "10.20.3.15", "2a02:1812:1c3e:a700::41", "10.20.7.2", "fe80::5:1"]

    def hit(client: str, target: str, status: int = 200, agent: str = BROWSER, method: str = "GET") -> None:
        nonlocal t
        t += 97
        hits.append(Hit(t, client, method, BASE + target, status, agent, referer=f"https://intranet{BASE}zoeken/"))

    hits.append(Hit(t, people[0], "GET", BASE + "tips/wachtwoord-vergeten/", 200, "Bürgerbüro-PC café", referer="ça"))
    for round_ in range(4):
        for who, client in enumerate(people):
            hit(client, "tips/wachtwoord-vergeten/", 200 if who % 2 else 304)
            hit(client, "tips/mfa-nieuwe-gsm/index.html", agent=EDGE)
            hit(client, "assets/stylesheets/main.css")
            hit(client, "tips/bestaat-niet/", 404)
        hit(people[round_], "leerpaden/je-eerste-week/")
    searches = [
        ("afwezigheidsbericht", 1, 5),
        ("teams+achtergrond", 0, 2),
        ("teams%20achtergrond", 0, 1),  # the same phrase, percent-encoded
        ("Teams++Achtergrond", 0, 0),  # folded to lower case, single spaces
        ("financi%C3%ABn+rapport", 0, 2),  # UTF-8 bytes
        ("financi%EBn+rapport", 0, 1),  # Latin-1 bytes from an old client: the same phrase
        ("jan.vercruysse%40telenet.be", 0, 4),
        ("85.07.30-033.28", 0, 3),
        ("058+33+55+12", 0, 3),
        ("dossier+vandenkerckhove", 0, 4),
        ("printer+op+de+derde+verdieping", 0, 1),  # once only: not kept
    ]
    sender = 0  # each search from the next colleague: a phrase's spellings come from different senders
    for query, found, times in searches:
        for _ in range(times):
            hit(people[sender % len(people)], f"gebruik/zoek.txt?q={query}&n={found}&t={found + 2}")
            sender += 1
    hit(people[0], "gebruik/klik.txt?tip=wachtwoord-vergeten&q=afwezigheidsbericht")
    hit(people[1], "gebruik/klik.txt?tip=mfa-nieuwe-gsm&q=mfa")
    hit(people[0], "gebruik/feedback.txt?tip=wachtwoord-vergeten&antwoord=ja")
    hit(people[1], "gebruik/feedback.txt?tip=mfa-nieuwe-gsm&antwoord=nee")
    hit(people[1], "gebruik/feedback.txt?tip=mfa-nieuwe-gsm&antwoord=nee&reden=verouderd")  # the same 'nee'
    hit(people[2], "gebruik/feedback.txt?tip=mfa-nieuwe-gsm&antwoord=nee&reden=onduidelijk")  # a reason alone
    for agent in BOTS:
        hit("10.20.9.9", "tips/wachtwoord-vergeten/", agent=agent)
    hit(people[3], "tips/wachtwoord-vergeten/", method="HEAD")
    hit("127.0.0.1", "tips/wachtwoord-vergeten/")  # the build's link check
    hit("::1", "gebruik/zoek.txt?q=afwezigheidsbericht&n=1&t=1")  # a coach's preview
    return hits


BROKEN = [
    b"\x00\x00garbage from a crashed writer \xe9\xe8 (Latin-1 bytes)",
    b'10.20.3.14 - - [31/Nov/2026:10:00:00 +0100] "GET / HTTP/1.1"',
]


def with_broken(lines: list[bytes], at: tuple[int, int] = (40, 90)) -> list[bytes]:
    out = list(lines)
    for offset, position in enumerate(at):
        out.insert(position + offset, BROKEN[offset])
    return out


def write_logs(folder: Path, kind: str) -> list[Path]:
    """The month in one format. Combined: a rotated .gz overlapping the plain file, given in reverse order."""
    folder.mkdir()
    hits = month_hits()
    if kind == "iis":
        lines = with_broken(list(iis_lines(hits, restart_every=50)))
        path = folder / "u_ex2611.log"
        write_lines(path, lines)
        return [path]
    lines = with_broken([combined_line(hit, nginx=kind == "nginx") for hit in hits])
    middle = len(lines) // 2
    rotated, current = folder / "access.log.1.gz", folder / "access.log"
    write_lines(rotated, lines[: middle + 20], compress=True)  # copytruncate: 20 lines in both files
    write_lines(current, lines[middle:])
    return [current, rotated]


def run(repo: Path, *args: str | Path) -> subprocess.CompletedProcess[str]:
    """`kennisbank gebruik import` in this process (see `conftest.kennisbank`)."""
    return kennisbank("gebruik", "import", "--today", TODAY, *map(str, args), cwd=repo)


def run_script(repo: Path, *args: str | Path) -> subprocess.CompletedProcess[str]:
    """The same through the real console script: for one test per file, where the process is the point."""
    return subprocess.run(
        [KENNISBANK, "gebruik", "import", "--today", TODAY, *map(str, args)], cwd=repo, capture_output=True, text=True
    )


def figures(path: Path) -> dict[str, Any]:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


@dataclass
class Imported:
    """The month imported from each format, one after the other, into one copy of the sample repository."""

    repo: Path
    results: dict[str, tuple[subprocess.CompletedProcess[str], dict[str, Any]]]


@pytest.fixture(scope="module")
def imported(tmp_path_factory: pytest.TempPathFactory) -> Imported:
    """Made once for the module: the tests that use it only read the output and the written month."""
    tmp_path = tmp_path_factory.mktemp("imported")
    repo = copy_content(tmp_path / "repo")
    results = {}
    target = repo / "tips/gebruik/2026-11.yml"
    for kind in ("apache", "nginx", "iis"):
        logs = write_logs(tmp_path / kind, kind)
        result = run(repo, "--pad", BASE, "--force", *logs)
        assert result.returncode == 0, result.stdout + result.stderr
        results[kind] = (result, figures(target))
    return Imported(repo, results)


def test_the_same_month_in_each_format_gives_the_same_figures(imported: Imported) -> None:
    apache, nginx, iis = (imported.results[k][1] for k in ("apache", "nginx", "iis"))
    assert apache == nginx == iis
    month = apache
    assert month["month"] == "2026-11"
    assert month["views"] == {"wachtwoord-vergeten": 21, "mfa-nieuwe-gsm": 20}  # one with UTF-8 bytes in its agent
    assert month["path_views"] == {"je-eerste-week": 4}
    searches = month["searches"]
    assert searches["total"] == 5 + 3 + 3 + 4 + 3 + 3 + 4 + 1
    assert searches["without_result"] == searches["total"] - 5
    assert searches["ended_on_tip"] == 2
    assert searches["phrases"] == [
        {"query": "afwezigheidsbericht", "count": 5, "results": 1},
        {"query": "financiën rapport", "count": 3, "results": 0},
        {"query": "teams achtergrond", "count": 3, "results": 0},
    ]
    assert month["feedback"] == {
        "mfa-nieuwe-gsm": {"ja": 0, "nee": 2, "verouderd": 1, "onduidelijk": 1, "niet-gezocht": 0},
        "wachtwoord-vergeten": {"ja": 1, "nee": 0, "verouderd": 0, "onduidelijk": 0, "niet-gezocht": 0},
    }
    lines = month["lines"]
    assert lines["broken"] == 2
    assert lines["bots"] == len(BOTS) + 1 + 2  # bots, a HEAD request, the server itself (127.0.0.1, ::1)
    assert lines["counted"] == 21 + 20 + 4 + searches["total"] + 2 + 4
    assert lines["read"] == len(month_hits()) + 2


def test_the_summary_says_what_was_read_left_out_and_written_without_the_dropped_phrases(imported: Imported) -> None:
    for kind, (result, _) in imported.results.items():
        out = result.stdout
        assert "2026-11: 154 regels gelezen" in out or re.search(r"2026-11: [\d.]+ regels gelezen", out), kind
        assert "HEAD-verzoeken" in out and "onleesbaar" in out
        assert "vervangen: tips/gebruik/2026-11.yml" in out
        assert "3 bewaard" in out
        assert "niet bewaard omdat minder dan 3 verschillende collega's ze zochten" in out
        assert "4 niet bewaard omdat ze een e-mailadres" in out
        for secret in (*PRIVATE, "printer op de derde"):
            assert secret not in out, (kind, secret)
        assert "proxy?" not in out  # five colleagues with their own addresses: no proxy warning
        assert "buiten volgorde" not in out  # a log in time order (broken lines included)
    apache = imported.results["apache"][0].stdout
    assert "regels ook in een ander bestand" in apache  # the rotated .gz overlaps the plain file
    assert "access.log" in apache  # broken lines named with file:line


def test_a_broken_line_is_counted_and_reported_with_file_and_line(repo: Path, tmp_path: Path) -> None:
    logs = write_logs(tmp_path / "iis", "iis")
    result = run_script(repo, "--pad", BASE, "--force", *logs)  # the one import through the console script
    assert result.returncode == 0, result.stderr
    assert re.search(r"onleesbare regels: .*u_ex2611\.log:\d+, .*u_ex2611\.log:\d+\.", result.stdout)
    assert "Traceback" not in result.stdout + result.stderr


def test_nothing_personal_is_written(imported: Imported) -> None:
    text = (imported.repo / "tips/gebruik/2026-11.yml").read_text(encoding="utf-8")
    assert "intranetserver" in text  # the header says what the file holds; the figures follow it
    text = "\n".join(line for line in text.splitlines() if not line.startswith("#"))
    for secret in (*PRIVATE, "@", "Mozilla", "intranet", ":30:", "googlebot", "printer"):
        assert secret.lower() not in text.lower(), secret
    assert not re.search(r"\d{6}", text.replace(" ", "").replace(".", ""))  # beyond the counts: none this long


def test_an_existing_month_is_replaced_only_with_force(repo: Path, tmp_path: Path) -> None:
    month = repo / "tips/gebruik/2026-11.yml"
    logs = write_logs(tmp_path / "apache", "apache")
    # The sample month is invented: real figures replace it without --force.
    first = run(repo, "--pad", BASE, *logs)
    assert first.returncode == 0, first.stderr
    assert "example" not in figures(month)
    before = month.read_bytes()
    result = run(repo, "--pad", BASE, *logs)
    assert result.returncode == 1
    assert "--force" in result.stderr and "2026-11.yml" in result.stderr
    assert month.read_bytes() == before


def test_validate_refuses_a_hand_edited_phrase_with_a_name_or_number(repo: Path) -> None:
    path = repo / "tips/gebruik/2026-11.yml"
    text = path.read_text(encoding="utf-8")
    text = text.replace(
        '    - {query: "agenda delen", count: 3, results: 0}\n',
        '    - {query: "agenda delen", count: 3, results: 0}\n'
        f'    - {{query: "{CITIZEN}", count: 3, results: 0}}\n'
        f'    - {{query: "{PHONE}", count: 3, results: 0}}\n'
        f'    - {{query: "{EMAIL}", count: 3, results: 0}}\n'
        f'    - {{query: "attest {NATIONAL_NUMBER}", count: 3, results: 0}}\n'
        '    - {query: "teams", count: 2, results: 0}\n'
        '    - {query: "attest 85_07_30_033_28", count: 3, results: 0}\n'
        '    - {query: "jan punt peeters at gmail punt com", count: 3, results: 0}\n'
        '    - {query: "dossier peeters", count: 3, results: 0}\n'
        '    - {query: "kerkstraat 12", count: 3, results: 0}\n'
        '    - {query: "janssensdossier", count: 3, results: 0}\n'
        '    - {query: "peetersmaes", count: 3, results: 0}\n'
        '    - {query: "kerkstraat nr 12", count: 3, results: 0}\n'
        '    - {query: "<script>alert(1)</script>", count: 3, results: 0}\n'
        '    - {query: "{{7*7}}", count: 3, results: 0}\n',
    )
    path.write_text(text, encoding="utf-8")
    lines = text.splitlines()
    result = kennisbank("validate", "--today", TODAY, cwd=repo)
    assert result.returncode == 1
    out = result.stdout + result.stderr
    for needle, why in (
        (CITIZEN, "misschien een naam"),
        (PHONE, "getal van 6 of meer cijfers"),
        (EMAIL, "e-mailadres"),
        (NATIONAL_NUMBER, "getal van 6 of meer cijfers"),
        ('"teams", count: 2', "minstens 3 keer"),
        ("85_07_30_033_28", "getal van 6 of meer cijfers"),
        ("gmail punt com", "e-mailadres"),
        ("dossier peeters", "familienaam"),  # a coach's surname, and in wordfreq: no longer site vocabulary
        ("kerkstraat 12", "adres met huisnummer"),
        ("janssensdossier", "geen gewoon Nederlands woord"),  # a surname glued to a word is no word
        ("peetersmaes", "geen gewoon Nederlands woord"),
        ("kerkstraat nr 12", "adres met huisnummer"),
        ("<script>", "code of opmaak"),
        ("{{7*7}}", "code of opmaak"),
    ):
        number = next(i for i, line in enumerate(lines, start=1) if needle in line)
        assert re.search(rf"tips/gebruik/2026-11\.yml:{number}:\d+: searches\.phrases\[\d+\]\.\w+: .*{why}", out), (
            needle,
            out,
        )


def test_unknown_slugs_are_warnings_and_impossible_figures_errors(repo: Path) -> None:
    path = repo / "tips/gebruik/2026-11.yml"
    text = path.read_text(encoding="utf-8").replace("  without_result: 71", "  without_result: 700")
    text = text.replace("  wachtwoord-vergeten: 214", "  wachtwoord-vergeten: 214\n  hernoemde-tip: 3")
    path.write_text(text, encoding="utf-8")
    result = kennisbank("validate", "--today", TODAY, cwd=repo)
    assert "views.hernoemde-tip: waarschuwing: er is geen tip 'hernoemde-tip'" in result.stdout
    assert "searches.without_result: 700 zoekopdrachten zonder resultaat" in result.stdout
    assert result.returncode == 1


def test_a_file_that_is_no_log_is_a_clear_message(repo: Path, tmp_path: Path) -> None:
    junk = tmp_path / "notities.txt"
    junk.write_bytes("geen log\nmaar notities met é\n".encode("latin-1"))
    result = run(repo, junk, tmp_path / "ontbreekt.log")
    assert result.returncode == 1
    assert "ontbreekt.log: dit bestand bestaat niet" in result.stderr
    result = run(repo, junk)
    assert result.returncode == 1 and "geen enkele regel van een toegangslog" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("phrase", "kept"),
    [
        ("afwezigheidsbericht instellen", True),  # a compound of two common words
        ("teams achtergrond", True),
        ("excel 365", True),  # a short number
        ("onedrive delen", True),  # a tool of the site
        ("0475/12.34.56", False),
        ("85073003328", False),
        ("058 33 55 12", False),
        ("iban be71 0961 2345 6769", False),
        ("mail an(at)voorbeeld.be", False),
        ("dossier vandenkerckhove", False),
        ("", False),
    ],
)
def test_phrase_rules(phrase: str, kept: bool) -> None:
    from kennisbank.checks.usage import PhraseRules
    from kennisbank.content.synonyms import SynonymGroups

    rules = PhraseRules.build(None, SynonymGroups((("onedrive", "cloud"),)), ["Teams: je achtergrond wijzigen"])
    assert (rules.refusal(phrase) is None) is kept, rules.refusal(phrase)


def test_a_cut_off_gz_is_read_as_far_as_it_goes_and_reported(repo: Path, tmp_path: Path) -> None:
    logs = write_logs(tmp_path / "nginx", "nginx")
    rotated = next(log for log in logs if log.suffix == ".gz")
    data = rotated.read_bytes()
    rotated.write_bytes(data[: len(data) * 2 // 3])  # a copy that stopped half-way
    result = run(repo, "--pad", BASE, "--force", *logs)
    assert result.returncode == 0, result.stderr
    assert f"Let op: {rotated}: het bestand is afgebroken (gzip); gelezen tot regel" in result.stdout
    assert "Traceback" not in result.stdout + result.stderr
    assert "Compressed file ended" not in result.stdout + result.stderr  # Python's English, never shown


def test_a_cut_off_gz_yields_every_complete_line_before_the_break(tmp_path: Path) -> None:
    import zlib

    from kennisbank.knowledge.usage_log import FileReport, read_entries

    t = _epoch("2026-11-10T09:00:00")
    lines = [combined_line(Hit(t + i, "10.20.3.14", "GET", f"{BASE}tips/x{i}/", 200, BROWSER)) for i in range(20_000)]
    path = tmp_path / "access.log.1.gz"
    write_lines(path, lines, compress=True)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) * 2 // 3])
    complete = zlib.decompressobj(31).decompress(data[: len(data) * 2 // 3]).count(b"\n")
    report = FileReport(str(path))
    read = sum(1 for _ in read_entries(path, 0, report))
    assert read == complete  # a buffer in front of GzipFile lost the last megabyte before the break
    assert report.truncated_after == complete
    assert report.error == "het bestand is afgebroken (gzip)"


def test_a_huge_line_is_unreadable_with_its_place_and_never_held_whole(repo: Path, tmp_path: Path) -> None:
    import tracemalloc

    from kennisbank.knowledge.usage_log import FileReport, read_entries

    t = _epoch("2026-11-10T09:00:00")
    normal = combined_line(Hit(t, "10.20.3.14", "GET", f"{BASE}tips/wachtwoord-vergeten/", 200, BROWSER))
    huge = combined_line(
        Hit(t + 1, "10.20.3.15", "GET", f"{BASE}tips/wachtwoord-vergeten/?x=" + "a" * 20_000_000, 200, BROWSER)
    )
    log = tmp_path / "access.log"
    write_lines(log, [normal, huge, normal])
    del huge
    tracemalloc.start()
    entries = list(read_entries(log, 0, FileReport(str(log))))
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert [e.request is None for e in entries] == [False, True, False]
    assert peak < 8_000_000, peak  # the 20 MB line was skipped, not read
    result = run(repo, "--pad", BASE, "--force", log)
    assert result.returncode == 0, result.stderr
    assert f"onleesbare regels: {log}:2." in result.stdout


@pytest.mark.parametrize(
    "phrase",
    [
        # Long numbers with any separator, and full-width digits.
        "85,07,30,033,28",
        "85_07_30_033_28",
        "0470,123,456",
        "(0470) [123] 456",
        "\uff18\uff15\uff10\uff17\uff13\uff10\uff10\uff13\uff13",
        # E-mail addresses spelled otherwise.
        "jan.peeters\uff20gmail.com",
        "jan punt peeters at gmail punt com",
        "jan.peeters at gmail dot com",
        "jan peeters gmail com",
        "secretariaat at veurne punt be",
        "mail outlook punt com",
        # Common surnames that wordfreq knows, and a first name with another word.
        "peeters",
        "dossier maes",
        "desmet",
        "de smet rijbewijs",
        "jan dossier",
        # Addresses and number plates.
        "kerkstraat 12",
        "12 zeedijk",
        "1-abc-123",
        "1 abc 123",
        "abc-123",
        "abc 123",
    ],
)
def test_phrase_rules_refuse_other_spellings_of_private_data(phrase: str) -> None:
    from kennisbank.checks.usage import PhraseRules
    from kennisbank.content.lexicon import common_dutch_words
    from kennisbank.content.synonyms import SynonymGroups

    lexicon = common_dutch_words() | {"jan", "peeters", "maes", "desmet", "smet", "abc", "kerkstraat", "zeedijk"}
    rules = PhraseRules.build(None, SynonymGroups(), ["Outlook: je agenda", "Rijbewijs aanvragen"], lexicon)
    assert rules.refusal(phrase) is not None


@pytest.mark.parametrize(
    "phrase",
    ["outlook agenda", "excel 365", "windows 11 installeren", "teams vergadering", "de punt op de i", "info punt"],
)
def test_phrase_rules_still_keep_ordinary_phrases(phrase: str) -> None:
    from kennisbank.checks.usage import PhraseRules
    from kennisbank.content.synonyms import SynonymGroups

    rules = PhraseRules.build(None, SynonymGroups(), ["Outlook: je agenda", "Excel", "Windows", "Teams"])
    assert rules.refusal(phrase) is None, rules.refusal(phrase)


def test_coaches_names_are_not_site_vocabulary() -> None:
    from kennisbank.checks.usage import PhraseRules
    from kennisbank.content.synonyms import SynonymGroups

    rules = PhraseRules.build(
        None, SynonymGroups(), ["Tip van Vandenkerckhove"], frozenset({"tip", "van"}), people=["Ward Vandenkerckhove"]
    )
    assert "vandenkerckhove" not in rules.site_words
    assert rules.refusal("vandenkerckhove") is not None


def _searches_log(path: Path, searches: list[tuple[str, str]]) -> Path:
    """An access log of November 2026 with one search per (client, phrase), a few minutes apart."""
    t = _epoch("2026-11-10T09:00:00")
    hits = [
        Hit(t + 180 * i, client, "GET", f"{BASE}gebruik/zoek.txt?q={query}&n=1&t=1", 200, BROWSER)
        for i, (client, query) in enumerate(searches)
    ]
    write_lines(path, [combined_line(hit) for hit in hits])
    return path


def test_a_phrase_needs_three_different_senders_not_three_requests(repo: Path, tmp_path: Path) -> None:
    one = [("10.20.3.14", "teams+achtergrond")] * 4
    three = [(f"10.20.3.{n}", "agenda+delen") for n in (14, 15, 16)]
    log = _searches_log(tmp_path / "access.log", one + three)
    result = run(repo, "--pad", BASE, "--force", log)
    assert result.returncode == 0, result.stderr
    kept = [p["query"] for p in figures(repo / "tips/gebruik/2026-11.yml")["searches"]["phrases"]]
    assert kept == ["agenda delen"]
    assert "verschillende collega's" in result.stdout
    text = (repo / "tips/gebruik/2026-11.yml").read_text(encoding="utf-8")
    assert "10.20" not in text


@pytest.mark.parametrize("agent", OFFICE_AGENTS)
def test_office_fetching_a_link_is_a_bot_not_a_colleague(agent: str) -> None:
    from kennisbank.checks.usage import PhraseRules
    from kennisbank.knowledge.usage import SiteRoutes, Tallies

    rules = PhraseRules(frozenset(), given_lexicon=())  # no phrase is looked at here
    tallies = Tallies(SiteRoutes(b"/kennisbank/", frozenset(), frozenset()), [], lambda: rules)
    assert tallies._is_bot(agent.encode())
    assert not tallies._is_bot(EDGE.encode())


def test_lines_across_chunks_and_the_length_cap(monkeypatch: pytest.MonkeyPatch) -> None:
    from kennisbank.knowledge import usage_log

    assert list(usage_log._lines(iter([b"ab", b"c\nd", b"\n", b"e"]))) == [(1, b"abc"), (2, b"d"), (3, b"e")]
    # Empty lines are skipped (a line of only "\r" is left to the reader), and the numbers still count them.
    assert list(usage_log._lines(iter([b"a\n\n\r\n\nb\r\nc\n\n", b"\n\nd\n", b"e"]))) == [
        (1, b"a"),
        (3, b"\r"),
        (5, b"b\r"),
        (6, b"c"),
        (10, b"d"),
        (11, b"e"),
    ]
    monkeypatch.setattr(usage_log, "MAX_LINE", 4)
    assert list(usage_log._lines(iter([b"aaa", b"aa\nbb\n"]))) == [(1, None), (2, b"bb")]
    assert list(usage_log._lines(iter([b"aaaaa", b"aa", b"a\nc"]))) == [(1, None), (2, b"c")]
    assert list(usage_log._lines(iter([b"abcd\nabcde\n", b"x" * 9]))) == [(1, b"abcd"), (2, None), (3, None)]
    # A chunk of nothing but line ends is counted at once; a line continued from the chunk before still ends.
    assert list(usage_log._lines(iter([b"a", b"\n\n\n", b"\n" * 5, b"\nb"]))) == [(1, b"a"), (10, b"b")]


def test_a_forgotten_pad_is_a_hint_not_an_all_zero_month(repo: Path, tmp_path: Path) -> None:
    before = (repo / "tips/gebruik/2026-11.yml").read_bytes()
    logs = write_logs(tmp_path / "apache", "apache")  # the site lives under /kennisbank/
    for wrong in ("/", "/intranet/"):
        result = run(repo, "--pad", wrong, "--force", *logs)
        assert result.returncode == 1, result.stdout
        assert "bedoel je --pad /kennisbank/?" in result.stderr and "niets geschreven" in result.stderr
        assert "Traceback" not in result.stderr
        assert (repo / "tips/gebruik/2026-11.yml").read_bytes() == before


# --- Colleagues behind one proxy ---------------------------------------------------------------------------

PROXY = "10.20.0.1"
# A municipality's fleet: most colleagues on the same managed Edge, some on Chrome or Firefox, a few behind.
FLEET = (
    EDGE,
    BROWSER,
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0 Edg/130.0",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_6) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari",
)


def proxy_hits(proxy: str = PROXY) -> list[Hit]:
    """A November morning of 20 colleagues who all reach the intranet through one proxy address; their own
    addresses are only in X-Forwarded-For. Colleague i uses FLEET[i % 5]: 0, 5, 10 and 15 share a browser."""
    t = _epoch("2026-11-16T08:00:00")
    hits: list[Hit] = []

    def hit(who: int, target: str) -> None:
        nonlocal t
        t += 41
        own = f"10.30.{who // 10}.{who + 11}"
        hits.append(Hit(t, proxy, "GET", BASE + target, 200, FLEET[who % 5], forwarded=f"{own}, {proxy}"))

    for who in range(20):
        hit(who, "tips/wachtwoord-vergeten/")
        hit(who, "tips/mfa-nieuwe-gsm/")
    for who in (1, 2, 3):  # three colleagues, three browsers
        hit(who, "gebruik/zoek.txt?q=teams+achtergrond&n=0&t=0")
    for who in (0, 5, 10):  # three colleagues with the very same browser
        hit(who, "gebruik/zoek.txt?q=agenda+delen&n=0&t=0")
    for _ in range(4):  # one colleague, four times
        hit(4, "gebruik/zoek.txt?q=afwezigheidsbericht&n=1&t=1")
    hit(6, "gebruik/feedback.txt?tip=mfa-nieuwe-gsm&antwoord=nee")
    hit(7, "gebruik/feedback.txt?tip=mfa-nieuwe-gsm&antwoord=nee")
    hit(6, "gebruik/feedback.txt?tip=mfa-nieuwe-gsm&antwoord=nee&reden=verouderd")  # colleague 6's reason
    return hits


def _kept(repo: Path) -> list[str]:
    return [p["query"] for p in figures(repo / "tips/gebruik/2026-11.yml")["searches"]["phrases"]]


def _assert_nothing_of_the_senders(repo: Path) -> None:
    text = (repo / "tips/gebruik/2026-11.yml").read_text(encoding="utf-8")
    for secret in (PROXY, "10.30.", "Firefox", "Safari", "Edg/"):
        assert secret not in text


def test_colleagues_behind_one_proxy_without_forwarded_address(repo: Path, tmp_path: Path) -> None:
    """The log has only the proxy's address: a colleague is address and browser, and the import warns."""
    log = tmp_path / "access.log"
    write_lines(log, [combined_line(hit) for hit in proxy_hits()])
    result = run(repo, "--pad", BASE, "--force", log)
    assert result.returncode == 0, result.stderr
    # Three browsers behind one address are three colleagues; three with the same browser remain one.
    assert _kept(repo) == ["teams achtergrond"]
    assert "alle verkeer lijkt van één adres te komen (proxy?)" in result.stdout
    assert "X-Forwarded-For" in result.stdout
    month = figures(repo / "tips/gebruik/2026-11.yml")
    answers = month["feedback"]["mfa-nieuwe-gsm"]
    assert (answers["nee"], answers["verouderd"]) == (2, 1)  # the reason paired with its own 'nee'
    _assert_nothing_of_the_senders(repo)


@pytest.mark.parametrize("kind", ["nginx", "apache-first", "iis", "localhost"])
def test_colleagues_behind_one_proxy_with_forwarded_address(repo: Path, tmp_path: Path, kind: str) -> None:
    """The log carries X-Forwarded-For: each colleague is their own address, whatever the browser."""
    log = tmp_path / "access.log"
    if kind == "iis":
        write_lines(log, list(iis_lines(proxy_hits(), first_fields=IIS_FIELDS_FORWARDED)))
    elif kind == "apache-first":  # LogFormat "%{X-Forwarded-For}i %l %u %t ...": the list in place of %h
        hits = [Hit(h.epoch, h.forwarded, h.method, h.target, h.status, h.agent) for h in proxy_hits()]
        write_lines(log, [combined_line(hit) for hit in hits])
    else:  # nginx's stock "main" format; "localhost": nginx in front of Apache on the same server
        proxy = "127.0.0.1" if kind == "localhost" else PROXY
        write_lines(log, [combined_line(hit, nginx=True, forwarded=True) for hit in proxy_hits(proxy)])
    result = run(repo, "--pad", BASE, "--force", log)
    assert result.returncode == 0, result.stderr
    assert _kept(repo) == ["agenda delen", "teams achtergrond"]
    assert "proxy?" not in result.stdout
    assert figures(repo / "tips/gebruik/2026-11.yml")["views"] == {"wachtwoord-vergeten": 20, "mfa-nieuwe-gsm": 20}
    _assert_nothing_of_the_senders(repo)


# --- A line far out of time order ----------------------------------------------------------------------------


def test_a_line_far_out_of_order_is_counted_once_and_reported(repo: Path, tmp_path: Path) -> None:
    """A line a day ahead (a clock that jumped for a moment) and one an hour behind, in a rotated log that
    overlaps the current one: the same figures as one whole file, and the summary says so."""
    hits = month_hits()
    spike = Hit(hits[30].epoch + 86_400, "10.20.3.14", "GET", BASE + "tips/wachtwoord-vergeten/", 200, BROWSER)
    behind = Hit(hits[100].epoch - 3_600, "10.20.3.15", "GET", BASE + "tips/mfa-nieuwe-gsm/", 200, BROWSER)
    lines = [combined_line(hit) for hit in hits]
    lines.insert(101, combined_line(behind))
    lines.insert(31, combined_line(spike))
    whole = tmp_path / "whole" / "access.log"
    whole.parent.mkdir()
    write_lines(whole, lines)
    single = run(repo, "--pad", BASE, "--force", whole)
    assert single.returncode == 0, single.stderr
    expected = figures(repo / "tips/gebruik/2026-11.yml")
    assert expected["views"] == {"wachtwoord-vergeten": 22, "mfa-nieuwe-gsm": 21}  # both lines count, once
    assert f"Let op: {whole}: 2 regels buiten volgorde" in single.stdout

    parts = tmp_path / "parts"
    parts.mkdir()
    middle = len(lines) // 2
    rotated, current = parts / "access.log.1.gz", parts / "access.log"
    write_lines(rotated, lines[: middle + 20], compress=True)  # the day-ahead line lies before the overlap
    write_lines(current, lines[middle:])
    split = run(repo, "--pad", BASE, "--force", current, rotated)
    assert split.returncode == 0, split.stderr
    assert figures(repo / "tips/gebruik/2026-11.yml") == expected
    assert "20 regels ook in een ander bestand: één keer geteld" in split.stdout
    assert re.search(r": 1 regel buiten volgorde \(", split.stdout), split.stdout  # the day-ahead line


@pytest.mark.parametrize(
    ("times", "out_of_order", "clock"),
    [
        ([0, 10, 200_000, 200_010], 0, [0, 10, 200_000, 200_010]),  # a quiet weekend is no disorder
        ([0, 10, 200_000, 20], 1, [0, 10, 10, 20]),  # one line a few days ahead stays in its place
        ([5_000, 5_010, 1_000, 5_020], 1, [5_000, 5_010, 5_010, 5_020]),  # one far behind: the clock stays
        ([5_000, 5_010, 4_900, 5_020], 0, [5_000, 5_010, 5_010, 5_020]),  # a slow request: no disorder
        ([900_000, 10, 20], 1, [10, 10, 20]),  # even the first line
    ],
)
def test_the_file_clock_follows_the_file_not_one_stray_line(times, out_of_order, clock) -> None:
    from kennisbank.knowledge.usage_log import Entry, FileReport, Request, _in_time_order

    request = Request(b"GET", b"/", 200, b"10.20.3.14", b"x")
    report = FileReport("access.log")
    entries = [Entry(t, n, 0, n, request, t) for n, t in enumerate(times)]
    placed = list(_in_time_order(iter(entries), report))
    assert [e.epoch for e in placed] == clock
    assert [e.when for e in placed] == times  # the month still comes from the line's own time
    assert report.out_of_order == out_of_order


def test_one_spelling_with_a_capitalised_name_drops_the_phrase(repo: Path, tmp_path: Path) -> None:
    """ "dossier maas" is Dutch enough in lower case; one colleague typing "dossier Maas" shows it is a person."""
    searches = [(f"10.20.3.{n}", "dossier+maas") for n in (14, 15, 16)] + [("10.20.3.17", "dossier+Maas")]
    searches += [(f"10.20.3.{n}", "agenda+delen") for n in (14, 15, 16)]
    log = _searches_log(tmp_path / "access.log", searches)
    result = run(repo, "--pad", BASE, "--force", log)
    assert result.returncode == 0, result.stderr
    assert _kept(repo) == ["agenda delen"]
    assert "maas" not in (repo / "tips/gebruik/2026-11.yml").read_text(encoding="utf-8").lower()
    assert "1 niet bewaard omdat ze een e-mailadres" in result.stdout


def test_one_line_is_one_regel_in_the_report() -> None:
    from kennisbank.ops.usage import _lines

    assert [_lines(n) for n in (0, 1, 2, 1234)] == ["0 regels", "1 regel", "2 regels", "1.234 regels"]
