"""Checks on the content: validation rules, body checks and the Dutch problem reports."""
