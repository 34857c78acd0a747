"""The `kennisbank` command line: validate, schema and the exports built on the same loader."""

from __future__ import annotations

import argparse
import io
import json
import os
import socket
import subprocess
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

# Only what the parser and `main` need is imported here: each command imports its own stage inside its handler,
# so `kennisbank --help` loads no models, and `validate` no Excel, Word or calendar library (start-up time).
from ..content.oserrors import describe_os_error
from ..content.schema_names import SCHEMA_NAMES
from ..exports.formats import FORMATS
from ..knowledge.clock import ENV_VAR, TodayError, resolve_stamp, resolve_today
from ..policy import MIN_GROUP, USAGE_MIN_SEARCHES
from .dutch_argparse import DutchParser
from .report_kinds import REPORTS

if TYPE_CHECKING:
    from ..content.models import Meeting
    from ..content.repository import Repository


def _port_arg(text: str) -> int:
    if not text.isdigit() or not 1024 <= int(text) <= 65535:
        raise argparse.ArgumentTypeError(f"'{text}' is geen poort; kies een getal van 1024 tot 65535.")
    return int(text)


def _date_arg(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is geen datum (JJJJ-MM-DD)") from None


def cmd_validate(args: argparse.Namespace) -> int:
    """Validate the whole repository; exit 1 on errors (or on warnings with --strict)."""
    from ..checks.examples import HOW_TO_REMOVE, publish_problems
    from ..checks.loader import load_repository
    from ..content.problems import Severity, summary_line

    result = load_repository(Path(args.root), today=args.today)
    # --publiceren: what the publish build refuses (example content, over-te-nemen) counts as an error too.
    refused = publish_problems(result.repository) if args.publish else []
    problems = sorted(set(result.problems) | set(refused))
    for problem in problems:
        if args.format == "github":
            print(problem.format_github())
        else:
            print(problem.format_text())
    print(summary_line(problems, result.files_checked))
    if refused:
        print(HOW_TO_REMOVE)
    failing = problems if args.strict else [p for p in problems if p.severity is Severity.ERROR]
    return 1 if failing else 0


def cmd_schema(args: argparse.Namespace) -> int:
    """Print one JSON Schema, or write all of them into a folder for editors."""
    from ..checks.loader import load_repository
    from ..content.schema import SCHEMAS, build_json_schema, build_snippets
    from ..content.vocabulary import Vocabularies

    result = load_repository(Path(args.root), today=args.today)
    repo = result.repository
    vocabularies = Vocabularies.build(repo.taxonomy, tuple(repo.coaches), tuple(t.slug for t in repo.tips))
    if args.output:
        out = Path(args.output)
        out.mkdir(parents=True, exist_ok=True)
        documents = {f"{kind}.schema.json": build_json_schema(kind, vocabularies) for kind in SCHEMAS}
        documents["kennisbank.code-snippets"] = build_snippets(vocabularies)
        for name, document in documents.items():
            path = out / name
            path.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
            print(path)
        return 0
    print(json.dumps(build_json_schema(args.kind, vocabularies), indent=2, ensure_ascii=False))
    return 0


def _load_valid(root: Path, today: date) -> Repository:
    """The repository, or a Dutch error listing the problems: exports need valid content."""
    from ..checks.loader import load_repository

    result = load_repository(root, today=today)
    if result.errors:
        for problem in result.errors:
            print(problem.format_text(), file=sys.stderr)
        raise CommandError("de inhoud bevat fouten; los ze eerst op (zie hierboven).")
    return result.repository


class CommandError(Exception):
    """A user error with a Dutch message; printed without traceback, exit code 1."""


def _pick_meeting(repository: Repository, day: date | None, today: date) -> Meeting:
    from ..knowledge.indexes import next_meeting

    if day:
        meeting = next((m for m in repository.meetings if m.date == day), None)
        if meeting is None:
            known = ", ".join(m.date.isoformat() for m in repository.meetings)
            raise CommandError(f"geen overleg op {day}. Gekende data: {known}.")
        return meeting
    meeting = next_meeting(repository.meetings, today)
    if meeting is None:
        raise CommandError("er is geen komend overleg; maak er een met 'kennisbank new-meeting'.")
    return meeting


def cmd_agenda(args: argparse.Namespace) -> int:
    """Export the agenda of a meeting (default: the next upcoming one)."""
    from ..checks.examples import has_example_content
    from ..exports.bundle import agenda_view, export_agenda
    from ..knowledge.derive import derive
    from ..knowledge.series import current_season, season_of, series_by_season
    from ..site.render import Renderer

    repository = _load_valid(Path(args.root), args.today)
    args.format = _format_for(args.output, args.format, tuple(FORMATS))
    seasons = series_by_season(repository.meetings, args.today, args.series_until, args.series_count)
    if args.series:
        series = seasons.get(current_season(repository.meetings, args.today) or 0)
        if args.format != "ics" or series is None:
            raise CommandError("--series kan alleen met --format ics, en vraagt minstens één overleg.")
        from ..exports.agenda_ics import series_ics  # icalendar only for a calendar file

        content = series_ics(series, args.stamp)
    else:
        meeting = _pick_meeting(repository, args.date, args.today)
        knowledge = derive(repository, args.today)
        renderer = Renderer.create(knowledge.labels, args.today)
        series = seasons.get(season_of(meeting.date))
        view = agenda_view(knowledge, meeting, args.site_url, args.stamp, series, has_example_content(repository))
        content = export_agenda(view, args.format, renderer).content
    if args.output:
        Path(args.output).write_bytes(content)
        print(f"{args.output} geschreven ({len(content)} bytes).", file=sys.stderr)
    elif args.format == "docx":
        raise CommandError("een Word-bestand kan niet naar het scherm; geef een bestand op met -o agenda.docx.")
    else:
        sys.stdout.write(content.decode("utf-8"))
    return 0


def cmd_new_meeting(args: argparse.Namespace) -> int:
    """Create the file of the next meeting (three weeks after the last one)."""
    from .scaffold import ScaffoldError, new_meeting, write_new
    from .site_config import SiteConfigError, read_meeting_defaults

    repository = _load_valid(Path(args.root), args.today)
    try:
        defaults = read_meeting_defaults(Path(args.root))
        new = new_meeting(repository, args.today, args.date, defaults=defaults)
        write_new(new)
    except (ScaffoldError, SiteConfigError) as exc:
        raise CommandError(str(exc)) from None
    print(f"Nieuw overleg: {new.path.relative_to(repository.root)}")
    print("Volgende stappen: vul de agendapunten (items) aan, controleer met 'kennisbank validate' en")
    print("exporteer de agenda met 'kennisbank agenda --format docx -o agenda.docx'.")
    return 0


def cmd_start(args: argparse.Namespace) -> int:
    """Turn the sample into the organisation's own kennisbank (asks what is missing in a terminal)."""
    from ..checks.loader import load_repository
    from .start import StartError, apply_plan, plan_handover, plan_start
    from .start_dialog import ask, describe_done, describe_plan, request_from_args, request_interactive, yes_or_no

    root = Path(args.root)
    if args.tips_naar and not args.lijst and not args.interactief:  # hand over what is still over-te-nemen
        try:
            plan = plan_handover(root, args.tips_naar, args.today)
        except StartError as exc:
            raise CommandError(str(exc)) from None
        if not plan.changes:
            print("Er staan geen tips of leerpaden op 'over-te-nemen'; er is niets gewijzigd.")
            return 0
        print(describe_plan(plan, trial=args.proef))
        if not args.proef:
            apply_plan(root, plan)
            print(f"\n{len(plan.changes)} tip(s) en leerpad(en) staan nu op naam van {plan.tips_to}.")
        return 0
    interactive = args.interactief or (sys.stdin.isatty() and not args.lijst)
    try:
        request = request_interactive(args) if interactive else request_from_args(args)
        plan = plan_start(root, request, args.today)
    except StartError as exc:
        raise CommandError(str(exc)) from None
    print(describe_plan(plan, trial=args.proef))
    if args.proef:
        print("\nEr is niets gewijzigd (--proef). Zonder --proef voert 'kennisbank start' dit uit.")
        return 0
    if interactive and not args.ja:
        go = ask("Doorvoeren? (j/n)", yes_or_no, "j")
        if not go:
            print("Er is niets gewijzigd.")
            return 1
    before = {(p.path, p.field, p.message) for p in load_repository(root, today=args.today).errors}
    apply_plan(root, plan)
    result = load_repository(root, today=args.today)
    if [p for p in result.errors if (p.path, p.field, p.message) not in before]:  # validated on a copy: rare
        for problem in result.errors:
            print(problem.format_text(), file=sys.stderr)
        raise CommandError("de start is uitgevoerd, maar de inhoud bevat nu fouten (zie hierboven).")
    print(describe_done(plan, request))
    return 0


def _format_for(output: str | None, given: str | None, known: tuple[str, ...]) -> str:
    """The format asked for, else the one the output file's extension names (md by default); a mismatch is
    an error, not an .xlsx file full of Markdown."""
    extension = Path(output).suffix.lower().lstrip(".") if output else ""
    if given and extension in known and extension != given:
        raise CommandError(f"--format {given} past niet bij {output}; laat --format weg of kies --format {extension}.")
    return given or (extension if extension in known else known[0])


def cmd_report(args: argparse.Namespace) -> int:
    """Print or write a follow-up report (signals, stale tips, coverage) as Markdown, CSV or Excel."""
    from ..knowledge.derive import derive
    from .reports import build_report, to_csv_bytes, to_markdown, to_xlsx

    repository = _load_valid(Path(args.root), args.today)
    table = build_report(args.kind, derive(repository, args.today))
    args.format = _format_for(args.output, args.format, ("md", "csv", "xlsx"))
    if args.format == "xlsx":
        content = to_xlsx(table, args.stamp)
    elif args.format == "csv":
        content = to_csv_bytes(table)
    else:
        content = to_markdown(table).encode("utf-8")
    if args.output:
        Path(args.output).write_bytes(content)
        print(f"{args.output} geschreven ({len(content)} bytes).", file=sys.stderr)
    elif args.format == "xlsx":
        raise CommandError("een Excel-bestand kan niet naar het scherm; geef een bestand op met -o rapport.xlsx.")
    elif args.format == "md":
        sys.stdout.write(content.decode("utf-8"))
    else:  # the CSV's bytes as they are, byte-order mark included, for `> rapport.csv`
        sys.stdout.flush()
        sys.stdout.buffer.write(content)
    return 0


def _ask(prompt: str, choices: dict[str, str] | None = None, multiple: bool = False) -> str:
    """Ask on the terminal; with choices, accept a number or an id (several, comma-separated, if multiple)."""
    from ..content.problems import unknown_value_message

    if choices:
        print(prompt)
        for number, (key, text) in enumerate(choices.items(), start=1):
            print(f"  {number:2}. {key} ({text})")
    while True:
        answer = input(f"{prompt if not choices else 'Keuze'}: ").strip()
        if not choices:
            if answer:
                return answer
            continue
        picked = []
        keys = list(choices)
        for part in [p.strip() for p in answer.split(",")] if multiple else [answer]:
            if part.isdigit() and 1 <= int(part) <= len(keys):
                picked.append(keys[int(part) - 1])
            elif part in choices:
                picked.append(part)
            else:
                print(f"  {unknown_value_message('keuze', part, keys)}")
                break
        else:
            if picked:
                return ",".join(picked)


def _split(value: str | None) -> tuple[str, ...]:
    return tuple(v.strip() for v in (value or "").split(",") if v.strip())


def cmd_new_tip(args: argparse.Namespace) -> int:
    """Create a valid tip file from flags, asking for what is missing when run interactively."""
    from ..checks.loader import load_repository
    from ..content.kinds import ContentLayout
    from ..content.models import ALL_DEPARTMENTS
    from .scaffold import ScaffoldError, TipRequest, new_tip, write_new

    # Another coach's broken tip is no reason not to start a new one; a broken vocabulary is.
    result = load_repository(Path(args.root), today=args.today)
    repository = result.repository
    layout = ContentLayout()
    vocabulary_files = {layout.taxonomy_file, layout.coaches_file}
    broken_vocabulary = [p for p in result.errors if p.path in vocabulary_files]
    taxonomy = repository.taxonomy
    if broken_vocabulary or taxonomy is None or not repository.coaches:
        for problem in broken_vocabulary:
            print(problem.format_text(), file=sys.stderr)
        raise CommandError("de woordenlijst (tips/taxonomy.yml, tips/coaches.yml) bevat fouten; los die eerst op.")
    if result.errors:
        print(
            f"Let op: {len(result.errors)} fout(en) in andere bestanden; 'kennisbank validate' toont ze.",
            file=sys.stderr,
        )
    interactive = args.interactive or sys.stdin.isatty()
    options = {
        "tools": {k: t.label for k, t in taxonomy.tools.items()},
        "department": {**{k: t.label for k, t in taxonomy.departments.items()}, ALL_DEPARTMENTS: "alle diensten"},
        "difficulty": {k: t.label for k, t in taxonomy.difficulties.items()},
        "source": {k: t.label for k, t in taxonomy.sources.items()},
        "coach": {c.id: c.name for c in repository.coaches.values() if c.active},
    }
    prompts = {
        "title": "Titel van de tip",
        "tools": "Welke tool(s)? (bv. 1,3)",
        "department": "Voor welke dienst?",
        "difficulty": "Welk niveau?",
        "source": "Waar komt de tip vandaan?",
        "coach": "Wie ben je?",
    }
    values = {name: getattr(args, name) for name in prompts}
    missing = [name for name, value in values.items() if not value]
    if missing and not interactive:
        flags = ", ".join(f"--{name}" for name in missing)
        raise CommandError(
            f"ontbrekende gegevens: {flags}. Geef ze mee, start zonder ze in een terminal, "
            "of geef de antwoorden via de invoer met --interactive."
        )
    for name in missing:
        values[name] = _ask(prompts[name], options.get(name), multiple=name == "tools")
    if interactive and args.summary is None:
        args.summary = input("Samenvatting in één zin (mag leeg): ").strip()
    request = TipRequest(
        title=values["title"], tools=_split(values["tools"]), department=values["department"],
        difficulty=values["difficulty"], source=values["source"], coach=values["coach"],
        summary=args.summary or "", municipalities=_split(args.municipalities), tags=_split(args.tags),
    )  # fmt: skip
    try:
        new = new_tip(repository, request, args.today)
        write_new(new)
    except ScaffoldError as exc:
        raise CommandError(str(exc)) from None
    relative = new.path.relative_to(repository.root)
    print(f"Nieuwe tip: {relative}")
    print("Volgende stappen:")
    print(f"  1. Open {relative} en schrijf de stappen (vervang de voorbeeldtekst).")
    print("  2. Controleer met: kennisbank validate")
    print("  3. Dien de tip in als pull request (zie CONTRIBUTING.md).")
    return 0


def cmd_nulmeting_questions(args: argparse.Namespace) -> int:
    """Print the Forms questions and answer options for the next measurement, from the taxonomy."""
    from ..checks.loader import load_repository
    from .nulmeting_form import form_questions

    result = load_repository(Path(args.root), today=args.today)
    if result.repository.taxonomy is None:
        raise CommandError("de woordenlijst (tips/taxonomy.yml) bevat fouten; los die eerst op.")
    sys.stdout.write(form_questions(result.repository.taxonomy))
    return 0


def cmd_nulmeting_import(args: argparse.Namespace) -> int:
    """Read a Forms export of a skills survey and write its anonymised measurement into tips/nulmeting/."""
    from ..checks.loader import load_repository
    from ..content.kinds import ContentLayout
    from .nulmeting import ImportRequest, NulmetingImportError, read_scale_labels, run_import
    from .nulmeting_anonymise import ImportOptions

    result = load_repository(Path(args.root), today=args.today)
    repository = result.repository
    layout = ContentLayout()
    broken = [p for p in result.errors if p.path in (layout.taxonomy_file, layout.synonyms_file)]
    if broken or repository.taxonomy is None:
        for problem in broken:
            print(problem.format_text(), file=sys.stderr)
        raise CommandError("de woordenlijst (tips/taxonomy.yml, tips/synoniemen.yml) bevat fouten; los die eerst op.")
    try:
        labels = read_scale_labels(Path(args.schaal_bestand) if args.schaal_bestand else None, tuple(args.niveau))
    except NulmetingImportError as exc:
        raise CommandError(str(exc)) from None
    options = ImportOptions(
        measured_on=args.datum, scale=args.schaal, department_column=tuple(args.dienstkolom or ()),
        municipality_column=args.gemeentekolom, labels=labels, ignore_columns=tuple(args.negeer_kolom),
        sheet=args.blad,
    )  # fmt: skip
    request = ImportRequest(
        Path(args.file), Path(args.output) if args.output else None, options, args.force,
        args.nooit_gepubliceerd,
    )  # fmt: skip
    try:
        _, _, summary = run_import(
            request, repository.root, layout.nulmeting_dir, repository.taxonomy, repository.synonyms, args.today
        )
    except NulmetingImportError as exc:
        raise CommandError(str(exc)) from None
    sys.stdout.write(summary)
    return 0


def cmd_usage_import(args: argparse.Namespace) -> int:
    """Read the intranet web server's access logs and write the usage figures per month into tips/gebruik/."""
    from ..checks.loader import load_repository
    from ..content.kinds import ContentLayout
    from .usage import UsageImportError, UsageRequest, base_path_of, run_usage_import

    result = load_repository(Path(args.root), today=args.today)
    repository = result.repository
    layout = ContentLayout()
    if repository.taxonomy is None:
        for problem in result.errors:
            print(problem.format_text(), file=sys.stderr)
        raise CommandError("de woordenlijst (tips/taxonomy.yml) bevat fouten; los die eerst op.")
    request = UsageRequest(tuple(Path(log) for log in args.logs), base_path_of(args.pad, repository.root), args.force)
    try:
        _, summary = run_usage_import(request, repository, layout.usage_dir, args.today)
    except UsageImportError as exc:
        raise CommandError(str(exc)) from None
    except OSError as exc:
        raise CommandError(f"{exc.filename or ''}: {exc.strerror or exc}; er is niets (meer) geschreven.") from None
    sys.stdout.write(f"Pad van de site: {request.base_path}\n{summary}")
    return 0


def free_port(first: int, tries: int = 20) -> int | None:
    """The first port from `first` on that nothing listens on (127.0.0.1)."""
    for port in range(first, min(first + tries, 65536)):
        with socket.socket() as probe:
            if os.name != "nt":  # as the server itself binds: a port with closing connections is free
                probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    return None


def cmd_serve(args: argparse.Namespace) -> int:
    """Build and serve the site for a coach: another port when the usual one is taken, errors in the browser."""
    from ..site.build import installed_engine

    if not (Path(args.root) / "mkdocs.yml").is_file():  # before "Open ... in je browser": nothing will be there
        raise CommandError(f"de site kan niet starten: in {args.root} staat geen mkdocs.yml.")
    port = free_port(args.port)
    if port is None:
        raise CommandError(f"de poorten {args.port} tot {args.port + 19} zijn allemaal bezet; kies er een met --port.")
    if port != args.port:
        print(f"Poort {args.port} is bezet; de kennisbank gebruikt poort {port}.")
    print(f"Open http://127.0.0.1:{port}/ in je browser. Bewaar je een tip, dan toont de browser hem opnieuw.")
    print("Stoppen: Ctrl+C.", flush=True)
    # The site engine runs as its own program: the command line itself imports nothing of it.
    engine = installed_engine()
    command = [sys.executable, "-m", engine.module, "serve", "--dirty", "--no-strict", "-a", f"127.0.0.1:{port}"]
    env = {**os.environ, **engine.environ, "KENNISBANK_TODAY": args.today.isoformat()}
    server = subprocess.Popen(command, cwd=args.root, env=env)
    try:
        return server.wait()
    except KeyboardInterrupt:
        # Ctrl-C reached the server too: let it stop and remove its temporary site folder.
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.terminate()
        print("De kennisbank is gestopt.")
        return 0


def cmd_publish(args: argparse.Namespace) -> int:
    """Publish the built site (or roll back) on a local web root or user@host:/path."""
    from .publish import PublishError, RemoteTarget, publish_local, publish_remote, rollback_local, rollback_remote

    remote = RemoteTarget.parse(args.target)
    try:
        if args.rollback:
            result = rollback_remote(remote) if remote else rollback_local(Path(args.target))
            print(f"Teruggedraaid: {args.target} toont nu release {result.release}.")
            return 0
        site = Path(args.root) / args.site  # also from a subfolder: the repository's own site/
        if remote:
            result = publish_remote(site, remote, args.keep, allow_examples=args.examples)
        else:
            result = publish_local(site, Path(args.target), args.keep, force=args.force, allow_examples=args.examples)
    except PublishError as exc:
        raise CommandError(str(exc)) from None
    if result.unchanged:
        print(
            f"Niets gepubliceerd: de build is gelijk aan release {result.release}, die al live staat op {args.target}."
        )
        print("Publiceer toch een nieuwe release met --force.")
        return 0
    print(f"Gepubliceerd: release {result.release} staat live op {args.target}.")
    if result.previous:
        print(f"Vorige release: {result.previous} (terugdraaien: kennisbank publish --rollback --target {args.target})")
    if result.removed:
        print(f"Opgeruimd: {', '.join(result.removed)}")
    return 0


def cmd_clean_images(args: argparse.Namespace) -> int:
    """Remove a photo's metadata from the named images (`ops.image_cleanup`, which loads Pillow)."""
    from .image_cleanup import cmd_clean_images as clean_images

    return clean_images(args)


REPOSITORY_MARKERS = ("tips/taxonomy.yml", "mkdocs.yml")  # the content first: another project may have mkdocs.yml


def _is_repository(folder: Path) -> bool:
    return any((folder / marker).is_file() for marker in REPOSITORY_MARKERS)


def find_root(start: Path) -> Path:
    """The repository that `start` lies in: the nearest folder up with tips/taxonomy.yml or mkdocs.yml, so
    the commands work from tips/ or any other folder of it (else `start` itself, and loading says what lacks)."""
    folders = (start, *start.parents)
    for marker in REPOSITORY_MARKERS:
        found = next((folder for folder in folders if (folder / marker).is_file()), None)
        if found is not None:
            return found
    return start


def build_parser() -> argparse.ArgumentParser:
    parser = DutchParser(
        prog="kennisbank", description="Kennisbank van de digicoaches: controleren, schema's en exports."
    )
    parser.add_argument(
        "--root", default=None, help="map van de repository (standaard: de repository waarin je nu staat)"
    )
    today_help = f"werk alsof het deze datum is (JJJJ-MM-DD; standaard ${ENV_VAR} of de echte datum)"
    parser.add_argument("--today", type=_date_arg, default=None, help=today_help)
    # Also accepted after the command; SUPPRESS keeps a subcommand from resetting the global value.
    common = DutchParser(add_help=False)
    common.add_argument("--today", type=_date_arg, default=argparse.SUPPRESS, help=today_help)
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMANDO")

    validate = sub.add_parser("validate", parents=[common], help="controleer alle tips, vergaderingen en signalen")
    validate.add_argument(
        "--format", choices=["text", "github"], default="text", help="'github' geeft annotaties voor GitHub Actions"
    )
    validate.add_argument("--strict", action="store_true", help="ook waarschuwingen doen falen")
    validate.add_argument(
        "--publiceren",
        dest="publish",
        action="store_true",
        help="ook weigeren wat niet gepubliceerd mag worden: voorbeeldinhoud en tips zonder echte digicoach",
    )
    validate.set_defaults(func=cmd_validate)

    schema = sub.add_parser("schema", parents=[common], help="JSON Schema van de front matter (voor editors)")
    schema.add_argument(
        "kind", nargs="?", choices=list(SCHEMA_NAMES), default="tip", metavar="SOORT",
        help=f"voor welke bestanden: {', '.join(SCHEMA_NAMES)} (standaard: tip)",
    )  # fmt: skip
    schema.add_argument("-o", "--output", help="schrijf alle schema's en VS Code-snippets naar deze map (bv. .vscode)")
    schema.set_defaults(func=cmd_schema)

    agenda = sub.add_parser("agenda", parents=[common], help="agenda van een overleg exporteren (md, html, docx, ics)")
    agenda.add_argument(
        "date", nargs="?", type=_date_arg, metavar="DATUM", help="datum van het overleg (standaard: het volgende)"
    )
    agenda.add_argument(
        "--format",
        choices=list(FORMATS),
        default=None,
        help="md (mail, Teams), html (afdrukken), docx (Word), ics (standaard: volgens -o, anders md)",
    )
    agenda.add_argument("--series", action="store_true", help="met --format ics: de driewekelijkse reeks")
    agenda.add_argument(
        "--series-until", type=_date_arg, help="laatste dag van de reeks (standaard: 30 juni, einde van het werkjaar)"
    )
    agenda.add_argument(
        "--series-count", type=int, help="de reeks telt zoveel overleggen (in plaats van een einddatum)"
    )
    agenda.add_argument("-o", "--output", help="schrijf naar dit bestand (verplicht voor docx)")
    agenda.add_argument(
        "--site-url",
        default=os.environ.get("KENNISBANK_SITE_URL"),
        help="adres van de site, voor links in de export (standaard: $KENNISBANK_SITE_URL)",
    )
    agenda.set_defaults(func=cmd_agenda)

    report = sub.add_parser("report", parents=[common], help="opvolging: signalen, te herzien tips, dekking per dienst")
    report.add_argument(
        "kind", choices=list(REPORTS), metavar="RAPPORT",
        help="signals (open signalen), stale (te herzien tips) of coverage (dekking per dienst)",
    )  # fmt: skip
    report.add_argument(
        "--format", choices=["md", "csv", "xlsx"], default=None, help="md, csv (Excel) of xlsx (standaard: volgens -o)"
    )
    report.add_argument("-o", "--output", help="schrijf naar dit bestand (verplicht voor xlsx)")
    report.set_defaults(func=cmd_report)

    tip = sub.add_parser("new-tip", parents=[common], help="een nieuwe tip aanmaken (vraagt wat ontbreekt)")
    tip.add_argument("--title", help="titel van de tip")
    tip.add_argument("--tools", help="ids, komma-gescheiden: outlook,teams")
    tip.add_argument("--department", help="dienst-id, of 'alle'")
    tip.add_argument("--difficulty", help="niveau-id, bv. basis")
    tip.add_argument("--source", help="bron-id, bv. oase of ai-training")
    tip.add_argument("--coach", help="jouw id uit tips/coaches.yml")
    tip.add_argument("--summary", help="één zin die in de zoekresultaten verschijnt")
    tip.add_argument("--municipalities", help="optioneel, komma-gescheiden")
    tip.add_argument("--tags", help="optioneel, komma-gescheiden")
    tip.add_argument("--interactive", action="store_true", help="vraag ontbrekende gegevens ook zonder terminal")
    tip.set_defaults(func=cmd_new_tip)

    serve = sub.add_parser("serve", parents=[common], help="de site bekijken terwijl je schrijft (in je browser)")
    serve.add_argument(
        "--port", type=_port_arg, default=8000, metavar="POORT", help="poort (standaard 8000; bezet: de volgende vrije)"
    )
    serve.set_defaults(func=cmd_serve)

    publish = sub.add_parser(
        "publish", parents=[common], help="de gebouwde site publiceren op het intranet (of terugdraaien)"
    )
    publish.add_argument("--target", required=True, help="map (gemounte webroot) of gebruiker@server:/pad")
    publish.add_argument("--site", default="site", help="de gebouwde site (standaard: site)")
    publish.add_argument("--keep", type=int, default=5, help="aantal releases dat bewaard blijft (standaard 5)")
    publish.add_argument("--rollback", action="store_true", help="terug naar de vorige release")
    publish.add_argument(
        "--force", action="store_true", help="ook publiceren als de build gelijk is aan de live release"
    )
    publish.add_argument(
        "--voorbeeldinhoud",
        dest="examples",
        action="store_true",
        help="ook een site met voorbeeldinhoud (verzonnen personen) publiceren, bv. naar een testserver",
    )
    publish.set_defaults(func=cmd_publish)

    nulmeting = sub.add_parser("nulmeting", help="nulmeting (bevraging van de digitale vaardigheden) inlezen")
    nulmeting_sub = nulmeting.add_subparsers(dest="nulmeting_command", required=True, metavar="COMMANDO")
    survey = nulmeting_sub.add_parser(
        "import", parents=[common], help="een export van Microsoft Forms (xlsx of csv) geanonimiseerd bewaren",
        description="Leest de antwoorden van de nulmeting zoals Microsoft Forms ze exporteert (xlsx, of csv in "
        "UTF-8 of Windows-1252 met ';' of ','), en schrijft per dienst en tool het aantal antwoorden, de "
        "verdeling over de niveaus en het gemiddelde naar tips/nulmeting/JJJJ-MM.yml. Namen, e-mailadressen, "
        f"tijdstippen en vrije antwoorden worden niet bewaard; groepen van minder dan {MIN_GROUP} worden onderdrukt. "
        "Niveaus: Ik ken de basis niet (1), Basis (2), Gevorderd (3), Expert (4); ook Beginner / Gemiddeld / "
        "Gevorderd / Expert, Helemaal niet vaardig … Zeer vaardig, Ik kan dit niet … aan anderen uitleggen, Moeilijk "
        "/ Gaat wel / Goed / Heel goed, cijfers of sterren en een cijfer op 10. Op een schaal van vijf "
        "telt 1 als geen basis, 2 en 3 als basis, 4 als gevorderd en 5 als expert. Een onbekend antwoord stopt de "
        "import met een voorstel voor --schaal-bestand.",
    )  # fmt: skip
    survey.add_argument("file", metavar="BESTAND", help="de export van Forms (.xlsx of .csv); die blijft ongewijzigd")
    survey.add_argument("-o", "--output", help="schrijf naar dit bestand (standaard tips/nulmeting/JJJJ-MM.yml)")
    survey.add_argument(
        "--datum", type=_date_arg, help="datum van de meting (standaard: de laatste 'Tijd van voltooien')"
    )
    survey.add_argument(
        "--schaal", type=int, choices=[4, 5, 10], help="cijfers als antwoord: schaal van 1 tot 4, 1 tot 5 of een "
        "cijfer op 10 (1-3 geen, 4-5 basis, 6-8 gevorderd, 9-10 expert); standaard 5 als er ergens een 5 staat, 10 "
        "als de titel 'op 10' of '/10' zegt en er een 6 tot 10 staat",
    )  # fmt: skip
    survey.add_argument(
        "--schaal-bestand", metavar="BESTAND",
        help="YAML-bestand met per antwoord het niveau ('Gemiddeld: basis'; geen, basis, gevorderd, expert of "
        "'geen antwoord'); gaat voor op de bekende schalen",
    )  # fmt: skip
    survey.add_argument(
        "--niveau", action="append", default=[], metavar="ANTWOORD=NIVEAU",
        help="het niveau van één antwoord, bv. --niveau \"Gemiddeld=basis\" (mag meer dan eens)",
    )  # fmt: skip
    survey.add_argument(
        "--negeer-kolom", action="append", default=[], metavar="TITEL",
        help="laat deze vraag bewust weg (mag meer dan eens); een vraag over een tool wordt anders altijd ingelezen",
    )  # fmt: skip
    survey.add_argument(
        "--dienstkolom", action="append", default=None,
        help="titel van de vraag naar de dienst, als ze niet gevonden wordt; mag meer dan eens, als het formulier "
        "de dienst in meer kolommen vraagt (een vertakking per gemeente): ze worden samengevoegd",
    )  # fmt: skip
    survey.add_argument("--gemeentekolom", help="titel van de vraag naar de gemeente, als ze niet gevonden wordt")
    survey.add_argument(
        "--blad", metavar="NAAM",
        help="het blad van de werkmap met de export (standaard: het blad dat op een export van Forms lijkt)",
    )  # fmt: skip
    survey.add_argument(
        "--force", action="store_true",
        help="een bestaand bestand vervangen (geweigerd als een groep met 1 tot 4 antwoorden verschilt)",
    )  # fmt: skip
    survey.add_argument(
        "--nooit-gepubliceerd", action="store_true",
        help="het oude bestand (met --force), of een andere meting die een versie van dezelfde export lijkt, stond "
        "zeker nooit op de site: schrijf ook als kleine verschillen ermee af te leiden zouden zijn",
    )  # fmt: skip
    survey.set_defaults(func=cmd_nulmeting_import)
    questions = nulmeting_sub.add_parser(
        "vragen", parents=[common], help="de vragen en antwoordopties voor Forms, klaar om te kopiëren",
        description="Toont de vragen van de nulmeting en hun antwoordopties (diensten, gemeenten en tools precies "
        "zoals in tips/taxonomy.yml), in Markdown, klaar om in Microsoft Forms te kopiëren. Zie "
        "docs/nulmeting-vragen.md.",
    )  # fmt: skip
    questions.set_defaults(func=cmd_nulmeting_questions)

    start = sub.add_parser(
        "start", parents=[common], help="van voorbeeld naar eigen kennisbank: digicoaches, diensten, instellingen",
        description="Vervangt de voorbeeldinhoud door jullie eigen kennisbank: de gemeenten, diensten en "
        "digicoaches uit de personeelslijst (xlsx of csv), de instellingen in mkdocs.yml, en ruimt de verzonnen "
        "personen, vergaderingen, signalen en metingen op. Zonder opties in een terminal stelt het de vragen.",
    )  # fmt: skip
    start.add_argument("--lijst", metavar="BESTAND", help="de lijst van digicoaches en digi-experts (xlsx of csv)")
    start.add_argument("--gemeenten", help="de gemeenten, komma-gescheiden (standaard: die uit de lijst)")
    start.add_argument("--gemeente", help="de gemeente van iedereen, als de lijst geen kolom Gemeente heeft")
    start.add_argument(
        "--diensten", help="de diensten: 'Burgerzaken; Kinderopvang: Koksijde, Nieuwpoort' of een bestand met één "
        "dienst per regel (standaard: die uit de lijst, in alle gemeenten)",
    )  # fmt: skip
    start.add_argument(
        "--site-url", help="adres van de site op het intranet, bv. https://intranet.gemeente.be/kennisbank/"
    )
    start.add_argument(
        "--repo-url", metavar="ADRES", help="adres van de repository, bv. https://github.com/organisatie/kennisbank"
    )
    start.add_argument("--tak", metavar="TAK", default="main", help="de tak voor de bewerk-links (standaard main)")
    start.add_argument(
        "--overleg-weken", metavar="WEKEN", default="3", help="om de hoeveel weken het overleg is (standaard 3)"
    )
    start.add_argument(
        "--overleg-dag", metavar="DAG", default="dinsdag", help="weekdag van het overleg (standaard dinsdag)"
    )
    start.add_argument("--overleg-start", metavar="UUR", default="13:30", help="beginuur (standaard 13:30)")
    start.add_argument("--overleg-einde", metavar="UUR", default="15:00", help="einduur (standaard 15:00)")
    start.add_argument("--overleg-plaats", metavar="PLAATS", default="Te bepalen", help="waar het overleg doorgaat")
    start.add_argument(
        "--tips-naar", metavar="COACH", help="id, naam of e-mail van de digicoach die de algemene tips overneemt "
        "(standaard: ze staan als 'over-te-nemen')",
    )  # fmt: skip
    start.add_argument("--proef", action="store_true", help="toon wat er zou veranderen, en verander niets")
    start.add_argument(
        "--interactief",
        "--interactive",
        action="store_true",
        help="stel de vragen ook zonder terminal (antwoorden via de invoer)",
    )
    start.add_argument("--ja", action="store_true", help="niet om bevestiging vragen")
    start.set_defaults(func=cmd_start)

    usage = sub.add_parser("gebruik", help="gebruik van de site (gelezen tips, zoektermen, feedback) inlezen")
    usage_sub = usage.add_subparsers(dest="usage_command", required=True, metavar="COMMANDO")
    usage_import = usage_sub.add_parser(
        "import", parents=[common], help="toegangslogs van de intranetserver optellen per maand",
        description="Leest de toegangslogs van de intranetserver (Apache of nginx 'combined', IIS W3C; ook .gz, "
        "in elke volgorde, overlappende bestanden tellen één keer) en schrijft per maand tips/gebruik/JJJJ-MM.yml: "
        "hoe vaak elke tip gelezen werd, de zoekopdrachten en de feedback. IP-adressen, gebruikersnamen, browsers, "
        f"verwijzende pagina's en tijdstippen worden niet bewaard; een zoekterm alleen als minstens "
        f"{USAGE_MIN_SEARCHES} verschillende collega's ze zochten en ze geen e-mailadres, lang getal, adres, naam of "
        "onbekend woord bevat.",
    )  # fmt: skip
    usage_import.add_argument("logs", nargs="+", metavar="LOG", help="de logbestanden (ook .gz)")
    usage_import.add_argument(
        "--pad", help="het pad van de site op de server, bv. /kennisbank/ (standaard: uit KENNISBANK_SITE_URL of "
        "mkdocs.yml)",
    )  # fmt: skip
    usage_import.add_argument(
        "--force", action="store_true",
        help="een bestaande maand vervangen door de cijfers uit de logbestanden die je nu meegeeft",
    )  # fmt: skip
    usage_import.set_defaults(func=cmd_usage_import)

    cleanup = sub.add_parser(
        "afbeelding-opschonen", parents=[common],
        help="GPS-positie, naam van de eigenaar en andere gegevens uit een foto in de repository verwijderen",
        description="Bewaart elke afbeelding opnieuw zonder haar gegevens (EXIF met GPS-positie, XMP, "
        "commentaar); de afbeelding zelf blijft gelijk. Alleen de bestanden die je noemt, veranderen.",
    )  # fmt: skip
    cleanup.add_argument("paths", nargs="+", metavar="PAD", help="de afbeelding(en), bv. tips/burgerzaken/foto.jpg")
    cleanup.add_argument("--proef", action="store_true", help="toon wat er verwijderd zou worden; schrijf niets")
    cleanup.set_defaults(func=cmd_clean_images)

    meeting = sub.add_parser("new-meeting", parents=[common], help="het bestand voor het volgende overleg aanmaken")
    meeting.add_argument("--date", type=_date_arg, help="datum (standaard: drie weken na het laatste overleg)")
    meeting.set_defaults(func=cmd_new_meeting)
    return parser


def _say_if_outside_repository(code: int, root: Path) -> None:
    """After a failed command outside any repository: every file "missing" is true but hides the cause."""
    if code != 0 and not _is_repository(root):
        print(
            f"kennisbank: in {root} staat geen kennisbank (geen tips/taxonomy.yml of mkdocs.yml). Ga naar de map"
            " van de repository of een map erin, of geef ze op met --root MAP.",
            file=sys.stderr,
        )


def main(argv: list[str] | None = None) -> int:
    """Entry point of the `kennisbank` console script."""
    for stream in (sys.stdout, sys.stderr):
        # Redirected on Windows, the streams are cp1252: an emoji in a title would end in an encoding error.
        if isinstance(stream, io.TextIOWrapper) and not stream.isatty():
            stream.reconfigure(encoding="utf-8", errors="replace")
    args = build_parser().parse_args(argv)
    if args.root is not None and not Path(args.root).is_dir():
        print(f"kennisbank: de map {args.root} bestaat niet (--root).", file=sys.stderr)
        return 2
    args.root = str(args.root or find_root(Path.cwd()))
    try:
        args.today = resolve_today(args.today)
        args.stamp = resolve_stamp(args.today)
    except TodayError as exc:
        print(f"kennisbank: {exc}", file=sys.stderr)
        return 2
    handler: Callable[[argparse.Namespace], int] = args.func
    try:
        code = handler(args)
        _say_if_outside_repository(code, Path(args.root))
        return code
    except (KeyboardInterrupt, EOFError):
        # Ctrl-C, or the end of the input while a question waits (Ctrl-D, Ctrl-Z on Windows, a closed pipe).
        done = " er is niets geschreven." if args.command in ("new-tip", "start") else ""
        print(f"\nkennisbank: afgebroken;{done}" if done else "\nkennisbank: afgebroken.", file=sys.stderr)
        return 130
    except CommandError as exc:
        print(f"kennisbank: {exc}", file=sys.stderr)
        _say_if_outside_repository(1, Path(args.root))
        return 1
    except (OSError, ValueError) as exc:
        if os.environ.get("KENNISBANK_DEBUG"):
            raise
        # str(OSError) is English and starts with '[Errno 30]'; colleagues get Dutch and the path.
        message = describe_os_error(exc) if isinstance(exc, OSError) else str(exc)
        print(f"kennisbank: {message}", file=sys.stderr)
        return 2


if __name__ == "__main__":  # python -m kennisbank.ops.cli (scripts/dev.py, without the console script)
    sys.exit(main())
