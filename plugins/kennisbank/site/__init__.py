"""The site: the site model (every page, URL and file), templates, search index, sanitiser."""
