"""The agenda's export formats, by name: the command line offers them without loading the Word and calendar
libraries that write them."""

from __future__ import annotations

FORMATS = ("md", "html", "docx", "ics")
