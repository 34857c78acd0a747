"""`kennisbank gebruik import` against what an outside tester found with real nginx, Apache and IIS logs: Debian's
vhost_combined, a file that is no log among others, logs without an agent or a query string, two "nee" before
their reasons, clicks that end no search, a reverse proxy on the same machine, and damaged or empty input."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import yaml
from conftest import ROOT, kennisbank
from test_usage_import import BASE, TODAY, month_hits, run, run_script

sys.path.insert(0, str(ROOT / "scripts"))
from usage_logs import BROWSER, EDGE, Hit, combined_line, iis_lines, write_lines  # noqa: E402

MONTH = "tips/gebruik/2026-11.yml"
T0 = 1_794_990_000  # 2026-11-18, a Wednesday morning


def _figures(repo: Path) -> dict[str, Any]:
    return yaml.safe_load((repo / MONTH).read_text(encoding="utf-8"))


def _import(repo: Path, path: Path, lines: list[bytes]) -> subprocess.CompletedProcess[str]:
    write_lines(path, lines)
    return run(repo, "--pad", BASE, "--force", path)


def _hits(targets: list[tuple[str, str]], agent: str = BROWSER) -> list[Hit]:
    """One request per (client, target below the base path), 30 seconds apart."""
    return [Hit(T0 + 30 * i, client, "GET", BASE + target, 200, agent) for i, (client, target) in enumerate(targets)]


def test_debian_vhost_combined_gives_the_figures_of_combined(repo: Path, tmp_path: Path) -> None:
    plain = [combined_line(hit) for hit in month_hits()]
    result = _import(repo, tmp_path / "access.log", plain)
    assert result.returncode == 0, result.stderr
    expected = _figures(repo)
    # Debian: LogFormat "%v:%p %h %l %u %t \"%r\" %>s %O \"%{Referer}i\" \"%{User-Agent}i\"" vhost_combined
    vhost = [b"intranet.gemeente:443 " + line for line in plain]
    with_d = [line + b" 5123" for line in vhost]  # the same with %D (microseconds) appended
    for name, lines in (("other_vhosts_access.log", vhost), ("vhost_d.log", with_d)):
        result = _import(repo, tmp_path / name, lines)
        assert result.returncode == 0, result.stderr
        assert _figures(repo) == expected, name
        assert "intranet.gemeente" not in (repo / MONTH).read_text(encoding="utf-8")


def test_a_file_with_no_recognised_line_fails_the_import_even_among_good_ones(repo: Path, tmp_path: Path) -> None:
    before = (repo / MONTH).read_bytes()
    good = tmp_path / "access.log"
    write_lines(good, [combined_line(hit) for hit in month_hits()])
    other = tmp_path / "haproxy.log"  # a format the import does not read: its requests would silently go missing
    write_lines(other, [b"Nov 18 09:00:01 lb haproxy[812]: 10.20.3.14:51234 [18/Nov/2026:09:00:01.120] fe be/s1"] * 5)
    result = run_script(repo, "--pad", BASE, "--force", good, other)  # the one import through the console script
    assert result.returncode == 1
    assert "haproxy.log: geen enkele regel herkend (5 regels)" in result.stderr
    assert "vhost_combined" in result.stderr and "W3C" in result.stderr and "niets geschreven" in result.stderr
    assert "Traceback" not in result.stderr
    assert (repo / MONTH).read_bytes() == before


def test_a_damaged_head_is_counted_as_broken_and_the_rest_is_read(repo: Path, tmp_path: Path) -> None:
    garbage = [b"\x8f\x00garbage %d \xff" % n for n in range(12_000)]  # more than the 10,000 remembered
    good = [combined_line(hit) for hit in _hits([("10.20.3.14", "tips/wachtwoord-vergeten/")] * 3)]
    result = _import(repo, tmp_path / "access.log", garbage + good)
    assert result.returncode == 0, result.stderr
    figures = _figures(repo)
    assert figures["views"] == {"wachtwoord-vergeten": 3}
    assert figures["lines"]["broken"] == 12_000 and figures["lines"]["read"] == 12_003


def test_blank_lines_are_skipped_and_the_line_numbers_still_count_them(repo: Path, tmp_path: Path) -> None:
    good = combined_line(_hits([("10.20.3.14", "tips/wachtwoord-vergeten/")])[0])
    path = tmp_path / "access.log.gz"
    write_lines(path, [b""] * 300_000 + [good, b"broken line"], compress=True)
    result = run(repo, "--pad", BASE, "--force", path)
    assert result.returncode == 0, result.stderr
    assert _figures(repo)["views"] == {"wachtwoord-vergeten": 1}
    assert "access.log.gz:300002" in result.stdout  # the broken line, by its real number


def _common(line: bytes) -> bytes:
    """The same request in the common log format: without referer and agent."""
    return re.sub(rb' "[^"]*" "[^"]*"$', b"", line)


def test_a_log_without_user_agent_warns_that_bots_cannot_be_recognised(repo: Path, tmp_path: Path) -> None:
    hits = _hits([("10.20.3.14", "tips/wachtwoord-vergeten/"), ("66.249.66.1", "tips/mfa-nieuwe-gsm/")])
    result = _import(repo, tmp_path / "access.log", [_common(combined_line(hit)) for hit in hits])
    assert result.returncode == 0, result.stderr
    assert "geen browsernaam (user agent)" in result.stdout and "Bots en monitors zijn daarom niet te herkennen" in (
        result.stdout
    )
    assert "'combined'" in result.stdout
    result = _import(repo, tmp_path / "combined.log", [combined_line(hit) for hit in hits])
    assert "geen browsernaam" not in result.stdout


def test_two_nee_before_their_reasons_stay_two(repo: Path, tmp_path: Path) -> None:
    tip = "gebruik/feedback.txt?tip=mfa-nieuwe-gsm&antwoord=nee"
    terminal_server = "10.20.99.1"  # two colleagues (or two tabs) with the same address and browser
    targets = [(terminal_server, tip), (terminal_server, tip)]
    targets += [(terminal_server, tip + "&reden=verouderd"), (terminal_server, tip + "&reden=onduidelijk")]
    targets += [("10.20.3.15", tip + "&reden=verouderd")]  # a reason whose 'nee' never reached the log
    result = _import(repo, tmp_path / "access.log", [combined_line(hit) for hit in _hits(targets)])
    assert result.returncode == 0, result.stderr
    answers = _figures(repo)["feedback"]["mfa-nieuwe-gsm"]
    assert (answers["nee"], answers["verouderd"], answers["onduidelijk"]) == (3, 2, 1)


def test_a_search_ends_on_a_tip_once_and_only_on_a_tip_that_exists(repo: Path, tmp_path: Path) -> None:
    colleague, other = "10.20.3.14", "10.20.3.15"
    targets = [
        (colleague, "gebruik/zoek.txt?q=mfa&n=2&t=2"),
        (colleague, "gebruik/klik.txt?tip=mfa-nieuwe-gsm&q=mfa"),
        (colleague, "gebruik/klik.txt?tip=wachtwoord-vergeten&q=mfa"),  # a second result of the same search
        (colleague, "gebruik/klik.txt?tip=bestaat-niet&q=mfa"),
        (colleague, "gebruik/klik.txt?tip=..%2F..%2Fetc%2Fpasswd&q=mfa"),
        (colleague, "gebruik/klik.txt?tip=&q=mfa"),
        (colleague, "gebruik/klik.txt"),
        (other, "gebruik/klik.txt?tip=mfa-nieuwe-gsm&q=wifi"),  # logged just before its search
        (other, "gebruik/zoek.txt?q=wifi&n=1&t=1"),
    ]
    result = _import(repo, tmp_path / "access.log", [combined_line(hit) for hit in _hits(targets)])
    assert result.returncode == 0, result.stderr
    searches = _figures(repo)["searches"]
    assert (searches["total"], searches["ended_on_tip"]) == (2, 2)
    assert "2 zoekopdrachten, 0 zonder resultaat, 2 eindigden op een tip" in result.stdout


def test_validate_refuses_more_searches_ending_on_a_tip_than_searches(repo: Path) -> None:
    path = repo / MONTH
    searches = _figures(repo)["searches"]
    text = path.read_text(encoding="utf-8")
    impossible = f"ended_on_tip: {searches['total'] + 3}"
    path.write_text(text.replace(f"ended_on_tip: {searches['ended_on_tip']}", impossible), encoding="utf-8")
    result = kennisbank("validate", "--today", TODAY, cwd=repo)
    assert result.returncode == 1
    assert "searches.ended_on_tip" in result.stdout and "hoogstens één keer op een tip" in result.stdout


def test_iis_without_query_strings_warns_that_searches_cannot_be_counted(repo: Path, tmp_path: Path) -> None:
    fields = "date time s-ip cs-method cs-uri-stem s-port cs-username c-ip cs(User-Agent) sc-status time-taken"
    targets = [("10.20.3.14", "gebruik/zoek.txt?q=mfa&n=2&t=2"), ("10.20.3.14", "gebruik/klik.txt?tip=mfa-nieuwe-gsm")]
    targets += [("10.20.3.14", "tips/mfa-nieuwe-gsm/")]
    result = _import(repo, tmp_path / "u_ex2611.log", list(iis_lines(_hits(targets, EDGE), first_fields=fields)))
    assert result.returncode == 0, result.stderr
    assert "zonder querystring" in result.stdout and "cs-uri-query" in result.stdout
    assert _figures(repo)["searches"]["ended_on_tip"] == 0


def test_every_line_from_the_machine_itself_is_a_proxy_hint_not_a_month_of_zeros(repo: Path, tmp_path: Path) -> None:
    before = (repo / MONTH).read_bytes()
    targets = [("127.0.0.1", "tips/wachtwoord-vergeten/"), ("127.0.0.1", "gebruik/zoek.txt?q=mfa&n=2&t=2")] * 10
    result = _import(repo, tmp_path / "access.log", [combined_line(hit) for hit in _hits(targets)])
    assert result.returncode == 1
    assert "komen van de server zelf" in result.stderr and "X-Forwarded-For" in result.stderr
    assert (repo / MONTH).read_bytes() == before
    # The same lines with the colleague's address in X-Forwarded-For count as usual.
    forwarded = [
        Hit(h.epoch, h.client, h.method, h.target, h.status, h.agent, forwarded="10.20.3.14") for h in _hits(targets)
    ]
    result = _import(repo, tmp_path / "xff.log", [combined_line(hit, forwarded=True) for hit in forwarded])
    assert result.returncode == 0, result.stderr
    assert _figures(repo)["views"] == {"wachtwoord-vergeten": 10}


def test_all_of_loopback_is_the_machine_itself() -> None:
    from kennisbank.knowledge.usage import _is_local

    local = (b"127.0.0.1", b"127.0.1.1", b"127.0.0.2", b"::1", b"[::1]", b"0:0:0:0:0:0:0:1", b"::ffff:127.0.1.1")
    for address in local:
        assert _is_local(address), address
    for address in (b"10.20.3.14", b"2001:db8:1::42", b"::ffff:10.20.3.14", b"fe80::1", b"1270.0.0.1x"):
        assert not _is_local(address), address


def test_a_long_phrase_is_cut_after_a_whole_word() -> None:
    from kennisbank.knowledge.usage import PHRASE_MAX, shortened

    phrase = "wachtwoord " * 30
    cut = shortened(phrase.strip())
    assert len(cut) <= PHRASE_MAX and cut.endswith("wachtwoord") and set(cut.split()) == {"wachtwoord"}
    assert shortened("x" * 300) == "x" * PHRASE_MAX


MONITORS_AND_FETCHERS = (
    "Site24x7",
    "W3C_Validator/1.3 http://validator.w3.org/services",
    "node-fetch/1.0 (+https://github.com/bitinn/node-fetch)",
    "axios/1.6.2",
    "Microsoft-WebDAV-MiniRedir/10.0.19045",
    "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)",
)
COLLEAGUES_BROWSERS = (
    BROWSER,
    EDGE,
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.6 "
    "Mobile/15E148 Safari/604.1",
    "Mozilla/5.0 (compatible; MSIE 9.0; Windows NT 6.1; Trident/5.0)",  # an old PC at the counter
)


def test_monitors_and_fetchers_are_no_colleagues_and_browsers_are() -> None:
    from kennisbank.knowledge.usage import SiteRoutes, Tallies

    tallies = Tallies(SiteRoutes(BASE.encode(), frozenset(), frozenset()), [], lambda: None)  # type: ignore[arg-type, return-value]
    for agent in MONITORS_AND_FETCHERS:
        assert tallies._is_bot(agent.encode()), agent
    for agent in COLLEAGUES_BROWSERS:
        assert not tallies._is_bot(agent.encode()), agent


def test_a_colleague_is_one_sender_in_a_log_with_and_one_without_x_forwarded_for(repo: Path, tmp_path: Path) -> None:
    """Found by an independent check: a server that starts logging X-Forwarded-For mid-month made each colleague
    two senders, so a phrase searched by 2 colleagues passed the rule of 3."""
    search = "gebruik/zoek.txt?q=excel+draaitabel&n=3&t=3"
    for colleagues, kept in ((["10.20.3.14", "10.20.7.9"], False), (["10.20.3.14", "10.20.7.9", "10.20.1.5"], True)):
        direct = _hits([(client, search) for client in colleagues])
        later = [  # the same colleagues later in the month, through a proxy that now logs X-Forwarded-For
            Hit(h.epoch + 86_400, "10.0.0.2", h.method, h.target, h.status, h.agent, forwarded=h.client) for h in direct
        ]
        write_lines(tmp_path / "before.log", [combined_line(hit) for hit in direct])
        write_lines(tmp_path / "after.log", [combined_line(hit, forwarded=True) for hit in later])
        result = run(repo, "--pad", BASE, "--force", tmp_path / "before.log", tmp_path / "after.log")
        assert result.returncode == 0, result.stderr
        phrases = {p["query"] for p in _figures(repo)["searches"].get("phrases") or []}
        assert ("excel draaitabel" in phrases) is kept, colleagues
