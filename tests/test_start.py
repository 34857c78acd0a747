"""`kennisbank start`: from the bundled sample to an organisation's own kennisbank, in both modes.

The HR lists in tests/data/hr/ were written by someone who had not read the importer (a title row and a footer,
Voornaam/Familienaam with 'Bestuur' and 'Functie', ';' CSV in Windows-1252); the messier ones below are made
here, from what HR exports look like."""

from __future__ import annotations

import hashlib
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml
from conftest import KENNISBANK, ROOT, TODAY, bare_env, copy_content, mkdocs_build
from kennisbank.content.hr_list import HrListError, parse_hr_list
from kennisbank.ops.site_config import edit_config, parse_config, plugin_options

HR = ROOT / "tests" / "data" / "hr"
TITLED = HR / "Lijst digicoaches stand 1-12-2026.xlsx"  # title row above the header, a footer row, 'Opmerking'
SPLIT_NAMES = HR / "digicoaches_personeelsdienst_voornaam_familienaam.xlsx"  # Familienaam/Voornaam, Bestuur
ANSI = HR / "digicoaches_export_ansi.csv"  # ';' in Windows-1252, 26 people
PLAIN = HR / "digicoaches_westkust.xlsx"
SITE_URL = "https://intranet.westkust.example/kennisbank/"


def sample_people() -> list[tuple[str, str]]:
    """(name, e-mail) of every invented coach of the sample."""
    data = yaml.safe_load((ROOT / "tips" / "coaches.yml").read_text(encoding="utf-8"))
    return [(c["name"], c["email"]) for c in data["coaches"]]


def start(repo: Path, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [KENNISBANK, "--root", str(repo), "start", *args], capture_output=True, text=True, input=stdin, timeout=300,
        env=bare_env(KENNISBANK_TODAY="2026-11-29"),
    )  # fmt: skip


def tree_hash(root: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        digest.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def coaches(repo: Path) -> dict:
    return yaml.safe_load((repo / "tips" / "coaches.yml").read_text(encoding="utf-8"))


def assert_published_site(repo: Path, names: list[str]) -> None:
    """The publish build succeeds, shows the new people and nobody of the sample, anywhere in the site."""
    site = repo / "site"
    proc = mkdocs_build(repo, site, KENNISBANK_REQUIRE_SITE_URL="1")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    text = "\n".join(
        p.read_text(encoding="utf-8", errors="replace")
        for p in site.rglob("*")
        if p.is_file() and p.suffix in (".html", ".xml", ".json", ".ics", ".txt", ".md", ".js", ".csv")
    )
    for name in names:
        assert name in text, name
    for name, email in sample_people():
        assert name not in text, name
        assert email not in text, email
        assert email.split("@")[0] not in text, email  # not even the local part (an.peeters)
    assert "Voorbeeldinhoud" not in (site / "index.html").read_text(encoding="utf-8")


def test_non_interactive_from_an_hr_workbook_then_the_publish_build(tmp_path: Path) -> None:
    repo = copy_content(tmp_path / "repo")
    shutil.copytree(ROOT / ".vscode", repo / ".vscode")
    mfa = repo / "tips" / "alle" / "mfa-nieuwe-gsm.md"  # a kept tip that links to an example signal
    mfa.write_text(
        mfa.read_text(encoding="utf-8") + "\nZie [het signaal](../../meetings/signals/mfa-oudere-collegas.md).\n"
    )
    proc = start(
        repo, "--lijst", str(TITLED), "--tips-naar", "Ilse Van Hove", "--site-url", SITE_URL,
        "--repo-url", "git@github.com:westkust/kennisbank.git", "--overleg-dag", "donderdag",
        "--overleg-plaats", "Stadhuis Veurne, raadzaal", "--overleg-weken", "4",
    )  # fmt: skip
    assert proc.returncode == 0, proc.stdout + proc.stderr
    out = proc.stdout
    assert "25 eigen digicoaches in 14 diensten (De Panne, Koksijde, Nieuwpoort, Veurne)" in out
    for secret in ("KENNISBANK_PUBLISH_TARGET", "KENNISBANK_SSH_KEY", "KENNISBANK_KNOWN_HOSTS", "KENNISBANK_SITE_URL"):
        assert secret in out
    assert "kennisbank new-meeting" in out and "kennisbank nulmeting import" in out
    assert "rij 30 ('Contact: personeelsdienst" in out  # the footer is said to be skipped, not an error
    data = coaches(repo)
    assert len(data["coaches"]) == 25
    ids = [c["id"] for c in data["coaches"]]
    assert len(set(ids)) == 25 and "ilse-van-hove" in ids
    assert sorted(data["chair_rotation"]) == sorted(ids)
    assert {c["role"] for c in data["coaches"] if "role" in c} == {"digi-expert"}
    assert not any(c.get("example") for c in data["coaches"])
    taxonomy = yaml.safe_load((repo / "tips" / "taxonomy.yml").read_text(encoding="utf-8"))
    assert list(taxonomy["municipalities"]) == ["de-panne", "koksijde", "nieuwpoort", "veurne"]
    assert len(taxonomy["departments"]) == 14 and "cultuur" in taxonomy["departments"]
    assert "onderwijs" not in taxonomy["departments"]
    assert set(taxonomy["tools"]) >= {"outlook", "teams", "excel"}  # the rest of the vocabulary stays
    assert (repo / "tips" / "taxonomy.yml").read_text(encoding="utf-8").startswith("# Woordenlijst")
    # Example content is gone, generic tips stay with a real coach, the Onderwijs tip moved to 'alle'.
    assert not list((repo / "meetings").glob("*.md")) and not list((repo / "meetings" / "signals").glob("*.md"))
    assert not list((repo / "tips" / "nulmeting").glob("*.yml"))
    assert not (repo / "tips" / "secretariaat" / "automatische-antwoorden.png").exists()
    assert "coach: ilse-van-hove" in (repo / "tips" / "alle" / "mfa-nieuwe-gsm.md").read_text(encoding="utf-8")
    assert (repo / "tips" / "alle" / "klasfotos-veilig-delen.md").exists()
    assert not (repo / "tips" / "onderwijs").exists()
    assert "Zie het signaal." in mfa.read_text(encoding="utf-8")  # a link to a removed signal is now plain text
    assert not (repo / "tips" / "leerpaden" / "je-eerste-week.md").exists()  # an example path
    # Settings: in mkdocs.yml, comments kept; new-meeting follows them.
    config_text = (repo / "mkdocs.yml").read_text(encoding="utf-8")
    assert "# Templates are shown inside 'Tip schrijven'" in config_text
    config = parse_config(config_text)
    assert config["site_url"][-1] == SITE_URL
    assert "repo_url" not in config  # Material would fetch the repository's stars from api.github.com
    options = plugin_options(config)
    assert options["edit_base"] == "https://github.com/westkust/kennisbank/edit/main/"
    assert (options["meeting_every_weeks"], options["meeting_day"]) == (4, "donderdag")
    meeting = subprocess.run(
        [KENNISBANK, "--root", str(repo), "new-meeting"], capture_output=True, text=True,
        env=bare_env(KENNISBANK_TODAY="2026-11-29"),
    )  # fmt: skip
    assert meeting.returncode == 0, meeting.stderr
    first = (repo / "meetings" / "2026-12-03.md").read_text(encoding="utf-8")  # the first Thursday
    assert "location: Stadhuis Veurne, raadzaal" in first
    second = subprocess.run(
        [KENNISBANK, "--root", str(repo), "new-meeting"], capture_output=True, text=True,
        env=bare_env(KENNISBANK_TODAY="2026-11-29"),
    )  # fmt: skip
    assert second.returncode == 0 and (repo / "meetings" / "2026-12-31.md").exists()  # four weeks later
    # The editor's schemas and snippets follow the new vocabulary, as 'kennisbank schema -o .vscode' writes them.
    editor = "\n".join(p.read_text(encoding="utf-8") for p in (repo / ".vscode").glob("*.json"))
    assert "ilse-van-hove" in editor and "cultuur" in editor and "an-peeters" not in editor
    assert_published_site(repo, ["Ilse Van Hove", "Lander Vanden Bussche", "Stijn Deprez"])
    tip = (repo / "site" / "tips" / "mfa-nieuwe-gsm" / "index.html").read_text(encoding="utf-8")
    assert 'href="https://github.com/westkust/kennisbank/edit/main/tips/alle/mfa-nieuwe-gsm.md"' in tip
    assert "api.github.com" not in tip and "md-source" not in tip


def test_interactive_with_answers_piped_in(tmp_path: Path) -> None:
    repo = copy_content(tmp_path / "repo")
    answers = "\n".join(
        [
            str(SPLIT_NAMES),  # the list
            "",  # municipalities: as found
            "j",  # every department in every municipality
            "intranet.westkust.example/kennisbank",  # not an address: asked again, with a suggestion
            SITE_URL,
            "https://github.com/westkust/kennisbank",
            "",  # every 3 weeks
            "woensdg",  # a typo: asked again
            "woensdag",
            "9u30",
            "11:00",
            "Gemeentehuis Koksijde",
            "lien.vandewalle@depanne.voorbeeld-gemeente.be",
            "j",  # go
            "",
        ]
    )
    proc = start(repo, "--interactief", stdin=answers)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "Bedoelde je 'https://intranet.westkust.example/kennisbank'?" in proc.stdout
    assert "Bedoelde je 'woensdag'?" in proc.stdout
    assert "Traceback" not in proc.stdout + proc.stderr
    data = coaches(repo)
    assert len(data["coaches"]) == 25
    ilse = next(c for c in data["coaches"] if c["id"] == "ilse-van-hove")
    assert ilse["municipality"] == "veurne" and ilse["role"] == "digi-expert"
    assert str(ilse["since"]) == "2025-12-08"  # 'Startdatum digicoach'
    options = plugin_options(parse_config((repo / "mkdocs.yml").read_text(encoding="utf-8")))
    assert (options["meeting_day"], options["meeting_start"], options["meeting_end"]) == ("woensdag", "09:30", "11:00")
    assert "coach: lien-vandewalle" in (repo / "tips" / "alle" / "phishing-herkennen.md").read_text(encoding="utf-8")
    assert_published_site(repo, ["Lien Vandewalle", "Nathalie Van de Velde"])


def test_proef_changes_nothing_and_a_second_run_refuses(tmp_path: Path) -> None:
    repo = copy_content(tmp_path / "repo")
    before = tree_hash(repo)
    proc = start(repo, "--lijst", str(ANSI), "--proef")
    assert proc.returncode == 0, proc.stderr
    assert "Proef" in proc.stdout and "Verwijderd" in proc.stdout and "tips/coaches.yml" in proc.stdout
    assert "Er is niets gewijzigd (--proef)" in proc.stdout
    assert tree_hash(repo) == before
    assert start(repo, "--lijst", str(ANSI)).returncode == 0
    data = coaches(repo)
    assert len(data["coaches"]) == 26
    assert any(c["name"] == "Hélène Vandenbroucke" for c in data["coaches"])  # Windows-1252 read right
    # Without --tips-naar the generic tips wait to be taken over: validate lists them, publishing refuses.
    validate = subprocess.run(
        [KENNISBANK, "--root", str(repo), "validate"], capture_output=True, text=True,
        env=bare_env(KENNISBANK_TODAY="2026-11-29"),
    )  # fmt: skip
    assert validate.returncode == 0 and "over-te-nemen" in validate.stdout
    refused = mkdocs_build(repo, repo / "site", KENNISBANK_REQUIRE_SITE_URL="1", KENNISBANK_SITE_URL=SITE_URL)
    assert refused.returncode != 0 and "over-te-nemen" in refused.stdout + refused.stderr
    # A second run, even with a longer list, changes nothing and says why and what differs.
    after_first = tree_hash(repo)
    again = start(repo, "--lijst", str(TITLED))
    assert again.returncode == 1
    assert "al gestart" in again.stderr and "niets gewijzigd" in again.stderr
    assert "Hélène Vandenbroucke" in again.stderr  # in coaches.yml but not in the new list
    assert "kennisbank start --tips-naar <id>" in again.stderr
    assert tree_hash(repo) == after_first
    # What validate and the refused build advise: hand the unclaimed tips over later, nothing else changes.
    assert start(repo, "--tips-naar", "helene vandenbroek").stderr.endswith("Bedoelde je 'helene-vandenbroucke'?\n")
    handed = start(repo, "--tips-naar", "helene.vandenbroucke@veurne.voorbeeld-gemeente.be")
    assert handed.returncode == 0, handed.stdout + handed.stderr
    assert "staan nu op naam van helene-vandenbroucke" in handed.stdout
    assert "coach: helene-vandenbroucke" in (repo / "tips" / "alle" / "mfa-nieuwe-gsm.md").read_text(encoding="utf-8")
    assert coaches(repo) == data
    published = mkdocs_build(repo, repo / "site", KENNISBANK_REQUIRE_SITE_URL="1", KENNISBANK_SITE_URL=SITE_URL)
    assert published.returncode == 0, published.stdout + published.stderr
    again = start(repo, "--tips-naar", "helene-vandenbroucke")
    assert again.returncode == 0 and "niets gewijzigd" in again.stdout


def test_a_fifth_municipality_starts_the_same_way(tmp_path: Path) -> None:
    repo = copy_content(tmp_path / "repo")
    hr = tmp_path / "alveringem.csv"
    hr.write_text(
        "Naam;E-mail;Afdeling;Bestuur;Functie\n"
        "Griet Decoene;griet.decoene@alveringem.example;Burgerzaken;Gemeente Alveringem;Digicoach\n"
        "Wout Lams;wout.lams@alveringem.example;Welzijn;Gemeente Alveringem;digi-expert\n"
        "Saar Vanhove;saar.vanhove@alveringem.example;Dienst Burgerzaken;Gemeente Alveringem;DIGICOACH\n",
        encoding="utf-8",
    )
    proc = start(
        repo, "--lijst", str(hr), "--tips-naar", "wout-lams", "--site-url", "https://intranet.alveringem.example/kb/"
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    taxonomy = yaml.safe_load((repo / "tips" / "taxonomy.yml").read_text(encoding="utf-8"))
    assert taxonomy["municipalities"] == {"alveringem": "Alveringem"}
    assert set(taxonomy["departments"]) == {"burgerzaken", "welzijn"}  # 'Dienst Burgerzaken' is Burgerzaken
    assert "**Alveringem**" in (repo / "docs" / "index.md").read_text(encoding="utf-8")
    assert "Westkust" not in (repo / "docs" / "index.md").read_text(encoding="utf-8")
    # Tips of departments Alveringem does not have are kept, for everyone, in tips/alle/.
    moved = (repo / "tips" / "alle" / "draaitabel-maken.md").read_text(encoding="utf-8")
    assert "(excel-lijst-als-tabel.md)" in moved  # its link followed the tip it points to
    assert (repo / "tips" / "burgerzaken" / "gedeelde-mailbox-toevoegen.md").exists()
    assert_published_site(repo, ["Griet Decoene", "Wout Lams"])


MESSY = (
    "Personeelslijst digicoaches (vertrouwelijk);;;;;;;;\n"
    ";;;;;;;;\n"
    "Personeelsnummer;Familienaam;Voornaam;E-mailadres;Afdeling;Bestuur;Functie;Telefoon;Uit dienst\n"
    "1001;Desmedt ;Anouk;Anouk.Desmedt@Veurne.example ;Financiën ;Stad Veurne;Digicoach;058 11 22 33;\n"
    "1002;VERCRUYSSE;Bert;bert.vercruysse@koksijde.example;Burgerzaken;Gemeente Koksijde;Digi-expert;;nee\n"
    "1001;Desmedt;Anouk;anouk.desmedt@veurne.example;Financiën;Stad Veurne;Digicoach;058 11 22 33;\n"
    "1003;Lievens;Femke;femke.lievens@koksijde.example;Welzijn;Gemeente Koksijde;digicoach;;ja\n"
    "1004;Moreel;Jens;jens.moreel@veurne.example;Burgerzaken;Stad Veurne;Digi coach;;\n"
)


def test_a_messy_windows_csv_is_read_as_hr_keeps_it(tmp_path: Path) -> None:
    hr = tmp_path / "personeel.csv"
    hr.write_bytes(MESSY.encode("cp1252"))
    result = parse_hr_list(hr, None, TODAY)
    people = {p.email: p for p in result.people}
    assert set(people) == {
        "anouk.desmedt@veurne.example", "bert.vercruysse@koksijde.example", "femke.lievens@koksijde.example",
        "jens.moreel@veurne.example",
    }  # fmt: skip
    assert people["anouk.desmedt@veurne.example"].name == "Anouk Desmedt"  # trailing space, duplicate row merged
    assert people["anouk.desmedt@veurne.example"].department == "Financiën"
    assert people["bert.vercruysse@koksijde.example"].name == "Bert Vercruysse"
    assert people["bert.vercruysse@koksijde.example"].role == "digi-expert"
    assert people["bert.vercruysse@koksijde.example"].municipality == "Koksijde"
    assert not people["femke.lievens@koksijde.example"].active  # 'Uit dienst: ja'
    notes = " ".join(result.notes)
    assert "rij 6 is dezelfde persoon als rij 4" in notes and "'Personeelsnummer'" in notes
    repo = copy_content(tmp_path / "repo")
    proc = start(repo, "--lijst", str(hr), "--tips-naar", "anouk.desmedt@veurne.example")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    femke = next(c for c in coaches(repo)["coaches"] if c["id"] == "femke-lievens")
    assert femke["active"] is False and "femke-lievens" not in coaches(repo)["chair_rotation"]


BAD = (
    "Naam;E-mail;Dienst;Gemeente;Rol\n"
    "Anouk Desmedt;anouk.desmedt@veurne,example;Financiën;Veurne;Digicoach\n"
    "Bert Vercruysse;bert.vercruysse@koksijde.example;Burgerzaken;Koksijde;digicoch\n"
    "Femke Lievens;femke.lievens@koksijde.example;;Koksijde;Digicoach\n"
    "Jens Moreel;jens.moreel@veurne.example;Burgerzaken;Veurne;Digicoach\n"
)


def test_bad_rows_are_named_in_dutch_and_nothing_is_written(tmp_path: Path) -> None:
    repo = copy_content(tmp_path / "repo")
    hr = tmp_path / "coaches.csv"
    hr.write_text(BAD, encoding="utf-8")
    before = tree_hash(repo)
    proc = start(repo, "--lijst", str(hr))
    assert proc.returncode == 1
    err = proc.stderr
    assert "Traceback" not in err + proc.stdout
    assert "niets gewijzigd" in err and "3 problemen" in err
    assert (
        "coaches.csv, rij 2, kolom B ('E-mail'): 'anouk.desmedt@veurne,example' is geen e-mailadres. "
        "Bedoelde je 'anouk.desmedt@veurne.example'?"
    ) in err
    assert "coaches.csv, rij 3, kolom E ('Rol'): onbekende rol 'digicoch'" in err and "Bedoelde je 'digicoach'?" in err
    assert "coaches.csv, rij 4, kolom C ('Dienst'): de dienst ontbreekt (Femke Lievens)." in err
    assert tree_hash(repo) == before


@pytest.mark.parametrize(
    ("option", "value", "expected"),
    [
        ("--tips-naar", "ilse van hoof", "Bedoelde je 'ilse-van-hove'?"),
        ("--overleg-dag", "dinsdg", "Bedoelde je 'dinsdag'?"),
        ("--site-url", "intranet.westkust.example", "Bedoelde je 'https://intranet.westkust.example'?"),
        ("--overleg-einde", "12:00", "vóór of op het beginuur"),
    ],
)
def test_bad_options_are_refused_before_anything_is_written(
    tmp_path: Path, option: str, value: str, expected: str
) -> None:
    repo = copy_content(tmp_path / "repo")
    before = tree_hash(repo)
    proc = start(repo, "--lijst", str(PLAIN), option, value, "--overleg-start", "13:30")
    assert proc.returncode == 1 and expected in proc.stderr, proc.stderr
    assert "Traceback" not in proc.stderr
    assert tree_hash(repo) == before


@pytest.mark.parametrize("path", [TITLED, SPLIT_NAMES, ANSI, PLAIN], ids=lambda p: p.name)
def test_every_dev_hr_list_gives_14_departments_in_4_municipalities(path: Path) -> None:
    result = parse_hr_list(path, None, TODAY)
    assert len(result.people) in (25, 26)
    assert len({p.department.lower() for p in result.people}) == 14
    assert {p.municipality for p in result.people} == {"De Panne", "Koksijde", "Nieuwpoort", "Veurne"}
    assert sum(p.role == "digi-expert" for p in result.people) == 2


def test_a_list_without_a_header_is_refused_with_what_it_found(tmp_path: Path) -> None:
    hr = tmp_path / "lijst.csv"
    hr.write_text("Jan;jan@x.be;ICT\nPiet;piet@x.be;ICT\n", encoding="utf-8")
    with pytest.raises(HrListError, match="geen kopregel gevonden"):
        parse_hr_list(hr, None, TODAY)


def test_settings_edits_keep_comments_and_a_bare_plugin_gets_options() -> None:
    text = (
        'site_name: KB\n# the address\nsite_url: !ENV [KENNISBANK_SITE_URL, "http://127.0.0.1:8000/"]\n'
        "plugins:\n  - search\n  - kennisbank  # ours\nmarkdown_extensions:\n  - toc\n"
    )
    edited = edit_config(text, {"site_url": SITE_URL, "repo_url": "https://github.com/o/r"}, {"meeting_day": "vrijdag"})
    assert "# the address\n" in edited and "# ours" in edited
    assert 'site_url: !ENV [KENNISBANK_SITE_URL, "https://intranet.westkust.example/kennisbank/"]' in edited
    assert plugin_options(parse_config(edited)) == {"meeting_day": "vrijdag"}
    again = edit_config(edited, {}, {"meeting_day": "maandag", "meeting_every_weeks": 2})
    assert plugin_options(parse_config(again)) == {"meeting_day": "maandag", "meeting_every_weeks": 2}


def test_the_end_of_the_answers_stops_cleanly_and_writes_nothing(tmp_path: Path) -> None:
    repo = copy_content(tmp_path / "repo")
    before = tree_hash(repo)
    proc = start(repo, "--interactief", stdin=f"{PLAIN}\n\nj\n")  # the input ends at the site address
    assert proc.returncode == 130 and "afgebroken" in proc.stderr
    assert "Traceback" not in proc.stdout + proc.stderr
    assert tree_hash(repo) == before


def test_a_functie_column_with_job_titles_is_not_taken_for_the_role(tmp_path: Path) -> None:
    hr = tmp_path / "lijst.csv"
    hr.write_text(
        "Naam,E-mail,Afdeling,Gemeente,Functie\n"
        "Jan Peel,jan.peel@x.example,ICT,Veurne,Systeembeheerder\n"
        "Mia Roos,mia.roos@x.example,Burgerzaken,Veurne,Administratief medewerker\n"
        "Tom Ree,tom.ree@x.example,Burgerzaken,Veurne,Baliemedewerker\n",
        encoding="utf-8",
    )
    result = parse_hr_list(hr, None, TODAY)
    assert {p.role for p in result.people} == {"digicoach"}
    assert any("functietitels" in note for note in result.notes)


def test_a_workbook_with_an_explanation_sheet_first_and_a_private_address(tmp_path: Path) -> None:
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.active.title = "Uitleg"
    workbook.active.append(["Deze lijst houdt P&O bij. Vragen: personeel@x.example"])
    sheet = workbook.create_sheet("Coaches")
    sheet.append(["Naam", "E-mail privé", "E-mail werk", "Dienst", "Gemeente", "Uit dienst"])
    sheet.append(["Jan Peel", "jan@thuis.example", "Jan.Peel@Veurne.example", "ICT", "Stad Veurne", "2027-03-01"])
    sheet.append(["Mia Roos", "mia@thuis.example", "mia.roos@veurne.example", "ICT", "Veurne", "2026-10-01"])
    path = tmp_path / "coaches.xlsx"
    workbook.save(path)
    result = parse_hr_list(path, None, TODAY)
    assert result.described == "Excel-werkmap, blad 'Coaches'"
    jan, mia = result.people
    assert (jan.email, jan.municipality, jan.active) == ("jan.peel@veurne.example", "Veurne", True)  # leaves later
    assert not mia.active  # left in October
    assert "thuis.example" not in repr(result)


def test_departments_and_municipalities_can_be_given(tmp_path: Path) -> None:
    repo = copy_content(tmp_path / "repo")
    places = "De Panne, Koksijde, Nieuwpoort, Veurne, Alveringem"
    refused = start(repo, "--lijst", str(PLAIN), "--gemeenten", places, "--diensten", "Kinderopvang: Koksijde")
    assert refused.returncode == 1
    assert (
        "digicoaches_westkust.xlsx, rij 23: Lander Vanden Bussche is coach bij Kinderopvang in Veurne, maar volgens "
        "de opgegeven diensten bestaat Kinderopvang alleen in Koksijde. Voeg Veurne toe."
    ) in refused.stderr
    proc = start(
        repo, "--lijst", str(PLAIN), "--gemeenten", places, "--diensten", "Kinderopvang: Veurne, Koksijde; Jeugd"
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    taxonomy = yaml.safe_load((repo / "tips" / "taxonomy.yml").read_text(encoding="utf-8"))
    assert list(taxonomy["municipalities"])[-1] == "alveringem"  # a fifth, still without coaches
    assert taxonomy["departments"]["kinderopvang"]["municipalities"] == ["veurne", "koksijde"]
    assert taxonomy["departments"]["jeugd"]["municipalities"] == list(taxonomy["municipalities"])
    assert len(taxonomy["departments"]) == 15


def test_an_error_that_was_there_before_does_not_block_the_start(tmp_path: Path) -> None:
    repo = copy_content(tmp_path / "repo")
    broken = repo / "tips" / "alle" / "kapot.md"
    broken.write_text("---\ntitle: Half af\ntools: [outlok]\n---\nTekst.\n", encoding="utf-8")
    proc = start(repo, "--lijst", str(PLAIN), "--tips-naar", "ilse-van-hove")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "fout(en) vóór de start (in tips/alle/kapot.md); die blijven staan" in proc.stdout
    assert broken.read_text(encoding="utf-8").startswith("---\ntitle: Half af")  # untouched


def test_headers_as_people_write_them(tmp_path: Path) -> None:
    hr = tmp_path / "lijst.csv"
    hr.write_text(
        "Naam digicoach,E-mailadres digicoach,Dienst/afdeling,Gemeente/stad,Rol (digicoach/digi-expert),Actief?\n"
        "Mevr. An Pot,An.Pot@Veurne.example,ICT,Veurne,digi-expert,x\n"
        '"Pot, Bo",bo.pot@veurne.example,ICT,Veurne,digicoach,\n'
        "Dhr. Cas Ros,cas.ros@veurne.example,Burgerzaken,Veurne,Digi coach,X\n",
        encoding="utf-8",
    )
    an, bo, cas = parse_hr_list(hr, None, TODAY).people
    assert (an.name, an.email, an.role, an.active) == ("An Pot", "an.pot@veurne.example", "digi-expert", True)
    assert (bo.name, bo.active) == ("Bo Pot", False)  # a column of crosses: no cross is not active
    assert (cas.name, cas.role, cas.active) == ("Cas Ros", "digicoach", True)


def test_a_formula_without_a_stored_value_is_refused_not_read_as_empty(tmp_path: Path) -> None:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Voornaam", "Naam", "E-mail", "Dienst", "Gemeente"])
    sheet.append(["An", "Pot", '=LOWER(A2&"."&B2&"@veurne.example")', "ICT", "Veurne"])
    path = tmp_path / "formules.xlsx"
    workbook.save(path)
    with pytest.raises(HrListError, match=r"formules.xlsx, blad 'Sheet', rij 2, kolom C: formule =LOWER"):
        parse_hr_list(path, None, TODAY)


def test_a_typo_in_a_department_or_municipality_is_not_a_new_one(tmp_path: Path) -> None:
    hr = tmp_path / "lijst.csv"
    hr.write_text(
        "Naam;E-mail;Dienst;Gemeente\nAn Pot;an@veurne.example;Burgerzaken;Veurne\n"
        "Bo Pot;bo@veurne.example;Burgerzaken;Veurne\nCas Ros;cas@veurne.example;Burgerzakn;Veurn\n",
        encoding="utf-8",
    )
    with pytest.raises(HrListError) as refused:
        parse_hr_list(hr, None, TODAY)
    assert refused.value.problems == [
        "lijst.csv, rij 4, kolom C ('Dienst'): 'Burgerzakn' komt 1 keer voor en lijkt op 'Burgerzaken' (2 keer). "
        "Bedoelde je 'Burgerzaken'? Verbeter de lijst, anders wordt 'Burgerzakn' een aparte waarde.",
        "lijst.csv, rij 4, kolom D ('Gemeente'): 'Veurn' komt 1 keer voor en lijkt op 'Veurne' (2 keer). "
        "Bedoelde je 'Veurne'? Verbeter de lijst, anders wordt 'Veurn' een aparte waarde.",
    ]


def test_people_can_be_typed_in_when_there_is_no_list(tmp_path: Path) -> None:
    repo = copy_content(tmp_path / "repo")
    answers = [
        "-", "Jan Peel", "jan.peel@alveringem", "jan.peel@alveringem.example", "ICT", "Alveringem", "",
        "Mia Roos", "mia.roos@alveringem.example", "Burgerzaken", "", "expert", "",  # same municipality, digi-expert
        "", "", "", "", "", "", "", "", "Mia", "Mia Roos", "",
    ]  # fmt: skip
    proc = start(repo, "--interactief", "--ja", stdin="\n".join(answers) + "\n")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "'jan.peel@alveringem' is geen e-mailadres" in proc.stdout
    assert "Bedoelde je 'Mia Roos'?" in proc.stdout
    data = coaches(repo)
    assert [(c["id"], c["municipality"], c.get("role", "digicoach")) for c in data["coaches"]] == [
        ("jan-peel", "alveringem", "digicoach"),
        ("mia-roos", "alveringem", "digi-expert"),
    ]
    assert "Gemaakt met 'kennisbank start' uit de ingetypte lijst" in (repo / "tips" / "coaches.yml").read_text()
    assert "coach: mia-roos" in (repo / "tips" / "alle" / "mfa-nieuwe-gsm.md").read_text(encoding="utf-8")


def test_a_workbook_that_unpacks_huge_is_refused_before_it_is_parsed(tmp_path: Path) -> None:
    import zipfile

    path = tmp_path / "bom.xlsx"
    row = "".join(f'<c r="A{n}"><v>1</v></c>' for n in range(1, 2))
    sheet = '<worksheet><sheetData><row r="1">' + row * 600_000 + "</row></sheetData></worksheet>"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", sheet)
    assert path.stat().st_size < 200_000
    with pytest.raises(HrListError, match="uitgepakt groter dan 10 MB"):
        parse_hr_list(path, None, TODAY)


def test_dienst_wins_over_afdeling_and_the_report_says_which_column_was_used(tmp_path: Path) -> None:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Afdeling", "Dienst", "Naam", "E-mail privé", "E-mail", "Entiteit", "Bestuur", "Functie", "Rol"])
    rows = [
        ("Interne zaken", "ICT", "Jan Peel", "digi-expert"),
        ("Interne zaken", "Financiën", "Mia Roos", "digicoach"),
        ("Burger & Welzijn", "Burgerzaken", "Tom Ree", "digicoach"),
        ("Burger & Welzijn", "Sociaal Huis", "Ann Dua", "digicoach"),
    ]
    for cluster, department, name, role in rows:
        mail = name.lower().replace(" ", ".")
        sheet.append([cluster, department, name, f"{mail}@thuis.example", f"{mail}@veurne.example", "OCMW",
                      "Veurne", "Administratief medewerker", role])  # fmt: skip
    path = tmp_path / "coaches.xlsx"
    workbook.save(path)
    result = parse_hr_list(path, None, TODAY)
    assert [p.department for p in result.people] == ["ICT", "Financiën", "Burgerzaken", "Sociaal Huis"]
    assert {p.municipality for p in result.people} == {"Veurne"}  # 'Bestuur' before 'Entiteit'
    assert [p.role for p in result.people][:2] == ["digi-expert", "digicoach"]  # 'Rol' before 'Functie'
    assert all(p.email.endswith("@veurne.example") for p in result.people)
    notes = "\n".join(result.notes)
    assert "kolom B ('Dienst') gebruikt als dienst; niet gebruikt: 'Afdeling'" in notes
    assert "kolom G ('Bestuur') gebruikt als gemeente; niet gebruikt: 'Entiteit'" in notes
    assert "kolom I ('Rol') gebruikt als rol; niet gebruikt: 'Functie'" in notes
    assert "'Dienst'" not in notes.split("niet gebruikte kolommen")[-1]


def test_mostly_dienst_wins_but_dienstverband_and_diensthoofd_are_no_department(tmp_path: Path) -> None:
    hr = tmp_path / "lijst.csv"
    hr.write_text(
        "Naam medewerker;Dienstverband;Diensthoofd;Afdeling;Dienst (team);Mail algemeen;Mail werk;Gemeente;"
        "Naam leidinggevende;E-mail leidinggevende\n"
        "An Pot;Contractueel;Bo Baas;Interne zaken;ICT;info@veurne.example;an.pot@veurne.example;Veurne;Bo Baas;"
        "bo@veurne.example\n",
        encoding="utf-8",
    )
    result = parse_hr_list(hr, None, TODAY)
    an = result.people[0]
    assert (an.name, an.department, an.email) == ("An Pot", "ICT", "an.pot@veurne.example")
    notes = "\n".join(result.notes)
    assert "kolom E ('Dienst (team)') gebruikt als dienst; niet gebruikt: 'Afdeling'" in notes
    assert "niet gebruikte kolommen: 'Dienstverband', 'Diensthoofd', 'Naam leidinggevende', 'E-mail leid" in notes


def sheet_per_municipality(path: Path) -> Path:
    """A workbook as a personeelsdienst of four municipalities keeps it: a sheet per gemeente and no municipality
    column, 'FAMILIENAAM Voornaam', 'Dienst ' with a trailing space, e-mails in mixed case with spaces, one
    person twice per sheet, an empty row after the data, and a shared ICT digi-expert on two sheets."""
    from openpyxl import Workbook

    people = {
        "De Panne": [
            ("VAN DE VELDE Nathalie", "Burgerzaken", "Digicoach"),
            ("DE SMET Pieter", "Financiën", "Digicoach"),
            ("D'HONDT Lies", "ICT", "Digi-expert"),
            ("VANDEN BUSSCHE Lander", "Vrije tijd", "Digicoach"),
        ],
        "Koksijde": [
            ("PEETERS An", "Burgerzaken", "Digicoach"),
            ("MAES Tom", "Sociaal Huis", "Digicoach"),
            ("D'HONDT Lies", "ICT (gedeeld met De Panne)", "Digi-expert"),
        ],
        "Nieuwpoort": [("JANSSENS Eva", "Burgerzaken", "Digicoach"), ("WOUTERS Bram", "Omgeving", "Digicoach")],
        "Veurne": [("VERMEULEN Sara", "Financiën", "Digicoach"), ("CLAES Jonas", "Kinderopvang", "Digicoach")],
    }
    workbook = Workbook()
    workbook.remove(workbook.worksheets[0])
    for place, rows in people.items():
        sheet = workbook.create_sheet(place)
        sheet.append(["NAAM", "Mail", "Dienst ", "Functie"])
        domain = place.lower().replace(" ", "") + ".example"
        for name, department, role in rows:
            surname, first = name.rsplit(" ", 1)
            local = f"{first}.{surname.replace(' ', '').replace(chr(39), '')}".lower()
            domain_of = "depanne.example" if "HONDT" in name else domain  # the shared expert has one address
            sheet.append([name, f" {local.title()}@{domain_of.upper()} ", department, role])
        first_name, department, role = rows[0]
        surname, first = first_name.rsplit(" ", 1)
        local = f"{first}.{surname.replace(' ', '')}".lower()
        sheet.append([first_name, f"{local}@{domain}  ", department, role])  # the same person again
        sheet.append([])
    workbook.save(path)
    return path


def test_a_workbook_with_a_sheet_per_municipality(tmp_path: Path) -> None:
    path = sheet_per_municipality(tmp_path / "digicoaches per gemeente.xlsx")
    result = parse_hr_list(path, None, TODAY)
    people = {p.email: p for p in result.people}
    assert len(people) == 10  # 11 names on 4 sheets + 4 duplicates: 15 rows
    assert {p.municipality for p in result.people} == {"De Panne", "Koksijde", "Nieuwpoort", "Veurne"}
    nathalie = people["nathalie.vandevelde@depanne.example"]
    assert (nathalie.name, nathalie.sheet, nathalie.where) == (
        "Nathalie Van de Velde",
        "De Panne",
        "blad 'De Panne', rij 2",
    )
    assert people["pieter.desmet@depanne.example"].name == "Pieter De Smet"
    assert people["lander.vandenbussche@depanne.example"].name == "Lander Vanden Bussche"
    lies = people["lies.dhondt@depanne.example"]
    assert (lies.name, lies.municipality, lies.department, lies.role) == (
        "Lies D'Hondt",
        "De Panne",
        "ICT",
        "digi-expert",
    )
    notes = "\n".join(result.notes)
    assert "de naam van het blad is de gemeente" in notes
    assert "4 bladen gelezen: 'De Panne' (4 personen), 'Koksijde' (2 personen)" in notes
    assert "4 dubbele rij(en) samengevoegd" not in notes and "5 dubbele rij(en) samengevoegd" in notes
    assert (
        "Lies D'Hondt (lies.dhondt@depanne.example) staat bij twee gemeenten: blad 'De Panne', rij 4 (De Panne, ICT) "
        "en blad 'Koksijde', rij 4 (Koksijde, ICT gedeeld). Een coach hoort bij één gemeente: Lies D'Hondt wordt "
        "coach in De Panne (ICT; de rij waar de dienst niet 'gedeeld met' zegt)"
    ) in notes
    repo = copy_content(tmp_path / "repo")
    proc = start(repo, "--lijst", str(path), "--tips-naar", "lies.dhondt@depanne.example")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "Traceback" not in proc.stdout + proc.stderr
    assert "staat bij twee gemeenten" in proc.stdout
    listed = {c["email"]: c for c in coaches(repo)["coaches"]}
    assert listed["lies.dhondt@depanne.example"]["municipality"] == "de-panne"
    assert listed["nathalie.vandevelde@depanne.example"]["name"] == "Nathalie Van de Velde"


def test_the_shared_expert_listed_first_on_the_shared_sheet_still_lands_where_the_department_is_own(
    tmp_path: Path,
) -> None:
    hr = tmp_path / "lijst.csv"
    hr.write_text(
        "Naam;E-mail;Dienst;Gemeente;Rol\n"
        "Lies D'Hondt;lies@depanne.example;ICT (gedeeld met De Panne);Koksijde;digi-expert\n"
        "An Pot;an@koksijde.example;ICT;Koksijde;digicoach\n"
        "Lies D'Hondt;LIES@depanne.example ;ICT;De Panne;digi-expert\n",
        encoding="utf-8",
    )
    result = parse_hr_list(hr, None, TODAY)
    lies = result.people[0]
    assert (lies.municipality, lies.department, lies.row) == ("De Panne", "ICT", 4)
    assert any(
        "wordt coach in De Panne (ICT; de rij waar de dienst niet 'gedeeld met' zegt)" in n for n in result.notes
    )


def test_a_single_sheet_named_after_a_municipality_gives_it_but_a_generic_one_does_not(tmp_path: Path) -> None:
    from openpyxl import Workbook

    for title, works in (("Veurne", True), ("Digicoaches Veurne 2026", True), ("Blad1", False), ("Lijst", False)):
        workbook = Workbook()
        workbook.active.title = title
        workbook.active.append(["Naam", "E-mail", "Dienst"])
        workbook.active.append(["An Pot", "an@veurne.example", "ICT"])
        path = tmp_path / f"{title}.xlsx"
        workbook.save(path)
        if works:
            assert parse_hr_list(path, None, TODAY).people[0].municipality == "Veurne"
        else:
            with pytest.raises(HrListError, match="elke gemeente op een eigen blad"):
                parse_hr_list(path, None, TODAY)


def test_an_archive_sheet_is_not_read_and_generic_sheet_names_are_no_municipality(tmp_path: Path) -> None:
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.active.title = "Veurne"
    for title in ("Veurne", "Oud (gestopt)", "Koksijde"):
        sheet = workbook[title] if title in workbook.sheetnames else workbook.create_sheet(title)
        sheet.append(["Naam", "E-mail", "Dienst"])
        sheet.append([f"An {title[:3]}", f"an.{title[:3].lower()}@x.example", "ICT"])
    path = tmp_path / "coaches.xlsx"
    workbook.save(path)
    result = parse_hr_list(path, None, TODAY)
    assert [p.municipality for p in result.people] == ["Veurne", "Koksijde"]
    assert "blad 'Oud (gestopt)' lijkt een archief (oude of gestopte coaches): niet gelezen" in result.notes
    workbook["Koksijde"].title = "Blad2"
    workbook.save(path)
    with pytest.raises(HrListError, match="geen kolom voor de gemeente"):
        parse_hr_list(path, None, TODAY)


def test_one_person_coaching_two_departments_is_kept_once_with_the_first(tmp_path: Path) -> None:
    hr = tmp_path / "export_personeel_deel.csv"
    hr.write_text(
        "Naam;E-mail;Dienst;Gemeente;Rol\n"
        "Sofie Maes;sofie.maes@veurne.example;Burgerzaken;Veurne;Digicoach\n"
        "Jens Moreel;jens.moreel@veurne.example;ICT;Veurne;Digi-expert\n"
        "Sofie Maes; Sofie.Maes@veurne.example;Sociaal huis;Veurne;Digicoach\n",
        encoding="utf-8",
    )
    result = parse_hr_list(hr, None, TODAY)
    sofie = result.people[0]
    assert (sofie.department, sofie.also, len(result.people)) == ("Burgerzaken", ("Sociaal huis",), 2)
    assert any(
        "Sofie Maes (sofie.maes@veurne.example) is coach in twee diensten: Burgerzaken (rij 2) en Sociaal huis (rij 4)"
        in note
        for note in result.notes
    )
    repo = copy_content(tmp_path / "repo")
    before = tree_hash(repo)
    proc = start(repo, "--lijst", str(hr), "--tips-naar", "jens.moreel@veurne.example")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert tree_hash(repo) != before
    assert "coach in twee diensten" in proc.stdout and "geen eigen coach" in proc.stdout
    listed = {c["email"]: c for c in coaches(repo)["coaches"]}
    assert listed["sofie.maes@veurne.example"]["department"] == "burgerzaken"
    assert "# ook coach in: Sociaal huis" in (repo / "tips" / "coaches.yml").read_text(encoding="utf-8")
    taxonomy = yaml.safe_load((repo / "tips" / "taxonomy.yml").read_text(encoding="utf-8"))
    assert set(taxonomy["departments"]) == {"burgerzaken", "ict", "sociaal-huis"}  # the second department exists


def test_one_e_mail_with_two_different_names_is_still_refused(tmp_path: Path) -> None:
    hr = tmp_path / "lijst.csv"
    hr.write_text(
        "Naam;E-mail;Dienst;Gemeente\nSofie Maes;sofie@veurne.example;ICT;Veurne\n"
        "Jens Moreel;sofie@veurne.example;ICT;Veurne\n",
        encoding="utf-8",
    )
    with pytest.raises(HrListError, match=r"rij 3, kolom B \('E-mail'\): 'sofie@veurne.example' staat ook op rij 2"):
        parse_hr_list(hr, None, TODAY)


# A CSV as a Koksijde export looks: quoted 'Familienaam, Voornaam', two empty columns at every line end, the
# municipality in capitals, a ';' inside a quoted department, a department that contains a sample department's
# label, 'Startdatum' as d/mm/yyyy text (joining the organisation), 'Actief' Ja/Nee and 'Uit dienst sinds'.
KOKSIJDE = (
    "Naam;E-mail;Dienst;Gemeente;Startdatum;Actief;Uit dienst sinds;;\r\n"
    '"Peeters, An";an.peeters@koksijde.example;"Vrije Tijd; Jeugd & Sport";KOKSIJDE;3/09/2021;Ja;;;\r\n'
    '"VAN DE VELDE, Nathalie";nathalie.vdv@koksijde.example;Bevolking & Burgerzaken;KOKSIJDE;14/02/2019;Ja;;;\r\n'
    '"Maes, Tom";tom.maes@koksijde.example;Financiën;Koksijde;1/10/2015;Nee;1/06/2026;;\r\n'
    '"De Smet, Eva";eva.desmet@koksijde.example;ICT;Koksijde;5/05/2020;Ja;31/12/2027;;\r\n'
    '"Claes, Jonas";jonas.claes@koksijde.example;ICT;Koksijde;5/05/2020;Ja;2/11/2026;;\r\n'
)


def test_a_koksijde_export_with_quoted_names_empty_columns_and_inactive_people(tmp_path: Path) -> None:
    hr = tmp_path / "export_koksijde.csv"
    hr.write_text(KOKSIJDE, encoding="utf-8")
    result = parse_hr_list(hr, None, TODAY)
    people = {p.name: p for p in result.people}
    assert list(people) == ["An Peeters", "Nathalie Van de Velde", "Tom Maes", "Eva De Smet", "Jonas Claes"]
    assert {p.municipality for p in result.people} == {"Koksijde"}
    assert people["An Peeters"].department == "Vrije Tijd; Jeugd & Sport"
    assert people["An Peeters"].since is None  # 'Startdatum' is the day someone joined, not the coach role
    assert [p.active for p in result.people] == [True, True, False, True, False]  # 'Nee'; left on 2 November
    notes = "\n".join(result.notes)
    assert "2 persoon/personen niet (meer) actief" in notes and "Tom Maes, Jonas Claes" in notes
    assert "niet gebruikte kolommen: 'Startdatum' (een startdatum is de indiensttreding" in notes
    repo = copy_content(tmp_path / "repo")
    proc = start(repo, "--lijst", str(hr), "--tips-naar", "an.peeters@koksijde.example")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert (
        "dienst 'Bevolking & Burgerzaken' is een nieuwe dienst (bevolking-burgerzaken), niet de voorbeelddienst "
        "'Burgerzaken' (burgerzaken)"
    ) in proc.stdout
    taxonomy = yaml.safe_load((repo / "tips" / "taxonomy.yml").read_text(encoding="utf-8"))
    assert taxonomy["municipalities"] == {"koksijde": "Koksijde"}
    assert taxonomy["departments"]["vrije-tijd-jeugd-sport"]["label"] == "Vrije Tijd; Jeugd & Sport"
    listed = {c["name"]: c for c in coaches(repo)["coaches"]}
    assert listed["Tom Maes"]["active"] is False and "tom-maes" not in coaches(repo)["chair_rotation"]


def test_a_summary_sheet_without_departments_first_does_not_hide_the_municipality_sheets(tmp_path: Path) -> None:
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.active.title = "Overzicht"
    workbook.active.append(["Naam", "E-mail"])
    workbook.active.append(["An Pot", "an.pot@veurne.example"])
    for place in ("Veurne", "Koksijde"):
        sheet = workbook.create_sheet(place)
        sheet.append(["Naam", "E-mail", "Dienst"])
        sheet.append([f"Bo {place}", f"bo@{place.lower()}.example", "ICT"])
    path = tmp_path / "coaches.xlsx"
    workbook.save(path)
    result = parse_hr_list(path, None, TODAY)
    assert [(p.name, p.municipality) for p in result.people] == [("Bo Veurne", "Veurne"), ("Bo Koksijde", "Koksijde")]
    assert "blad 'Overzicht' heeft andere kolommen dan blad 'Veurne': niet gelezen" in "\n".join(result.notes)
