"""What the browser's search reads: every tip as a search document, the index files, the Dutch lexicon and
the help data (who to ask, which tool page fits)."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from ..content.models import ALL_DEPARTMENTS, UNCLAIMED
from ..knowledge.derive import Knowledge
from . import urls
from .search import HELP_PATH, HelpCoach, HelpDepartment, HelpTool, SynonymMatcher, help_data, lexicon_shards, tokens
from .search_index import SEARCH_FILTERS, SearchDocument, build_search_files


def search_documents(knowledge: Knowledge) -> list[SearchDocument]:
    """Every tip as the search indexes it, newest first (the order of the results without a query)."""
    repository = knowledge.repository
    taxonomy = repository.taxonomy
    assert taxonomy is not None
    label = knowledge.labels

    def labels(kind: str, ids: Iterable[str]) -> tuple[str, ...]:
        return tuple(label(kind, i) for i in ids)

    matcher = SynonymMatcher(repository.synonyms.groups)
    documents = []
    for tip in repository.tips:
        coach_name = "" if tip.coach == UNCLAIMED else label("coaches", tip.coach)  # no "Digicoach:" badge
        synonyms = matcher.terms_for(tip)
        ids = {
            "departments": tip.departments,
            "municipalities": tip.municipalities or list(taxonomy.municipalities),
            "tools": tip.tools,
            "difficulties": [tip.difficulty],
            "sources": [tip.source],
        }
        filters = {f.name: labels(f.kind, ids[f.kind]) for f in SEARCH_FILTERS}
        facts = " ".join(
            [*labels("tools", tip.tools), *labels("departments", tip.departments), *labels("sources", [tip.source])]
            + [coach_name]
        )
        documents.append(
            SearchDocument(
                url=urls.tip_url(tip.slug),
                title=tip.title,
                summary=tip.summary,
                coach=coach_name,
                tags=tuple(tip.tags),
                facts=facts,
                body=tip.body,
                strong=synonyms.strong,
                weak=synonyms.weak,
                filters=filters,
            )
        )
    return documents


def search_files(knowledge: Knowledge, cache_dir: Path | None = None) -> dict[str, bytes]:
    """Every file of the search by its path on the site: the index, the Dutch lexicon and the help data.
    `cache_dir`: where the lexicon is kept between builds (`lexicon_shards`)."""
    repository = knowledge.repository
    taxonomy = repository.taxonomy
    assert taxonomy is not None
    label = knowledge.labels
    everyone = label("departments", ALL_DEPARTMENTS)
    files = build_search_files(search_documents(knowledge), everyone, knowledge.search_version)
    files.update(lexicon_shards(cache_dir))
    departments = [
        HelpDepartment(
            term.label,
            tuple(
                HelpCoach(c.name, c.email, label("municipalities", c.municipality), c.role)
                for c in knowledge.coaches.contacts(department_id)
            ),
        )
        for department_id, term in taxonomy.departments.items()
        if department_id != ALL_DEPARTMENTS
    ]
    # A tool page is offered for its id, its label and every synonym of them (words as the browser folds them).
    groups = [{" ".join(tokens(t)) for t in group} for group in repository.synonyms.groups]
    tools = []
    for tool_id, term in taxonomy.tools.items():
        terms = {" ".join(tokens(t)) for t in (tool_id, term.label)}
        terms |= {word for group in groups if terms & group for word in group}
        tools.append(HelpTool(term.label, urls.facet_url("tools", tool_id), tuple(sorted(terms))))
    files[HELP_PATH] = help_data(departments, tools, "tip-schrijven/", urls.facet_url("coaches"))
    return files
