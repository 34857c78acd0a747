"""Image files next to tips, learning paths, meetings and signals: which files count as images, and what
each one really is.

A coach puts a screenshot next to a tip (`tips/<dienst>/scherm.png`) or in a folder per tip
(`tips/<dienst>/<slug>/scherm.png`), the same way next to a meeting, signal or learning path, and links it as
on GitHub. `inspect_image` reads such a file once and decodes it in full, so that a file validate accepts is
one the build can encode: it either describes the image (`ImageFile`, with the `PersonalData` its metadata
holds) or says in Dutch why it cannot be published and what to do (`ImageDefect`). Nothing here writes a
file.
"""

from __future__ import annotations

import hashlib
import io
import posixpath
import warnings
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from PIL import Image

from ..policy import IMAGE_LONGEST_SIDE, IMAGE_MAX_BYTES, IMAGE_MAX_PIXELS
from .oserrors import reason

# What the site publishes, by extension: Pillow's name of the format the file must really have.
IMAGE_FORMATS: Mapping[str, str] = {".png": "PNG", ".jpg": "JPEG", ".jpeg": "JPEG", ".gif": "GIF", ".webp": "WEBP"}
_ALLOWED = ", ".join(IMAGE_FORMATS)
_SAVE_AS = (
    f"Toegestaan: {_ALLOWED}. Bewaar een schermafbeelding als PNG en een foto als JPG "
    "(bv. in Paint: Bestand > Opslaan als)."
)
_SVG = (
    "een SVG-bestand kan scripts bevatten en wordt daarom nooit gepubliceerd. Maak er een PNG van (open het in "
    "je browser en neem een schermafbeelding) en verwijs naar die PNG."
)
# Image files a coach may have at hand that the site does not publish, with what to do instead.
REFUSED_FORMATS: Mapping[str, str] = {
    ".svg": _SVG,
    ".svgz": _SVG,
    ".jfif": "dit is een JPG met een andere naam: hernoem het bestand naar .jpg.",
    **{
        ext: f"het formaat '{ext}' wordt niet gepubliceerd. {_SAVE_AS}"
        for ext in (".bmp", ".tif", ".tiff", ".heic", ".heif", ".avif", ".ico", ".psd", ".emf", ".wmf")
    },
}
IMAGE_EXTENSIONS = frozenset(IMAGE_FORMATS) | frozenset(REFUSED_FORMATS)
_FORMAT_EXTENSION = {"PNG": ".png", "JPEG": ".jpg", "GIF": ".gif", "WEBP": ".webp"}
# EXIF orientation (a phone held upright stores a landscape picture plus this tag) -> how to turn it upright.
_TURN = {
    2: (Image.Transpose.FLIP_LEFT_RIGHT,),
    3: (Image.Transpose.ROTATE_180,),
    4: (Image.Transpose.FLIP_TOP_BOTTOM,),
    5: (Image.Transpose.TRANSPOSE,),
    6: (Image.Transpose.ROTATE_270,),
    7: (Image.Transpose.TRANSVERSE,),
    8: (Image.Transpose.ROTATE_90,),
}
_ORIENTATION_TAG = 0x0112
# EXIF tags that say where a photo was taken or who took it (a phone writes them without asking).
_GPS_IFD, _EXIF_IFD = 0x8825, 0x8769
_GPS_LATITUDE, _GPS_LONGITUDE = 0x0002, 0x0004
_MAKE, _MODEL = 0x010F, 0x0110
_NAME_TAGS = (0x013B, 0x8298, 0x9C9D)  # Artist, Copyright, XPAuthor (Windows' "Auteurs")
_OWNER_NAME, _BODY_SERIAL = 0xA430, 0xA431  # in the Exif IFD
# How XMP (Adobe, also written by phones' photo apps) names a position or a person, as text in the packet.
_XMP_POSITION = (b"GPSLatitude", b"GPSLongitude")
_XMP_NAMES = (b"<dc:creator", b"dc:creator=", b"tiff:Artist", b"photoshop:Author")


def is_image_path(path: str) -> bool:
    """Whether a file name or link looks like an image (also one the site refuses, such as .svg)."""
    return posixpath.splitext(path)[1].lower() in IMAGE_EXTENSIONS


@dataclass(frozen=True)
class ImageFile:
    """An image the site can publish, as a colleague's browser shows it."""

    rel_path: str
    format: str  # Pillow's name: PNG, JPEG, GIF or WEBP
    width: int  # upright: a phone photo's orientation tag is applied
    height: int
    animated: bool  # published at its own size (re-encoding would keep only the first frame), so at most
    # IMAGE_LONGEST_SIDE pixels
    size: int  # bytes
    digest: str  # sha256 of the file: the published version follows its content
    personal: PersonalData | None = None  # where it was taken or who took it, kept in the file (not published)


@dataclass(frozen=True)
class PersonalData:
    """Metadata of an image file that says where it was taken or who took it. The site never publishes it,
    but the file in the repository keeps it: checks.images warns about it, `ops.image_cleanup` strips it."""

    position: bool  # a GPS latitude or longitude (EXIF or XMP)
    names: bool  # the name of the photographer or owner (EXIF artist, owner, author, copyright; XMP creator)
    serial: bool  # the serial number of the camera or phone
    camera: str  # make and model, e.g. 'Fairphone FP4'; '' when not stored. Not personal on its own.


@dataclass(frozen=True)
class ImageDefect:
    """An image file the site cannot publish, and why, in Dutch (what to do included)."""

    rel_path: str
    message: str


def upright(image: Image.Image) -> Image.Image:
    """The image turned as its EXIF orientation says (the way browsers and photo viewers show it)."""
    steps = _TURN.get(orientation(image), ())
    for step in steps:
        image = image.transpose(step)
    return image


def orientation(image: Image.Image) -> int:
    """The EXIF orientation of an opened image (1: stored upright); 1 for broken EXIF."""
    try:
        value = image.getexif().get(_ORIENTATION_TAG, 1)
    except Exception:  # a broken EXIF block: Pillow raises several types; show the picture as stored
        return 1
    return value if isinstance(value, int) else 1


def shown_size(image: Image.Image) -> tuple[int, int]:
    """Width and height of an opened image as shown: swapped when the orientation turns it a quarter."""
    width, height = image.size
    return (height, width) if orientation(image) in (5, 6, 7, 8) else (width, height)


def _megabytes(size: int) -> str:
    return f"{size / 1024 / 1024:.1f}".replace(".", ",")


def inspect_image(path: Path, rel_path: str) -> ImageFile | ImageDefect:
    """Read and fully decode one image file; never raises for what a file contains."""
    extension = posixpath.splitext(rel_path)[1].lower()
    if extension in REFUSED_FORMATS:
        return ImageDefect(rel_path, REFUSED_FORMATS[extension])
    if extension not in IMAGE_FORMATS:
        return ImageDefect(rel_path, f"'{extension or '(geen extensie)'}' is geen afbeelding. {_SAVE_AS}")
    try:
        if _linked(path, rel_path):  # it would publish whatever file the link points at
            return ImageDefect(
                rel_path,
                "dit is een snelkoppeling (symbolische link) naar een ander bestand; kopieer de afbeelding zelf in "
                "de map van de tip, het overleg, het signaal of het leerpad dat ze toont.",
            )
        if not path.is_file():
            return ImageDefect(rel_path, "dit is geen gewoon bestand.")
        size = path.stat().st_size
        if size > IMAGE_MAX_BYTES:
            return ImageDefect(
                rel_path,
                f"het bestand is {_megabytes(size)} MB, meer dan de {_megabytes(IMAGE_MAX_BYTES)} MB die een "
                "afbeelding mag hebben. Neem een schermafbeelding van alleen het venster dat je toont, of verklein "
                "de afbeelding (bv. in Paint: Formaat wijzigen, 50 %) en bewaar ze als JPG als het een foto is.",
            )
        data = path.read_bytes()
    except OSError as exc:
        return ImageDefect(rel_path, f"kan het bestand niet lezen: {reason(exc.errno, exc.strerror)}.")
    return describe_image(rel_path, data, IMAGE_FORMATS[extension])


def _linked(path: Path, rel_path: str) -> bool:
    """Whether the file or one of the folders of `rel_path` leading to it is a symbolic link."""
    for _ in rel_path.split("/"):
        if path.is_symlink():
            return True
        path = path.parent
    return False


def describe_image(rel_path: str, data: bytes, expected: str) -> ImageFile | ImageDefect:
    """An `ImageFile` for the bytes of a file that should be an image of format `expected`, or its defect."""
    not_an_image = (
        f"dit bestand is geen geldige {posixpath.splitext(rel_path)[1].lower()}-afbeelding (het is beschadigd of "
        "een ander soort bestand met een afbeeldingsnaam). Open het in een tekenprogramma en bewaar het opnieuw, "
        "of maak de schermafbeelding opnieuw."
    )
    # Pillow warns (and above twice its limit refuses) before it decodes a huge image; the limit here is lower.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)
        try:
            with Image.open(io.BytesIO(data), formats=list(_FORMAT_EXTENSION)) as image:
                # A camera's JPEG with a second picture inside (depth map, preview) opens as MPO.
                found = "JPEG" if image.format == "MPO" else image.format or ""
                # Before anything else reads the image: for a PNG, getexif() (the orientation) decodes it all.
                if image.size[0] * image.size[1] > IMAGE_MAX_PIXELS:
                    return ImageDefect(rel_path, _too_many_pixels(*image.size))
                width, height = shown_size(image)
                if found != expected:
                    proper = _FORMAT_EXTENSION.get(found, ".png")
                    stem = posixpath.splitext(posixpath.basename(rel_path))[0]
                    return ImageDefect(
                        rel_path,
                        f"de naam zegt {expected}, maar het bestand is een {found}-afbeelding. Hernoem het naar "
                        f"'{stem}{proper}' en pas de verwijzing in de tip aan.",
                    )
                image.load()  # the whole picture: a truncated or corrupt file fails here, not in the build
                animated = bool(getattr(image, "is_animated", False)) and image.format != "MPO"
                personal = personal_data(image)
                if animated and max(width, height) > IMAGE_LONGEST_SIDE:
                    return ImageDefect(rel_path, _too_large_animation(width, height))
        except Image.DecompressionBombError:
            return ImageDefect(rel_path, _too_many_pixels(None, None))
        except Exception:  # Pillow's decoders raise many types (OSError, SyntaxError, ValueError, …) for bad data
            return ImageDefect(rel_path, not_an_image)
    digest = hashlib.sha256(data).hexdigest()
    return ImageFile(rel_path, found, width, height, animated, len(data), digest, personal)


def personal_data(image: Image.Image) -> PersonalData | None:
    """What an opened (and loaded) image's metadata tells about where it was taken and by whom; None when
    it holds no position, name or serial number. Never raises: broken metadata counts as none."""
    try:
        exif = image.getexif()
        gps = exif.get_ifd(_GPS_IFD)
        details = exif.get_ifd(_EXIF_IFD)
    except Exception:  # a broken EXIF block: Pillow raises several types
        return None
    xmp = _xmp(image)
    position = (_GPS_LATITUDE in gps or _GPS_LONGITUDE in gps) or any(key in xmp for key in _XMP_POSITION)
    names = any(_filled(exif.get(tag)) for tag in _NAME_TAGS) or _filled(details.get(_OWNER_NAME))
    names = names or any(key in xmp for key in _XMP_NAMES)
    serial = _filled(details.get(_BODY_SERIAL))
    if not (position or names or serial):
        return None
    camera = " ".join(str(exif.get(tag, "")).strip("\x00 ") for tag in (_MAKE, _MODEL)).strip()
    return PersonalData(position, names, serial, camera[:60])


def _xmp(image: Image.Image) -> bytes:
    """The XMP packet of a JPEG, WebP or PNG, as bytes (b'' without one)."""
    packet = image.info.get("xmp") or image.info.get("XML:com.adobe.xmp") or b""
    return packet.encode("utf-8", "replace") if isinstance(packet, str) else bytes(packet)


def _filled(value: object) -> bool:
    """Whether an EXIF value holds text (a camera writes empty or space-padded fields)."""
    if isinstance(value, bytes):
        value = value.decode("utf-16-le" if b"\x00" in value else "latin-1", "replace")
    return isinstance(value, str) and bool(value.strip("\x00 \t"))


def _too_many_pixels(width: int | None, height: int | None) -> str:
    limit = IMAGE_MAX_PIXELS // 1_000_000
    measured = f" ({width} × {height} pixels, {width * height / 1_000_000:.0f} megapixel)" if width and height else ""
    return (
        f"de afbeelding is te groot{measured}; het maximum is {limit} megapixel. Verklein ze tot de breedte van "
        "een scherm (bv. 1920 pixels breed; in Paint: Formaat wijzigen) en bewaar ze opnieuw."
    )


def _too_large_animation(width: int, height: int) -> str:
    return (
        f"deze bewegende afbeelding is {width} × {height} pixels; een animatie wordt gepubliceerd zoals ze is en "
        f"mag daarom hoogstens {IMAGE_LONGEST_SIDE} pixels op haar langste zijde hebben. Maak ze kleiner, of "
        "bewaar één beeld ervan als PNG (een stilstaande schermafbeelding)."
    )


@dataclass(frozen=True)
class ImageLibrary:
    """Every image-like file below the content folders, and how to inspect one (memoised by the loader)."""

    stats: Mapping[str, tuple[int, int]]  # repository path -> (size, modification time)
    inspect: Callable[[str], ImageFile | ImageDefect]
    # Symbolic links the loader refused on their own line (outside the repository, dangling, a linked folder):
    # a reference to one is no "missing image", the link's own problem says what to do.
    refused_links: frozenset[str] = frozenset()

    @cached_property
    def version(self) -> int:
        """Equal for equal files: a check over the library is done again only when a file changed."""
        return hash((tuple(sorted(self.stats.items())), tuple(sorted(self.refused_links))))

    def behind_refused_link(self, rel_path: str) -> bool:
        """Whether `rel_path` is, or lies in a folder that is, a symbolic link the loader refused."""
        parts = rel_path.split("/")
        return any("/".join(parts[:end]) in self.refused_links for end in range(len(parts), 0, -1))

    def near(self, rel_path: str) -> list[str]:
        """The image files in the same folder as `rel_path`, then those in the rest of its department (for a
        meeting or signal: of its folder)."""
        folder = posixpath.dirname(rel_path)
        department = "/".join(rel_path.split("/")[:2])
        same = sorted(p for p in self.stats if posixpath.dirname(p) == folder)
        rest = sorted(p for p in self.stats if p.startswith(department + "/") and p not in same)
        return same + rest
