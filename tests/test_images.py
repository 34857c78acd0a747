"""Screenshots next to tips: published with the site (smaller when large), sized and lazy on the page,
and refused early, in Dutch and with file and line, when the site could not show them."""

from __future__ import annotations

import contextlib
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
from conftest import BuiltSite, copy_content, kennisbank, mkdocs_build, write_tip
from kennisbank.checks.bodycheck import LinkTargets, check_body
from kennisbank.checks.images import check_images
from kennisbank.content.images import ImageLibrary, inspect_image
from kennisbank.site.images import (
    ENCODER,
    ImageCache,
    ImagePublishError,
    PublishedImage,
    encode_image,
    image_cache_dir,
    sized_images,
)
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
    # A pull request that commits a "cached" encoding (where the cache used to live) publishes nothing of it.
    poisoned = repo / ".cache/afbeeldingen" / ENCODER / f"{sources['lint.png']}.png"
    poisoned.parent.mkdir(parents=True)
    poisoned.write_bytes(b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>')
    proc = mkdocs_build(repo, repo / "site")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return repo, repo / "site", sources, proc.stdout + proc.stderr


@pytest.mark.build
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
    assert b"<svg" not in published.read_bytes()  # the planted .cache file in the checkout is not read
    for rel, digest in sources.items():  # never modified, not even re-saved
        assert hashlib.sha256((repo / "tips/burgerzaken" / rel).read_bytes()).hexdigest() == digest


@pytest.mark.build
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


@pytest.mark.build
def test_a_link_to_an_image_goes_to_the_published_file(large_site) -> None:
    _repo, site, _sources, log = large_site
    tree = lxml_html.fromstring((site / "tips/mailbox-tip/index.html").read_text(encoding="utf-8"))
    [link] = tree.xpath('//div[@class="kb-tip-body"]//a[img]')
    assert posixpath.normpath(posixpath.join("tips/mailbox-tip/", link.get("href"))) == "tips/burgerzaken/lint.png"
    assert "WARNING" not in log and "Traceback" not in log


@pytest.mark.build
def test_encoded_images_are_kept_and_a_rebuild_touches_nothing(large_site, tmp_path: Path) -> None:
    """What the dev server does on a tip edit: the images are written once per source version."""
    repo, _site, _sources, _log = large_site
    data = (repo / "tips/burgerzaken/lint.png").read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    image = PublishedImage("tips/burgerzaken/lint.png", "tips/burgerzaken/lint.png", 1600, 900, "PNG", digest)
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


def animation(width: int, height: int) -> bytes:
    """An animated GIF of two flat frames: small on disk whatever its size."""
    frames = [Image.new("RGB", (width, height), colour) for colour in ((200, 0, 0), (0, 0, 200))]
    out = io.BytesIO()
    frames[0].save(out, "GIF", save_all=True, append_images=frames[1:], duration=200, loop=0)
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
    # Found in a security review: each one passed validate and then crashed, hung or misled the build.
    "long description": ("lange-tekst", "![Het venster" + " " * 400 + "met het vakje](scherm.png)", {}, "te lang"),
    "width not a number": ("breedte", '![Het lint](scherm.png){ width="²" }', {}, "geen geldige breedte"),
    "height of 400 digits": ("hoogte", '![Het lint](scherm.png){ height="' + "9" * 400 + '" }', {}, "geen geldige"),
    "width in percent": ("procent", '![Het lint](scherm.png){ width="50%" }', {}, "zonder % of px"),
    "alt in attribute list": ("alt-attribuut", '![Goede beschrijving](scherm.png){ alt="" }', {}, "alt= in"),
    "src in attribute list": ("src", '![Het lint](scherm.png){ src="https://evil.example/x.png" }', {}, "van buiten"),
    "external reference": ("extern", "![Het logo][logo]\n\n[logo]: https://evil.example/logo.png", {}, "van buiten"),
    "empty reference label": ("leeg-label", "[]: ../../meetings/bestaat-niet.png\n\n![][]", {}, "buiten de map"),
    "escaped backtick": ("backtick", "Typ \\`![](scherm.png)` hier", {}, "heeft geen beschrijving"),
    "invisible description": ("onzichtbaar", "![&#8203;](scherm.png)", {}, "heeft geen beschrijving"),
    "dot as description": ("punt", "![.](scherm.png)", {}, "heeft geen beschrijving"),
    "emoji as description": ("emoji", "![🖼️](scherm.png)", {}, "heeft geen beschrijving"),
    "empty reference": ("leeg-ref", "![]\n\n[]: scherm.png", {}, "heeft geen beschrijving"),
    "spaces as description": ("spaties", "![" + " " * 1000 + "](scherm.png)", {}, "heeft geen beschrijving"),
    "space in the name": ("spatie-naam", "![Het lint](mijn scherm.png)", {}, "<mijn scherm.png>"),
    "hash in the name": ("hekje", "![Het lint](scherm#1.png)", {}, "een '#' of '?'"),
    "other unicode form": ("nfd", "![Het terras](caf\u00e9.png)", {"cafe\u0301.png": screenshot(40, 30)}, "gecodeerd"),
    "too many images": ("veel", " ".join(f"![Het lint, stap {i}](scherm.png)" for i in range(51)), {}, "meer dan 50"),
    "large animation": (
        "animatie",
        "![Het lint dat knippert](lint.gif)",
        {"lint.gif": animation(1700, 90)},
        "bewegende",
    ),
}
# Lines Markdown does not read as a fence: what follows is an image, checked as one (tip file, text, line).
NOT_FENCES = {
    "tilde and a mark": ("tilde", "~~~ !\n![](scherm.png)\n~~~", 14),
    "backticks and an open brace": ("accolade", "```{\n![](scherm.png)\n```", 14),
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
    for slug, text, _line in NOT_FENCES.values():
        write_tip(repo, f"tips/burgerzaken/{slug}.md", replace={STEP: text})
    (repo / "meetings/lek.png").write_bytes(screenshot(40, 30))
    with contextlib.suppress(OSError):  # Windows without developer mode: no symbolic links
        (folder / "lek.png").symlink_to("../../meetings/lek.png")
        write_tip(repo, "tips/burgerzaken/link.md", replace={STEP: "![Het lint](lek.png)"})
    return repo


@pytest.fixture(scope="module")
def validated(broken_repo: Path) -> subprocess.CompletedProcess[str]:
    """The broken repository validated once through the real console script (the others run in-process)."""
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
    fields = (": afbeelding: ", ": inhoud: ")  # attribute lists are checked with the rest of the body
    assert any(expected in line and any(f in line for f in fields) for line in mine), validated.stdout
    assert validated.returncode == 1
    assert "Traceback" not in validated.stdout + validated.stderr


@pytest.mark.parametrize("name", list(NOT_FENCES))
def test_a_line_that_only_looks_like_a_fence_hides_no_image(validated, name: str) -> None:
    slug, _text, line = NOT_FENCES[name]
    found = [x for x in validated.stdout.splitlines() if x.startswith(f"tips/burgerzaken/{slug}.md:{line}:")]
    assert any("'scherm.png' heeft geen beschrijving" in x for x in found), validated.stdout


def test_a_symbolic_link_is_refused(broken_repo: Path, validated) -> None:
    if not (broken_repo / "tips/burgerzaken/lek.png").is_symlink():
        pytest.skip("no symbolic links on this system")
    [line] = [x for x in validated.stdout.splitlines() if x.startswith("tips/burgerzaken/link.md:13:")]
    assert "snelkoppeling" in line and "kopieer de afbeelding zelf in de map van de tip" in line


def test_missing_image_comes_with_a_suggestion_from_the_files_nearby(validated) -> None:
    [line] = [x for x in validated.stdout.splitlines() if x.startswith("tips/burgerzaken/ontbreekt.md:13:")]
    assert "Bedoelde je 'scherm.png'?" in line


def test_messages_say_what_to_do(validated) -> None:
    out = validated.stdout
    assert "hoort die zin in plaats van de afbeelding" in out  # how to write a description
    assert "Verklein" in out and "megapixel" in out  # what to do with a huge image
    assert "Maak er een PNG van" in out  # what to do with an SVG


@pytest.mark.build
def test_strict_build_refuses_the_same_images(broken_repo: Path, tmp_path: Path) -> None:
    proc = mkdocs_build(broken_repo, tmp_path / "site")
    out = proc.stdout + proc.stderr
    assert proc.returncode != 0
    assert "De inhoud bevat fouten" in out and "Traceback" not in out
    for slug, _line, _files, expected in BROKEN.values():
        assert any(line.startswith(f"tips/burgerzaken/{slug}.md:13:") and expected in line for line in out.splitlines())
    for slug, _text, line_number in NOT_FENCES.values():
        assert f"tips/burgerzaken/{slug}.md:{line_number}:" in out


def test_an_image_no_tip_uses_is_a_warning(repo: Path) -> None:
    (repo / "tips/burgerzaken/vergeten.png").write_bytes(screenshot(40, 30))
    proc = kennisbank("--root", str(repo), "validate", cwd=Path.cwd())
    assert proc.returncode == 0, proc.stdout
    assert (
        "tips/burgerzaken/vergeten.png:1:1: bestand: waarschuwing: geen enkele tip toont deze afbeelding" in proc.stdout
    )


# --- the dev server ----------------------------------------------------------------------------------------


def fetch(server: DevServer, path: str) -> bytes:
    with urllib.request.urlopen(server.url + path, timeout=5) as response:
        return response.read()


@pytest.mark.build
@pytest.mark.linux  # the dev server is stopped as a process group
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
    image_path.write_bytes(screenshot(2400, 1200))  # another size: the watcher sees it, whatever the clock
    dev_server.wait_for(TIP_URL, 'width="1600" height="800"')
    with Image.open(io.BytesIO(fetch(dev_server, "tips/burgerzaken/mailbox.png"))) as image:
        assert image.size == (1600, 800)


# --- regressions from the security review, without a build --------------------------------------------------


def test_a_long_description_is_sized_in_linear_time() -> None:
    image = PublishedImage("tips/a/scherm.png", "tips/a/scherm.png", 640, 400, "PNG", "")
    fragment = '<p><img alt="Het venster' + " " * 80_000 + 'met het vakje" src="../a/scherm.png" /></p>'
    began = time.process_time()  # CPU time: a parallel run may leave this process waiting for a core
    sized = sized_images(fragment, "tips/b/", [image])
    assert time.process_time() - began < 1.0  # was 107 s
    assert 'width="640" height="400" loading="lazy" />' in sized


@pytest.mark.parametrize("value", ["²", "9" * 5000, "9" * 400, "50%", "-3"])
def test_a_width_that_is_no_number_never_crashes_the_page(value: str) -> None:
    image = PublishedImage("tips/a/scherm.png", "tips/a/scherm.png", 640, 400, "PNG", "")
    sized = sized_images(f'<img alt="Het lint" src="scherm.png" width="{value}" />', "tips/a/", [image])
    assert 'width="640" height="400"' in sized and value not in sized


def test_the_image_cache_is_never_inside_the_checkout(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    default = image_cache_dir(repo, {})
    assert default is not None and not default.resolve().is_relative_to(repo.resolve())
    xdg = image_cache_dir(repo, {"XDG_CACHE_HOME": str(tmp_path / "xdg")}, windows=False)
    assert xdg == tmp_path / "xdg/kennisbank/afbeeldingen"
    local = image_cache_dir(repo, {"LOCALAPPDATA": str(tmp_path / "AppData")}, windows=True)
    assert local == tmp_path / "AppData/kennisbank/afbeeldingen"
    assert image_cache_dir(repo, {"KENNISBANK_CACHE_DIR": str(repo / ".cache")}) is None
    assert image_cache_dir(repo, {"KENNISBANK_CACHE_DIR": ""}) is None


def small_source(tmp_path: Path) -> tuple[Path, PublishedImage]:
    root = tmp_path / "repo"
    (root / "tips/a").mkdir(parents=True)
    data = screenshot(320, 200)
    (root / "tips/a/scherm.png").write_bytes(data)
    digest = hashlib.sha256(data).hexdigest()
    return root, PublishedImage("tips/a/scherm.png", "tips/a/scherm.png", 320, 200, "PNG", digest)


def test_cached_bytes_are_checked_before_they_are_published(tmp_path: Path) -> None:
    root, image = small_source(tmp_path)
    kept = tmp_path / "cache" / ENCODER / f"{image.digest}.png"
    kept.parent.mkdir(parents=True)
    kept.write_bytes(b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>')
    ImageCache(tmp_path / "cache").write(root, [image], tmp_path / "site")
    with Image.open(tmp_path / "site/tips/a/scherm.png") as published:
        assert (published.format, published.size) == ("PNG", (320, 200))
    # A PNG of another size (another picture) is not taken either.
    kept.write_bytes(screenshot(32, 20))
    ImageCache(tmp_path / "cache").write(root, [image], tmp_path / "site2")
    with Image.open(tmp_path / "site2/tips/a/scherm.png") as published:
        assert published.size == (320, 200)


def test_a_symbolic_link_as_cache_folder_is_not_used(tmp_path: Path) -> None:
    root, image = small_source(tmp_path)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    try:
        (tmp_path / "cache").symlink_to(elsewhere, target_is_directory=True)
    except OSError:
        pytest.skip("no symbolic links on this system")
    ImageCache(tmp_path / "cache").write(root, [image], tmp_path / "site")
    assert (tmp_path / "site/tips/a/scherm.png").is_file()
    assert list(elsewhere.iterdir()) == []  # nothing written through the link


def test_a_source_changed_since_validation_is_not_published(tmp_path: Path) -> None:
    root, image = small_source(tmp_path)
    cache = ImageCache(None)
    cache.write(root, [image], tmp_path / "site")
    before = (tmp_path / "site/tips/a/scherm.png").read_bytes()
    (root / "tips/a/scherm.png").write_bytes(screenshot(1600, 1600))  # after the checks, before the write
    with pytest.raises(ImagePublishError, match="is veranderd sinds ze gecontroleerd werd"):
        cache.write(root, [image], tmp_path / "site")
    assert (tmp_path / "site/tips/a/scherm.png").read_bytes() == before  # the dev server keeps the last good one


def test_encoding_applies_the_size_limits_again() -> None:
    with pytest.raises(ValueError, match="pixels"):
        encode_image(sparse_png(8000, 6000), "PNG")
    with pytest.raises(ValueError, match="animation"):
        encode_image(animation(1700, 90), "GIF")


HUGE_PNG = r"""
import resource, struct, sys, zlib
from pathlib import Path
from kennisbank.content.images import inspect_image

width = height = 12000  # RGB: 432 MB decoded, well under 1 MB on disk
row = b"\0" + bytes(3 * width)
pack = zlib.compressobj(9)
data = b"".join(pack.compress(row * 500) for _ in range(height // 500)) + pack.flush()
def chunk(kind, body):
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
path = Path(sys.argv[1])
path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", data) + chunk(b"IEND", b""))
del data
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(inspect_image(path, "tips/a/groot.png").message)
print((resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) // 1024)
"""


@pytest.mark.skipif(sys.platform == "win32", reason="resource is Unix only")
def test_a_huge_png_is_refused_before_it_is_decoded(tmp_path: Path) -> None:
    proc = subprocess.run(
        [sys.executable, "-c", HUGE_PNG, str(tmp_path / "groot.png")], capture_output=True, text=True, timeout=120
    )
    assert proc.returncode == 0, proc.stderr
    message, grown_mib = proc.stdout.splitlines()
    assert "12000 × 12000 pixels, 144 megapixel" in message
    assert int(grown_mib) < 100  # decoding it took 625 MB


def test_published_images_carry_no_metadata() -> None:
    secret = b"Jan Janssens thuis"
    exif = Image.Exif()
    exif[0x013B] = secret.decode()
    pixels = Image.new("RGB", (64, 48), (200, 30, 30))
    outputs = {}
    for image_format, extra in (
        ("WEBP", {"exif": exif, "lossless": True}),
        ("PNG", {"exif": exif}),
        ("JPEG", {"comment": secret}),
        ("GIF", {"comment": secret}),
    ):
        out = io.BytesIO()
        pixels.save(out, image_format, **extra)
        assert secret in out.getvalue()
        outputs[image_format] = encode_image(out.getvalue(), image_format)
    out = io.BytesIO()
    frames = [Image.new("RGB", (64, 48), c) for c in ((200, 0, 0), (0, 0, 200))]
    frames[0].save(out, "GIF", save_all=True, append_images=frames[1:], comment=secret, loop=0)
    outputs["animated GIF"] = encode_image(out.getvalue(), "GIF")
    for name, data in outputs.items():
        assert secret not in data, name
        with Image.open(io.BytesIO(data)) as published:
            published.load()
            assert published.size == (64, 48), name
    with Image.open(io.BytesIO(outputs["animated GIF"])) as published:
        assert getattr(published, "n_frames", 1) == 2  # only multi-frame formats have n_frames


def test_a_body_full_of_image_openings_is_checked_in_linear_time() -> None:
    library = ImageLibrary({}, lambda path: inspect_image(Path(path), path))
    began = time.process_time()  # CPU time, as above
    check_images("tips/a/b.md", "![" * 255_000, 1, library)
    assert time.process_time() - began < 2.0  # was 64 s


def test_an_image_link_in_a_meeting_is_not_offered_a_tip_of_the_same_name() -> None:
    targets = LinkTargets(frozenset({"tips/werken/foto-van-defect-delen.md"}))
    [problem] = check_body("meetings/2026-01-05.md", "![De kapotte printer](foto-van-defect-delen.png)\n", 1, targets)
    assert "Bedoelde je" not in problem.message and "naast het bestand dat ze toont" in problem.message
    assert "docs/afbeeldingen" not in problem.message


# --- images next to a meeting, a signal and a learning path ------------------------------------------------

# Source file -> (image as linked from it, the image file in the repository, the page's URL, its size)
BESIDE = {
    "meetings/2026-12-01.md": (
        "2026-12-01/printmenu.png",
        "meetings/2026-12-01/printmenu.png",
        "overleg/2026-12-01/",
        (480, 300),
    ),
    "meetings/signals/printer-bibliotheek-scannen.md": (
        "scanfout.jpg",
        "meetings/signals/scanfout.jpg",
        "signalen/printer-bibliotheek-scannen/",
        (2400, 1800),
    ),
    "tips/leerpaden/je-eerste-week.md": (
        "je-eerste-week/aanmelden.png",
        "tips/leerpaden/je-eerste-week/aanmelden.png",
        "leerpaden/je-eerste-week/",
        (320, 200),
    ),
}


def gps_photo(width: int, height: int) -> bytes:
    """A phone photo with the GPS position where it was taken (a colleague's street) and the owner's name."""
    image = Image.linear_gradient("L").resize((width, height)).convert("RGB")
    exif = Image.Exif()
    exif[0x010F], exif[0x0110] = "Fairphone", "FP4"
    gps = exif.get_ifd(0x8825)
    gps.update({1: "N", 2: (51.0, 4.0, 30.5), 3: "E", 4: (2.0, 39.0, 12.25)})
    exif.get_ifd(0x8769)[0xA430] = "Jan Janssens"
    out = io.BytesIO()
    image.save(out, "JPEG", quality=90, exif=exif)
    return out.getvalue()


def add_beside(repo: Path, rel_path: str, line: str) -> int:
    """Append `line` to a content file's body; returns its line number."""
    path = repo / rel_path
    text = path.read_text(encoding="utf-8").rstrip("\n") + "\n\n" + line + "\n"
    path.write_text(text, encoding="utf-8")
    return text.count("\n")


@pytest.fixture(scope="module")
def beside_site(tmp_path_factory: pytest.TempPathFactory) -> BuiltSite:
    repo = copy_content(tmp_path_factory.mktemp("beside") / "repo")
    for rel_path, (link, image_path, _url, (width, height)) in BESIDE.items():
        (repo / image_path).parent.mkdir(parents=True, exist_ok=True)
        data = gps_photo(width, height) if image_path.endswith(".jpg") else screenshot(width, height)
        (repo / image_path).write_bytes(data)
        add_beside(repo, rel_path, f"![Het scherm dat de collega's te zien krijgen, stap voor stap]({link})")
    proc = mkdocs_build(repo, repo / "site")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return BuiltSite(repo, repo / "site", proc.stdout + proc.stderr)


@pytest.mark.build
@pytest.mark.parametrize("rel_path", list(BESIDE))
def test_an_image_next_to_a_meeting_signal_or_learning_path_is_published_sized(
    beside_site: BuiltSite, rel_path: str
) -> None:
    link, image_path, url, size = BESIDE[rel_path]
    # On GitHub the link is read relative to the Markdown file: it must name the file next to it.
    assert posixpath.normpath(posixpath.join(posixpath.dirname(rel_path), link)) == image_path
    tree = lxml_html.fromstring(beside_site.page(url))
    [img] = tree.xpath("//article//img[contains(@alt, 'stap voor stap')]")
    published = target(beside_site.site, url, img)
    assert published.is_file(), img.get("src")
    width, height = (n * min(1600, max(size)) // max(size) for n in size)  # at most 1600 pixels
    assert (img.get("width"), img.get("height"), img.get("loading")) == (str(width), str(height), "lazy")
    with Image.open(published) as image:
        assert image.size == (width, height)
        assert 0x8825 not in image.getexif()  # the same encoding as for tips: no GPS position on the site
    assert b"Jan Janssens" not in published.read_bytes()
    assert "WARNING" not in beside_site.log and "Traceback" not in beside_site.log


def test_a_bad_image_next_to_a_meeting_signal_or_learning_path_is_named_in_dutch(repo: Path) -> None:
    (repo / "meetings/signals/scan.svg").write_text("<svg onload='alert(1)'/>", encoding="utf-8")
    (repo / "tips/leerpaden/stap.png").write_bytes(screenshot(40, 30))
    (repo / "meetings/signals/vergeten.png").write_bytes(screenshot(40, 30))
    expected = {
        "meetings/2026-12-01.md": (
            add_beside(repo, "meetings/2026-12-01.md", "Zie ![Het printmenu](printmenu.png)."),
            1 + len("Zie ![Het printmenu]("),
            "de afbeelding 'printmenu.png' bestaat niet (gezocht: meetings/printmenu.png). Zet het bestand naast "
            "het overleg, in meetings/",
        ),
        "meetings/signals/printer-bibliotheek-scannen.md": (
            add_beside(repo, "meetings/signals/printer-bibliotheek-scannen.md", "![De scanfout](scan.svg)"),
            1 + len("![De scanfout]("),
            "de afbeelding 'scan.svg': een SVG-bestand kan scripts bevatten",
        ),
        "tips/leerpaden/je-eerste-week.md": (
            add_beside(repo, "tips/leerpaden/je-eerste-week.md", "![](stap.png)"),
            1,
            "de afbeelding 'stap.png' heeft geen beschrijving",
        ),
        "meetings/2026-11-10.md": (
            add_beside(repo, "meetings/2026-11-10.md", "![Het lint](../tips/burgerzaken/scherm.png)"),
            1 + len("![Het lint]("),
            "ligt buiten de map meetings/ en wordt niet gepubliceerd. Zet ze naast het overleg (in meetings/)",
        ),
    }
    proc = kennisbank("--root", str(repo), "validate", cwd=Path.cwd())
    assert proc.returncode == 1 and "Traceback" not in proc.stdout + proc.stderr
    for rel_path, (line, column, message) in expected.items():
        prefix = f"{rel_path}:{line}:{column}: afbeelding: "
        assert any(x.startswith(prefix) and message in x for x in proc.stdout.splitlines()), (prefix, proc.stdout)
    assert "docs/afbeeldingen" not in proc.stdout
    unused = (
        "meetings/signals/vergeten.png:1:1: bestand: waarschuwing: geen enkel overleg of signaal toont deze afbeelding"
    )
    assert unused in proc.stdout


def test_a_symbolic_link_next_to_a_signal_is_refused(repo: Path) -> None:
    (repo / "meetings/signals/echt.png").write_bytes(screenshot(40, 30))
    try:
        (repo / "meetings/signals/link.png").symlink_to("echt.png")
    except OSError:
        pytest.skip("no symbolic links on this system")
    line = add_beside(repo, "meetings/signals/mfa-oudere-collegas.md", "![Het aanmeldscherm met de code](link.png)")
    proc = run_cli(repo, "validate")
    prefix = f"meetings/signals/mfa-oudere-collegas.md:{line}:{1 + len('![Het aanmeldscherm met de code](')}: "
    [found] = [x for x in proc.stdout.splitlines() if x.startswith(prefix)]
    assert "snelkoppeling" in found and "het signaal" in found and proc.returncode == 1


def test_a_reference_to_a_refused_link_gets_only_the_link_s_own_problem(repo: Path, tmp_path: Path) -> None:
    """A link outside the repository, a dangling one and a linked folder are refused on their own line; the
    reference to them used to add "bestaat niet … Bedoelde je …?", pointing the coach the wrong way."""
    outside = tmp_path / "buiten"
    outside.mkdir()
    (outside / "a.png").write_bytes(screenshot(40, 30))
    folder = repo / "meetings/signals"
    (folder / "echt.png").write_bytes(screenshot(40, 30))
    try:
        (folder / "extern.png").symlink_to(outside / "a.png")
        (folder / "dood.png").symlink_to("nergens.png")
        (folder / "map").symlink_to(outside, target_is_directory=True)
    except OSError:
        pytest.skip("no symbolic links on this system")
    signal = "meetings/signals/mfa-oudere-collegas.md"
    add_beside(repo, signal, "![Het aanmeldscherm met de code](echt.png)")
    rows = [
        add_beside(repo, signal, f"![Het aanmeldscherm met de code]({name})")
        for name in ("extern.png", "dood.png", "map/a.png")
    ]
    proc = run_cli(repo, "validate")
    assert proc.returncode == 1
    lines = proc.stdout.splitlines()
    assert not [x for x in lines if "bestaat niet" in x], proc.stdout
    assert not [x for x in lines if any(x.startswith(f"{signal}:{row}:") for row in rows)], proc.stdout
    for name in ("extern.png", "dood.png", "map"):
        assert any(x.startswith(f"meetings/signals/{name}:1:1: bestand: symbolische link") for x in lines), proc.stdout


# --- a photo's GPS position in the repository --------------------------------------------------------------

XMP_WITH_POSITION = (
    '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
    '<rdf:Description xmlns:exif="http://ns.adobe.com/exif/1.0/" exif:GPSLatitude="51,4.508N" '
    'exif:GPSLongitude="2,39.204E"/></rdf:RDF></x:xmpmeta>'
)


def xmp_png(width: int, height: int) -> bytes:
    """A phone's screenshot whose XMP (an iTXt chunk) and EXIF (an eXIf chunk) hold the position it was made at."""
    from PIL import PngImagePlugin

    info = PngImagePlugin.PngInfo()
    info.add_itxt("XML:com.adobe.xmp", XMP_WITH_POSITION)
    exif = Image.Exif()
    exif[0x010F] = "samsung"
    exif.get_ifd(0x8825).update({1: "N", 2: (51.0, 4.0, 30.5)})
    out = io.BytesIO()
    Image.open(io.BytesIO(screenshot(width, height))).save(out, "PNG", pnginfo=info, exif=exif)
    assert b"eXIf" in out.getvalue() and b"iTXt" in out.getvalue()
    return out.getvalue()


def pixels(path: Path) -> tuple[tuple[int, int], bytes]:
    with Image.open(path) as image:
        return image.size, image.tobytes()


def run_cli(repo: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """`kennisbank <args>` in `repo`, in this process (the console script runs once, for `validated`)."""
    return kennisbank(*args, cwd=repo)


@pytest.fixture
def gps_repo(repo: Path) -> Path:
    """A tip showing a phone photo (EXIF: GPS, owner, camera; stored turned) and a screenshot (XMP: GPS)."""
    folder = repo / "tips/burgerzaken"
    photo_data = gps_photo(1200, 900)
    with Image.open(io.BytesIO(photo_data)) as image:
        exif = image.getexif()
        exif[0x0112] = 6  # held upright: stored sideways plus the orientation tag
        out = io.BytesIO()
        image.save(out, "JPEG", quality="keep", exif=exif)
    (folder / "foto.jpg").write_bytes(out.getvalue())
    (folder / "scherm.png").write_bytes(xmp_png(400, 300))
    lines = "![De balie met de nieuwe printer](foto.jpg) en ![Het menu Scannen](scherm.png)"
    write_tip(repo, "tips/burgerzaken/testtip.md", replace={STEP: lines})
    return repo


def test_validate_warns_that_a_photo_in_the_repository_holds_its_gps_position(gps_repo: Path) -> None:
    before = {name: (gps_repo / "tips/burgerzaken" / name).read_bytes() for name in ("foto.jpg", "scherm.png")}
    proc = run_cli(gps_repo, "validate")
    assert proc.returncode == 0, proc.stdout  # a warning: the site's copy is clean, the build goes on
    column = len("![De balie met de nieuwe printer](") + 1
    [photo_line] = [x for x in proc.stdout.splitlines() if x.startswith(f"tips/burgerzaken/testtip.md:13:{column}:")]
    assert ": afbeelding: waarschuwing: de afbeelding 'foto.jpg' bevat de GPS-positie" in photo_line
    assert "de naam van de fotograaf of eigenaar" in photo_line and "(Fairphone FP4)" in photo_line
    assert "het bestand in de repository bevat ze wel" in photo_line
    assert "'kennisbank afbeelding-opschonen tips/burgerzaken/foto.jpg'" in photo_line
    assert "Eigenschappen en persoonlijke gegevens verwijderen" in photo_line
    [png_line] = [x for x in proc.stdout.splitlines() if "'scherm.png' bevat de GPS-positie" in x]
    assert png_line.startswith("tips/burgerzaken/testtip.md:13:") and "fotograaf" not in png_line
    assert "(samsung)" in png_line
    for name, data in before.items():  # validate never touches a source file
        assert (gps_repo / "tips/burgerzaken" / name).read_bytes() == data


def test_afbeelding_opschonen_removes_the_position_and_keeps_the_picture(gps_repo: Path) -> None:
    folder = gps_repo / "tips/burgerzaken"
    names = ("foto.jpg", "scherm.png")
    before = {name: ((folder / name).read_bytes(), pixels(folder / name)) for name in names}
    trial = run_cli(gps_repo, "afbeelding-opschonen", "--proef", *(f"tips/burgerzaken/{n}" for n in names))
    assert trial.returncode == 0, trial.stderr
    assert "tips/burgerzaken/foto.jpg: zou verwijderen: de GPS-positie, de naam van de fotograaf" in trial.stdout
    assert all((folder / name).read_bytes() == before[name][0] for name in names)  # --proef writes nothing
    done = run_cli(gps_repo, "afbeelding-opschonen", *(f"tips/burgerzaken/{n}" for n in names))
    assert done.returncode == 0, done.stderr
    assert "tips/burgerzaken/foto.jpg: verwijderd: de GPS-positie" in done.stdout and "Commit" in done.stdout
    for name in names:
        data = (folder / name).read_bytes()
        assert data != before[name][0] and b"Jan Janssens" not in data and b"GPSLatitude" not in data
        assert b"eXIf" not in data and b"samsung" not in data
        assert pixels(folder / name) == before[name][1]  # the same picture, pixel for pixel
    with Image.open(folder / "foto.jpg") as cleaned:
        assert cleaned.getexif().get_ifd(0x8825) == {} and cleaned.getexif()[0x0112] == 6  # still upright
    validated = run_cli(gps_repo, "validate")
    assert validated.returncode == 0 and "GPS" not in validated.stdout
    again = run_cli(gps_repo, "afbeelding-opschonen", "tips/burgerzaken/foto.jpg")
    assert "bevat geen gegevens om te verwijderen; niets veranderd" in again.stdout


def test_afbeelding_opschonen_names_a_file_it_cannot_clean(repo: Path) -> None:
    (repo / "tips/burgerzaken/kapot.jpg").write_bytes(b"\xff\xd8 geen foto")
    proc = run_cli(repo, "afbeelding-opschonen", "tips/burgerzaken/kapot.jpg", "tips/burgerzaken/weg.png")
    assert proc.returncode == 1 and "Traceback" not in proc.stdout + proc.stderr
    assert "kennisbank: tips/burgerzaken/kapot.jpg: dit bestand is geen geldige .jpg-afbeelding" in proc.stderr
    assert "kennisbank: tips/burgerzaken/weg.png: dit bestand bestaat niet." in proc.stderr
    assert (repo / "tips/burgerzaken/kapot.jpg").read_bytes() == b"\xff\xd8 geen foto"
