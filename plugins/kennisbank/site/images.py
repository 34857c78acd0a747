"""The images of tips on the site: where each one goes, how large it is there, and its bytes.

A tip's screenshot keeps its repository path on the site (`tips/burgerzaken/scherm.png`), so the link the
coach wrote next to the tip resolves the same way on GitHub and on the site. Its size on the site is known
from the inspected file alone (`published_size`), before anything is encoded: the pages get `width` and
`height` while the bytes are encoded beside them.

How an image is published (`encode_image`): turned upright, at most IMAGE_LONGEST_SIDE pixels on its longest
side, in its own format: a PNG screenshot stays a sharp PNG (optimised; a palette image gets a palette
again), a JPEG photo is saved at quality 85 without its metadata (no GPS position), a WebP keeps lossless or
lossy. An image that needs no resizing keeps its own bytes when re-encoding would not make it smaller (a
JPEG is always re-saved, for the metadata). Animated images are published as they are. The source file is
never changed.

Encoding is the slow part (a fraction of a second per screenshot), so `ImageCache` keeps every result on
disk by the source's sha256 and remembers which versions it already put into the site folder: a tip edit in
the dev server encodes and copies nothing.
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
from ..ops.oserrors import describe_os_error
from ..policy import IMAGE_LONGEST_SIDE

JPEG_QUALITY = 85
# A new encoder (settings or Pillow) gives new files: cached ones from another version are not reused.
ENCODER = f"{IMAGE_LONGEST_SIDE}px-q{JPEG_QUALITY}-pillow{PIL.__version__}-v1"
CACHE_DIR = ".cache/afbeeldingen"  # below the repository root; not part of the repository (.gitignore)
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
            if getattr(source, "is_animated", False) and source.format != "MPO":
                return data  # re-encoding would keep the first frame only
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
                    image.save(out, "JPEG", quality="keep", optimize=True, icc_profile=icc)
                else:
                    rgb = image if image.mode in ("L", "RGB") else image.convert("RGB")
                    rgb.save(out, "JPEG", quality=JPEG_QUALITY, optimize=True, progressive=True, icc_profile=icc)
                return out.getvalue()  # always re-saved: a photo's metadata (GPS position) stays home
            if image_format == "GIF" and not resized:
                return data
            if image_format == "WEBP":
                image.save(out, "WEBP", lossless=_lossless_webp(data), quality=JPEG_QUALITY, method=4, icc_profile=icc)
            elif image_format == "GIF":
                image.save(out, "GIF", optimize=True)
            else:
                image.save(out, "PNG", optimize=True, icc_profile=icc)
            encoded = out.getvalue()
            return encoded if resized or image is not source or len(encoded) < len(data) else data


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

    directory: Path | None
    # Target file -> size and modification time of the source it was written from.
    written: dict[Path, tuple[int, int]] = field(default_factory=dict)

    def write(self, root: Path, images: Iterable[PublishedImage], site_dir: Path) -> None:
        """Put every image into `site_dir`: encoded once per source version (by its sha256), and not even
        copied again while its source file and the written file stay as they are."""
        for image in images:
            target = site_dir / image.path
            try:
                stat = (root / image.source).stat()
                version = (stat.st_size, stat.st_mtime_ns)
                if self.written.get(target) == version and target.is_file():
                    continue
                data = (root / image.source).read_bytes()
                encoded = self._encoded(data, hashlib.sha256(data).hexdigest(), image.format)
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(encoded)
            except OSError as exc:
                why = describe_os_error(exc)
                raise ImagePublishError(f"de afbeelding {image.source} kon niet gepubliceerd worden: {why}") from None
            self.written[target] = version

    def _encoded(self, data: bytes, digest: str, image_format: str) -> bytes:
        kept = self.directory / ENCODER / f"{digest}{_EXTENSION[image_format]}" if self.directory else None
        if kept is not None and kept.is_file():
            return kept.read_bytes()
        try:
            encoded = encode_image(data, image_format)
        except Exception:  # validated files decode; should one still fail, the page shows it as the coach made it
            encoded = data
        if kept is not None:
            with contextlib.suppress(OSError):  # a cache that cannot be written only makes the next build slower
                _write_atomically(kept, encoded)
        return encoded


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


# Python-Markdown writes <img alt="…" src="…" />; attributes are read generously all the same.
_IMG_TAG = re.compile(r"<img\b([^<>]*?)\s*/?>", re.I)
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
    for found in _ATTRIBUTE.finditer(match.group(1)):
        value = next((v for v in found.groups()[1:] if v is not None), "")
        attributes.setdefault(found.group(1).lower(), html.unescape(value))
    image = images.get(_site_path(page_url, attributes.get("src", "")) or "")
    if image is not None:
        width, height = attributes.get("width"), attributes.get("height")
        if width is None and height is None:
            attributes["width"], attributes["height"] = str(image.width), str(image.height)
        elif height is None and width is not None and width.isdigit():
            attributes["height"] = str(round(int(width) * image.height / image.width))
        elif width is None and height is not None and height.isdigit():
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
