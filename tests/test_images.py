"""Screenshots next to tips: published with the site (smaller when large), sized and lazy on the page,
and refused early, in Dutch and with file and line, when the site could not show them."""

from __future__ import annotations

import hashlib
import io
import os
import posixpath
import re
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from conftest import BuiltSite, copy_content, mkdocs_build, write_tip
from kennisbank.site.images import ImageCache, PublishedImage
from lxml import html as lxml_html
from PIL import Image, ImageDraw
from test_dev_server import TIP, TIP_URL, DevServer, dev_server, save  # noqa: F401 (dev_server: the fixture)

KENNISBANK = str(Path(sys.executable).with_name("kennisbank"))
STEP = "2. Klik op **Nieuw**."  # line 13 of VALID_TIP
SAMPLE_TIP_URL = "tips/outlook-afwezigheidsbericht/"
SAMPLE_IMAGE = "tips/secretariaat/automatische-antwoorden.png"


def screenshot(width: int, height: int) -> bytes:
    """A screenshot-like PNG: flat panels, a ribbon and lines of text."""
    image = Image.new("RGB", (width, height), (243, 242, 241))
    pen = ImageDraw.Draw(image)
    pen.rectangle((0, 0, width, height // 20), fill=(15, 108, 189))
    pen.rectangle((width // 40, height // 10, width // 2, height - height // 20), fill=(255, 255, 255))
    for y in range(height // 8, height - height // 10, 36):
        pen.text((width // 30, y), "Bestand  Start  Verzenden/ontvangen  Map  Beeld  Help", fill=(36, 36, 36))
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def photo(width: int, height: int, orientation: int, artist: str) -> bytes:
    """A photo-like JPEG at high quality, as a phone stores it: sideways plus an orientation tag, and
    metadata that must not reach the intranet."""
    image = Image.linear_gradient("L").resize((width, height)).convert("RGB")
    pen = ImageDraw.Draw(image)
    for i in range(0, width, 97):
        pen.ellipse((i, i % height, i + 180, i % height + 120), fill=(200, (i * 7) % 255, 90))
    exif = Image.Exif()
    exif[0x0112] = orientation
    exif[0x013B] = artist
    out = io.BytesIO()
    image.save(out, "JPEG", quality=95, exif=exif)
    return out.getvalue()


def img_of(site: Path, page_url: str) -> list:
    tree = lxml_html.fromstring((site / page_url / "index.html").read_text(encoding="utf-8"))
    return tree.xpath('//div[@class="kb-tip-body"]//img')


def target(site: Path, page_url: str, img) -> Path:
    """The file an <img> of a page loads."""
    return site / posixpath.normpath(posixpath.join(page_url, img.get("src").replace("%20", " ")))


# --- the sample site ---------------------------------------------------------------------------------------


def test_sample_tip_shows_its_screenshot_sized_and_lazy(sample_site: BuiltSite) -> None:
    [img] = img_of(sample_site.site, SAMPLE_TIP_URL)
    assert img.get("alt").startswith("Het venster Automatische antwoorden")
    assert (img.get("width"), img.get("height"), img.get("loading")) == ("640", "400", "lazy")
    published = target(sample_site.site, SAMPLE_TIP_URL, img)
    assert published == sample_site.site / SAMPLE_IMAGE
    with Image.open(published) as image:
        assert (image.format, image.size) == ("PNG", (640, 400))
    assert published.stat().st_size <= (sample_site.repo / SAMPLE_IMAGE).stat().st_size


def test_sample_screenshot_is_small(sample_site: BuiltSite) -> None:
    assert (sample_site.repo / SAMPLE_IMAGE).stat().st_size < 16 * 1024


# --- large images, a folder per tip, a linked image ----------------------------------------------------------

LARGE_BODY = """1. Open Outlook.

![Het lint van Outlook met het tabblad Start](lint.png)

2. Maak een foto van het scherm.

[![De foto van het scherm op de balie](mailbox-tip/foto.jpg){ width="300" }](lint.png)
"""


@pytest.fixture(scope="module")
def large_site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, dict[str, str], str]:
    repo = copy_content(tmp_path_factory.mktemp("large") / "repo")
    folder = repo / "tips/burgerzaken"
    (folder / "lint.png").write_bytes(screenshot(3200, 1800))
    (folder / "mailbox-tip").mkdir()
    (folder / "mailbox-tip/foto.jpg").write_bytes(photo(3200, 2400, orientation=6, artist="Jan Janssens thuis"))
    write_tip(
        repo, "tips/burgerzaken/mailbox-tip.md", replace={"1. Open Outlook.\n2. Klik op **Nieuw**.\n": LARGE_BODY}
    )
    sources = {p: hashlib.sha256((folder / p).read_bytes()).hexdigest() for p in ("lint.png", "mailbox-tip/foto.jpg")}
    proc = mkdocs_build(repo, repo / "site")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return repo, repo / "site", sources, proc.stdout + proc.stderr


def test_large_screenshot_is_published_smaller_and_the_source_is_untouched(large_site) -> None:
    repo, site, sources, _log = large_site
    screenshot_img, photo_img = img_of(site, "tips/mailbox-tip/")
    assert screenshot_img.get("alt") == "Het lint van Outlook met het tabblad Start"
    assert (screenshot_img.get("width"), screenshot_img.get("height")) == ("1600", "900")
    assert screenshot_img.get("loading") == "lazy"
    published = target(site, "tips/mailbox-tip/", screenshot_img)
    source = repo / "tips/burgerzaken/lint.png"
    with Image.open(published) as image:
        assert (image.format, image.size) == ("PNG", (1600, 900))
    assert published.stat().st_size < source.stat().st_size
    for rel, digest in sources.items():  # never modified, not even re-saved
        assert hashlib.sha256((repo / "tips/burgerzaken" / rel).read_bytes()).hexdigest() == digest


def test_phone_photo_in_a_folder_per_tip_is_upright_smaller_and_without_metadata(large_site) -> None:
    repo, site, _sources, _log = large_site
    _, photo_img = img_of(site, "tips/mailbox-tip/")
    # Shown upright: 3200 x 2400 stored sideways is 2400 x 3200, at most 1600 px: 1200 x 1600; the coach
    # asked for 300 px wide, the height follows the proportions.
    assert (photo_img.get("width"), photo_img.get("height"), photo_img.get("loading")) == ("300", "400", "lazy")
    published = target(site, "tips/mailbox-tip/", photo_img)
    assert published == site / "tips/burgerzaken/mailbox-tip/foto.jpg"
    with Image.open(published) as image:
        assert (image.format, image.size) == ("JPEG", (1200, 1600))
        assert 0x013B not in image.getexif() and 0x0112 not in image.getexif()
    assert b"Jan Janssens" not in published.read_bytes()
    assert published.stat().st_size < (repo / "tips/burgerzaken/mailbox-tip/foto.jpg").stat().st_size


def test_a_link_to_an_image_goes_to_the_published_file(large_site) -> None:
    _repo, site, _sources, log = large_site
    tree = lxml_html.fromstring((site / "tips/mailbox-tip/index.html").read_text(encoding="utf-8"))
    [link] = tree.xpath('//div[@class="kb-tip-body"]//a[img]')
    assert posixpath.normpath(posixpath.join("tips/mailbox-tip/", link.get("href"))) == "tips/burgerzaken/lint.png"
    assert "WARNING" not in log and "Traceback" not in log


def test_encoded_images_are_kept_and_a_rebuild_touches_nothing(large_site, tmp_path: Path) -> None:
    """What the dev server does on a tip edit: the images are written once per source version."""
    repo, _site, _sources, _log = large_site
    data = (repo / "tips/burgerzaken/lint.png").read_bytes()
    image = PublishedImage("tips/burgerzaken/lint.png", "tips/burgerzaken/lint.png", 1600, 900, "PNG", "")
    cache = ImageCache(tmp_path / "cache")
    cache.write(repo, [image], tmp_path / "site")
    [kept] = list((tmp_path / "cache").rglob(f"{hashlib.sha256(data).hexdigest()}.png"))
    written = tmp_path / "site/tips/burgerzaken/lint.png"
    stamps = kept.stat().st_mtime_ns, written.stat().st_mtime_ns
    time.sleep(0.01)
    cache.write(repo, [image], tmp_path / "site")
    assert (kept.stat().st_mtime_ns, written.stat().st_mtime_ns) == stamps
    # A new process (or a new site folder) takes the encoded file from the cache instead of encoding again.
    fresh = ImageCache(tmp_path / "cache")
    fresh.write(repo, [image], tmp_path / "other-site")
    assert (tmp_path / "other-site/tips/burgerzaken/lint.png").read_bytes() == kept.read_bytes()
    assert kept.stat().st_mtime_ns == stamps[0]


# --- what validate and the build refuse ------------------------------------------------------------------


def sparse_png(width: int, height: int) -> bytes:
    """A black PNG of huge dimensions: a few KB on disk, far too many pixels to publish."""
    out = io.BytesIO()
    Image.new("1", (width, height)).save(out, "PNG")
    return out.getvalue()


# name -> (tip file, line replacing STEP, files to add, expected text in the tip's error)
BROKEN = {
    "missing file": ("ontbreekt", "![Het lint van Outlook](schem.png)", {}, "bestaat niet"),
    "missing description": ("zonder-tekst", "![](scherm.png)", {}, "heeft geen beschrijving"),
    "blank description": ("lege-tekst", "![  ](scherm.png)", {}, "heeft geen beschrijving"),
    "svg": ("tekening", "![Het logo](logo.svg)", {"logo.svg": b"<svg onload='alert(1)'/>"}, "SVG-bestand"),
    "not an image": ("tekst", "![Het lint](notitie.png)", {"notitie.png": b"Dit is tekst.\n"}, "geen geldige .png"),
    "outside the tips folder": ("geheim", "![Het lint](../../geheim.png)", {}, "buiten de map tips/"),
    "absolute path": ("absoluut", "![Het lint](/afbeeldingen/scherm.png)", {}, "pad op je eigen computer"),
    "too many pixels": ("groot", "![Een poster](poster.png)", {"poster.png": sparse_png(8000, 6000)}, "48 megapixel"),
    "too many bytes": ("zwaar", "![Een foto](zwaar.jpg)", {"zwaar.jpg": b"\xff" * (5 * 1024 * 1024 + 1)}, "MB"),
    "raw img tag": ("html", '<img src="scherm.png" alt="Het lint">', {}, "niet als HTML-tag <img>"),
}


@pytest.fixture(scope="module")
def broken_repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    repo = copy_content(tmp_path_factory.mktemp("broken") / "repo")
    folder = repo / "tips/burgerzaken"
    (folder / "scherm.png").write_bytes(screenshot(400, 300))
    (repo / "geheim.png").write_bytes(screenshot(40, 30))
    for slug, line, files, _expected in BROKEN.values():
        for name, content in files.items():
            (folder / name).write_bytes(content)
        write_tip(repo, f"tips/burgerzaken/{slug}.md", replace={STEP: line})
    return repo


@pytest.fixture(scope="module")
def validated(broken_repo: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [KENNISBANK, "--root", str(broken_repo), "validate"],
        capture_output=True,
        text=True,
        timeout=120,
        env=os.environ,
    )


@pytest.mark.parametrize("name", list(BROKEN))
def test_validate_names_file_and_line_of_each_image_problem(validated, name: str) -> None:
    slug, _line, _files, expected = BROKEN[name]
    prefix = f"tips/burgerzaken/{slug}.md:13:"
    mine = [line for line in validated.stdout.splitlines() if line.startswith(prefix)]
    assert any(expected in line and ": afbeelding: " in line for line in mine), validated.stdout
    assert validated.returncode == 1
    assert "Traceback" not in validated.stdout + validated.stderr


def test_missing_image_comes_with_a_suggestion_from_the_files_nearby(validated) -> None:
    [line] = [x for x in validated.stdout.splitlines() if x.startswith("tips/burgerzaken/ontbreekt.md:13:")]
    assert "Bedoelde je 'scherm.png'?" in line


def test_messages_say_what_to_do(validated) -> None:
    out = validated.stdout
    assert "hoort die zin in plaats van de afbeelding" in out  # how to write a description
    assert "Verklein" in out and "megapixel" in out  # what to do with a huge image
    assert "Maak er een PNG van" in out  # what to do with an SVG


def test_strict_build_refuses_the_same_images(broken_repo: Path, tmp_path: Path) -> None:
    proc = mkdocs_build(broken_repo, tmp_path / "site")
    out = proc.stdout + proc.stderr
    assert proc.returncode != 0
    assert "De inhoud bevat fouten" in out and "Traceback" not in out
    for slug, _line, _files, expected in BROKEN.values():
        assert any(line.startswith(f"tips/burgerzaken/{slug}.md:13:") and expected in line for line in out.splitlines())


def test_an_image_no_tip_uses_is_a_warning(repo: Path) -> None:
    (repo / "tips/burgerzaken/vergeten.png").write_bytes(screenshot(40, 30))
    proc = subprocess.run([KENNISBANK, "--root", str(repo), "validate"], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stdout
    assert (
        "tips/burgerzaken/vergeten.png:1:1: bestand: waarschuwing: geen enkele tip toont deze afbeelding" in proc.stdout
    )


# --- the dev server ----------------------------------------------------------------------------------------


def fetch(server: DevServer, path: str) -> bytes:
    with urllib.request.urlopen(server.url + path, timeout=5) as response:
        return response.read()


def test_dev_server_shows_an_added_and_then_a_changed_image(dev_server: DevServer, repo: Path) -> None:  # noqa: F811
    image_path = repo / "tips/burgerzaken/mailbox.png"
    image_path.write_bytes(screenshot(300, 200))
    save(repo / TIP, "1. Open Outlook", "![Het menu Bestand in Outlook](mailbox.png)\n\n1. Open Outlook")
    dev_server.wait_for(TIP_URL, 'width="300" height="200"')
    with Image.open(io.BytesIO(fetch(dev_server, "tips/burgerzaken/mailbox.png"))) as image:
        assert image.size == (300, 200)
    # A text edit of the tip writes no image again.
    found = re.search(r"Config value 'site_dir' = '([^']+)'", dev_server.log.read_text(encoding="utf-8"))
    assert found, "the -v log names the site folder"
    published = Path(found.group(1)) / "tips/burgerzaken/mailbox.png"
    stamp = published.stat().st_mtime_ns
    save(repo / TIP, "1. Open Outlook", "1. Start Outlook")
    dev_server.wait_for(TIP_URL, "Start Outlook")
    assert published.stat().st_mtime_ns == stamp
    # A new screenshot under the same name reaches the page and the site.
    time.sleep(1.1)
    image_path.write_bytes(screenshot(2400, 1200))
    dev_server.wait_for(TIP_URL, 'width="1600" height="800"')
    with Image.open(io.BytesIO(fetch(dev_server, "tips/burgerzaken/mailbox.png"))) as image:
        assert image.size == (1600, 800)
