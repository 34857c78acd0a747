"""The MkDocs adapter: the only module that imports MkDocs.

Each event handler hands over to the engine-free core (loader, indexes, render, exports), so that a move
to another site engine only replaces this file.
"""

from __future__ import annotations

import logging
from pathlib import Path

from mkdocs.config import config_options as opt
from mkdocs.config.base import Config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import Files

from .loader import LoadResult, load_repository
from .problems import summary_line

log = logging.getLogger("mkdocs.plugins.kennisbank")


class KennisbankConfig(Config):
    """Options under `plugins: - kennisbank:` in mkdocs.yml."""

    content_root = opt.Type(str, default=".")  # relative to mkdocs.yml: holds tips/ and meetings/


class KennisbankPlugin(BasePlugin[KennisbankConfig]):
    """Loads and validates the content; a single content error fails the build."""

    def __init__(self) -> None:
        self.result: LoadResult | None = None
        self.root: Path | None = None

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        self.root = (Path(config.config_file_path).parent / self.config.content_root).resolve()
        return config

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        assert self.root is not None
        self.result = load_repository(self.root)
        if self.result.warnings:
            # Warnings (e.g. stale tips) are shown on the site itself; the log only counts them.
            log.info("%d waarschuwing(en) in de inhoud; details met 'kennisbank validate'.", len(self.result.warnings))
        if self.result.errors:
            lines = [p.format_text() for p in self.result.errors]
            raise PluginError(
                "De inhoud bevat fouten:\n"
                + "\n".join(lines)
                + "\n"
                + summary_line(self.result.problems, self.result.files_checked)
            )
        return files
