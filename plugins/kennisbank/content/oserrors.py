"""Dutch descriptions of operating-system errors, so no colleague ever sees a bare '[Errno 30] Read-only …'."""

from __future__ import annotations

import errno
import os
import re
import shutil

_ACCESS = "geen toegang (rechten)"
REASONS: dict[int, str] = {
    errno.EACCES: _ACCESS,
    errno.EPERM: _ACCESS,
    errno.ENOENT: "bestaat niet (of een bovenliggende map ontbreekt)",
    errno.EROFS: "alleen-lezen schijf",
    errno.ENOSPC: "schijf vol",
    errno.EDQUOT: "schijfquotum bereikt",
    errno.EEXIST: "bestaat al",
    errno.ENOTDIR: "is geen map (een deel van het pad is een bestand)",
    errno.EISDIR: "is een map, geen bestand",
    errno.ENOTEMPTY: "de map is niet leeg",
    errno.ELOOP: "te veel symbolische links na elkaar (een lus?)",
    errno.ENAMETOOLONG: "de naam is te lang",
    errno.EXDEV: "ligt op een andere schijf",
    errno.EIO: "lees- of schrijffout van de schijf",
}
# shutil.copytree collects its errors as text: "[Errno 28] No space left on device: '…'".
_ERRNO_IN_TEXT = re.compile(r"\[Errno (\d+)\]")


def reason(code: int | None, strerror: str | None) -> str:
    """The Dutch reason for an errno; unknown ones keep the system's own wording after a Dutch lead-in."""
    if code in REASONS:
        return REASONS[code]
    return f"fout van het besturingssysteem ({strerror or 'onbekend'})"


def describe_os_error(exc: OSError) -> str:
    """A Dutch one-line description naming the path(s), e.g. '/srv/kennisbank: alleen-lezen schijf'."""
    if isinstance(exc, shutil.Error):
        return _describe_copy_error(exc)
    text = reason(exc.errno, exc.strerror or str(exc))
    paths = [str(p) for p in (exc.filename, exc.filename2) if p is not None]
    return f"{' → '.join(paths)}: {text}" if paths else text


def _describe_copy_error(exc: shutil.Error) -> str:
    """shutil.copytree keeps copying after a failure and reports (source, target, text) for each file."""
    failures = exc.args[0] if exc.args and isinstance(exc.args[0], list) else []
    if not failures:
        return f"kopiëren mislukte ({exc})"
    _source, target, why = failures[0]
    found = _ERRNO_IN_TEXT.search(str(why))
    code = int(found.group(1)) if found else None
    text = reason(code, os.strerror(code) if code is not None else str(why))
    more = f" (en nog {len(failures) - 1} andere bestanden)" if len(failures) > 1 else ""
    return f"{target}: {text}{more}"
