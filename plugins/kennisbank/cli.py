"""The `kennisbank` command line: validate, schema and the exports built on the same loader."""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path

from .loader import load_repository
from .problems import summary_line
from .schema import SCHEMAS, build_json_schema, build_snippets
from .vocabulary import Vocabularies


def _date_arg(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is geen datum (JJJJ-MM-DD)") from None


def cmd_validate(args: argparse.Namespace) -> int:
    """Validate the whole repository; exit 1 on errors (or on warnings with --strict)."""
    result = load_repository(Path(args.root), today=args.today)
    for problem in result.problems:
        if args.format == "github":
            print(problem.format_github())
        else:
            print(problem.format_text())
    print(summary_line(result.problems, result.files_checked))
    failing = result.problems if args.strict else result.errors
    return 1 if failing else 0


def cmd_schema(args: argparse.Namespace) -> int:
    """Print one JSON Schema, or write all of them into a folder for editors."""
    result = load_repository(Path(args.root))
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


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="kennisbank", description="Kennisbank van de digicoaches: controleren, schema's en exports."
    )
    parser.add_argument("--root", default=".", help="map van de repository (standaard: huidige map)")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMANDO")

    validate = sub.add_parser("validate", help="controleer alle tips, vergaderingen en signalen")
    validate.add_argument(
        "--format", choices=["text", "github"], default="text", help="'github' geeft annotaties voor GitHub Actions"
    )
    validate.add_argument("--strict", action="store_true", help="ook waarschuwingen doen falen")
    validate.add_argument("--today", type=_date_arg, default=None, help=argparse.SUPPRESS)
    validate.set_defaults(func=cmd_validate)

    schema = sub.add_parser("schema", help="JSON Schema van de front matter (voor editors)")
    schema.add_argument("kind", nargs="?", choices=list(SCHEMAS), default="tip")
    schema.add_argument("-o", "--output", help="schrijf alle schema's en VS Code-snippets naar deze map (bv. .vscode)")
    schema.set_defaults(func=cmd_schema)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point of the `kennisbank` console script."""
    args = build_parser().parse_args(argv)
    handler: Callable[[argparse.Namespace], int] = args.func
    try:
        return handler(args)
    except (OSError, ValueError) as exc:
        if os.environ.get("KENNISBANK_DEBUG"):
            raise
        print(f"kennisbank: {exc}", file=sys.stderr)
        return 2
