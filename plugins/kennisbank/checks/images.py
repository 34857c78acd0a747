"""The images of a tip, learning path, meeting or signal: where they are, whether they exist, what they are,
and their text for screen readers.

Every kind of document shows images next to its own file, linked as on GitHub (`![…](scherm.png)`), and
below its own content folder (`ImageHome`: tips/ for tips and learning paths, meetings/ for meetings and
signals). Everything the build would refuse or publish wrongly is reported here first, in Dutch, with file,
line and column: a missing file (with "bedoelde je …?" from the files nearby), a path outside the content
folder or on the coach's own computer, a format the site does not publish (SVG can carry scripts), a file
that is no image or too large (`content.images.inspect_image`), a raw <img> tag and a missing description.
The loader runs this check; the build loads through the same loader, so it refuses exactly what validate
refuses. A photo that holds a GPS position or a name gets a warning: the site drops that metadata, the file
in the repository keeps it (`personal_data_warning`).
"""

from __future__ import annotations

import bisect
import html
import itertools
import posixpath
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

from ..content.images import (
    IMAGE_FORMATS,
    REFUSED_FORMATS,
    ImageDefect,
    ImageFile,
    ImageLibrary,
    PersonalData,
    is_image_path,
)
from ..content.problems import Problem, Severity, suggest
from .bodycheck import REFERENCE, destination_at, destinations, fenced_lines, mask_code

MAX_IMAGES = 50  # per file: each one is looked up and inspected; a tip needs a handful
MAX_ALT = 300  # characters: a screen reader reads all of it; one sentence says what the picture shows
MIN_ALT_LETTERS = 2  # '.', an emoji or an invisible space describes nothing
FIELD = "afbeelding"
GOOD_ALT = (
    "Schrijf tussen de vierkante haken in één zin wat een collega op de afbeelding moet zien, bv. "
    "![Het venster Automatische antwoorden, met 'Alleen in dit tijdsbestek' aangevinkt](scherm.png). "
    "Een collega met een schermlezer hoort die zin in plaats van de afbeelding."
)
# Descriptions that say that there is a picture, not what it shows.
_GENERIC_ALT = frozenset(
    {
        "afbeelding", "schermafbeelding", "schermafdruk", "screenshot", "printscreen", "print screen", "scherm",
        "foto", "image", "img", "picture", "plaatje", "prent", "figuur", "knipsel", "beeld", "illustratie",
    }
)  # fmt: skip
# Anything that may be an image: syntax, a raw tag or a file name with an image extension.
_HINT = re.compile(r"!\[|<img\b|\.(?:png|jpe?g|jfif|gif|webp|svgz?|bmp|tiff?|hei[cf]|avif|ico|psd|emf|wmf)\b", re.I)
_RAW_IMG = re.compile(r"<\s*img\b", re.I)
_LABEL = re.compile(r"\[([^\]\n]{0,1000})\]")
_WINDOWS_DRIVE = re.compile(r"^[A-Za-z]:")


@dataclass(frozen=True)
class ImageHome:
    """Where the images of one kind of document live, and how the messages name that document."""

    folder: str  # the content folder its images must be below: tips (tips, learning paths) or meetings
    noun: str  # with its article, as a coach reads it: 'de tip', 'het overleg', 'het signaal', 'het leerpad'


TIP_HOME = ImageHome("tips", "de tip")


@dataclass(frozen=True)
class ImageCheck:
    """What the check of one body found: its problems, and the image files it shows or links (all valid)."""

    problems: tuple[Problem, ...]
    used: tuple[str, ...]  # repository paths of the valid images
    linked: tuple[str, ...] = ()  # every existing image file the body links, valid or not


def check_images(
    rel_path: str, body: str, body_line: int, library: ImageLibrary, home: ImageHome = TIP_HOME
) -> ImageCheck:
    """The images of one document's body; `library` holds every image file below the content folders."""
    if not _HINT.search(body):
        return ImageCheck((), ())
    lines = body.split("\n")
    masked = "\n".join(mask_code(lines, fenced_lines(lines)))
    starts = list(itertools.accumulate((len(line) + 1 for line in lines[:-1]), initial=0))
    problems: list[Problem] = []
    used: list[str] = []
    linked: list[str] = []

    def add(index: int, message: str, severity: Severity = Severity.ERROR) -> None:
        line = bisect.bisect_right(starts, index) - 1
        problems.append(Problem(rel_path, body_line + line, index - starts[line] + 1, FIELD, message, severity))

    too_many = (
        f"meer dan {MAX_IMAGES} afbeeldingen in één tip; splits de tip in kleinere tips."
        if home == TIP_HOME
        else f"meer dan {MAX_IMAGES} afbeeldingen in {home.noun}; toon er minder."
    )
    for count, (start, alt, target, rest) in enumerate(_images(masked, body)):
        if count == MAX_IMAGES:
            add(start, too_many)
            break
        problems_of_alt = _alt_problem(alt, target)
        if problems_of_alt:
            add(start, *problems_of_alt)
        if not target.strip():
            add(start, "de afbeelding heeft geen bestandsnaam: zet ze tussen de ronde haken, bv. ![…](scherm.png).")
        elif rest is None and _elsewhere(target) and urlsplit(html.unescape(target)).netloc:
            # A reference to another host: the sanitiser drops it without a word, as the inline form.
            add(
                start,
                "afbeeldingen van buiten het intranet worden niet getoond (de site laadt niets van elders). Zet de "
                f"afbeelding naast {home.noun} (bv. in dezelfde map als scherm.png) en verwijs ernaar met "
                "![wat je ziet](scherm.png).",
            )
        elif not is_image_path(_path_of(target)) and not _elsewhere(target):
            add(start, _not_an_image(target, rest or ""))
    for match in _RAW_IMG.finditer(masked):
        add(
            match.start(),
            "schrijf een afbeelding als ![wat je ziet](scherm.png), niet als HTML-tag <img>: de site past het pad "
            "van een <img>-tag niet aan het adres van de pagina aan, zodat de afbeelding ontbreekt.",
        )
    # Every link to an image file counts, also [groot](scherm.png) and reference definitions. Checked on the
    # unmasked body, like other links: a false alarm in an example beats a picture missing on the site.
    found = [(index, url) for index, url in destinations(body) if is_image_path(_path_of(url))]
    if len(found) > MAX_IMAGES * 2 and not any(p.message == too_many for p in problems):  # links and references too
        add(found[MAX_IMAGES * 2][0], too_many)
    for index, url in found[: MAX_IMAGES * 2]:
        message, resolved = _target_problem(rel_path, url, library, home)
        if message:
            add(index, message)
        elif resolved:
            inspected = library.inspect(resolved)
            if isinstance(inspected, ImageFile) and inspected.personal and resolved not in used:
                add(index, personal_data_warning(url, resolved, inspected.personal), Severity.WARNING)
            used.append(resolved)
        if resolved:
            linked.append(resolved)
    return ImageCheck(tuple(problems), tuple(dict.fromkeys(used)), tuple(dict.fromkeys(linked)))


def personal_data_warning(url: str, rel_path: str, personal: PersonalData) -> str:
    """Why a photo's metadata matters although the site drops it, and how the coach removes it."""
    found = [
        text
        for present, text in (
            (personal.position, "de GPS-positie waar de foto genomen werd"),
            (personal.names, "de naam van de fotograaf of eigenaar"),
            (personal.serial, "het serienummer van het toestel"),
            (bool(personal.camera), f"merk en type van het toestel ({personal.camera})"),
        )
        if present
    ]
    listed = ", ".join(found[:-1]) + " en " + found[-1] if len(found) > 1 else found[0]
    why = " (bv. waar een collega woont)" if personal.position else ""
    shown = f'"{rel_path}"' if " " in rel_path else rel_path  # as typed in a terminal
    return (
        f"de afbeelding '{url}' bevat {listed}. De site toont een kopie zonder die gegevens, maar het bestand "
        f"in de repository bevat ze wel: wie het downloadt, kan ze lezen{why}. Verwijder ze met het commando "
        f"'kennisbank afbeelding-opschonen {shown}' (de afbeelding zelf blijft gelijk) en commit het bestand "
        "opnieuw, of in Windows: rechtsklik op het bestand > Eigenschappen > Details > Eigenschappen en "
        "persoonlijke gegevens verwijderen > De volgende eigenschappen uit dit bestand verwijderen > Alles "
        "selecteren > OK. Stond de foto al in een gepushte commit, meld het dan aan de beheerder: die versie "
        "blijft in de geschiedenis."
    )


def _not_an_image(target: str, rest: str) -> str:
    """Why a destination is no image file, with what the coach probably meant."""
    named = (target + rest).strip()
    if rest.strip() and is_image_path(named):
        stem, extension = posixpath.splitext(named)
        return (
            f"'{named}' bevat een spatie; zo leest de site alleen '{target}'. Schrijf ![…](<{named}>) of hernoem het "
            f"bestand zonder spaties, bv. '{'-'.join(stem.split())}{extension}'."
        )
    if is_image_path(target) and ("#" in target or "?" in target):
        return (
            f"'{target}': een '#' of '?' in een bestandsnaam betekent in een webadres iets anders, zodat de "
            "afbeelding niet gevonden wordt. Hernoem het bestand zonder # en ? (bv. met '-') en pas de verwijzing aan."
        )
    return f"'{target}' is geen afbeelding. Toegestaan: {', '.join(IMAGE_FORMATS)}."


def _elsewhere(url: str) -> bool:
    """A link to another host (or no URL at all): check_body reports those with the other links."""
    try:
        parts = urlsplit(html.unescape(url))
    except ValueError:
        return True
    return bool(parts.netloc or len(parts.scheme) > 1)


def _path_of(url: str) -> str:
    """The path of a link destination as the engine resolves it: no query or anchor, %20 decoded."""
    try:
        return unquote(urlsplit(html.unescape(url)).path)
    except ValueError:
        return url


def _images(masked: str, original: str) -> Iterator[tuple[int, str, str, str | None]]:
    """Image syntax outside code: (index of '![', description as written, destination, the rest of the
    parentheses after the destination; None for a reference). Reference images (`![tekst][ref]`, `![tekst]`)
    count only when the reference is defined, as in Markdown. Linear in the length of the body."""
    labels: dict[str, str] = {}
    for match in REFERENCE.finditer(masked):
        labels.setdefault(_normal_label(match.group(1)), match.group(2).strip("<>"))
    closing = _closing_brackets(masked)
    start = masked.find("![")
    while start != -1:
        close = None if _escaped(masked, start) else closing.get(start + 1)
        if close is None:
            start = masked.find("![", start + 2)
            continue
        alt, after = original[start + 2 : close], close + 1
        rest: str | None = None
        target: str | None
        if masked.startswith("(", after):
            index = after + 1
            while index < len(masked) and masked[index] in " \t\n":
                index += 1
            target = destination_at(masked, index)
            end = masked.find(")", index + len(target), index + len(target) + 300)
            rest = masked[index + len(target) : end] if end != -1 and "\n" not in masked[index:end] else ""
        else:
            label = _LABEL.match(masked, after)
            name = label.group(1) if label and label.group(1).strip() else alt
            target = labels.get(_normal_label(name))
        if target is not None:
            yield start, alt, target, rest
        start = masked.find("![", close)


def _closing_brackets(text: str) -> dict[int, int]:
    """For every '[' its closing ']' (nested brackets balanced, escapes skipped, none across a blank line).
    One pass with a stack, so a body full of '![' stays linear."""
    closing: dict[int, int] = {}
    stack: list[int] = []
    index = 0
    for match in re.finditer(r"\\.|[\[\]]|\n[ \t]*\n", text, re.S):
        index = match.start()
        char = text[index]
        if char == "\\":
            continue
        if char == "[":
            stack.append(index)
        elif char == "]":
            if stack:
                closing[stack.pop()] = index
        else:
            stack.clear()  # a blank line ends every open description
    return closing


def _normal_label(label: str) -> str:
    return " ".join(label.lower().split())


def _escaped(text: str, index: int) -> bool:
    backslashes = 0
    while index - backslashes - 1 >= 0 and text[index - backslashes - 1] == "\\":
        backslashes += 1
    return backslashes % 2 == 1


def _alt_problem(alt: str, target: str) -> tuple[str] | tuple[str, Severity] | None:
    text = " ".join(html.unescape(alt).split())
    letters = sum(1 for char in text if unicodedata.category(char).startswith("L"))
    if letters < MIN_ALT_LETTERS:  # also '.', an emoji, an invisible space (&#8203;) or only markup
        return (f"de afbeelding '{target}' heeft geen beschrijving. {GOOD_ALT}",)
    if len(alt) > MAX_ALT:
        return (
            f"de beschrijving van de afbeelding '{target}' is te lang ({len(alt)} tekens, maximum {MAX_ALT}); "
            "beschrijf kort wat je ziet, in één zin. Uitleg hoort in de tekst van de tip.",
        )
    name = posixpath.basename(_path_of(target)).lower()
    plain = text.lower().strip(" .:!")
    stem = posixpath.splitext(name)[0]
    if plain in _GENERIC_ALT or plain in (name, stem, stem.replace("-", " ").replace("_", " ")):
        return (f"'{text}' zegt niet wat er op de afbeelding staat. {GOOD_ALT}", Severity.WARNING)
    return None


def _target_problem(rel_path: str, url: str, library: ImageLibrary, home: ImageHome) -> tuple[str | None, str | None]:
    """(message, path) for an image link the site cannot publish, (None, path) for a good one, (None, None) for
    one that is not the images' business (another host: checked with the other links). The path is the linked
    file in the repository, when there is one."""
    try:
        parts = urlsplit(html.unescape(url))
    except ValueError:
        return None, None  # not a URL at all: check_body says so
    if _elsewhere(url):
        return None, None
    path = unquote(parts.path)
    folder = posixpath.dirname(rel_path)
    name = posixpath.basename(path.replace("\\", "/"))
    if parts.scheme or path.startswith(("/", "\\")) or _WINDOWS_DRIVE.match(path):
        return (
            f"'{url}' is een pad op je eigen computer of vanaf de hoofdmap van de site; dat werkt op de site niet. "
            f"Zet de afbeelding naast {home.noun} (in {folder}/) en verwijs ernaar met haar naam: "
            f"![wat je ziet]({name})."
        ), None
    if "\\" in path:
        return f"gebruik '/' in een pad, geen '\\': schrijf '{path.replace(chr(92), '/')}'.", None
    resolved = posixpath.normpath(posixpath.join(folder, path))
    if not resolved.startswith(home.folder + "/"):
        return (
            f"de afbeelding '{url}' ligt buiten de map {home.folder}/ en wordt niet gepubliceerd. Zet ze naast "
            f"{home.noun} (in {folder}/) en verwijs ernaar met haar naam: ![wat je ziet]({name})."
        ), None
    extension = posixpath.splitext(path)[1].lower()
    if resolved not in library.stats:
        if library.behind_refused_link(resolved):
            return None, None  # the link is refused on its own line; "does not exist" would only confuse
        same = _same_name(resolved, library)
        if same:  # 'é' typed as one character, stored as 'e' plus an accent (or the other way round)
            return (
                f"de afbeelding '{url}' heet op schijf '{posixpath.basename(same)}', met dezelfde letters maar anders "
                "gecodeerd (een letter met accent als één teken of als letter plus accent), zodat de site ze niet "
                "vindt. Hernoem het bestand zonder accenten, bv. 'e' in plaats van 'é', en pas de verwijzing aan."
            ), None
        if extension in REFUSED_FORMATS:
            return f"de afbeelding '{url}': {REFUSED_FORMATS[extension]}", None
        return _missing(rel_path, url, resolved, library, home), None
    inspected = library.inspect(resolved)
    if isinstance(inspected, ImageDefect):
        return f"de afbeelding '{url}': {inspected.message}", resolved
    return None, resolved


def _same_name(resolved: str, library: ImageLibrary) -> str | None:
    """The library file whose path equals `resolved` in Unicode normal form NFC, if another one does."""
    wanted = unicodedata.normalize("NFC", resolved)
    for path in library.near(resolved):
        if path != resolved and unicodedata.normalize("NFC", path) == wanted:
            return path
    return None


def _missing(rel_path: str, url: str, resolved: str, library: ImageLibrary, home: ImageHome) -> str:
    folder = posixpath.dirname(rel_path)
    message = f"de afbeelding '{url}' bestaat niet (gezocht: {resolved})."
    by_name: dict[str, str] = {}
    for candidate in (*library.near(resolved), *library.near(rel_path)):
        by_name.setdefault(posixpath.basename(candidate), candidate)
    hint = suggest(posixpath.basename(resolved), by_name)
    if hint:
        relative = posixpath.relpath(by_name[hint], folder)
        return message + f" Bedoelde je '{f'<{relative}>' if ' ' in relative else relative}'?"
    return message + (
        f" Zet het bestand naast {home.noun}, in {folder}/ (op GitHub: Add file > Upload files), en let op "
        "hoofdletters: Scherm.png is niet scherm.png."
    )


def unused_image(rel_path: str, meetings_dir: str = "meetings", paths_dir: str = "tips/leerpaden") -> Problem:
    """The warning for an image file that no document shows: it is not published."""
    if rel_path.startswith(meetings_dir + "/"):
        nobody, beside = "geen enkel overleg of signaal", "het overleg of signaal"
    elif rel_path.startswith(paths_dir + "/"):
        nobody, beside = "geen enkel leerpad", "het leerpad"
    else:
        nobody, beside = "geen enkele tip", "de tip"
    name = posixpath.basename(rel_path)
    message = (
        f"{nobody} toont deze afbeelding, dus ze wordt niet gepubliceerd. Verwijs ernaar vanuit {beside} ernaast "
        f"met ![wat je ziet]({name}), of verwijder het bestand."
    )
    return Problem(rel_path, 1, 1, "bestand", message, Severity.WARNING)
