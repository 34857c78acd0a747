"""`kennisbank afbeelding-opschonen PAD…`: remove a photo's metadata from the file in the repository.

The site never publishes an image's metadata (`site.images`), but the file a coach commits keeps it: a phone
photo holds the GPS position where it was taken, often the owner's name. `kennisbank validate` warns about it
(`checks.images.personal_data_warning`); this command is the fix, and it only runs when the coach asks for it
by name. Nothing else in the product ever writes an image in the repository.

The pixels stay exactly as they were: a JPEG loses its metadata segments (EXIF, XMP, IPTC, comments, the
extra pictures of a multi-picture file) without being encoded again, keeping only its orientation, colour
profile and JFIF/Adobe headers; a PNG, WebP or GIF loses its metadata chunks (`site.images.without_metadata`).
The result is decoded and compared with the original before it replaces the file, in one atomic step.
"""

from __future__ import annotations

import argparse
import io
import os
import shutil
import sys
import tempfile
import warnings
from dataclasses import dataclass
from pathlib import Path

from PIL import Image

from ..content.images import (
    ImageDefect,
    ImageFile,
    PersonalData,
    describe_image,
    inspect_image,
    orientation,
)
from ..content.oserrors import describe_os_error
from ..site.images import without_metadata


class ImageCleanupError(ValueError):
    """An image that cannot be cleaned; the message is Dutch and names the file."""


@dataclass(frozen=True)
class Cleanup:
    """What cleaning one file found and did."""

    shown: str  # the path as the coach knows it (relative to the repository when inside it)
    personal: PersonalData | None  # what the file said about where and by whom, before cleaning
    changed: bool  # the file held metadata (is, or with --proef would be, written again)


def clean_image(path: Path, shown: str, dry_run: bool = False) -> Cleanup:
    """Rewrite the image file at `path` without its metadata (unless `dry_run`). Raises ImageCleanupError."""
    if path.is_symlink():
        raise ImageCleanupError(f"{shown}: dit is een snelkoppeling (symbolische link); schoon het bestand zelf op.")
    if not path.exists():
        raise ImageCleanupError(f"{shown}: dit bestand bestaat niet.")
    inspected = inspect_image(path, shown)
    if isinstance(inspected, ImageDefect):
        raise ImageCleanupError(f"{shown}: {inspected.message}")
    try:
        data = path.read_bytes()
        cleaned = _without_metadata(data, inspected)
    except OSError as exc:
        raise ImageCleanupError(f"{shown}: {describe_os_error(exc)}") from None
    if cleaned == data:
        return Cleanup(shown, inspected.personal, changed=False)
    _check_same_picture(shown, data, cleaned, inspected)
    if not dry_run:
        _replace(path, cleaned, shown)
    return Cleanup(shown, inspected.personal, changed=True)


def _without_metadata(data: bytes, image: ImageFile) -> bytes:
    with Image.open(io.BytesIO(data)) as opened:
        turn = orientation(opened)
    if image.format == "JPEG":
        return _jpeg_without_metadata(data, turn)
    if turn != 1:  # the orientation lives in the EXIF chunk this would drop: the picture would turn over
        raise ImageCleanupError(
            f"{image.rel_path}: deze afbeelding wordt gedraaid getoond volgens haar gegevens; open ze in een "
            "tekenprogramma, draai ze rechtop, bewaar ze opnieuw en voer dit commando dan nog eens uit."
        )
    return without_metadata(data, image.format)


# JPEG segments a decoder needs (or that change how it shows the pixels); every other APPn and COM is metadata.
_SOI, _EOI, _SOS = b"\xff\xd8", b"\xff\xd9", 0xDA
_APP0, _APP2, _APP14, _APP15, _COM = 0xE0, 0xE2, 0xEE, 0xEF, 0xFE


def _jpeg_without_metadata(data: bytes, turn: int) -> bytes:
    """The JPEG's own bytes up to the end of its (first) picture, without metadata segments; an EXIF block
    with only the orientation when the picture is stored turned. Raises ValueError for a broken structure."""
    if not data.startswith(_SOI):
        raise ValueError("no JPEG")
    kept: list[bytes] = []
    index = 2
    while index + 4 <= len(data):
        if data[index] != 0xFF:
            raise ValueError("no marker")
        marker = data[index + 1]
        if marker == 0xFF:  # fill byte before a marker
            index += 1
            continue
        length = int.from_bytes(data[index + 2 : index + 4], "big")
        segment = data[index : index + 2 + length]
        if marker == _SOS:  # the compressed picture (and further scans) up to its end marker
            end = data.find(_EOI, index + 2 + length)
            kept.append(data[index : end + 2] if end != -1 else data[index:])
            break
        icc = marker == _APP2 and segment[4:].startswith(b"ICC_PROFILE\0")
        metadata = marker == _COM or (_APP0 <= marker <= _APP15 and marker not in (_APP0, _APP14) and not icc)
        if not metadata:  # tables, frame header, restart interval, JFIF, Adobe colour transform, ICC profile
            kept.append(segment)
        index += 2 + length
    header = []
    if turn != 1:
        exif = Image.Exif()
        exif[0x0112] = turn
        block = exif.tobytes()
        header.append(b"\xff\xe1" + (len(block) + 2).to_bytes(2, "big") + block)
    # JFIF wants its APP0 right after the start marker; the orientation block follows it.
    leading = kept[:1] if kept and kept[0][1] == _APP0 else []
    return _SOI + b"".join(leading + header + kept[len(leading) :])


def _check_same_picture(shown: str, before: bytes, after: bytes, image: ImageFile) -> None:
    """Refuse to write a result that is not the same picture without metadata (a bug must not damage a file)."""
    result = describe_image(shown, after, image.format)
    same = isinstance(result, ImageFile) and result.personal is None
    if isinstance(result, ImageFile) and same:
        same = (result.width, result.height) == (image.width, image.height)
    if same:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(before)) as old, Image.open(io.BytesIO(after)) as new:
                same = old.tobytes() == new.tobytes()
    if not same:
        raise ImageCleanupError(
            f"{shown}: de gegevens konden niet verwijderd worden zonder de afbeelding te veranderen; er is niets "
            "geschreven. Bewaar de afbeelding opnieuw in een tekenprogramma (bv. Paint: Bestand > Opslaan als)."
        )


def _replace(path: Path, data: bytes, shown: str) -> None:
    """Write `data` over `path` in one step: a reader never sees half a file, an error leaves the original."""
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".opschonen-", suffix=path.suffix)
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(data)
        shutil.copymode(path, temporary)
        os.replace(temporary, path)
    except OSError as exc:
        Path(temporary).unlink(missing_ok=True)
        raise ImageCleanupError(f"{shown}: {describe_os_error(exc)}") from None


def describe(cleanup: Cleanup, dry_run: bool) -> str:
    """One Dutch line per file for the terminal."""
    if not cleanup.changed:
        return f"{cleanup.shown}: bevat geen gegevens om te verwijderen; niets veranderd."
    personal = cleanup.personal
    found = []
    if personal is not None:
        found += ["de GPS-positie"] if personal.position else []
        found += ["de naam van de fotograaf of eigenaar"] if personal.names else []
        found += ["het serienummer van het toestel"] if personal.serial else []
    what = ", ".join(found + ["de overige gegevens (EXIF, XMP, commentaar)"])
    if dry_run:
        return f"{cleanup.shown}: zou verwijderen: {what}. Er is niets geschreven (--proef)."
    return f"{cleanup.shown}: verwijderd: {what}. De afbeelding zelf is niet veranderd."


def _locate(text: str, root: Path) -> tuple[Path, str]:
    """The file a coach named (from the current folder, else from the repository) and how to show it."""
    given = Path(text)
    path = given if given.is_absolute() or given.exists() or given.is_symlink() else root / given
    try:
        shown = path.resolve().relative_to(root.resolve()).as_posix()
    except (ValueError, OSError):
        shown = text
    return path, shown


def cmd_clean_images(args: argparse.Namespace) -> int:
    """Clean every named image; exit 1 when one of them could not be cleaned (the others are)."""
    root = Path(args.root)
    failed = False
    cleaned = False
    for text in args.paths:
        path, shown = _locate(text, root)
        try:
            result = clean_image(path, shown, dry_run=args.proef)
        except ImageCleanupError as exc:
            print(f"kennisbank: {exc}", file=sys.stderr)
            failed = True
            continue
        print(describe(result, args.proef))
        cleaned = cleaned or result.changed
    if cleaned and not args.proef:
        print(
            "Commit de opgeschoonde bestanden. Een vorige versie die al gepusht is, blijft in de geschiedenis van "
            "git: meld het aan de beheerder als ze een GPS-positie bevatte."
        )
    return 1 if failed else 0
