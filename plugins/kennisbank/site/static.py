"""The site's own static files: the theme override and the CSS and JavaScript every page links."""

from __future__ import annotations

from importlib import resources

from .js_bundle import bundle, search_modules

ASSET_DIR = "assets/kennisbank/"
STYLESHEETS = (ASSET_DIR + "kennisbank.css",)
# kennisbank-usage.js first: the other two report through it (window.KennisbankUsage).
SEARCH_SCRIPT = ASSET_DIR + "kennisbank-search.js"  # joined from assets/search/*.js (js_bundle.py)
SCRIPTS = (ASSET_DIR + "kennisbank-usage.js", ASSET_DIR + "kennisbank.js", SEARCH_SCRIPT)


def theme_dir() -> str:
    """The folder of template overrides an engine puts in front of its theme (the feed link in <head>)."""
    return str(resources.files("kennisbank.site") / "theme")


def static_files() -> dict[str, bytes]:
    """The CSS and JavaScript by their path on the site."""
    package = resources.files("kennisbank.site") / "assets"
    files = {path: (package / path.removeprefix(ASSET_DIR)).read_bytes() for path in STYLESHEETS + SCRIPTS[:-1]}
    files[SEARCH_SCRIPT] = bundle(search_modules()).encode("utf-8")
    return files
