"""Python-Markdown extensions of the site: keys written as <Enter> stay text, task lists get labels.

Literal keys:

Coaches write keys the way manuals do: "druk op <Enter> en daarna op <Ctrl>+<C>". Markdown passes
`<Enter>` on as raw HTML and a browser or sanitiser then drops it, so the sentence loses its keys. Here a
raw tag stays HTML only when it is written in lower case and is on the sanitiser's allow-list (`<kbd>`,
`<br>`, `<del>`); anything else (`<Enter>`, `<Del>`, `<Ctrl>`, `<toets>`) becomes literal text.
This is about showing text faithfully, not about safety: the sanitiser decides what HTML survives.
"""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as etree

from markdown import Markdown
from markdown.extensions import Extension
from markdown.inlinepatterns import HTML_RE, HtmlInlineProcessor
from markdown.postprocessors import Postprocessor
from markdown.util import AtomicString

from .sanitize import TAGS

_TAG_NAME = re.compile(r"</?([A-Za-z][A-Za-z0-9-]*)")


class _LiteralUnknownTags(HtmlInlineProcessor):
    def handleMatch(self, m: re.Match[str], data: str) -> tuple[str | etree.Element | None, int, int]:  # noqa: N802
        name = _TAG_NAME.match(m.group(1))
        if name and (name.group(1) not in TAGS):  # case-sensitive on purpose: <Del> is a key, <del> a tag
            return AtomicString(m.group(1)), m.start(0), m.end(0)
        return super().handleMatch(m, data)


class LiteralKeysExtension(Extension):
    """Replaces Python-Markdown's raw inline HTML pattern ('html', priority 90)."""

    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802
        md.inlinePatterns.register(_LiteralUnknownTags(HTML_RE, md), "html", 90)


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
    return [LiteralKeysExtension(), AccessibleTaskListExtension()]


def makeExtension(**kwargs: object) -> LiteralKeysExtension:  # noqa: N802
    """Entry point for `markdown_extensions: - kennisbank.markdown_ext`."""
    return LiteralKeysExtension(**kwargs)
