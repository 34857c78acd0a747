"""Checks that every id in a validated model exists in its vocabulary (taxonomy, coaches, tips)."""

from __future__ import annotations

import functools
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import Annotated, Any, get_args, get_origin

from pydantic import BaseModel

from .messages import field_label
from .models import ALL_DEPARTMENTS, COACH_ROLES, PLACEHOLDER, SIGNAL_STATUSES, UNCLAIMED, Taxonomy, Vocab
from .problems import Problem, Severity, unknown_value_message
from .sourcefile import FieldPath, Positions


@dataclass(frozen=True)
class Vocabularies:
    """The allowed ids per vocabulary name, as referenced by `Vocab` metadata."""

    values: Mapping[str, tuple[str, ...]]

    @classmethod
    def build(
        cls, taxonomy: Taxonomy | None, coach_ids: tuple[str, ...] | None, tip_slugs: tuple[str, ...]
    ) -> Vocabularies:
        """Vocabularies that failed to load are left out, so their references are not reported twice."""
        values: dict[str, tuple[str, ...]] = {
            "tips": tip_slugs,
            "statuses": SIGNAL_STATUSES,
            "roles": COACH_ROLES,
        }
        if coach_ids is not None:
            values["coaches"] = coach_ids
        if taxonomy is not None:
            for name in ("municipalities", "departments", "tools", "sources", "difficulties", "themes"):
                values[name] = tuple(getattr(taxonomy, name))
            values["departments+alle"] = (*taxonomy.departments, ALL_DEPARTMENTS)
        return cls(values)

    @cached_property
    def version(self) -> int:
        """Equal for equal vocabularies (within one process): the loader's cache compares it."""
        return hash(tuple(self.values.items()))

    @cached_property
    def members(self) -> Mapping[str, frozenset[str]]:
        """The same ids as sets: `tips` holds every slug, and a tuple lookup per reference is quadratic."""
        return {name: frozenset(ids) for name, ids in self.values.items()}


def _vocab_in(annotation: Any) -> Vocab | None:
    if get_origin(annotation) is Annotated:
        found = next((m for m in annotation.__metadata__ if isinstance(m, Vocab)), None)
        if found:
            return found
    for arg in get_args(annotation):
        found = _vocab_in(arg)
        if found:
            return found
    return None


@functools.cache
def _field_vocabularies(model_cls: type[BaseModel]) -> tuple[tuple[str, Vocab | None], ...]:
    """Per field of a model class, its vocabulary (worked out once per class, not per document)."""
    return tuple(
        (name, _vocab_in(info.annotation) or next((m for m in info.metadata if isinstance(m, Vocab)), None))
        for name, info in model_cls.model_fields.items()
    )


def references(model: BaseModel, path: FieldPath = ()) -> Iterator[tuple[FieldPath, Vocab, str]]:
    """Every (field path, vocabulary, id) held by a model, including nested models and lists."""
    for name, vocab in _field_vocabularies(type(model)):
        value = getattr(model, name)
        items = list(enumerate(value)) if isinstance(value, list) else [(None, value)]
        for index, item in items:
            item_path = (*path, name) if index is None else (*path, name, index)
            if isinstance(item, BaseModel):
                yield from references(item, item_path)
            elif vocab is not None and item is not None:
                yield item_path, vocab, item


def _unknown_ids(
    refs: Iterable[tuple[FieldPath, Vocab, object]], vocabularies: Vocabularies, rel_path: str, positions: Positions
) -> list[Problem]:
    problems = []
    for path, vocab, value in refs:
        members = vocabularies.members.get(vocab.name)
        if members is None or not isinstance(value, str) or value in members:
            continue  # vocabularies that failed to load are skipped; wrong types are pydantic's to report
        if value == UNCLAIMED and path == ("coach",):  # a tip's or learning path's keeper, nobody else
            problems.append(Problem(rel_path, *positions.of(path), "coach", unclaimed_message(), Severity.WARNING))
            continue
        message = unknown_value_message(vocab.noun, value, vocabularies.values[vocab.name])
        if value == PLACEHOLDER:
            shown = ", ".join(vocabularies.values[vocab.name][:12])
            message = f"nog in te vullen: kies je {vocab.noun} (bv. {shown})."
        problems.append(Problem(rel_path, *positions.of(path), field_label(path), message))
    return problems


def unclaimed_message() -> str:
    """What validate says about `coach: over-te-nemen`: a generic tip that no real coach has taken over yet."""
    return (
        f"'{UNCLAIMED}': nog geen echte digicoach heeft dit overgenomen. Zet bij coach: de id van een echte "
        "digicoach uit tips/coaches.yml, of geef alle zulke tips in één keer aan iemand met "
        "'kennisbank start --tips-naar <id>'. "
        "De site toont het zonder digicoach; publiceren lukt pas als iemand het overneemt."
    )


def check_references(
    model: BaseModel, vocabularies: Vocabularies, rel_path: str, positions: Positions, prefix: FieldPath = ()
) -> list[Problem]:
    """Problems for ids that are not in their vocabulary."""
    return _unknown_ids(references(model, prefix), vocabularies, rel_path, positions)


def _raw_references(model_cls: type[BaseModel], data: dict[str, object]) -> Iterator[tuple[FieldPath, Vocab, object]]:
    for name, vocab in _field_vocabularies(model_cls):
        if vocab is None or name not in data:
            continue
        value = data[name]
        for index, item in enumerate(value) if isinstance(value, list) else [(None, value)]:
            yield ((name,) if index is None else (name, index)), vocab, item


def check_raw_references(
    model_cls: type[BaseModel],
    data: dict[str, object],
    vocabularies: Vocabularies,
    rel_path: str,
    positions: Positions,
) -> list[Problem]:
    """For a document whose shape is invalid: still check the top-level ids that can be read, so that one run
    reports every problem of the file."""
    return _unknown_ids(_raw_references(model_cls, data), vocabularies, rel_path, positions)
