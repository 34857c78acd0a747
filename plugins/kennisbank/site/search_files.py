"""What the browser's search reads: every tip and learning path as a search document, the index files, the
Dutch lexicon and the help data (who to ask, which tool page fits)."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from ..content.models import ALL_DEPARTMENTS, UNCLAIMED
from ..knowledge import urls
from ..knowledge.derive import Knowledge
from ..knowledge.paths import LearningPath
from .search import (
    HELP_PATH,
    FoldedWords,
    HelpCoach,
    HelpDepartment,
    HelpTool,
    SynonymMatcher,
    help_data,
    lexicon_shards,
    tokens,
)
from .search_index import PATH, SEARCH_FILTERS, SearchDocument, build_search_files

PATH_WORD = "Leerpad"  # in every path's facts: "leerpad excel" finds the Excel path


def search_documents(knowledge: Knowledge) -> list[SearchDocument]:
    """Every tip as the search indexes it, newest first (the order of the results without a query), then
    every learning path in display order."""
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
        body = FoldedWords.of(tip.body)  # once for the synonyms and the index weights alike
        synonyms = matcher.terms_for(tip, body)
        ids = {
            "departments": tip.departments,
            "municipalities": tip.municipalities or list(taxonomy.municipalities),
            "tools": tip.tools,
            "difficulties": [tip.difficulty],
            "sources": [tip.source],
        }
        filters = {f.name: labels(f.kind, ids[f.kind]) for f in SEARCH_FILTERS}
        facts = " ".join([*filters["tool"], *filters["dienst"], *filters["bron"], coach_name])  # labels made once
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
                body_words=body,
            )
        )
    documents += [_path_document(knowledge, path, matcher) for path in knowledge.paths]
    return documents


def _path_document(knowledge: Knowledge, path: LearningPath, matcher: SynonymMatcher) -> SearchDocument:
    """A learning path as the search sees it: its title and summary like a tip's, its introduction as body.
    Not the titles of its steps: a query about a step's topic is answered by that tip, and with its steps'
    words nearly every query also listed a path."""
    taxonomy = knowledge.repository.taxonomy
    assert taxonomy is not None
    label = knowledge.labels
    document = path.document
    source = [document.source] if document.source else []
    ids = {
        "departments": list(document.departments),
        "municipalities": list(taxonomy.municipalities),
        "tools": list(path.tools),
        "difficulties": [document.difficulty],
        "sources": source,
    }
    filters = {f.name: tuple(label(f.kind, i) for i in ids[f.kind]) for f in SEARCH_FILTERS}
    coach = "" if document.coach == UNCLAIMED else label("coaches", document.coach)
    body = FoldedWords.of(document.body)
    facts = " ".join([PATH_WORD, *filters["tool"], *filters["dienst"], *filters["bron"], coach])
    synonyms = matcher.terms_for_words(FoldedWords.of(f"{document.title} {document.summary}"), body)
    return SearchDocument(
        url=urls.path_url(path.slug),
        title=document.title,
        summary=document.summary,
        coach=coach,
        tags=(),
        facts=facts,
        body=document.body,
        strong=synonyms.strong,
        weak=synonyms.weak,
        filters=filters,
        kind=PATH,
        steps=len(path.steps),
        body_words=body,
    )


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
