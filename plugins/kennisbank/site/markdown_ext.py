"""Python-Markdown extensions of the site: what a coach writes is shown faithfully, ids are safe, task lists
have labels.

Literal tags. Coaches write keys the way manuals do: "druk op <Enter> en daarna op <Ctrl>+<C>", and
comparisons such as "a<b en c>d". Markdown passes those on as raw HTML, and the sanitiser would then drop
them, so the sentence loses words. Here raw HTML stays HTML only when the whole tag is one the sanitiser
keeps: a lower-case allowed name (`<kbd>`, `<br>`, `<del>`) with allowed attribute names only. Anything else
(`<Enter>`, `<Del>`, `<b en c>`, `<?php ?>`, `<!DOCTYPE>`, CDATA) is shown as written. This is about
showing text faithfully, not about safety: the sanitiser decides what HTML survives.

Safe ids. `{: id='x"onfocus=…' }` on a heading ends up in the theme's table of contents and skip link,
which the theme writes without escaping and which never pass the sanitiser. Ids are made safe right after
the attribute lists are applied and before the table of contents is collected. Ids starting with "kb-" are
the page's own (a learning path's "Stappen"); a heading in the text that would get one gets "kop-kb-…".
"""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as etree

from markdown import Markdown
from markdown.extensions import Extension
from markdown.extensions.toc import TocTreeprocessor
from markdown.inlinepatterns import HTML_RE, HtmlInlineProcessor
from markdown.postprocessors import Postprocessor
from markdown.treeprocessors import Treeprocessor
from markdown.util import AtomicString

from ..checks.sanitize import ATTRIBUTES, TAGS, safe_id

_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9-]*)((?:\s[^<>]*)?)/?>", re.S)
_ATTRIBUTE_NAME = re.compile(r"""([^\s"'<>/=]+)(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'=<>`]+))?""")
# Attribute names that extensions write and the sanitiser filters by value or drops quietly.
_WRITTEN_BY_EXTENSIONS = {"type", "disabled", "style", "aria-label"}
# Any tag-like construct in a raw HTML block: tags, comments, declarations, processing instructions.
_BLOCK_TAG = re.compile(r"<(?:!--.*?--|/?[A-Za-z][^<>]*|[!?][^<>]*)>", re.S)


def _allowed_names(tag: str) -> set[str]:
    return ATTRIBUTES["*"] | ATTRIBUTES.get(tag, set()) | _WRITTEN_BY_EXTENSIONS


def is_kept_tag(raw: str, check_attributes: bool = True) -> bool:
    """True if a raw HTML tag (or comment) would reach the page as HTML, False if it is to be shown as text."""
    if raw.startswith("<!--"):
        return True  # a comment: deliberately hidden by its writer, and removed by the sanitiser
    match = _TAG.fullmatch(raw)
    if not match or match.group(2) not in TAGS:  # case-sensitive on purpose: <Del> is a key, <del> a tag
        return False
    if not check_attributes or match.group(1):
        return True
    allowed = _allowed_names(match.group(2))
    return all(name.lower() in allowed for name in _ATTRIBUTE_NAME.findall(match.group(3)))


class _LiteralInlineTags(HtmlInlineProcessor):
    # InlineProcessor itself changes Pattern.handleMatch's signature (its stubs ignore [override] there too).
    def handleMatch(  # type: ignore[override]  # noqa: N802
        self, m: re.Match[str], data: str
    ) -> tuple[str | etree.Element | None, int | None, int | None]:
        if not is_kept_tag(m.group(1)):
            return AtomicString(m.group(1)), m.start(0), m.end(0)
        return super().handleMatch(m, data)


class _LiteralBlockTags(Postprocessor):
    """The same rule inside raw HTML blocks (`<div>Druk op <Enter></div>`), on the tag names only: the stash
    also holds the HTML that extensions wrote (highlighted code, keys, task lists)."""

    def run(self, text: str) -> str:
        stash = self.md.htmlStash
        for index, block in enumerate(stash.rawHtmlBlocks):
            if isinstance(block, str) and "<" in block:
                stash.rawHtmlBlocks[index] = _BLOCK_TAG.sub(_literal_unless_kept, block)
        return text


def _literal_unless_kept(match: re.Match[str]) -> str:
    raw = match.group(0)
    return raw if is_kept_tag(raw, check_attributes=False) else html.escape(raw, quote=False)


class LiteralKeysExtension(Extension):
    """Replaces Python-Markdown's raw inline HTML pattern ('html', priority 90) and rewrites raw HTML
    blocks before they are put back (priority 30)."""

    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802
        md.inlinePatterns.register(_LiteralInlineTags(HTML_RE, md), "html", 90)
        md.postprocessors.register(_LiteralBlockTags(md), "kb-literal-block-tags", 35)


# Ids of the page's own sections (the steps of a learning path, its title) start with this; no id in a
# contributor's text may, so a body heading "## Stappen" never repeats one.
RESERVED_ID_PREFIX = "kb-"
_HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}


class _SafeIds(Treeprocessor):
    def run(self, root: etree.Element) -> None:
        toc = self.md.treeprocessors["toc"] if "toc" in self.md.treeprocessors else None  # noqa: SIM401 (no .get)
        if not isinstance(toc, TocTreeprocessor):  # Python-Markdown's own, as MkDocs registers it
            toc = None
        taken = {element.get("id") for element in root.iter()}
        for element in root.iter():
            value = element.get("id")
            if value is None and toc is not None and element.tag in _HEADINGS:
                # The id the table of contents would give it; set here only when it is a reserved one.
                slug: str = toc.slugify(html.unescape("".join(element.itertext()).strip()), toc.sep)
                if slug.startswith(RESERVED_ID_PREFIX):
                    value = slug
            if value is None:
                continue
            cleaned = safe_id(value)
            if cleaned.startswith(RESERVED_ID_PREFIX):
                cleaned = _unused("kop-" + cleaned, taken)
            if cleaned != element.get("id"):
                element.set("id", cleaned)
                taken.add(cleaned)


def _unused(value: str, taken: set[str | None]) -> str:
    candidate, number = value, 1
    while candidate in taken:
        candidate, number = f"{value}_{number}", number + 1
    return candidate


class SafeIdsExtension(Extension):
    """Runs after attr_list (priority 8) and before the table of contents is collected (toc, priority 5)."""

    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802
        md.treeprocessors.register(_SafeIds(md), "kb-safe-ids", 6)


class _TaskListLabels(Postprocessor):
    """Give each task-list checkbox its item's text as accessible name (axe: 'Form elements must have labels').

    pymdownx.tasklist stores the checkbox as raw HTML in an empty <label>, so a screen reader would announce
    only "checkbox". It runs after the raw HTML is restored (priority 30), on the finished item markup."""

    def run(self, text: str) -> str:
        if 'type="checkbox"' not in text:
            return text
        return _CHECKBOX_ITEM.sub(self._label, text)

    @staticmethod
    def _label(match: re.Match[str]) -> str:
        name = " ".join(html.unescape(re.sub(r"<[^>]+>", "", match.group(3))).split())[:200]
        if not name or "aria-label" in match.group(1):
            return match.group(0)
        return f'{match.group(1)} aria-label="{html.escape(name)}"{match.group(2)}{match.group(3)}'


# The checkbox, the rest of its tag, and the item's own text up to a nested list or the end of the item.
_CHECKBOX_ITEM = re.compile(r'(<input type="checkbox"[^>]*?)(\s*/?>.*?</label>|\s*/?>)(.*?)(?=<ul|<ol|</li>)', re.S)


class AccessibleTaskListExtension(Extension):
    """Labels for task-list checkboxes."""

    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802
        md.postprocessors.register(_TaskListLabels(md), "kb-task-list-labels", 5)


def site_extensions() -> list[Extension]:
    """The extensions every page of the site is rendered with, besides those in the site configuration."""
    return [LiteralKeysExtension(), SafeIdsExtension(), AccessibleTaskListExtension()]
