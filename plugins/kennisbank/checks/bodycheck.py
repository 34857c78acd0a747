"""Rules over a document's Markdown body: early, positioned messages for the coach.

What reaches a colleague's browser is decided by the sanitiser (`sanitize.py`) on the rendered HTML; these
checks only make sure that a coach hears about plainly hostile or broken input in the pull request, with a
line number, instead of seeing it silently removed. They also find, in Dutch, what would stop the strict
build: links to files the site does not have, snippet includes and nesting the Markdown parser cannot take.
"""

from __future__ import annotations

import bisect
import functools
import html
import itertools
import posixpath
import re
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

from ..content.images import is_image_path
from ..content.models import BIDI_CONTROLS, BIDI_MARKS, PLACEHOLDER_TEXTS
from ..content.problems import Problem, suggest
from .sanitize import as_browser_reads

MAX_PROBLEMS = 50  # per file
# Python-Markdown is quadratic in unclosed '[' and '<' and recurses per nested emphasis (a RecursionError near
# 500 levels): budgets per file, outside code, far above what a tip needs (scripts/bench_hostile.py).
MARKUP_BUDGETS = {"[": 500, "<": 1000, "*": 800, "_": 800}
# Inline parsing is quadratic in the number of inline elements of one paragraph (escapes, code spans, keys,
# entities): 120 KB of "\\. " took 6 s, 480 KB took 220 s. A paragraph (or list item, table row, heading)
# of 10,000 characters is already a page of text.
MAX_PARAGRAPH = 10_000
_NEW_UNIT = re.compile(r"^[ \t]*(?:[-*+][ \t]|\d{1,9}[.)][ \t]|[|>#]|$)")
MAX_NESTING = 20  # lists and quotes; Python-Markdown recurses per level and fails near 250

# A fence opens a code block only when the rest of its line is what pymdownx.superfences accepts: a language,
# {attributes} or options (`~~~ !` and ```{ are text, and so is what they seem to enclose).
_FENCE_OPEN = re.compile(
    r"^[ \t]*(`{3,}|~{3,})[ \t]*"
    r"""(?:\{[^}\n]*\}|\.?[\w#.+-]*(?:[ \t]+[A-Za-z]\w*(?:=(?:"[^"\n]*"|'[^'\n]*'))?)*)[ \t]*$"""
)
# Every pattern is bounded per match ({0,500}), so no input makes a check quadratic. A backtick after a
# backslash opens no code span (Python-Markdown's rule): \`![](x.png)` is an image between two backticks.
_CODE_SPAN = re.compile(r"(?<!\\)(`{1,50})(?:(?!\1).){1,2000}?\1")
_RAW_TAG = re.compile(r"<\s*(script|iframe|object|embed|form|style|base|meta|link|svg|math|frame|frameset)\b", re.I)
_HANDLER = re.compile(r"<[^<>\n]{0,500}?[\s/\"'](on[a-z]+)\s*=", re.I)
_ATTR_HANDLER = re.compile(r"(?:^|[\s{:\"'])(on[a-z]+|style|srcdoc|formaction)\s*=", re.I)
# Attributes of an attribute list that change what an image shows, with their value as written.
_ATTR_SET = re.compile(r"""(?:^|[\s{:"'])(width|height|alt|src)\s*=\s*("[^"\n]*"|'[^'\n]*'|[^\s"'}]*)""", re.I)
SIZE_VALUE = re.compile(r"[0-9]{1,4}")  # a width or height in pixels, as site.images uses it
_SCRIPT_SCHEME = re.compile(r"(javascript|vbscript|data|livescript)\s*:", re.I)
_SNIPPET = re.compile(r"^[ \t]*-+8<-+")
# Reference definitions also count inside quotes and list items (broader than Markdown on purpose).
REFERENCE = re.compile(
    r"^[ \t>]*(?:(?:[-*+]|\d{1,9}[.)])[ \t]+)?\[([^\]\n]{0,5000})\]:[ \t]*(?:\n[ \t>]*)?(<[^>\n]{0,2000}>|\S+)", re.M
)
_EXTERNAL_IMAGE = re.compile(
    r"!\[[^\]\n]{0,500}\]\(\s*<?\s*(?:[a-z][a-z0-9+.-]*:|[/\\]\s*[/\\])"
    r"|<img\b[^<>\n]{0,500}?\bsrc\s*=\s*[\"']?\s*(?:[a-z][a-z0-9+.-]*:|[/\\]\s*[/\\])",
    re.I,
)
_ATTR_URL = re.compile(r"\b(?:href|src)\s*=\s*[\"']?([^\"'\s}]{1,2000})", re.I)
# A character reference ("&#x202E;", "&#8238;", "&rlm;") becomes the character itself in the page: a direction
# control written this way passes the file check on raw characters, so the references are decoded and checked
# too. Direction marks count here as well: nobody pastes "&rlm;" by accident.
_CHARACTER_REFERENCE = re.compile(r"&(?:#[xX][0-9a-fA-F]{1,8}|#[0-9]{1,10}|[a-zA-Z][a-zA-Z0-9]{1,31});?")
_DIRECTION = re.compile(f"[{BIDI_CONTROLS}{BIDI_MARKS}]")


@dataclass(frozen=True)
class LinkTargets:
    """The files a relative link may point at, as site source paths (docs files relative to docs/)."""

    files: frozenset[str]

    @functools.cached_property
    def by_stem(self) -> dict[str, str]:
        return {posixpath.splitext(posixpath.basename(f))[0]: f for f in sorted(self.files)}


def mask_code(lines: list[str], code_lines: list[bool]) -> list[str]:
    """The lines with fenced code and code spans blanked (same lengths): code is shown, never run."""
    return [
        " " * len(line) if code else (_CODE_SPAN.sub(lambda m: " " * len(m.group()), line) if "`" in line else line)
        for line, code in zip(lines, code_lines, strict=True)
    ]


def fenced_lines(lines: list[str]) -> list[bool]:
    """For each line: is it part of a fenced code block (fences included)?

    A fence closes only with the same character, at least as long: a ``` line inside a ~~~ block is code."""
    in_code = [False] * len(lines)
    if not any("`" in line or "~~~" in line for line in lines):
        return in_code
    index = 0
    while index < len(lines):
        opening = _FENCE_OPEN.match(lines[index])
        close = _closing_fence(lines, index + 1, opening.group(1)) if opening else None
        if close is None:  # not a fence, or never closed: Markdown shows it as text, so it is not code
            index += 1
            continue
        for inside in range(index, close + 1):
            in_code[inside] = True
        index = close + 1
    return in_code


def _closing_fence(lines: list[str], start: int, fence: str) -> int | None:
    """The line that closes `fence`: the same character, at least as long, nothing else on the line."""
    for index in range(start, len(lines)):
        stripped = lines[index].strip()
        if stripped.startswith(fence) and set(stripped) == {fence[0]}:
            return index
    return None


def nesting_depth(line: str) -> int:
    """How deep a line nests lists and block quotes: every marker and every four columns of indent."""
    depth = columns = 0
    index = 0
    text = line.expandtabs(4)
    while index < len(text):
        char = text[index]
        if char == " ":
            columns += 1
        elif char == ">" or char in "-*+" and text[index + 1 : index + 2] in (" ", ""):
            depth += 1
        elif char.isdigit():
            marker = re.match(r"\d{1,9}[.)](?= |$)", text[index:])
            if not marker:
                break
            depth += 1
            index += len(marker.group()) - 1
        else:
            break
        index += 1
    return depth + columns // 4


# Every level of nesting_depth takes at least one of these characters at the start of the line (a tab at most
# four columns, so one level).
_NESTING_PREFIX = re.compile(r"[ \t>*+\-\d.)]*")  # \d: any digit that nesting_depth reads as a number


def _may_nest_deeper(line: str) -> bool:
    """False when the line cannot nest deeper than MAX_NESTING: too few characters that can start a level."""
    return _NESTING_PREFIX.match(line).end() > MAX_NESTING  # type: ignore[union-attr]


def check_body(
    rel_path: str,
    body: str,
    body_line: int,
    targets: LinkTargets,
    require_text: bool = True,
    images_checked: bool = False,
) -> list[Problem]:
    """Empty bodies, hostile HTML and URLs, snippet includes, too deep nesting and links to missing files.

    `images_checked`: links to image files are checked by `checks.images` (tips, learning paths, meetings and
    signals publish the images next to them); otherwise they must point at files the site has, like any other
    link."""
    problems: list[Problem] = []
    if require_text and not body.strip():
        problems.append(
            Problem(rel_path, body_line, 1, "inhoud", "de tekst onder de front matter is leeg; beschrijf de stappen.")
        )
    source_lines = body.split("\n")
    code_lines = fenced_lines(source_lines)
    # Line by line only when a placeholder is in the body at all (a line holds one only if the body does).
    if any(text.strip(".") in body for text in PLACEHOLDER_TEXTS):
        for number, line in enumerate(source_lines):
            if code_lines[number]:
                continue  # a tip may show the template in a code block
            found = next((text for text in PLACEHOLDER_TEXTS if text.strip(".") in line), None)
            if found:
                problems.append(
                    Problem(
                        rel_path,
                        body_line + number,
                        1,
                        "inhoud",
                        f"nog in te vullen: vervang de voorbeeldtekst '{found.rstrip('.')}'.",
                    )
                )
    masked_lines = mask_code(source_lines, code_lines)
    text = "\n".join(masked_lines)
    line_starts = list(itertools.accumulate((len(line) + 1 for line in masked_lines[:-1]), initial=0))

    def add(index: int, message: str) -> None:
        line = bisect.bisect_right(line_starts, index) - 1
        problems.append(Problem(rel_path, body_line + line, index - line_starts[line] + 1, "inhoud", message))

    for char, budget in MARKUP_BUDGETS.items():
        count = text.count(char)
        if count > budget:
            add(
                _nth(text, char, budget),
                f"de tekst bevat {count} keer '{char}' buiten code (maximum {budget}); zoveel opmaaktekens kan de "
                "site niet verwerken. Zet lange voorbeelden in een codeblok (```).",
            )
    paragraph_start, paragraph_size, too_long = 0, 0, False
    too_deep = False
    for source_line, is_code, line_start in zip(source_lines, code_lines, line_starts, strict=True):
        if _SNIPPET.match(source_line):  # the snippets extension runs before code blocks exist: code too
            add(line_start, "'--8<--' voegt een ander bestand in en is hier niet toegestaan.")
        if is_code:
            continue  # code is shown as it is: no nesting, no inline parsing
        # Indentation from the file itself: masked code spans would look like indentation.
        if not too_deep and _may_nest_deeper(source_line) and nesting_depth(source_line) > MAX_NESTING:
            too_deep = True
            add(line_start, f"te diep genest (meer dan {MAX_NESTING} niveaus lijsten of citaten).")
        if _NEW_UNIT.match(source_line):
            paragraph_start, paragraph_size = line_start, 0
        paragraph_size += len(source_line) - source_line.count(" ")  # code spans are parsed inline too
        if paragraph_size > MAX_PARAGRAPH and not too_long:
            too_long = True
            add(
                paragraph_start,
                f"deze alinea is langer dan {MAX_PARAGRAPH} tekens; splits ze met lege regels (zo'n lange alinea "
                "kan de site niet snel verwerken).",
            )
    if "<" in text:
        for match in _RAW_TAG.finditer(text):
            add(match.start(), f"ruwe HTML-tag <{match.group(1).lower()}> is niet toegestaan in de tekst.")
        for match in _HANDLER.finditer(text):
            add(match.start(1), f"HTML-attribuut '{match.group(1).lower()}=' (JavaScript) is niet toegestaan.")
    if "&" in text:
        for match in _CHARACTER_REFERENCE.finditer(text):
            control = _DIRECTION.search(html.unescape(match.group()))
            if control:
                add(
                    match.start(),
                    f"'{match.group()}' schrijft een onzichtbaar teken voor de schrijfrichting "
                    f"(U+{ord(control.group()):04X}): het kan tekst omgekeerd tonen zonder dat je het ziet; "
                    "verwijder het.",
                )
    instead = (
        "Zet de afbeelding naast het bestand dat ze toont (bv. in dezelfde map als scherm.png) en verwijs ernaar "
        "met ![wat je ziet](scherm.png)."
    )
    if "{" in text:
        for start, end in attribute_blocks(text):
            block = text[start:end]
            for match in _ATTR_HANDLER.finditer(block):
                name = match.group(1).lower()
                add(start + match.start(1), f"het attribuut '{name}=' is niet toegestaan in {{: ... }}.")
            for match in _ATTR_SET.finditer(block):
                message = _attribute_problem(match.group(1).lower(), match.group(2), instead)
                if message:
                    add(start + match.start(1), message)
    for match in _EXTERNAL_IMAGE.finditer(text):
        add(
            match.start(),
            f"afbeeldingen van buiten het intranet worden niet getoond (de site laadt niets van elders). {instead}",
        )
    for index, url in destinations(text):
        if len(problems) > MAX_PROBLEMS:
            break
        scheme = _script_scheme(url)
        if scheme:
            add(index, f"link met '{scheme}:' is niet toegestaan (kan code uitvoeren).")
    # Missing link targets stop the strict build. Checked on the unmasked body: should the masking ever
    # read code where Markdown sees a link, a false alarm in an example beats a build that fails later.
    for index, url in destinations(body):
        if len(problems) > MAX_PROBLEMS:
            break
        if images_checked and is_image_path(url.split("?")[0].split("#")[0]):
            continue  # checks.images: where it is, whether it exists, what it is
        message = None if _script_scheme(url) else _missing_target(rel_path, url, targets)
        if message:
            add(index, message)
    if len(problems) > MAX_PROBLEMS:  # one broken pattern repeated: the first ones say it all
        problems = problems[:MAX_PROBLEMS]
        problems.append(
            Problem(rel_path, problems[-1].line, 1, "inhoud", "en meer gelijkaardige problemen; los eerst deze op.")
        )
    return problems


def attribute_blocks(text: str) -> list[tuple[int, int]]:
    """(start, end) of every `{ … }` on one line, as attr_list reads them (a block runs to the first '}'
    on its line). Linear: a line full of '{' is scanned once."""
    blocks: list[tuple[int, int]] = []
    start = text.find("{")
    while start != -1:
        line_end = text.find("\n", start)
        line_end = len(text) if line_end == -1 else line_end
        close = text.find("}", start, line_end)
        if close == -1:
            start = text.find("{", line_end)
            continue
        blocks.append((start, close + 1))
        start = text.find("{", close + 1)
    return blocks


def _attribute_problem(name: str, value: str, instead: str) -> str | None:
    """What is wrong with `name=value` in an attribute list, or None."""
    plain = value[1:-1] if value[:1] in "\"'" and len(value) > 1 else value
    if name in ("width", "height"):
        if SIZE_VALUE.fullmatch(plain):
            return None
        what = "breedte" if name == "width" else "hoogte"
        return (
            f'{name}="{plain[:20]}{"…" if len(plain) > 20 else ""}" is geen geldige {what}: schrijf het aantal '
            f'pixels als getal van hoogstens 4 cijfers, zonder % of px, bv. {{ {name}="300" }}.'
        )
    if name == "alt":
        return (
            "alt= in { … } is niet toegestaan: de beschrijving van een afbeelding staat tussen de vierkante haken, "
            "bv. ![Het venster Automatische antwoorden](scherm.png)."
        )
    if re.match(r"\s*(?:[a-z][a-z0-9+.-]*:|[/\\]\s*[/\\])", plain, re.I):
        return f"afbeeldingen van buiten het intranet worden niet getoond (de site laadt niets van elders). {instead}"
    return "src= in { … } is niet toegestaan: zet de naam van de afbeelding tussen de ronde haken: ![…](scherm.png)."


def _nth(text: str, char: str, n: int) -> int:
    """Index of the n-th occurrence of `char` (0-based), where a budget is exceeded."""
    index = -1
    for _ in range(n + 1):
        index = text.find(char, index + 1)
    return max(index, 0)


def destinations(text: str) -> list[tuple[int, str]]:
    """Every link or image destination in the (code-masked) body, with its index: inline, reference
    definitions, attributes in raw HTML and in attribute lists. Broader than Markdown on purpose."""
    found: list[tuple[int, str]] = []
    start = text.find("](")
    while start != -1:
        index = start + 2
        while index < len(text) and text[index] in " \t\n":
            index += 1
        destination = destination_at(text, index)
        found.append((index, destination))
        start = text.find("](", index + max(len(destination), 1))  # linear, even for "](](](…"
    found += [(m.start(2), m.group(2).strip("<>")) for m in REFERENCE.finditer(text)]
    if "=" in text:
        found += [(m.start(1), m.group(1)) for m in _ATTR_URL.finditer(text)]
    return found


_UNTIL_SPACE = re.compile(r"[^\s]{0,2000}")


def destination_at(text: str, index: int) -> str:
    """The link destination that starts at `index` (after "](" and spaces), as Markdown reads it."""
    if text.startswith("<", index):
        end = text.find(">", index, index + 2000)
        return text[index + 1 : end if end != -1 else index + 1]
    found = _UNTIL_SPACE.match(text, index)
    candidate = found.group() if found else ""  # it always matches: {0,2000} accepts the empty string
    if "(" not in candidate:
        close = candidate.find(")")
        return candidate if close == -1 else candidate[:close]
    depth = 0
    for end, char in enumerate(candidate):  # balanced parentheses, as in Markdown: [x](a_(b).png)
        if char == "(":
            depth += 1
        elif char == ")":
            if depth == 0:
                return candidate[:end]
            depth -= 1
    return candidate


def _script_scheme(url: str) -> str | None:
    """The scheme if the URL, as a browser reads it (entities decoded, tabs and newlines dropped), runs code."""
    decoded = as_browser_reads(html.unescape(url))
    match = _SCRIPT_SCHEME.match(decoded)
    return match.group(1).lower() if match else None


def _missing_target(rel_path: str, url: str, targets: LinkTargets) -> str | None:
    """Mirror the engine's link check: a relative link whose last part has an extension must exist."""
    try:
        parts = urlsplit(html.unescape(url))
    except ValueError:
        return f"'{url}' is geen geldig webadres."
    if parts.scheme or parts.netloc or url.startswith(("/", "\\")) or not parts.path:
        return None
    path = unquote(parts.path)
    if not posixpath.splitext(path)[1]:
        return None  # a folder or page URL: the engine leaves it as it is
    if re.match(r"^(www\.|[a-z0-9-]+\.(be|com|org|net|eu|nl)(/|$))", path, re.I):
        return f"'{url}' lijkt een webadres; schrijf het volledig, bv. 'https://{path}'."
    resolved = posixpath.normpath(posixpath.join(posixpath.dirname(rel_path), path))
    if resolved in targets.files:
        return None
    message = f"de link naar '{url}' verwijst naar een bestand dat niet bestaat (of niet gepubliceerd wordt)."
    by_stem = targets.by_stem
    if is_image_path(path):  # an image is not meant to be a page with a similar name
        by_stem = {stem: file for stem, file in by_stem.items() if is_image_path(file)}
    hint = suggest(posixpath.splitext(posixpath.basename(path))[0], by_stem)
    if hint:
        message += f" Bedoelde je '{posixpath.relpath(by_stem[hint], posixpath.dirname(rel_path))}'?"
    elif is_image_path(path):  # only without checks.images (a caller of its own): name where images go
        message += (
            " Zet de afbeelding naast het bestand dat ze toont (bv. in dezelfde map) en verwijs ernaar met haar "
            "naam: ![wat je ziet](scherm.png)."
        )
    elif not path.endswith(".md"):
        message += (
            " Naast een tip worden alleen afbeeldingen gepubliceerd, geen andere bestanden; zet een document in "
            "docs/ en link ernaar (bv. ../../documenten/handleiding.pdf)."
        )
    return message
