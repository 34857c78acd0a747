"""Example content (`example: true`): a notice on every page, refused by the publish build, and never compared
with a real measurement."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from conftest import KENNISBANK, ROOT, BuiltSite, edit, mkdocs_build, write_tip
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


def test_a_site_that_is_not_fit_for_the_intranet_gets_a_marker_publish_refuses(repo: Path, tmp_path: Path) -> None:
    """The publish workflow stops at its build step; `kennisbank publish` of a hand-made build must too."""
    remove_examples(repo)
    site, www = tmp_path / "site", tmp_path / "www"
    assert mkdocs_build(repo, site).returncode == 0
    assert run("publish", "--site", str(site), "--target", str(www), cwd=repo).returncode == 0
    # A tip nobody took over yet: a plain build accepts it, publishing does not.
    edit(repo / "tips/alle/mfa-nieuwe-gsm.md", "coach: echte-coach", "coach: over-te-nemen")
    assert mkdocs_build(repo, site).returncode == 0
    refused = run("publish", "--site", str(site), "--target", str(www), "--force", cwd=repo)
    assert refused.returncode == 1 and "over-te-nemen" in refused.stderr, refused.stderr
    # A strict build that MkDocs aborts on a warning leaves no marker, not even the one of the build before.
    edit(repo / "tips/alle/mfa-nieuwe-gsm.md", "coach: over-te-nemen", "coach: echte-coach")
    assert mkdocs_build(repo, site).returncode == 0 and (site / ".kennisbank-build.json").is_file()
    (repo / "docs/kapot.md").write_text("# Kapot\n\n[weg](bestaat-niet.md)\n", encoding="utf-8")
    failed = mkdocs_build(repo, site)
    assert failed.returncode != 0 and (site / "kapot/index.html").is_file()
    assert not (site / ".kennisbank-build.json").exists()
    refused = run("publish", "--site", str(site), "--target", str(www), "--force", cwd=repo)
    assert refused.returncode == 1 and "geen volledige build" in refused.stderr, refused.stderr


def test_validate_publiceren_lists_the_example_content_beside_an_ordinary_error(repo: Path) -> None:
    edit(repo / "tips/alle/mfa-nieuwe-gsm.md", "difficulty: gevorderd", "difficulty: gevorderdd")
    proc = run("validate", "--publiceren", cwd=repo)
    assert proc.returncode == 1
    assert "difficulty: onbekende waarde 'gevorderdd'" in proc.stdout
    assert "meetings/2026-12-01.md:2:1: example: dit overleg is een verzonnen voorbeeld" in proc.stdout


@pytest.mark.parametrize("value", ['"false"', '"no"', '"False"', "0", '"nee"', '"true"', "1"])
def test_the_example_flag_takes_only_a_yaml_boolean(repo: Path, value: str) -> None:
    """Pydantic alone reads "false", "no" and 0 as false: an invented person would quietly count as real."""
    coaches = repo / "tips/coaches.yml"
    first = coaches.read_text(encoding="utf-8").splitlines().index("    example: true") + 1
    edit(coaches, "    example: true", f"    example: {value}", count=1)
    tip = repo / "tips/secretariaat/outlook-afwezigheidsbericht.md"
    edit(tip, "example: true", f"example: {value}", count=1)
    measurement = repo / "tips/nulmeting/2026-11.yml"
    edit(measurement, "example: true", f"example: {value}", count=1)
    proc = run("validate", cwd=repo)
    assert proc.returncode == 1
    assert "Traceback" not in proc.stdout + proc.stderr
    allowed = f"example: '{value.strip(chr(34))}' is geen geldige waarde. Toegestaan: true of false"
    lines = proc.stdout.splitlines()
    assert any(line.startswith(f"tips/coaches.yml:{first}:5: coaches[0].{allowed}") for line in lines), lines
    assert any(line.startswith("tips/secretariaat/outlook-afwezigheidsbericht.md:") and allowed in line
               for line in lines), lines  # fmt: skip
    assert any(line.startswith("tips/nulmeting/2026-11.yml:8:1: " + allowed) for line in lines), lines


def test_yaml_1_1_yes_and_no_are_booleans_and_accepted(repo: Path) -> None:
    edit(repo / "tips/coaches.yml", "    example: true", "    example: yes", count=1)
    proc = run("validate", cwd=repo)
    assert proc.returncode == 0, proc.stdout


def test_the_committed_fingerprints_match_the_sample() -> None:
    """sample_fingerprints.json cannot drift from the sample: regenerate it with the script when the sample
    changes (scripts/make_sample_fingerprints.py)."""
    from datetime import date

    from kennisbank.checks.examples import example_images
    from kennisbank.checks.fingerprints import FINGERPRINTS_FILE, sample_fingerprints
    from kennisbank.checks.loader import load_repository

    repository = load_repository(ROOT, today=date(2026, 12, 1)).repository
    expected = sample_fingerprints(repository, example_images(repository))
    assert expected.emails and expected.phones and expected.names and expected.images and expected.measurements
    assert FINGERPRINTS_FILE.read_text(encoding="utf-8") == expected.as_json(), (
        "run: .venv/bin/python scripts/make_sample_fingerprints.py"
    )
    text = FINGERPRINTS_FILE.read_text(encoding="utf-8")
    assert "peeters" not in text.lower() and "058" not in text  # digests only


def test_copies_of_invented_people_screenshot_and_figures_are_refused_for_publishing(
    repo: Path, tmp_path: Path
) -> None:
    """The sample's An Peeters under a new id, its screenshot beside a real tip and a sample measurement with
    the flag removed: no `example: true`, still invented."""
    measurement = (repo / "tips/nulmeting/2026-11.yml").read_text(encoding="utf-8")
    remove_examples(repo)
    (repo / "tips/coaches.yml").write_text(
        REAL_COACHES
        + "  - id: an-peeters-2\n    name: an  PEETERS\n    department: secretariaat\n    municipality: veurne\n"
        '    email: An.Peeters@veurne.be\n    phone: "058/33.55.12"\n',
        encoding="utf-8",
    )
    (repo / "tips/burgerzaken/scherm.png").write_bytes(
        (ROOT / "tips/secretariaat/automatische-antwoorden.png").read_bytes()
    )
    edit(repo / "tips/burgerzaken/gedeelde-mailbox-toevoegen.md", "\n---\n", "\n---\n![Het venster](scherm.png)\n\n", 1)
    (repo / "tips/nulmeting/2026-10.yml").write_text(
        measurement.replace("example: true", "").replace("date: 2026-11", "date: 2026-10"), encoding="utf-8"
    )
    assert run("validate", cwd=repo).returncode == 0
    proc = run("validate", "--publiceren", cwd=repo)
    assert proc.returncode == 1
    lines = proc.stdout.splitlines()
    assert any(
        line.startswith("tips/coaches.yml:11:5: coaches[1].email: 'an  PEETERS' (id an-peeters-2; zelfde e-mailadres, "
                        "telefoonnummer, naam) is een persoon uit de voorbeeldinhoud (verzonnen); gebruik een echte "
                        "digicoach.")
        for line in lines
    ), proc.stdout  # fmt: skip
    assert "tips/burgerzaken/scherm.png:1:1: bestand: 'tips/burgerzaken/scherm.png' is de schermafbeelding uit de " \
        "voorbeeldinhoud" in proc.stdout  # fmt: skip
    assert "tips/nulmeting/2026-10.yml:1:1: bestand: deze meting heeft de cijfers van de voorbeeldinhoud" in proc.stdout
    assert not any("echte-coach" in line for line in lines if line.startswith("tips/coaches.yml")), proc.stdout
    # The publish build refuses the same before writing a page.
    build = mkdocs_build(repo, tmp_path / "site", **PUBLISH)
    assert build.returncode != 0 and "is een persoon uit de voorbeeldinhoud" in build.stdout + build.stderr
    # A real colleague who shares only the name of an invented one is no copy.
    namesake = "  - id: an-peeters\n    name: An Peeters\n    department: ict\n    municipality: veurne\n"
    namesake += "    email: an.peeters@gemeente.example\n"
    (repo / "tips/coaches.yml").write_text(REAL_COACHES + namesake, encoding="utf-8")
    assert "An Peeters" not in run("validate", "--publiceren", cwd=repo).stdout


def test_every_agenda_export_of_the_sample_says_it_is_invented(sample_site: BuiltSite) -> None:
    """A Word agenda in a folder or an invitation in Outlook leaves the site: it carries the notice itself."""
    import io

    from docx import Document
    from icalendar import Calendar

    folder = sample_site.site / "overleg/2026-12-01"
    standalone = lxml_html.fromstring((folder / "agenda.html").read_bytes())
    first = standalone.xpath("//body/*[1]")[0]
    assert first.text_content().strip() == NOTICE + "."
    assert (folder / "agenda.md").read_text(encoding="utf-8").startswith(f"**{NOTICE}.**\n\n# Digicoachoverleg")
    document = Document(io.BytesIO((folder / "agenda.docx").read_bytes()))
    assert document.paragraphs[0].text == NOTICE + "."
    [own] = [
        event
        for event in Calendar.from_ical((folder / "agenda.ics").read_bytes()).walk("VEVENT")
        if str(event["DESCRIPTION"]).startswith("Digicoachoverleg") or str(event["DESCRIPTION"]).startswith(NOTICE)
    ]
    assert str(own["DESCRIPTION"]).splitlines()[0] == NOTICE + "."


@pytest.mark.parametrize("fmt", ["md", "csv", "xlsx"])
def test_reports_of_the_sample_say_it_is_invented_and_real_ones_do_not(repo: Path, tmp_path: Path, fmt: str) -> None:
    import openpyxl

    def first_line(out: Path) -> str:
        if fmt == "xlsx":
            return str(openpyxl.load_workbook(out).active.cell(row=1, column=1).value)
        return out.read_text(encoding="utf-8-sig").splitlines()[0]

    sample = tmp_path / f"sample.{fmt}"
    assert run("report", "signals", "--format", fmt, "-o", str(sample), cwd=repo).returncode == 0
    assert NOTICE in first_line(sample)
    agenda = run("agenda", "2026-12-01", "--format", "md", cwd=repo)
    assert agenda.stdout.startswith(f"**{NOTICE}.**")
    remove_examples(repo)
    real = tmp_path / f"real.{fmt}"
    assert run("report", "coverage", "--format", fmt, "-o", str(real), cwd=repo).returncode == 0
    assert NOTICE not in first_line(real) and first_line(real).lstrip("*# ").startswith(("Dekking", "dienst"))
