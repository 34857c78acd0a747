"""Page rendering with Jinja templates. Autoescaping is on: every content value is HTML-escaped."""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from ..content.models import STATUS_LABELS
from ..knowledge import urls
from ..knowledge.labels import Labels
from ..knowledge.wording import nl_date, nl_date_short, nl_month, nl_number
from ..policy import is_stale


@functools.lru_cache(maxsize=1)
def template_environment() -> Environment:
    """The Jinja environment of the site's templates, compiled once per process: the dev server rebuilds on
    every save, and compiling the templates took a fifth of a rebuild. It holds no content."""
    env = Environment(
        loader=PackageLoader("kennisbank.site", "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        auto_reload=False,  # templates do not change while the program runs; saves a stat per render
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["nl_date"] = nl_date
    env.filters["nl_date_short"] = nl_date_short
    env.filters["nl_number"] = nl_number
    env.filters["nl_month"] = nl_month
    return env


_ListKey = tuple[str, bool, tuple[int, ...]]


@dataclass(frozen=True)
class Renderer:
    """Renders templates; data comes in as arguments, `page_url` makes every link relative to the page.

    It holds the Jinja environment, the labels and the build date (for "te herzien"), nothing else."""

    env: Environment
    labels: Labels
    today: date
    # Per card: the tip it was made of and its HTML.
    _cards: dict[tuple[str, bool, str], tuple[Any, Markup]] = field(default_factory=dict, compare=False, repr=False)
    # Per list of cards (page, departments shown, the tips' identities): the tips, to keep those identities
    # taken, and the list's HTML. The last build's lists are taken over when used again, the rest let go.
    _lists: dict[_ListKey, tuple[tuple[Any, ...], Markup]] = field(default_factory=dict, compare=False, repr=False)
    _last_lists: dict[_ListKey, tuple[tuple[Any, ...], Markup]] = field(default_factory=dict, compare=False, repr=False)

    # Whether lists are kept for the next build: only the dev server rebuilds in the same process.
    keep_lists: bool = field(default=False, compare=False)

    @classmethod
    def create(
        cls, labels: Labels, today: date, previous: Renderer | None = None, keep_lists: bool = False
    ) -> Renderer:
        """A renderer; with `previous` (the dev server's last build), its cards of unchanged tips are reused.
        `keep_lists`: keep every list of cards for the next build (memory for speed: the dev server)."""
        if previous is not None and previous.today == today and previous.labels == labels:
            return cls(template_environment(), labels, today, previous._cards, {}, previous._lists, keep_lists)
        return cls(template_environment(), labels, today, keep_lists=keep_lists)

    def _globals(self, page_url: str) -> dict[str, Callable[..., Any] | str]:
        return {
            "url": lambda target: urls.relative(page_url, target),
            "page_url": page_url,
            "label": self.labels,
            "facet_url": urls.facet_url,
            "tip_url": urls.tip_url,
            "meeting_url": urls.meeting_url,
            "signal_url": urls.signal_url,
            "path_url": urls.path_url,
            "is_stale": lambda tip: is_stale(tip, self.today),
            "status_label": lambda status: STATUS_LABELS.get(status, status),
            "cards": lambda tips, show_departments=False: self.cards(tips, show_departments, page_url),
        }

    def card(self, tip: Any, show_departments: bool, page_url: str) -> Markup:
        """A tip card, memoised by its link: the same card appears on many pages (related tips, indexes).
        A card is made again only for another tip object: the loader keeps the object of an unchanged file."""
        href = urls.relative(page_url, urls.tip_url(tip.slug))
        key = (tip.slug, show_departments, href)
        found = self._cards.get(key)
        if found is None or found[0] is not tip:
            html = self.render("card.html", page_url, tip=tip, href=href, show_departments=show_departments)
            found = self._cards[key] = (tip, Markup(html))
        return found[1]

    def cards(self, tips: Iterable[Any], show_departments: bool, page_url: str) -> Markup:
        """A list of tip cards. Index pages list thousands of tips: one call per list, not one template call
        per card, keeps a save in the dev server fast."""
        tips = tuple(tips)
        # Tips are immutable and the entry holds them: the same identities mean the same cards.
        key = (page_url, show_departments, tuple(map(id, tips)))
        found = self._lists.get(key) or self._last_lists.get(key)
        if found is None:
            # str.__add__: the cards are already Markup, and Markup's own + would escape the newline again.
            items = "".join([str.__add__(self.card(t, show_departments, page_url), "\n") for t in tips])
            found = (tips, Markup(f'<ul class="kb-cards">\n{items}</ul>'))
        if self.keep_lists:
            self._lists[key] = found
        return found[1]

    def render(self, template: str, page_url: str, **context: Any) -> str:
        """Render `template` for the page at `page_url`."""
        return self.env.get_template(template).render(**self._globals(page_url), **context)
