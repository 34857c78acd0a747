"""`kennisbank nulmeting vragen`: the Forms questions for the next measurement, ready to copy, from the taxonomy.

The answer options of the department and municipality questions are the taxonomy's labels exactly, so every
answer is recognised; each tool question names the tool's label, so the import finds its tool, and offers the
product's own four levels (the scale every measurement is compared on) plus "Gebruik ik niet". The docs page
`docs/nulmeting-vragen.md` holds the same text between two markers; a test keeps the two equal.
"""

from __future__ import annotations

from ..content.models import Taxonomy

BEGIN, END = "<!-- vragen: begin -->", "<!-- vragen: einde -->"
LEVEL_OPTIONS = ("Ik ken de basis niet", "Basis", "Gevorderd", "Expert", "Gebruik ik niet")


def _options(labels: list[str]) -> list[str]:
    return ["```text", *labels, "```"]


def form_questions(taxonomy: Taxonomy) -> str:
    """The questions and their answer options as Markdown, one option per line inside a code block."""
    lines = [
        "**Vraag 1: Bij welke dienst werk je?** (type *Keuze*, één antwoord, verplicht). Antwoordopties:",
        "",
        *_options([term.label for term in taxonomy.departments.values()]),
        "",
        "**Vraag 2: In welke gemeente werk je?** (type *Keuze*, één antwoord, verplicht). Antwoordopties:",
        "",
        *_options([term.label for term in taxonomy.municipalities.values()]),
        "",
        "**Vraag 3 en volgende: één vraag per tool** (type *Keuze*, één antwoord). Zet de naam van de tool in de "
        "titel, precies zo:",
        "",
        "```text",
        *(f"Hoe vaardig ben je in {term.label}?" for term in taxonomy.tools.values()),
        "```",
        "",
        "Met bij elke toolvraag dezelfde antwoordopties, in deze volgorde:",
        "",
        *_options(list(LEVEL_OPTIONS)),
    ]
    return "\n".join(lines) + "\n"
