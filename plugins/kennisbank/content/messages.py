"""Turns pydantic validation errors into positioned Dutch problems."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from .models import PLACEHOLDER
from .problems import Problem, allowed_text, suggest
from .sourcefile import FieldPath, Positions

_PATTERN_HINTS = {
    "tags": "'{value}' is geen geldige tag: tags zijn losse woorden in kleine letters, bv. [mailbox, delen].",
    "email": "'{value}' is geen geldig e-mailadres (vorm: voornaam.naam@gemeente.be).",
    "id": "'{value}' is geen geldige id: gebruik kleine letters, cijfers en koppeltekens, bv. an-peeters.",
}


# Field names are English, as in every tip; a coach who writes the Dutch word gets the right name suggested.
_DUTCH_KEYS = {
    "titel": "title",
    "samenvatting": "summary",
    "diensten": "departments",
    "dienst": "departments",
    "voor": "departments",
    "niveau": "difficulty",
    "stappen": "steps",
    "waarom": "why",
    "onderwerpen": "tools",
    "bron": "source",
    "datum": "date",
    "gemeenten": "municipalities",
    "nieuwe_collegas": "new_colleagues",
    "nieuwe-collegas": "new_colleagues",
}


def field_label(loc: FieldPath) -> str:
    """('actions', 0, 'who') -> 'actions[0].who'."""
    label = ""
    for part in loc:
        label += f"[{part}]" if isinstance(part, int) else (f".{part}" if label else str(part))
    return label or "front matter"


def _allowed_keys(model: type[BaseModel], loc: FieldPath) -> list[str]:
    """Field names of the (nested) model that owns the last key of `loc`."""
    current: type[BaseModel] | None = model
    for part in loc[:-1]:
        if isinstance(part, int):
            continue
        info = current.model_fields.get(part) if current is not None else None
        if info is None:
            continue  # a key of a dict field such as tools.outlook: stay on the value model
        current = _model_in(info.annotation)
    return list(current.model_fields) if current is not None else []


def _model_in(annotation: object) -> type[BaseModel] | None:
    for arg in getattr(annotation, "__args__", ()) or ():
        found = _model_in(arg)
        if found is not None:
            return found
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    return None


def _describe(error: ErrorDetails, model: type[BaseModel]) -> str:
    kind, ctx, value = error["type"], error.get("ctx") or {}, error.get("input")
    loc = error["loc"]
    if kind == "missing":
        return "verplicht veld ontbreekt."
    if kind == "extra_forbidden":
        allowed = [k for k in _allowed_keys(model, loc) if k not in ("slug", "source_path", "body", "body_line")]
        message = f"onbekend veld '{loc[-1]}'. Toegestaan: {allowed_text(allowed, limit=40)}."
        dutch = _DUTCH_KEYS.get(str(loc[-1]).lower())
        hint = dutch if dutch in allowed else suggest(str(loc[-1]), allowed)
        return message + (f" Bedoelde je '{hint}'?" if hint else "")
    if kind in ("string_type", "list_type", "dict_type", "model_type", "int_type", "bool_type") and value in (
        None,
        "",
    ):
        return "is leeg; vul een waarde in."
    if kind == "string_type":
        return f"moet tekst zijn, niet {value!r}. Zet de waarde eventueel tussen aanhalingstekens."
    if kind == "string_too_short":
        return "mag niet leeg zijn."
    if kind == "string_too_long":
        return f"is te lang ({len(str(value))} tekens, maximum {ctx.get('max_length')})."
    if kind == "list_type":
        example = f"[{value}]" if isinstance(value, str) else "[waarde1, waarde2]"
        return f"moet een lijst zijn, bv. {example}."
    if kind == "too_short":
        return f"moet minstens {ctx.get('min_length')} waarde bevatten."
    if kind in ("dict_type", "model_type", "model_attributes_type"):
        keys = _allowed_keys(model, (*loc, "")) if isinstance(value, str) and value else []
        # A bare value where fields are expected (a step written as '- wachtwoord-vergeten'): show the field.
        example = f", bv. '{keys[0]}: {value}'" if keys else ""
        return f"moet velden bevatten in de vorm 'naam: waarde'{example}."
    if kind == "string_pattern_mismatch":
        key = next((str(p) for p in reversed(loc) if isinstance(p, str)), "")
        hint = _PATTERN_HINTS.get(key, "'{value}' heeft niet de verwachte vorm.")
        return hint.format(value=value)
    if kind in ("bool_type", "bool_parsing"):
        return f"moet true of false zijn, niet {value!r}."
    if kind in ("int_type", "int_parsing", "int_from_float"):
        return f"moet een geheel getal zijn, niet {value!r}."
    if kind in ("greater_than", "greater_than_equal", "less_than", "less_than_equal"):
        return f"{value!r} ligt buiten het toegelaten bereik."
    if kind in ("finite_number", "float_type", "float_parsing"):
        return f"moet een gewoon getal zijn, niet {value!r}."
    if kind == "invalid_key":
        return f"de veldnaam {value!r} is geen tekst; schrijf de naam van een veld, gevolgd door ':'."
    if kind.startswith("kb_"):  # our own PydanticCustomErrors carry a Dutch message
        return str(error["msg"])
    # pydantic's own text is English: never show it bare to a coach.
    return f"ongeldige waarde {_short(value)} voor dit veld (soort fout: {kind})."


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "…"


def translate(
    exc: ValidationError, model: type[BaseModel], rel_path: str, positions: Positions, prefix: FieldPath = ()
) -> list[Problem]:
    """One Problem per pydantic error, positioned on the offending key (or its nearest parent)."""
    problems = []
    for error in exc.errors(include_url=False):
        loc = (*prefix, *error["loc"])
        line, col = positions.of(loc)
        message = _describe(error, model)
        if error.get("input") == PLACEHOLDER:
            message = "nog in te vullen" + (
                ": de datum als JJJJ-MM-DD, bv. vandaag." if "date" in error["type"] else "."
            )
        problems.append(Problem(rel_path, line, col, field_label(loc), message))
    return problems
