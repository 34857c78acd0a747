"""Checks on the content: the loader (load and validate are one step), validation rules, body checks and the
allow-list sanitiser."""
