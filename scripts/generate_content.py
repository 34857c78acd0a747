"""Generate a synthetic repository with N valid Dutch tips, for benchmarks and large-site tests.

Usage: python scripts/generate_content.py DEST --tips 1000
The vocabulary, coaches and hand-written pages are copied from this repository; tips are generated
deterministically (seeded) with 200-400 words each, spread over all departments, tools and levels.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
from datetime import date, timedelta
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent

VERBS = ["Open", "Klik op", "Kies", "Selecteer", "Typ", "Sleep", "Controleer", "Bewaar", "Deel", "Zoek"]
OBJECTS = [
    "het lint",
    "de knop Delen",
    "het menu Bestand",
    "de zoekbalk",
    "de map Documenten",
    "het tabblad Start",
    "de instellingen",
    "de gedeelde agenda",
    "het kanaal van je dienst",
    "de bijlage",
    "de versiegeschiedenis",
    "het venster Opties",
    "de lijst met contacten",
    "de vergaderopties",
    "de filterknop",
]
TOPICS = [
    "wachtwoord",
    "gedeelde mailbox",
    "vergadering",
    "draaitabel",
    "sjabloon",
    "handtekening",
    "agenda",
    "versiegeschiedenis",
    "sneltoets",
    "bijlage",
    "formulier",
    "kanaal",
    "notities",
    "afwezigheidsbericht",
    "scherm delen",
    "samenvatting",
    "prompt",
    "tabel",
    "filter",
    "map",
]
FILLER = (
    "Zo werk je sneller en vermijd je fouten. Vraag je digicoach om hulp als het de eerste keer niet lukt. "
    "Collega's van andere diensten gebruiken dit al met succes. Probeer het eerst op een testbestand. "
    "Bewaar je werk regelmatig en sluit het venster pas als alles opgeslagen is."
)


def _body(rng: random.Random, words: int) -> str:
    lines = ["Waarom dit handig is: " + FILLER, "", "## Stappen", ""]
    step = 1
    while sum(len(line.split()) for line in lines) < words:
        lines.append(f"{step}. {rng.choice(VERBS)} **{rng.choice(OBJECTS)}** en let op {rng.choice(TOPICS)}.")
        step += 1
        if step % 6 == 0:
            lines += ["", FILLER, ""]
    return "\n".join(lines) + "\n"


def generate(dest: Path, tips: int, seed: int = 7, today: date | None = None) -> Path:
    """Write a complete repository with `tips` generated tips into `dest` and return it."""
    # The build date is an input: the one the site will be built for (KENNISBANK_TODAY), else the real date.
    today = today or (
        date.fromisoformat(os.environ["KENNISBANK_TODAY"]) if os.environ.get("KENNISBANK_TODAY") else date.today()
    )
    rng = random.Random(seed)
    dest.mkdir(parents=True, exist_ok=True)
    for name in ("docs", "mkdocs.yml"):
        source = ROOT / name
        shutil.copytree(source, dest / name) if source.is_dir() else shutil.copy2(source, dest / name)
    (dest / "tips").mkdir(exist_ok=True)
    for name in ("taxonomy.yml", "coaches.yml", "synoniemen.yml"):
        shutil.copy2(ROOT / "tips" / name, dest / "tips" / name)
    (dest / "meetings").mkdir(exist_ok=True)

    taxonomy = yaml.safe_load((ROOT / "tips/taxonomy.yml").read_text(encoding="utf-8"))
    # Only coaches who take part: a tip of a former coach gets a warning from validate.
    coaches = yaml.safe_load((ROOT / "tips/coaches.yml").read_text(encoding="utf-8"))["coaches"]
    coaches = [coach for coach in coaches if coach.get("active", True)]
    departments, tools = list(taxonomy["departments"]), list(taxonomy["tools"])
    sources, levels = list(taxonomy["sources"]), list(taxonomy["difficulties"])
    for index in range(tips):
        department = departments[index % len(departments)]
        topic = rng.choice(TOPICS)
        tool = tools[index % len(tools)]
        front = {
            "title": f"{topic.capitalize()} in {taxonomy['tools'][tool]['label']} (tip {index + 1})",
            "summary": f"Een korte uitleg over {topic} voor de dienst {taxonomy['departments'][department]['label']}.",
            "tools": sorted({tool, rng.choice(tools)}),
            "difficulty": levels[index % len(levels)],
            "source": rng.choice(sources),
            "departments": [department],
            "coach": coaches[index % len(coaches)]["id"],
            "date": (today - timedelta(days=rng.randint(0, 500))).isoformat(),
            "tags": [topic.replace(" ", "-")],
        }
        text = "---\n" + yaml.safe_dump(front, allow_unicode=True, sort_keys=False) + "---\n"
        folder = dest / "tips" / department
        folder.mkdir(exist_ok=True)
        (folder / f"gegenereerde-tip-{index + 1:05d}.md").write_text(
            text + _body(rng, rng.randint(200, 400)), encoding="utf-8"
        )
    return dest


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dest", type=Path)
    parser.add_argument("--tips", type=int, default=1000)
    args = parser.parse_args()
    generate(args.dest, args.tips)
    print(f"{args.tips} tips geschreven naar {args.dest}")


if __name__ == "__main__":
    main()
