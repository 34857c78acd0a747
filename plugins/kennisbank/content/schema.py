"""JSON Schema of the front matter, with the vocabulary ids filled in as enums for completion."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from .kinds import DOCUMENT_KINDS
from .models import CoachList, Taxonomy
from .vocabulary import Vocabularies

SCHEMAS: dict[str, type[BaseModel]] = {
    **{kind.name: kind.front_matter for kind in DOCUMENT_KINDS},
    "coaches": CoachList,
    "taxonomy": Taxonomy,
}


def _fill_enums(node: Any, vocabularies: Vocabularies) -> Any:
    if isinstance(node, dict):
        name = node.pop("x-vocabulary", None)
        filled = {key: _fill_enums(value, vocabularies) for key, value in node.items()}
        if name in vocabularies.values:
            filled["enum"] = list(vocabularies.values[name])
        return filled
    if isinstance(node, list):
        return [_fill_enums(item, vocabularies) for item in node]
    return node


def build_json_schema(kind: str, vocabularies: Vocabularies) -> dict[str, Any]:
    """JSON Schema (draft 2020-12) for one kind of file, ids restricted to the current vocabulary."""
    schema = SCHEMAS[kind].model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    filled: dict[str, Any] = _fill_enums(schema, vocabularies)  # a dict comes back as a dict
    return filled


def _choice(values: tuple[str, ...], index: int) -> str:
    escaped = [v.replace(",", "\\,").replace("|", "\\|") for v in values]
    return f"${{{index}|{','.join(escaped)}|}}"


def build_snippets(vocabularies: Vocabularies) -> dict[str, Any]:
    """VS Code snippets for a new tip, learning path and signal, with drop-down choices from the vocabulary.

    VS Code's YAML schemas do not apply to front matter inside Markdown; snippets with choices do.
    """
    v = vocabularies.values
    tip = [
        "---",
        "title: ${1:Titel van de tip}",
        "summary: ${2:Eén zin die zegt wat deze tip oplevert}",
        f"tools: [{_choice(v['tools'], 3)}]",
        f"difficulty: {_choice(v['difficulties'], 4)}",
        f"source: {_choice(v['sources'], 5)}",
        f"departments: [{_choice(v['departments+alle'], 6)}]",
        f"coach: {_choice(v['coaches'], 7)}",
        "date: $CURRENT_YEAR-$CURRENT_MONTH-$CURRENT_DATE",
        "tags: [${8}]",
        "---",
        "1. ${0:Eerste stap}",
    ]
    path = [
        "---",
        "title: ${1:Naam van het leerpad}",
        "summary: ${2:Eén zin: wat kan een collega na dit leerpad?}",
        f"departments: [{_choice(v['departments+alle'], 3)}]",
        f"difficulty: {_choice(v['difficulties'], 4)}",
        "new_colleagues: ${5|true,false|}",
        f"coach: {_choice(v['coaches'], 6)}",
        "steps:",
        "  - tip: ${7:bestandsnaam-van-de-tip-zonder-md}",
        "    why: ${8:Waarom deze tip op deze plaats komt}",
        "---",
        "${0:Waarom dit leerpad? Voor wie is het, en hoeveel tijd vraagt het?}",
    ]
    signal = [
        "---",
        "title: ${1:Wat loopt er vast?}",
        f"theme: {_choice(v['themes'], 2)}",
        f"departments: [{_choice(v['departments+alle'], 3)}]",
        f"raised_by: {_choice(v['coaches'], 4)}",
        "raised_on: $CURRENT_YEAR-$CURRENT_MONTH-$CURRENT_DATE",
        "status: nieuw",
        "---",
        "${0:Wat zien je collega's, hoe vaak, en wat zou helpen?}",
    ]
    return {
        "Kennisbank: nieuwe tip": {
            "scope": "markdown",
            "prefix": "tip",
            "body": tip,
            "description": "Front matter voor een nieuwe tip",
        },
        "Kennisbank: nieuw leerpad": {
            "scope": "markdown",
            "prefix": "leerpad",
            "body": path,
            "description": "Front matter voor een nieuw leerpad (in tips/leerpaden/)",
        },
        "Kennisbank: nieuw signaal": {
            "scope": "markdown",
            "prefix": "signaal",
            "body": signal,
            "description": "Front matter voor een nieuw signaal",
        },
    }
