"""argparse in Dutch: its own words (usage, options, errors) translated, for a CLI that colleagues read.

argparse looks its messages up through `gettext` at the moment it needs them; `DutchParser` swaps in a
Dutch lookup for the duration of its own calls only, so no other code in the process is affected.
"""

from __future__ import annotations

import argparse
import contextlib
import threading
from collections.abc import Iterator
from typing import Any, NoReturn

MESSAGES = {
    "usage: ": "gebruik: ",
    "positional arguments": "argumenten",
    "options": "opties",
    "show this help message and exit": "toon deze hulp en stop",
    "%(prog)s: error: %(message)s\n": "%(prog)s: fout: %(message)s\n",
    "argument %(argument_name)s: %(message)s": "%(argument_name)s: %(message)s",
    "the following arguments are required: %s": "dit ontbreekt nog: %s",
    "invalid choice: %(value)r (choose from %(choices)s)": "onbekende keuze %(value)r (kies uit %(choices)s)",
    "unrecognized arguments: %s": "onbekende argumenten: %s",
    "expected one argument": "hier hoort een waarde bij",
    "expected at most one argument": "hier hoort hoogstens één waarde bij",
    "expected at least one argument": "hier hoort minstens één waarde bij",
    "ambiguous option: %(option)s could match %(matches)s": "optie %(option)s is niet eenduidig: %(matches)s",
    "not allowed with argument %s": "kan niet samen met %s",
    "ignored explicit argument %r": "waarde %r wordt genegeerd",
    "one of the arguments %s is required": "een van deze argumenten is nodig: %s",
    "unexpected option string: %s": "onverwachte optie: %s",
    "can't open '%(filename)s': %(error)s": "kan '%(filename)s' niet openen: %(error)s",
}
PLURALS = {
    "expected %s argument": ("hier hoort %s waarde bij", "hier horen %s waarden bij"),
}
TYPE_NAMES = {"int": "geheel getal", "float": "getal"}
# The placeholder after an option in --help ('--today DATUM'), by the option's name; argparse shows the
# English name in capitals otherwise.
METAVARS = {
    "coach": "COACH", "date": "DATUM", "datum": "DATUM", "dienstkolom": "TITEL", "gemeentekolom": "TITEL",
    "department": "DIENST", "difficulty": "NIVEAU", "keep": "AANTAL",
    "municipalities": "GEMEENTEN", "output": "BESTAND", "root": "MAP", "series_count": "AANTAL",
    "series_until": "DATUM", "site": "MAP", "site_url": "ADRES", "source": "BRON", "summary": "TEKST",
    "tags": "TREFWOORDEN", "target": "DOEL", "title": "TITEL", "today": "DATUM", "tools": "TOOLS",
}  # fmt: skip


def _dutch(message: str) -> str:
    return MESSAGES.get(message, message)


def _dutch_plural(singular: str, plural: str, n: int) -> str:
    if singular in PLURALS:
        return PLURALS[singular][n != 1]
    return singular if n == 1 else plural


# argparse's own lookups, taken once: restoring these (not whatever is set at the time) cannot leave Dutch behind.
# (argparse imports gettext's `_` and `ngettext` into its namespace; typeshed does not list them: attr-defined.)
_ENGLISH = (argparse._, argparse.ngettext)  # type: ignore[attr-defined]  # see above


_nesting = threading.local()  # error() calls format_usage(): only the outermost call switches back


@contextlib.contextmanager
def _in_dutch() -> Iterator[None]:
    depth = getattr(_nesting, "depth", 0)
    _nesting.depth = depth + 1
    argparse._, argparse.ngettext = _dutch, _dutch_plural  # type: ignore[attr-defined]  # not in typeshed (above)
    try:
        yield
    finally:
        _nesting.depth = depth
        if depth == 0:
            argparse._, argparse.ngettext = _ENGLISH  # type: ignore[attr-defined]  # not in typeshed (above)


class DutchParser(argparse.ArgumentParser):
    """An ArgumentParser whose help and errors are in Dutch (its subcommands get the same class)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        with _in_dutch():
            super().__init__(*args, **kwargs)

    def add_argument(self, *args: Any, **kwargs: Any) -> Any:
        action = super().add_argument(*args, **kwargs)
        if action.option_strings and action.metavar is None and action.choices is None and action.nargs != 0:
            action.metavar = METAVARS.get(action.dest, action.metavar)
        return action

    def add_subparsers(self, **kwargs: Any) -> Any:
        kwargs.setdefault("parser_class", DutchParser)
        with _in_dutch():
            return super().add_subparsers(**kwargs)

    def parse_known_args(self, *args: Any, **kwargs: Any) -> Any:
        with _in_dutch():
            return super().parse_known_args(*args, **kwargs)

    def format_help(self) -> str:
        with _in_dutch():
            return super().format_help()

    def format_usage(self) -> str:
        with _in_dutch():
            return super().format_usage()

    def error(self, message: str) -> NoReturn:
        for name, dutch in TYPE_NAMES.items():  # "invalid int value: 'x'"
            message = message.replace(f"invalid {name} value:", f"geen {dutch}:")
        # parse_args words this one itself, after parse_known_args returned.
        message = message.replace("unrecognized arguments:", "onbekende argumenten:")
        with _in_dutch():
            super().error(message)
