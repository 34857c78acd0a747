"""JSON Schema of the front matter, with the vocabulary ids filled in as enums for completion."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from .models import CoachList, MeetingFrontMatter, SignalFrontMatter, Taxonomy, TipFrontMatter
from .vocabulary import Vocabularies

SCHEMAS: dict[str, type[BaseModel]] = {
    "tip": TipFrontMatter,
    "meeting": MeetingFrontMatter,
    "signal": SignalFrontMatter,
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
    return _fill_enums(schema, vocabularies)
