"""Digicoach kennisbank: content model, validation, indexes, rendering and exports.

The core never imports MkDocs; `mkdocs_plugin` is the only adapter to the site engine.
"""

__version__ = "0.1.0"
