"""The site settings in mkdocs.yml, read and edited without MkDocs and without losing its comments.

`kennisbank new-meeting` reads the meeting defaults (plugin options under `- kennisbank:`); `kennisbank start`
sets the site address, the repository address, the edit-link base and those defaults. Edits are targeted text
edits of single lines or of the plugin's option block, so every comment and the rest of the layout stay as
they are; the result is parsed again and checked before it is written.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import yaml

CONFIG_FILE = "mkdocs.yml"
WEEKDAYS = ("maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag")
# Plugin options (engines/mkdocs_plugin.py, KennisbankConfig) that hold the meeting defaults.
MEETING_OPTIONS = ("meeting_every_weeks", "meeting_day", "meeting_start", "meeting_end", "meeting_location")


class SiteConfigError(ValueError):
    """mkdocs.yml cannot be read or edited; the message is Dutch."""


@dataclass(frozen=True)
class MeetingDefaults:
    """How often, when and where the coaches meet; None where mkdocs.yml says nothing."""

    every_weeks: int = 3
    day: str | None = None  # a Dutch weekday from WEEKDAYS
    start: str | None = None  # "13:30"
    end: str | None = None
    location: str | None = None

    @property
    def interval(self) -> timedelta:
        return timedelta(weeks=self.every_weeks)

    def first_date(self, today: date) -> date:
        """The first meeting day after today: the configured weekday, else three weeks from today."""
        if self.day is None:
            return today + self.interval
        ahead = (WEEKDAYS.index(self.day) - today.weekday()) % 7
        return today + timedelta(days=ahead or 7)


class _TolerantLoader(yaml.SafeLoader):
    """mkdocs.yml holds tags such as !ENV and !!python/name: read their plain value, run nothing."""


def _any_tag(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> Any:
    if isinstance(node, yaml.ScalarNode):
        return loader.construct_scalar(node)
    if isinstance(node, yaml.SequenceNode):
        return loader.construct_sequence(node)
    assert isinstance(node, yaml.MappingNode)  # the third and last kind of YAML node
    return loader.construct_mapping(node)


_TolerantLoader.add_multi_constructor("!", _any_tag)
_TolerantLoader.add_multi_constructor("tag:yaml.org,2002:python/", _any_tag)


def parse_config(text: str, name: str = CONFIG_FILE) -> dict[str, Any]:
    try:
        data = yaml.load(text, Loader=_TolerantLoader)  # noqa: S506 - a SafeLoader that only reads tags as data
    except yaml.YAMLError as exc:
        raise SiteConfigError(f"{name} is geen geldige YAML: {str(exc).splitlines()[0]}") from None
    if not isinstance(data, dict):
        raise SiteConfigError(f"{name} bevat geen instellingen (verwacht 'naam: waarde' per regel).")
    return data


def plugin_options(config: dict[str, Any]) -> dict[str, Any]:
    """The options under `plugins: - kennisbank:` ({} for a bare `- kennisbank`)."""
    for entry in config.get("plugins") or []:
        if isinstance(entry, dict) and "kennisbank" in entry:
            return dict(entry["kennisbank"] or {})
    return {}


def read_meeting_defaults(root: Path) -> MeetingDefaults:
    """The meeting defaults from mkdocs.yml; the built-in ones when the file or the options are absent."""
    path = root / CONFIG_FILE
    if not path.is_file():
        return MeetingDefaults()
    options = plugin_options(parse_config(path.read_text(encoding="utf-8")))
    weeks = options.get("meeting_every_weeks", 3)
    day = options.get("meeting_day") or None
    if not isinstance(weeks, int) or not 1 <= weeks <= 12:
        raise SiteConfigError(
            f"{CONFIG_FILE}: meeting_every_weeks moet een aantal weken zijn (1 tot 12), niet {weeks!r}."
        )
    if day is not None and str(day).lower() not in WEEKDAYS:
        raise SiteConfigError(f"{CONFIG_FILE}: meeting_day '{day}' is geen weekdag ({', '.join(WEEKDAYS)}).")

    def text(key: str) -> str | None:
        value = options.get(key)
        return str(value).strip() if value not in (None, "") else None

    return MeetingDefaults(weeks, str(day).lower() if day else None, text("meeting_start"), text("meeting_end"),
                           text("meeting_location"))  # fmt: skip


def _scalar(value: object) -> str:
    if isinstance(value, bool | int):
        return json.dumps(value)
    return json.dumps(str(value), ensure_ascii=False)  # a double-quoted YAML string


def set_top_level(text: str, key: str, value: str, after: str | None = None) -> str:
    """Set `key: value` (a plain string) at the top level; a `!ENV [VAR, default]` keeps its variable and gets
    the new default. A missing key is added after the line of `after` (or at the end)."""
    pattern = re.compile(rf"^{re.escape(key)}:[^\n]*$", re.M)
    found = pattern.search(text)
    if found:
        env = re.match(rf"^{re.escape(key)}:\s*!ENV\s*\[\s*([A-Z0-9_]+)\s*,", found.group())
        line = f"{key}: !ENV [{env.group(1)}, {_scalar(value)}]" if env else f"{key}: {_scalar(value)}"
        return text[: found.start()] + line + text[found.end() :]
    line = f"{key}: {_scalar(value)}\n"
    anchor = re.search(rf"^{re.escape(after)}:[^\n]*\n", text, re.M) if after else None
    if anchor:
        return text[: anchor.end()] + line + text[anchor.end() :]
    return text + ("" if text.endswith("\n") else "\n") + line


def set_plugin_options(text: str, options: dict[str, object]) -> str:
    """Set options under `- kennisbank` in the plugins list (a bare `- kennisbank` becomes `- kennisbank:`);
    other options and comments stay."""
    lines = text.split("\n")
    index = next((i for i, line in enumerate(lines) if re.match(r"^\s*- kennisbank:?\s*(#.*)?$", line)), None)
    if index is None:
        raise SiteConfigError(f"{CONFIG_FILE}: de plugin '- kennisbank' staat niet onder 'plugins:'.")
    item_indent = len(lines[index]) - len(lines[index].lstrip())
    option_indent = item_indent + 4
    if not lines[index].rstrip().split("#")[0].rstrip().endswith(":"):
        lines[index] = lines[index].replace("- kennisbank", "- kennisbank:", 1)
    end = index + 1
    while end < len(lines) and (not lines[end].strip() or len(lines[end]) - len(lines[end].lstrip()) > item_indent):
        end += 1
    while end > index + 1 and not lines[end - 1].strip():
        end -= 1
    for key, value in options.items():
        line = " " * option_indent + f"{key}: {_scalar(value)}"
        existing = next(
            (i for i in range(index + 1, end) if re.match(rf"^\s{{{option_indent}}}{re.escape(key)}:", lines[i])),
            None,
        )
        if existing is not None:
            lines[existing] = line
        else:
            lines.insert(end, line)
            end += 1
    return "\n".join(lines)


def edit_config(text: str, top_level: dict[str, str], options: dict[str, object]) -> str:
    """mkdocs.yml with the given settings, checked by parsing it again."""
    edited = text
    before = parse_config(text)
    for key, value in top_level.items():
        current = before.get(key)
        if current == value or (isinstance(current, list) and current and current[-1] == value):
            continue  # already so: the line stays exactly as written
        edited = set_top_level(edited, key, value, after="site_url")
    if options:
        edited = set_plugin_options(edited, options)
    parsed = parse_config(edited)
    got = plugin_options(parsed)
    for key, option in options.items():
        if got.get(key) != option:
            raise SiteConfigError(
                f"{CONFIG_FILE}: de optie {key} kon niet gezet worden; pas het bestand met de hand aan."
            )
    for key, value in top_level.items():
        current = parsed.get(key)
        if current != value and not (isinstance(current, list) and current and current[-1] == value):
            raise SiteConfigError(f"{CONFIG_FILE}: {key} kon niet gezet worden; pas het bestand met de hand aan.")
    return edited
