"""The site's own static files: the theme override and the CSS and JavaScript every page links."""

from __future__ import annotations

from importlib import resources

ASSET_DIR = "assets/kennisbank/"
STYLESHEETS = (ASSET_DIR + "kennisbank.css",)
# kennisbank-usage.js first: the other two report through it (window.KennisbankUsage).
SCRIPTS = (ASSET_DIR + "kennisbank-usage.js", ASSET_DIR + "kennisbank.js", ASSET_DIR + "kennisbank-search.js")


def theme_dir() -> str:
    """The folder of template overrides an engine puts in front of its theme (the feed link in <head>)."""
    return str(resources.files("kennisbank.site") / "theme")


def static_files() -> dict[str, bytes]:
    """The CSS and JavaScript by their path on the site."""
    package = resources.files("kennisbank.site") / "assets"
    return {path: (package / path.removeprefix(ASSET_DIR)).read_bytes() for path in (*STYLESHEETS, *SCRIPTS)}
