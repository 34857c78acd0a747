"""Example content (`example: true`): a notice on every page, refused by the publish build, and never compared
with a real measurement."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from conftest import KENNISBANK, BuiltSite, edit, mkdocs_build, write_tip
from lxml import html as lxml_html

NOTICE = "Voorbeeldinhoud: deze personen en cijfers zijn verzonnen"
PUBLISH = {"KENNISBANK_REQUIRE_SITE_URL": "1", "KENNISBANK_SITE_URL": "https://intranet.example/kennisbank/"}
REAL_COACHES = """\
coaches:
  - id: echte-coach
    name: Echte Coach
    department: ict
    municipality: veurne
    email: echte.coach@veurne.example
"""


def remove_examples(repo: Path) -> None:
    """What `kennisbank start` leaves behind, done by hand: example files, people and the image only an example
    tip shows removed, one real coach, and the remaining tips and paths handed to that coach."""
    for path in [
        *repo.glob("tips/**/*.md"),
        *repo.glob("meetings/**/*.md"),
        *repo.glob("tips/nulmeting/*.yml"),
        *repo.glob("tips/gebruik/*.yml"),
    ]:
        if re.search(r"^example: true\b", path.read_text(encoding="utf-8"), re.MULTILINE):
            path.unlink()
    (repo / "tips/secretariaat/automatische-antwoorden.png").unlink()
    (repo / "tips/coaches.yml").write_text(REAL_COACHES, encoding="utf-8")
    for path in repo.glob("tips/**/*.md"):
        text = path.read_text(encoding="utf-8")
        path.write_text(re.sub(r"^coach: .*$", "coach: echte-coach", text, count=1, flags=re.MULTILINE), "utf-8")


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([KENNISBANK, *args], cwd=cwd, capture_output=True, text=True)


def notice_of(html: str) -> str:
    found = lxml_html.fromstring(html).xpath('//*[contains(@class, "kb-example-notice")]')
    return " ".join(found[0].text_content().split()) if found else ""


@pytest.mark.parametrize(
    "url",
    [
        "",  # home (hand-written with a generated part)
        "zoeken/",  # search
        "tips/gedeelde-mailbox-toevoegen/",  # a tip
        "diensten/burgerzaken/",  # a generated page
        "opvolging/",
        "overleg/2026-11-10/",  # a meeting
        "signalen/",
        "over/",  # a hand-written page the core does not place
        "404.html",
    ],
)
def test_every_kind_of_page_of_the_sample_says_it_is_invented(sample_site: BuiltSite, url: str) -> None:
    text = notice_of(sample_site.page(url))
    assert NOTICE in text and "kennisbank start" in text


def test_the_publish_build_refuses_the_sample_naming_every_file(repo: Path, tmp_path: Path) -> None:
    proc = mkdocs_build(repo, tmp_path / "site", **PUBLISH)
    output = proc.stdout + proc.stderr
    assert proc.returncode != 0 and "Traceback" not in output
    assert "Publiceren kan niet: er staat nog voorbeeldinhoud in de kennisbank" in output
    for expected in (
        "tips/coaches.yml:7:5: example: voorbeeldpersoon 'An Peeters' (an-peeters) is verzonnen",
        "tips/coaches.yml:114:5: example: voorbeeldpersoon 'Marie Lambrecht'",
        "meetings/2026-09-08.md:2:1: example: dit overleg is een verzonnen voorbeeld",
        "meetings/signals/mfa-oudere-collegas.md:2:1: example: dit signaal",
        "tips/nulmeting/2026-05.yml:8:1: example: deze meting heeft verzonnen cijfers",
        "tips/alle/verlof-aanvragen-in-het-portaal.md:2:1: example: deze tip",
        "tips/leerpaden/je-eerste-week.md:2:1: example: dit leerpad",
        # A generic tip stays, but not with an invented coach:
        "tips/alle/mfa-nieuwe-gsm.md:8:1: coach: 'jonas-declercq' is een verzonnen voorbeeldpersoon",
        "tips/secretariaat/automatische-antwoorden.png:1:1: bestand: deze afbeelding tonen alleen voorbeeldbestanden",
        "Voer 'kennisbank start' uit",
    ):
        assert expected in output, expected
    assert not (tmp_path / "site" / "index.html").exists()
    assert not (tmp_path / "site" / ".kennisbank-build.json").exists()


def test_validate_publiceren_lists_the_same_and_plain_validate_accepts_the_sample(repo: Path) -> None:
    plain = run("validate", cwd=repo)
    assert plain.returncode == 0, plain.stdout
    publish = run("validate", "--publiceren", cwd=repo)
    assert publish.returncode == 1
    assert "meetings/2026-12-01.md:2:1: example: dit overleg is een verzonnen voorbeeld" in publish.stdout
    assert "tips/coaches.yml:16:5: example: voorbeeldpersoon 'Bram Vermeulen'" in publish.stdout
    assert publish.stdout.rstrip().endswith("of verwijder zelf de bestanden en de personen met 'example: true'.")


def test_without_example_content_the_publish_build_succeeds_and_no_page_has_the_notice(
    repo: Path, tmp_path: Path
) -> None:
    remove_examples(repo)
    assert run("validate", "--publiceren", cwd=repo).returncode == 0
    site = tmp_path / "site"
    proc = mkdocs_build(repo, site, **PUBLISH)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert (site / ".kennisbank-build.json").is_file()
    for url in ("index.html", "zoeken/index.html", "tips/gedeelde-mailbox-toevoegen/index.html", "over/index.html"):
        html = (site / url).read_text(encoding="utf-8")
        assert "kb-example-notice" not in html and "Voorbeeldinhoud" not in html, url
    # Such a build is published without --voorbeeldinhoud.
    published = run("publish", "--site", str(site), "--target", str(tmp_path / "www"), cwd=repo)
    assert published.returncode == 0, published.stderr
    assert (tmp_path / "www/current/index.html").is_file()


def test_a_real_document_that_names_an_example_coach_is_refused(repo: Path, tmp_path: Path) -> None:
    remove_examples(repo)
    (repo / "tips/coaches.yml").write_text(
        REAL_COACHES + "  - id: an-peeters\n    example: true\n    name: An Peeters\n    department: ict\n"
        "    municipality: veurne\n    email: an.peeters@veurne.example\n",
        encoding="utf-8",
    )
    write_tip(repo, replace={"coach: sofie-claeys": "coach: an-peeters"})
    proc = mkdocs_build(repo, tmp_path / "site", **PUBLISH)
    output = proc.stdout + proc.stderr
    assert proc.returncode != 0 and "Traceback" not in output
    assert "tips/coaches.yml:7:5: example: voorbeeldpersoon 'An Peeters'" in output
    assert "tips/burgerzaken/testtip.md:8:1: coach: 'an-peeters' is een verzonnen voorbeeldpersoon" in output


def test_an_unclaimed_tip_is_a_warning_shown_without_coach_and_refused_for_publishing(
    repo: Path, tmp_path: Path
) -> None:
    remove_examples(repo)
    write_tip(repo, replace={"coach: sofie-claeys": "coach: over-te-nemen"})
    edit(repo / "tips/leerpaden/veilig-werken.md", "coach: echte-coach", "coach: over-te-nemen")
    validate = run("validate", cwd=repo)
    assert validate.returncode == 0, validate.stdout
    assert (
        "tips/burgerzaken/testtip.md:8:1: coach: waarschuwing: 'over-te-nemen': nog geen echte digicoach heeft dit "
        "overgenomen. Zet bij coach: de id van een echte digicoach uit tips/coaches.yml, of geef alle zulke tips "
        "in één keer aan iemand met 'kennisbank start --tips-naar <id>'." in validate.stdout
    )
    site = tmp_path / "site"
    assert mkdocs_build(repo, site).returncode == 0
    tree = lxml_html.fromstring((site / "tips/testtip/index.html").read_text(encoding="utf-8"))
    coach = tree.xpath('//dt[text()="Digicoach"]/following-sibling::dd[1]')[0]
    assert coach.text_content() == "nog geen digicoach" and not coach.xpath(".//a")
    path = lxml_html.fromstring((site / "leerpaden/veilig-werken/index.html").read_text(encoding="utf-8"))
    assert path.xpath('//dt[text()="Digicoach"]/following-sibling::dd[1]')[0].text_content() == "nog geen digicoach"
    assert "tips/leerpaden/veilig-werken.md:8:1: coach: waarschuwing: 'over-te-nemen'" in validate.stdout
    refused = mkdocs_build(repo, tmp_path / "published", **PUBLISH)
    assert refused.returncode != 0
    assert (
        "tips/burgerzaken/testtip.md:8:1: coach: 'over-te-nemen': nog geen digicoach" in refused.stdout + refused.stderr
    )


def test_a_real_measurement_is_never_compared_with_an_example_one(repo: Path, tmp_path: Path) -> None:
    # A real survey of October next to the invented ones of May and November (as imported: no example flag).
    may = (repo / "tips/nulmeting/2026-05.yml").read_text(encoding="utf-8")
    real = re.sub(r"^# VOORBEELD.*\nexample: true\n", "", may, flags=re.MULTILINE).replace(
        "date: 2026-05-22", "date: 2026-10-15"
    )
    assert "example" not in real
    (repo / "tips/nulmeting/2026-10.yml").write_text(real, encoding="utf-8")
    site = tmp_path / "site"
    proc = mkdocs_build(repo, site)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    opvolging = lxml_html.fromstring((site / "opvolging/index.html").read_text(encoding="utf-8"))
    intro = " ".join(opvolging.xpath('//h2[@id="nulmeting"]/following-sibling::p[1]')[0].text_content().split())
    assert intro.startswith("Meting van 15 oktober 2026: 123 collega's vulden de bevraging in. "), intro
    assert "vorige meting" not in intro and "november" not in intro
    header = [th.text_content() for th in opvolging.xpath('//table[contains(@class, "kb-maturity-tools")]//thead//th')]
    assert not any(h.startswith("Sinds") for h in header), header
    department = " ".join(
        lxml_html.fromstring((site / "diensten/burgerzaken/index.html").read_text(encoding="utf-8"))
        .text_content()
        .split()
    )
    assert "nulmeting van 15 oktober 2026" in department and "20 november 2026" not in department
