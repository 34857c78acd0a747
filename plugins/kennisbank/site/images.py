"""The images of tips on the site: where each one goes, how large it is there, and its bytes.

A tip's screenshot keeps its repository path on the site (`tips/burgerzaken/scherm.png`), so the link the
coach wrote next to the tip resolves the same way on GitHub and on the site. Its size on the site is known
from the inspected file alone (`published_size`), before anything is encoded: the pages get `width` and
`height` while the bytes are encoded beside them.

How an image is published (`encode_image`): turned upright, at most IMAGE_LONGEST_SIDE pixels on its longest
side, in its own format: a PNG screenshot stays a sharp PNG (optimised; a palette image gets a palette
again), a JPEG photo is saved at quality 85, a WebP keeps lossless or lossy. No format keeps its metadata
(EXIF with a GPS position, XMP, comments). An image that needs no resizing keeps its own pixels' encoding
(without metadata) when re-encoding would not make it smaller. Animated images keep their frames (checks
limit their size) and lose their metadata too. The source file is never changed.

Only the bytes that were validated are published: the source's sha256 must still be the one the model was
made from (`PublishedImage.digest`), and the pixel limit is applied again before decoding.

Encoding is the slow part (a fraction of a second per screenshot), so `ImageCache` keeps every result in a
per-user folder outside the repository (a pull request cannot put files into it) by the source's sha256,
checks every kept file before using it, and remembers which versions it already put into the site folder:
a tip edit in the dev server encodes and copies nothing.
"""

from __future__ import annotations

import contextlib
import hashlib
import html
import io
import os
import posixpath
import re
import tempfile
import warnings
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from urllib.parse import unquote, urlsplit

import PIL
from PIL import Image

from ..content.images import ImageFile, upright
from ..content.oserrors import describe_os_error
from ..policy import IMAGE_LONGEST_SIDE, IMAGE_MAX_PIXELS

JPEG_QUALITY = 85
# A new encoder (settings or Pillow) gives new files: cached ones from another version are not reused.
ENCODER = f"{IMAGE_LONGEST_SIDE}px-q{JPEG_QUALITY}-pillow{PIL.__version__}-v1"
CACHE_ENV = "KENNISBANK_CACHE_DIR"  # overrides the per-user cache folder; empty: keep no encoded images
_EXTENSION = {"PNG": ".png", "JPEG": ".jpg", "GIF": ".gif", "WEBP": ".webp"}


class ImagePublishError(RuntimeError):
    """An image could not be written into the site (a disk error); the message is Dutch and names the file."""


@dataclass(frozen=True)
class PublishedImage:
    """One image file of the site."""

    source: str  # repository path: also the engine's name for it, so a tip's relative link resolves to it
    path: str  # its path on the site
    width: int  # as published
    height: int
    format: str
    digest: str  # sha256 of the source file the model was made from


def image_cache_dir(root: Path, environ: Mapping[str, str], windows: bool = os.name == "nt") -> Path | None:
    """Where encoded images are kept between builds: $KENNISBANK_CACHE_DIR, else the user's cache folder
    (%LOCALAPPDATA% on Windows, $XDG_CACHE_HOME or ~/.cache elsewhere). Never inside the repository at
    `root`: a pull request could put files there that the build would publish. None: keep nothing."""
    if CACHE_ENV in environ:
        chosen = environ[CACHE_ENV].strip()
        folder = Path(chosen).expanduser() if chosen else None
    elif windows and environ.get("LOCALAPPDATA"):
        folder = Path(environ["LOCALAPPDATA"]) / "kennisbank" / "afbeeldingen"
    else:
        base = environ.get("XDG_CACHE_HOME", "").strip()
        folder = (Path(base) if base else Path.home() / ".cache") / "kennisbank" / "afbeeldingen"
    if folder is None or not folder.is_absolute():
        return None
    with contextlib.suppress(OSError, RuntimeError):
        if folder.resolve().is_relative_to(root.resolve()):
            return None
    return folder


def published_size(width: int, height: int, longest: int = IMAGE_LONGEST_SIDE) -> tuple[int, int]:
    """The size an image of width × height is published at: at most `longest` pixels on its longest side."""
    if max(width, height) <= longest:
        return width, height
    scale = longest / max(width, height)
    return max(1, round(width * scale)), max(1, round(height * scale))


def published_images(images: Mapping[str, ImageFile]) -> dict[str, PublishedImage]:
    """The site's image files, by repository path."""
    published = {}
    for rel_path, image in images.items():
        width, height = (image.width, image.height) if image.animated else published_size(image.width, image.height)
        published[rel_path] = PublishedImage(rel_path, rel_path, width, height, image.format, image.digest)
    return published


def encode_image(data: bytes, image_format: str) -> bytes:
    """The published bytes of an image file (see the module docstring). Raises whatever Pillow raises for a
    file it cannot decode; the checks refuse such a file before a build gets here."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)  # checks.images enforces a lower limit
        with Image.open(io.BytesIO(data), formats=[image_format]) as source:
            # The limits the checks applied, again before decoding: the file may have changed since.
            if source.size[0] * source.size[1] > IMAGE_MAX_PIXELS:
                raise ValueError(f"{source.size[0]} × {source.size[1]} pixels")
            if getattr(source, "is_animated", False) and source.format != "MPO":
                if max(source.size) > IMAGE_LONGEST_SIDE:
                    raise ValueError(f"animation of {source.size[0]} × {source.size[1]} pixels")
                return without_metadata(data, image_format)  # re-encoding would keep the first frame only
            source.load()
            icc = source.info.get("icc_profile")
            image = upright(source)
            size = published_size(*image.size)
            resized = size != image.size
            if resized:
                image = _for_resizing(image).resize(size, Image.Resampling.LANCZOS, reducing_gap=3.0)
                if source.mode == "P" or image_format == "GIF":  # back to a palette: a screenshot of few colours
                    method = Image.Quantize.FASTOCTREE if image.mode == "RGBA" else Image.Quantize.MEDIANCUT
                    image = image.quantize(256, method=method)
            out = io.BytesIO()
            if image_format == "JPEG":
                if image is source:  # same pixels: keep the file's own quantisation, so no quality is lost
                    image.save(out, "JPEG", quality="keep", optimize=True, icc_profile=icc, comment=b"")
                else:
                    rgb = image if image.mode in ("L", "RGB") else image.convert("RGB")
                    rgb.save(
                        out, "JPEG", quality=JPEG_QUALITY, optimize=True, progressive=True, icc_profile=icc, comment=b""
                    )
                return out.getvalue()  # always re-saved: a photo's metadata (GPS position) stays home
            if image_format == "GIF" and not resized:
                return without_metadata(data, "GIF")
            if image_format == "WEBP":
                image.save(out, "WEBP", lossless=_lossless_webp(data), quality=JPEG_QUALITY, method=4, icc_profile=icc)
            elif image_format == "GIF":
                image.save(out, "GIF", optimize=True, comment=b"")
            else:
                image.save(out, "PNG", optimize=True, icc_profile=icc)
            encoded = out.getvalue()
            if resized or image is not source:
                return encoded
            own = without_metadata(data, image_format)
            return encoded if len(encoded) < len(own) else own


# Chunks that carry text, EXIF or XMP rather than pixels (PNG and WebP): none of them reaches the site.
_PNG_METADATA = frozenset({b"tEXt", b"zTXt", b"iTXt", b"eXIf", b"tIME"})
_WEBP_METADATA = frozenset({b"EXIF", b"XMP "})


def without_metadata(data: bytes, image_format: str) -> bytes:
    """The file's bytes without its metadata (EXIF, XMP, comments), pixels untouched: also for animations,
    which are published in their own encoding. Raises ValueError for a file whose structure is broken."""
    if image_format == "PNG":
        return _png_without_metadata(data)
    if image_format == "WEBP":
        return _webp_without_metadata(data)
    if image_format == "GIF":
        return _gif_without_metadata(data)
    raise ValueError(image_format)  # a JPEG is always re-saved


def _png_without_metadata(data: bytes) -> bytes:
    kept, index = [data[:8]], 8
    while index + 12 <= len(data):
        size = int.from_bytes(data[index : index + 4], "big")
        end = index + 12 + size
        if end > len(data):
            raise ValueError("truncated PNG chunk")
        if data[index + 4 : index + 8] not in _PNG_METADATA:
            kept.append(data[index:end])
        index = end
    return b"".join(kept)


def _webp_without_metadata(data: bytes) -> bytes:
    kept, index = [], 12
    while index + 8 <= len(data):
        kind, size = data[index : index + 4], int.from_bytes(data[index + 4 : index + 8], "little")
        end = index + 8 + size + (size & 1)
        if kind == b"VP8X" and size >= 10:  # the flags say which chunks follow: no EXIF (0x08), no XMP (0x04)
            kept.append(kind + data[index + 4 : index + 8] + bytes([data[index + 8] & ~0x0C]) + data[index + 9 : end])
        elif kind not in _WEBP_METADATA:
            kept.append(data[index:end])
        index = end
    body = b"WEBP" + b"".join(kept)
    return b"RIFF" + len(body).to_bytes(4, "little") + body


def _gif_without_metadata(data: bytes) -> bytes:
    """A GIF without comment blocks and application blocks other than the loop count (XMP lives in one)."""
    flags = data[10]
    index = 13 + (3 << ((flags & 7) + 1) if flags & 0x80 else 0)  # header, screen descriptor, colour table
    kept = [data[:index]]
    while index < len(data):
        block = data[index]
        if block == 0x3B:  # trailer
            kept.append(data[index : index + 1])
            break
        if block == 0x2C:  # an image: descriptor, local colour table, LZW code size, data sub-blocks
            local = data[index + 9]
            start = index
            index += 10 + (3 << ((local & 7) + 1) if local & 0x80 else 0) + 1
            index = _after_sub_blocks(data, index)
            kept.append(data[start:index])
        elif block == 0x21:  # an extension: label, then sub-blocks
            start, label = index, data[index + 1]
            index = _after_sub_blocks(data, index + 2)
            application = data[start + 3 : start + 14] if label == 0xFF else b""
            if label != 0xFE and (label != 0xFF or application in (b"NETSCAPE2.0", b"ANIMEXTS1.0")):
                kept.append(data[start:index])
        else:
            raise ValueError("unknown GIF block")
    return b"".join(kept)


def _after_sub_blocks(data: bytes, index: int) -> int:
    while True:
        if index >= len(data):
            raise ValueError("truncated GIF")
        size = data[index]
        index += 1 + size
        if size == 0:
            return index


def _for_resizing(image: Image.Image) -> Image.Image:
    """A mode Pillow resizes with filtering (palette and 1-bit images only resize by nearest neighbour)."""
    if image.mode in ("RGB", "RGBA", "L", "LA"):
        return image
    if image.mode == "P" and "transparency" in image.info or image.mode in ("PA", "La", "RGBa"):
        return image.convert("RGBA")
    return image.convert("RGB")


def _lossless_webp(data: bytes) -> bool:
    """Whether a WebP file holds a lossless picture (a 'VP8L' chunk before any lossy 'VP8 ' one)."""
    index = 12  # after 'RIFF', the size and 'WEBP'
    while index + 8 <= len(data):
        kind, size = data[index : index + 4], int.from_bytes(data[index + 4 : index + 8], "little")
        if kind in (b"VP8L", b"VP8 "):
            return kind == b"VP8L"
        index += 8 + size + (size & 1)
    return False


@dataclass
class ImageCache:
    """Encoded images, by the sha256 of their source and the encoder, in `directory` (None: not kept), and
    which versions this process already wrote into a site folder. Lives across the dev server's rebuilds."""

    directory: Path | None  # outside the repository: see `image_cache_dir`
    # Target file -> size and modification time of the source it was written from.
    written: dict[Path, tuple[int, int]] = field(default_factory=dict)

    def write(self, root: Path, images: Iterable[PublishedImage], site_dir: Path) -> None:
        """Put every image into `site_dir`: encoded once per source version (by its sha256), and not even
        copied again while its source file and the written file stay as they are. An image whose source
        changed since it was checked is not written (a file written before stays); the others are. Raises
        `ImagePublishError` naming every image that could not be written."""
        failed: list[str] = []
        for image in images:
            try:
                self._write_one(root, image, site_dir)
            except ImagePublishError as exc:
                failed.append(str(exc))
        if failed:
            raise ImagePublishError("\n".join(failed))

    def _write_one(self, root: Path, image: PublishedImage, site_dir: Path) -> None:
        target = site_dir / image.path
        try:
            stat = (root / image.source).stat()
            version = (stat.st_size, stat.st_mtime_ns)
            if self.written.get(target) == version and target.is_file():
                return
            data = (root / image.source).read_bytes()
        except OSError as exc:
            why = describe_os_error(exc)
            raise ImagePublishError(f"de afbeelding {image.source} kon niet gepubliceerd worden: {why}") from None
        if hashlib.sha256(data).hexdigest() != image.digest:
            raise ImagePublishError(
                f"de afbeelding {image.source} is veranderd sinds ze gecontroleerd werd en wordt daarom niet "
                "gepubliceerd; bewaar de tip opnieuw of bouw de site opnieuw."
            )
        encoded = self._encoded(data, image)
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(encoded)
        except OSError as exc:
            why = describe_os_error(exc)
            raise ImagePublishError(f"de afbeelding {image.source} kon niet gepubliceerd worden: {why}") from None
        self.written[target] = version

    def _encoded(self, data: bytes, image: PublishedImage) -> bytes:
        kept = self._kept_path(image)
        if kept is not None:
            with contextlib.suppress(OSError):
                cached = kept.read_bytes()
                if _is_published_form(cached, image):
                    return cached
        try:
            encoded = encode_image(data, image.format)
        except Exception:  # validated files decode; one that does not (or grew) is not published
            raise ImagePublishError(
                f"de afbeelding {image.source} kon niet omgezet worden voor de site; voer 'kennisbank validate' uit."
            ) from None
        if kept is not None:
            with contextlib.suppress(OSError):  # a cache that cannot be written only makes the next build slower
                _write_atomically(kept, encoded)
        return encoded

    def _kept_path(self, image: PublishedImage) -> Path | None:
        """The cache file for `image`; None without a cache or when a folder of it is a symbolic link (it
        could lead the build to read or write files elsewhere)."""
        if self.directory is None:
            return None
        folder = self.directory / ENCODER
        if self.directory.is_symlink() or folder.is_symlink():
            return None
        return folder / f"{image.digest}{_EXTENSION[image.format]}"


def _is_published_form(data: bytes, image: PublishedImage) -> bool:
    """Whether cached bytes are an image of the format and size `image` is published at (a cache file is
    never trusted blindly: it may be damaged or from someone else)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)
        try:
            with Image.open(io.BytesIO(data), formats=[image.format]) as cached:
                return cached.format == image.format and cached.size == (image.width, image.height)
        except Exception:  # Pillow raises many types for bytes that are no image
            return False


def _write_atomically(path: Path, data: bytes) -> None:
    """Write `path` so that a reader (another build on the same cache) never sees half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(data)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


# Python-Markdown writes <img alt="…" src="…" />; attributes are read generously all the same. Greedy and
# without a lazy tail, so the pattern stays linear (a lazy `*?` before `\s*/?>` was quadratic in spaces).
_IMG_TAG = re.compile(r"<img\b([^<>]*)>", re.I)
# What the checks accept as a width or height (pixels): anything else is dropped, never computed with.
SIZE_VALUE = re.compile(r"[0-9]{1,4}")
_ATTRIBUTE = re.compile(r"""([^\s"'<>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?""")


def sized_images(fragment: str, page_url: str, images: Iterable[PublishedImage]) -> str:
    """Every <img> of a page's engine HTML loads lazily; one of the site's images also gets its published
    width and height (the page does not jump while it loads). A width or height the coach set stays, the
    other follows the image's proportions. Runs before the sanitiser, which keeps these attributes."""
    if "<img" not in fragment:
        return fragment
    by_path = {image.path: image for image in images}
    return _IMG_TAG.sub(partial(_sized, page_url, by_path), fragment)


def _sized(page_url: str, images: Mapping[str, PublishedImage], match: re.Match[str]) -> str:
    attributes: dict[str, str] = {}
    inside = match.group(1).rstrip()
    for found in _ATTRIBUTE.finditer(inside[:-1] if inside.endswith("/") else inside):
        value = next((v for v in found.groups()[1:] if v is not None), "")
        attributes.setdefault(found.group(1).lower(), html.unescape(value))
    for name in ("width", "height"):
        if name in attributes and not SIZE_VALUE.fullmatch(attributes[name]):
            del attributes[name]  # validate refuses it; a page never carries a size it cannot compute with
    image = images.get(_site_path(page_url, attributes.get("src", "")) or "")
    if image is not None:
        width, height = attributes.get("width"), attributes.get("height")
        if width is None and height is None:
            attributes["width"], attributes["height"] = str(image.width), str(image.height)
        elif height is None and width is not None:
            attributes["height"] = str(round(int(width) * image.height / image.width))
        elif width is None and height is not None:
            attributes["width"] = str(round(int(height) * image.width / image.height))
    attributes.setdefault("loading", "lazy")
    return "<img" + "".join(f' {name}="{html.escape(value)}"' for name, value in attributes.items()) + " />"


def _site_path(page_url: str, src: str) -> str | None:
    """The site path a relative `src` on the page at `page_url` points at; None for other hosts and roots."""
    try:
        parts = urlsplit(src)
    except ValueError:
        return None
    if parts.scheme or parts.netloc or src.startswith(("/", "\\")):
        return None
    return posixpath.normpath(posixpath.join(page_url, unquote(parts.path)))
