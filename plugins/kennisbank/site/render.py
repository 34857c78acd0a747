"""Page rendering with Jinja templates. Autoescaping is on: every content value is HTML-escaped."""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from ..content.models import STATUS_LABELS
from ..knowledge.labels import Labels
from ..knowledge.wording import nl_date, nl_date_short, nl_number
from ..policy import is_stale
from . import urls


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
    return env


@dataclass(frozen=True)
class Renderer:
    """Renders templates; data comes in as arguments, `page_url` makes every link relative to the page.

    It holds the Jinja environment, the labels and the build date (for "te herzien"), nothing else."""

    env: Environment
    labels: Labels
    today: date
    # Per card: the tip it was made of and its HTML.
    _cards: dict[tuple[str, bool, str], tuple[Any, Markup]] = field(default_factory=dict, compare=False, repr=False)

    @classmethod
    def create(cls, labels: Labels, today: date, previous: Renderer | None = None) -> Renderer:
        """A renderer; with `previous` (the dev server's last build), its cards of unchanged tips are reused."""
        if previous is not None and previous.today == today and previous.labels == labels:
            return cls(template_environment(), labels, today, previous._cards)
        return cls(template_environment(), labels, today)

    def _globals(self, page_url: str) -> dict[str, Callable[..., Any] | str]:
        return {
            "url": lambda target: urls.relative(page_url, target),
            "page_url": page_url,
            "label": self.labels,
            "facet_url": urls.facet_url,
            "tip_url": urls.tip_url,
            "meeting_url": urls.meeting_url,
            "signal_url": urls.signal_url,
            "is_stale": lambda tip: is_stale(tip, self.today),
            "status_label": lambda status: STATUS_LABELS.get(status, status),
            "card": lambda tip, show_departments=False: self.card(tip, show_departments, page_url),
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

    def render(self, template: str, page_url: str, **context: Any) -> str:
        """Render `template` for the page at `page_url`."""
        return self.env.get_template(template).render(**self._globals(page_url), **context)
