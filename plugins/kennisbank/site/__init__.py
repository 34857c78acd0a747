"""The site: the site model (every page and file), templates, search index, and the work beside the engine."""
