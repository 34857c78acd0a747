"""Python-Markdown extension: angle-bracket words that are no HTML tag are shown as written.

Coaches write keys the way manuals do: "druk op <Enter> en daarna op <Ctrl>+<C>". Markdown passes
`<Enter>` on as raw HTML and a browser or sanitiser then drops it, so the sentence loses its keys. Here a
raw tag stays HTML only when it is written in lower case and is on the sanitiser's allow-list (`<kbd>`,
`<br>`, `<del>`); anything else (`<Enter>`, `<Del>`, `<Ctrl>`, `<toets>`) becomes literal text.
This is about showing text faithfully, not about safety: the sanitiser decides what HTML survives.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree

from markdown import Markdown
from markdown.extensions import Extension
from markdown.inlinepatterns import HTML_RE, HtmlInlineProcessor
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


def makeExtension(**kwargs: object) -> LiteralKeysExtension:  # noqa: N802
    """Entry point for `markdown_extensions: - kennisbank.markdown_ext`."""
    return LiteralKeysExtension(**kwargs)
