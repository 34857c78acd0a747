"""Reading one content file: strict UTF-8, front matter split, YAML parsed with key positions.

We split the front matter ourselves instead of with python-frontmatter because validation needs
exact line numbers for the YAML and for the body, and its boundary regex may swallow blank lines.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .models import MULTILINE_CONTROL_RE, control_message
from .oserrors import reason
from .problems import Problem

Position = tuple[int, int]
# Budgets: any single file is checked in well under a second, whatever a pull request puts in it.
MAX_FILE_BYTES = 512 * 1024  # a long tip is ~10 KB; more is pasted images (base64) or an accident
MAX_YAML_DEPTH = 12  # the deepest real structure is meetings: items -> item -> list -> value
MAX_YAML_NODES = 5_000
MAX_NUMBER_DIGITS = 30  # Python refuses to convert numbers of 4,300+ digits, and no field needs 30

_CLOSING_RE = re.compile(r"^(?:---|\.\.\.)[ \t\r]*$", re.MULTILINE)
FieldPath = tuple[str | int, ...]


# libyaml's parser is several times faster than the pure-Python one; both give the same marks.
_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _ContentLoader(_BaseLoader):  # type: ignore[misc, valid-type]  # a base chosen at import time (above)
    """SafeLoader that keeps dates as text, so that pydantic reports bad dates with our message.

    PyYAML would otherwise turn `2026-13-01` into a constructor crash instead of a field error.
    """


_ContentLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


@dataclass
class Positions:
    """Maps a field path such as ('actions', 0, 'who') to the (line, col) of its key or item.

    Built lazily from the YAML node on the first lookup: most files have no problem to position.
    """

    default: Position
    node: yaml.Node | None = None
    line_offset: int = 0
    _by_path: dict[FieldPath, Position] | None = field(default=None, repr=False)

    @property
    def by_path(self) -> dict[FieldPath, Position]:
        if self._by_path is None:
            self._by_path = {}
            if self.node is not None:
                _record_positions(self.node, (), self._by_path, self.line_offset)
        return self._by_path

    def of(self, path: FieldPath) -> Position:
        """Position of the deepest known ancestor of `path` (a missing key points at its parent)."""
        for end in range(len(path), 0, -1):
            found = self.by_path.get(tuple(path[:end]))
            if found:
                return found
        return self.default


@dataclass
class SourceFile:
    """A content file split into parsed front matter and Markdown body."""

    rel_path: str
    data: dict[str, Any]
    positions: Positions
    body: str
    body_line: int  # file line on which the body's first line sits


def read_text(path: Path, rel_path: str) -> tuple[str | None, list[Problem]]:
    """Decode a file as UTF-8 (a BOM is tolerated); report the line of the first bad byte otherwise.

    Also refuses files that are too large or hold control characters, and turns read errors (no access,
    a folder, a dangling link) into a positioned problem instead of an exception."""

    def refused(message: str, line: int = 1, col: int = 1) -> tuple[None, list[Problem]]:
        return None, [Problem(rel_path, line, col, "bestand", message)]

    try:
        if not path.is_file():  # a folder, a pipe or a device would block or fail on reading
            return refused("dit is geen gewoon bestand; verwijder het.")
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            return refused(
                f"het bestand is {size // 1024} KB groot; de grens is {MAX_FILE_BYTES // 1024} KB. Splits de "
                "tekst op of verwijder ingeplakte afbeeldingen."
            )
        raw = path.read_bytes()
    except OSError as exc:
        return refused(f"kan het bestand niet lezen: {reason(exc.errno, exc.strerror)}.")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        col = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        return refused(
            f"het bestand is geen geldige UTF-8-tekst (byte 0x{raw[exc.start]:02x}). Sla het op als UTF-8 (in "
            "VS Code: rechtsonder 'UTF-8' kiezen, in Kladblok: 'Opslaan als' > Codering UTF-8).",
            line,
            col,
        )
    # Markdown and YAML both read a lone CR as a line break; so must every check and line number here.
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    control = MULTILINE_CONTROL_RE.search(text)
    if control:
        return refused(f"{control_message(control.group())}.", *_line_col(text, control.start()))
    return text, []


def _line_col(text: str, index: int) -> Position:
    return text.count("\n", 0, index) + 1, index - (text.rfind("\n", 0, index) + 1) + 1


def parse_yaml(text: str, rel_path: str, line_offset: int = 0) -> tuple[Any, Positions, list[Problem]]:
    """Parse YAML into plain data plus the positions of every key and list item.

    The same text is parsed once per process (the dev server and the checks load an unchanged repository
    again and again); each caller gets its own copy of the data, so changing it changes no other caller's."""
    data, node, problems = _parse_yaml_cached(text, rel_path, line_offset)
    positions = Positions(default=(max(line_offset, 1), 1))  # a missing key points at the opening ---
    if node is not None:
        positions.node, positions.line_offset = node, line_offset
    return _plain_copy(data), positions, list(problems)


def _plain_copy(data: Any) -> Any:
    """A copy of parsed YAML whose lists, mappings and sets are new (scalars are immutable and shared)."""
    if isinstance(data, dict):
        return {key: _plain_copy(value) for key, value in data.items()}
    if isinstance(data, list):
        return [_plain_copy(value) for value in data]
    if isinstance(data, set):
        return set(data)
    return data


@functools.lru_cache(maxsize=4096)
def _parse_yaml_cached(text: str, rel_path: str, line_offset: int) -> tuple[Any, yaml.Node | None, tuple[Problem, ...]]:
    """parse_yaml's work: the data, the node for positions (None when the data has none) and the problems.
    Read-only for callers: parse_yaml hands out copies."""
    loader = _ContentLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None, None, ()
        over_budget = _check_budget(node, rel_path, line_offset)
        if over_budget:
            return None, None, (over_budget,)
        return loader.construct_document(node), node, tuple(_duplicate_keys(node, (), rel_path, line_offset))
    except (ValueError, OverflowError, RecursionError) as exc:  # a value no constructor could turn into data
        return None, None, (Problem(rel_path, line_offset + 1, 1, "yaml", f"onleesbare waarde ({exc})."),)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = (mark.line + 1 + line_offset) if mark else line_offset + 1
        col = (mark.column + 1) if mark else 1
        reason = _dutch_yaml_reason(exc.problem or exc.context or "")
        return (
            None,
            None,
            (
                Problem(
                    rel_path,
                    line,
                    col,
                    "yaml",
                    f"YAML-syntaxfout: {reason}. Controleer de inspringing, de dubbele punt na elk "
                    "veld en zet tekst met ':' of '#' tussen aanhalingstekens.",
                ),
            ),
        )
    finally:
        loader.dispose()


# libyaml's most common complaints, in the coach's language; anything else keeps the original words.
_YAML_REASONS = {
    "mapping values are not allowed": "een ':' op een plaats waar geen veld kan beginnen",
    "could not find expected ':'": "de ':' na een veldnaam ontbreekt",
    "did not find expected key": "een regel die niet in de lijst of de velden past",
    "found character that cannot start any token": "een teken waarmee een waarde niet mag beginnen (bv. @ of `)",
    "found a tab character": "een tab in de inspringing (gebruik spaties)",
    "found undefined alias": "een verwijzing (*) naar een anker dat niet bestaat",
    "exceeded maximum nesting depth": "te diep genest",
    "did not find expected node content": "een waarde ontbreekt",
    "found unexpected end of stream": "een aanhalingsteken of haakje wordt niet gesloten",
    "did not find expected ',' or ']'": "een lijst [...] wordt niet correct gesloten",
    "did not find expected ',' or '}'": "een {...} wordt niet correct gesloten",
    "found unknown escape character": "een onbekende \\-code tussen dubbele aanhalingstekens",
    "expected <document start>": "meer dan één document in de front matter",
    "found duplicate anchor": "hetzelfde anker (&) twee keer",
    "could not determine a constructor for the tag": "een onbekend YAML-type (!!…); schrijf gewone tekst",
    "found unhashable key": "een lijst of {…} als veldnaam; een veldnaam is gewone tekst",
    "found unacceptable character": "een teken dat in YAML niet mag",
    "expected hexdecimal number": "een ongeldige \\x- of \\u-code tussen dubbele aanhalingstekens",
    "invalid Unicode character escape code": "een ongeldige \\u-code tussen dubbele aanhalingstekens",
}


def _dutch_yaml_reason(problem: str) -> str:
    for english, dutch in _YAML_REASONS.items():
        if english in problem:
            return dutch
    return problem or "ongeldige YAML"


_PLAIN_TAGS = frozenset(f"tag:yaml.org,2002:{name}" for name in ("str", "int", "float", "bool", "null", "seq", "map"))


def _check_budget(root: yaml.Node, rel_path: str, offset: int) -> Problem | None:
    """Refuse anchors and aliases, deep nesting, many nodes and huge numbers before building any data.

    An alias reuses a node, so nine nested aliases expand to a billion values ("billion laughs") and a
    recursive one never ends; front matter never needs either. One pass with a visited set is linear in
    the size of the text, whatever the aliases would expand to."""
    seen: set[int] = set()
    stack: list[tuple[yaml.Node, int]] = [(root, 1)]
    while stack:
        node, depth = stack.pop()
        line, col = node.start_mark.line + 1 + offset, node.start_mark.column + 1
        if node.tag not in _PLAIN_TAGS:
            # !!binary, !!timestamp, !!set, !!python/…: values no field expects, and bytes would slip past
            # the text checks (pydantic turns them into text later).
            return Problem(
                rel_path,
                line,
                col,
                "yaml",
                f"het YAML-type '{node.tag.replace('tag:yaml.org,2002:', '!!')}' is niet toegestaan; schrijf gewone "
                "tekst, een getal, een lijst of velden.",
            )
        if id(node) in seen:
            return Problem(
                rel_path,
                line,
                col,
                "yaml",
                "ankers en verwijzingen (& en *) zijn niet toegestaan in de front matter; schrijf de waarde uit.",
            )
        seen.add(id(node))
        if depth > MAX_YAML_DEPTH:
            return Problem(rel_path, line, col, "yaml", f"te diep genest (meer dan {MAX_YAML_DEPTH} niveaus).")
        if len(seen) > MAX_YAML_NODES:
            return Problem(rel_path, line, col, "yaml", f"te veel waarden (meer dan {MAX_YAML_NODES}).")
        if isinstance(node, yaml.ScalarNode):
            # Only numbers are converted: counting the digits of every text was most of this check's time.
            if node.tag.endswith((":int", ":float")):
                digits = sum(c.isdigit() for c in node.value)
                if digits > MAX_NUMBER_DIGITS:
                    return Problem(rel_path, line, col, "yaml", f"het getal is te groot ({digits} cijfers).")
        elif isinstance(node, yaml.SequenceNode):
            stack.extend((item, depth + 1) for item in node.value)
        elif isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                stack.extend(((key, depth + 1), (value, depth + 1)))
    return None


def _record_positions(node: yaml.Node, path: FieldPath, by_path: dict[FieldPath, Position], offset: int) -> None:
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            key_path = (*path, str(key_node.value))
            by_path[key_path] = (key_node.start_mark.line + 1 + offset, key_node.start_mark.column + 1)
            _record_positions(value_node, key_path, by_path, offset)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            by_path[(*path, index)] = (item.start_mark.line + 1 + offset, item.start_mark.column + 1)
            _record_positions(item, (*path, index), by_path, offset)


def _duplicate_keys(node: yaml.Node, path: FieldPath, rel_path: str, offset: int) -> list[Problem]:
    """PyYAML silently keeps the last of two equal keys; a coach should hear about the first one."""
    problems: list[Problem] = []
    if isinstance(node, yaml.MappingNode):
        seen: set[str] = set()
        for key_node, value_node in node.value:
            key = str(key_node.value)
            if key in seen:
                position = (key_node.start_mark.line + 1 + offset, key_node.start_mark.column + 1)
                field_name = ".".join(map(str, (*path, key)))
                problems.append(Problem(rel_path, *position, field_name, "dit veld staat er twee keer."))
            seen.add(key)
            if not isinstance(value_node, yaml.ScalarNode):
                problems += _duplicate_keys(value_node, (*path, key), rel_path, offset)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            if not isinstance(item, yaml.ScalarNode):
                problems += _duplicate_keys(item, (*path, index), rel_path, offset)
    return problems


def read_markdown(path: Path, rel_path: str) -> tuple[SourceFile | None, list[Problem]]:
    """Read a Markdown file with a `---` front-matter block at the top."""
    text, problems = read_text(path, rel_path)
    if text is None:
        return None, problems
    first_end = text.find("\n")
    if text[: first_end if first_end >= 0 else len(text)].rstrip() != "---":
        return None, [
            Problem(
                rel_path,
                1,
                1,
                "front matter",
                "het bestand moet beginnen met een regel '---', gevolgd door de velden en nog een '---'.",
            )
        ]
    closing = _CLOSING_RE.search(text, first_end + 1) if first_end >= 0 else None
    if closing is None:
        return None, [Problem(rel_path, 1, 1, "front matter", "de afsluitende regel '---' na de velden ontbreekt.")]
    front = text[first_end + 1 : closing.start()]
    data, positions, problems = parse_yaml(front, rel_path, line_offset=1)
    if problems and data is None:
        return None, problems
    if data is None:
        data = {}
    if not isinstance(data, dict):
        return None, [
            Problem(
                rel_path,
                2,
                1,
                "front matter",
                "de velden moeten de vorm 'naam: waarde' hebben, één per regel.",
            )
        ]
    body = text[closing.end() + 1 :]
    # Line numbers: '---' is line 1, the front matter follows, then the closing line, then the body.
    return SourceFile(rel_path, data, positions, body, body_line=front.count("\n") + 3), problems
