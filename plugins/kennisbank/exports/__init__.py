"""Exports of the meeting agenda for the chair: Markdown, standalone HTML, Word (DOCX) and calendar (ICS).

Import from the modules (`exports.bundle`, `exports.formats`, ...): this package file loads nothing, so asking
for the format names does not load the Word and calendar libraries."""
