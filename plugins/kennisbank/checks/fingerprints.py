"""Fingerprints of the invented sample: copies of its people, screenshot and measurements are found again.

`example: true` marks what is invented, but a copy without the flag (the sample coach under a new id, the
sample screenshot next to a real tip, a sample measurement with the line removed) would publish invented
people and figures as real. `sample_fingerprints.json` holds sha256 digests of the sample's normalised coach
e-mail addresses, phone numbers (digits only) and names (case-folded), of the bytes of the images only example
documents show, and of the figures of the example measurements (everything but the `example` flag and the
date, so a changed comment, date or a removed flag does not hide a copy). Only digests: the code keeps no
second copy of the invented data beside the sample itself.

The file is generated from the sample, and `tests/test_examples.py` checks that it still matches:

    .venv/bin/python scripts/make_sample_fingerprints.py
"""

from __future__ import annotations

import functools
import hashlib
import json
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from ..content.models import Coach
from ..content.nulmeting import Measurement
from ..content.repository import Repository

FINGERPRINTS_FILE = Path(__file__).with_name("sample_fingerprints.json")


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def email_key(email: str) -> str:
    return unicodedata.normalize("NFC", email).strip().casefold()


def phone_key(phone: str) -> str:
    return re.sub(r"\D", "", phone)


def name_key(name: str) -> str:
    return " ".join(unicodedata.normalize("NFC", name).casefold().split())


def measurement_key(measurement: Measurement) -> str:
    """The figures of a measurement as canonical JSON: what a copy shares, whatever its file name, date or flag."""
    figures = measurement.model_dump(mode="json", exclude={"example", "date", "slug", "source_path"})
    return json.dumps(figures, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


@dataclass(frozen=True)
class Fingerprints:
    emails: frozenset[str] = frozenset()
    phones: frozenset[str] = frozenset()
    names: frozenset[str] = frozenset()
    images: frozenset[str] = frozenset()  # sha256 of the file, as `ImageFile.digest`
    measurements: frozenset[str] = frozenset()

    def as_json(self) -> str:
        data = {key: sorted(getattr(self, key)) for key in ("emails", "phones", "names", "images", "measurements")}
        return json.dumps(data, indent=2) + "\n"

    def coach_fields(self, coach: Coach) -> list[str]:
        """The fields of a coach that match an invented sample person: 'email', 'phone', 'name'."""
        found = []
        if _digest(email_key(coach.email)) in self.emails:
            found.append("email")
        if coach.phone and phone_key(coach.phone) and _digest(phone_key(coach.phone)) in self.phones:
            found.append("phone")
        if _digest(name_key(coach.name)) in self.names:
            found.append("name")
        return found

    def is_sample_measurement(self, measurement: Measurement) -> bool:
        return _digest(measurement_key(measurement)) in self.measurements


def sample_fingerprints(repository: Repository, example_images: tuple[str, ...]) -> Fingerprints:
    """The fingerprints of a repository's example content (run on the sample by the script)."""
    coaches = [coach for coach in repository.coaches.values() if coach.example]
    return Fingerprints(
        emails=frozenset(_digest(email_key(c.email)) for c in coaches),
        phones=frozenset(_digest(phone_key(c.phone)) for c in coaches if c.phone and phone_key(c.phone)),
        names=frozenset(_digest(name_key(c.name)) for c in coaches),
        images=frozenset(repository.images[path].digest for path in example_images if path in repository.images),
        measurements=frozenset(_digest(measurement_key(m)) for m in repository.measurements if m.example),
    )


@functools.cache
def committed_fingerprints() -> Fingerprints:
    """The fingerprints of the sample as committed (an unreadable file counts as none: never a traceback)."""
    try:
        data = json.loads(FINGERPRINTS_FILE.read_text(encoding="utf-8"))
        return Fingerprints(**{key: frozenset(values) for key, values in data.items()})
    except (OSError, ValueError, TypeError):
        return Fingerprints()
