"""Which tools (the taxonomy's topics) a piece of text is about: a survey question, a signal's title.

A tool is named by its id, its label or a part of its label ("Wachtwoorden & MFA": "wachtwoorden", "mfa"),
and by the words `tips/synoniemen.yml` puts in one group with one of those ("paswoord", "afdrukken").
Text and names are compared folded (lower case, no accents) and as whole words.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..content.models import Taxonomy
from ..content.synonyms import SynonymGroups, fold

_NON_WORD = re.compile(r"[^0-9a-z]+")
_LABEL_PARTS = re.compile(r"\s*(?:&|/|,|\+|\ben\b)\s*")


def words(text: str) -> str:
    """Folded text as single-space separated words, with a space at both ends for whole-word lookups."""
    return " " + " ".join(_NON_WORD.sub(" ", fold(text)).split()) + " "


def _stem_forms(name: str) -> tuple[str, ...]:
    """A name and its singular guess ("wachtwoorden" -> "wachtwoord"), to find its synonym group."""
    forms = [name]
    for ending in ("en", "s"):
        if name.endswith(ending) and len(name) > len(ending) + 3:
            forms.append(name[: -len(ending)])
    return tuple(forms)


@dataclass(frozen=True)
class ToolMatcher:
    """The names of every tool, folded; build it once with `ToolMatcher.build`."""

    names: tuple[tuple[str, tuple[str, ...]], ...]  # (tool id, its folded names), vocabulary order

    @classmethod
    def build(cls, taxonomy: Taxonomy, synonyms: SynonymGroups) -> ToolMatcher:
        """The names of each tool: id, label, label parts and their synonyms."""
        groups = [tuple(words(term).strip() for term in group) for group in synonyms.groups]
        names = []
        for tool_id, term in taxonomy.tools.items():
            own = {words(tool_id).strip(), words(term.label).strip()}
            own.update(words(part).strip() for part in _LABEL_PARTS.split(fold(term.label)) if part.strip())
            found = set(own)
            for name in own:
                for group in groups:
                    if any(form in group for form in _stem_forms(name)):
                        found.update(group)
            names.append((tool_id, tuple(sorted(n for n in found if n))))
        return cls(tuple(names))

    def tools_in(self, text: str) -> tuple[str, ...]:
        """The tools the text names, in vocabulary order."""
        folded = words(text)
        return tuple(tool for tool, names in self.names if any(f" {name} " in folded for name in names))
