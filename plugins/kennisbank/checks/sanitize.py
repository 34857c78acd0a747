"""The allow-list sanitiser for everything a contributor writes.

Tips, meetings and signals come from pull requests that any coach can open. Their Markdown is rendered to
HTML by the site engine and then passes through `clean_html` (Ammonia, via nh3) before it reaches a page:
only the tags and attributes that Markdown and the theme produce survive, URLs are limited to http, https,
mailto, tel and relative ones (Ammonia decodes entities before it checks a scheme), and `style` keeps
`text-align` only (table columns). The checks in `validation.py` only give the coach an early, positioned
message; this module is the guarantee.
"""

from __future__ import annotations

import re

import nh3

# What Python-Markdown and the enabled extensions produce (admonition, details, tables, toc, highlight,
# tasklist, keys, attr_list), plus the harmless inline tags a coach may write by hand.
TAGS = frozenset(
    {
        "a", "abbr", "b", "blockquote", "br", "caption", "code", "col", "colgroup", "dd", "del", "details",
        "div", "dl", "dt", "em", "figcaption", "figure", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img",
        "input", "ins", "kbd", "label", "li", "mark", "ol", "p", "pre", "q", "s", "samp", "small", "span",
        "strong", "sub", "summary", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "time", "tr", "u",
        "ul", "var", "wbr",
    }
)  # fmt: skip
_GLOBAL_ATTRIBUTES = {"class", "id", "title", "lang", "dir"}
ATTRIBUTES: dict[str, set[str]] = {
    "*": _GLOBAL_ATTRIBUTES,
    "a": {"href", "name"},
    "img": {"src", "alt", "width", "height", "loading"},
    "ol": {"start", "reversed"},
    "td": {"colspan", "rowspan", "align", "style"},
    "th": {"colspan", "rowspan", "align", "scope", "style"},
    "col": {"span"},
    "colgroup": {"span"},
    "details": {"open"},
    "input": {"checked", "aria-label"},
    "time": {"datetime"},
    "del": {"datetime"},
    "ins": {"datetime"},
}
# Task lists render `<input type="checkbox" disabled>`; no other input type may appear.
_ATTRIBUTE_VALUES = {"input": {"type": {"checkbox"}}}
URL_SCHEMES = frozenset({"http", "https", "mailto", "tel"})
STYLE_PROPERTIES = frozenset({"text-align"})

# Classes and ids of the theme's own layout: a tip must not restyle itself as a dialog, a header or an
# overlay (`{ .md-dialog }`), nor take over an element the theme's script looks up by id (`__search`).
_THEME_CLASS = re.compile(r"^(?:md|kb)[-_]")
_ALLOWED_THEME_CLASSES = frozenset({"md-button", "md-button--primary"})
_ALLOWED_THEME_ID = re.compile(r"^__(?:codelineno|span|code)-[\w-]+$")


def _attribute_filter(tag: str, attribute: str, value: str) -> str | None:
    if attribute == "class":
        kept = [c for c in value.split() if not _THEME_CLASS.match(c) or c in _ALLOWED_THEME_CLASSES]
        return " ".join(kept) or None
    if attribute in ("id", "name") and value.startswith("__") and not _ALLOWED_THEME_ID.match(value):
        return None
    if attribute == "loading" and value not in ("lazy", "eager"):
        return None
    if attribute == "src" and _OTHER_HOST.match(as_browser_reads(value)):
        return None  # the intranet loads nothing from elsewhere: no tracking pixels, no external images
    return value


# A scheme, or two slashes in any direction: browsers read "/\\evil.example" as "//evil.example", and drop
# tabs and newlines from URLs first.
_OTHER_HOST = re.compile(r"^(?:[a-zA-Z][a-zA-Z0-9+.-]*:|[/\\]{2})")
_URL_NOISE = re.compile(r"[\x00-\x20]")


def as_browser_reads(url: str) -> str:
    """A URL without the spaces, tabs, newlines and control characters that browsers drop before reading it:
    'java\tscript:' is 'javascript:' to a browser."""
    return _URL_NOISE.sub("", url)


_CLEANER = nh3.Cleaner(
    tags=set(TAGS),
    attributes={tag: set(names) for tag, names in ATTRIBUTES.items()},
    tag_attribute_values={tag: {a: set(v) for a, v in values.items()} for tag, values in _ATTRIBUTE_VALUES.items()},
    attribute_filter=_attribute_filter,
    url_schemes=set(URL_SCHEMES),
    filter_style_properties=set(STYLE_PROPERTIES),
    link_rel=None,
    strip_comments=True,
    # A task-list checkbox is never something to type or click in.
    set_tag_attribute_values={"input": {"disabled": ""}},
)


# Only a visible text field could be used as a fake login: keep task-list checkboxes, drop every other input.
_NON_CHECKBOX_INPUT = re.compile(r'<input(?![^>]*\btype="checkbox")[^>]*>')
_UNSAFE_ID_CHARS = re.compile(r"[^\w.:-]+")


# Bidirectional embeddings, overrides and isolates (U+202A-202E, U+2066-2069) and the direction marks (U+200E,
# U+200F, U+061C). Validation refuses them, raw or as character references; this is the guarantee behind it.
# Ammonia decodes every character reference and writes the character itself (never a reference to it), so
# after cleaning they can only appear raw, in text and attribute values alike.
_DIRECTION_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]")


def clean_html(fragment: str) -> str:
    """The contributor's rendered HTML with everything outside the allow-list removed."""
    cleaned = _CLEANER.clean(fragment)
    cleaned = _DIRECTION_CONTROLS.sub("", cleaned)
    # Ammonia's output is normalised HTML, so this pattern sees every input exactly as written here.
    return _NON_CHECKBOX_INPUT.sub("", cleaned) if "<input" in cleaned else cleaned


def safe_id(value: str) -> str:
    """An element id that is safe wherever the theme writes it unescaped (table of contents, skip link):
    letters, digits, '_', '-', '.', ':' only, and never one of the theme's own '__' ids."""
    cleaned = _UNSAFE_ID_CHARS.sub("-", value).strip("-")
    if cleaned.startswith("__") and not _ALLOWED_THEME_ID.match(cleaned):
        cleaned = cleaned.lstrip("_")
    return cleaned or "kop"
