"""Digicoach kennisbank: content model, validation, indexes, rendering and exports.

The core never imports MkDocs: `site.build.BuildSession` decides every build, and `engines/` holds the adapter
to the site engine (MkDocs, or ProperDocs running the same adapter).
"""

__version__ = "0.1.0"
