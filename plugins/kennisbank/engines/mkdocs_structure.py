"""The site model's navigation and a page's table of contents in MkDocs' structures (its plugin API)."""

from __future__ import annotations

import html
from collections.abc import Iterable, Iterator
from typing import TypeAlias

from mkdocs.structure.toc import AnchorLink, TableOfContents

from ..checks.sanitize import clean_html, safe_id
from ..site.model import NavItem, PageStart


def start_toc_at(toc: TableOfContents, start: PageStart | None) -> None:
    """Material's skip link goes to the first entry of the table of contents, which MkDocs builds from the
    Markdown alone: make the page's real first heading that entry, the others its children. Material's table
    of contents leaves out a level-1 entry and shows its children, so the sidebar stays as it was."""
    # Only a title: a page without one of its own (Material writes it, without an id) keeps its contents as
    # they are, or a second-level heading would take the others as its children.
    if start is None or start.level != 1 or (toc.items and toc.items[0].id == start.id):
        return
    first = AnchorLink(html.escape(start.text), start.id, start.level)
    first.children = list(toc.items)
    toc.items[:] = [first]


# One entry of MkDocs' `nav` as mkdocs.yml writes it: a page, or a title with its page or its entries.
NavEntry: TypeAlias = "str | dict[str, str | list[NavEntry]]"


def clean_toc(items: Iterable[AnchorLink]) -> None:
    for item in items:
        item.id = safe_id(item.id)
        item.title = clean_html(item.title)
        clean_toc(item.children)


def nav_uris(nav: list[NavEntry]) -> Iterator[str]:
    """The pages named in a MkDocs navigation (as `mkdocs_nav` makes it)."""
    for entry in nav:
        if isinstance(entry, str):
            yield entry
            continue
        for value in entry.values():
            yield from nav_uris(value) if isinstance(value, list) else (value,)


def mkdocs_nav(item: NavItem) -> NavEntry:
    # The site model gives every section a title and every entry without children a page.
    if item.children:
        assert item.title is not None, "a section has a title"
        return {item.title: [mkdocs_nav(child) for child in item.children]}
    assert item.src_uri is not None, "an entry without children is a page"
    return item.src_uri if item.title is None else {item.title: item.src_uri}
