"""The search script as the site serves it: the ES modules of `assets/search/` joined into one classic
script at build time.

Why join them: Node's test runner imports the modules one by one (tests/search_spec/), while every page
links one plain script, loaded the same way as the others and working without a bundler or a network.
The modules follow two rules that make joining safe: imports are single lines of the form
`import { a, b } from "./x.js";` from a module listed earlier, and exports are `export function` or
`export var` declarations. Top-level names are unique across the modules (they share one scope here)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources

# In dependency order: a module imports only from modules before it.
SEARCH_MODULES = (
    "text.js",
    "bitset.js",
    "language.js",
    "engine.js",
    "dom.js",
    "reporter.js",
    "help.js",
    "page.js",
    "suggest.js",
    "main.js",
)
_IMPORT = re.compile(r'^import \{([^}]*)\} from "\./([\w-]+\.js)";$')
_EXPORT = re.compile(r"^export (function|var) (\w+)")
_TOP_LEVEL = re.compile(r"^(?:function (\w+)|var (\w+))")


class BundleError(ValueError):
    """A module breaks the rules that make joining safe (a developer's mistake, found at build time)."""


@dataclass(frozen=True)
class Module:
    name: str
    text: str


def search_modules() -> list[Module]:
    """The modules of the search, in dependency order, read from the package."""
    folder = resources.files("kennisbank.site") / "assets" / "search"
    return [Module(name, (folder / name).read_text(encoding="utf-8")) for name in SEARCH_MODULES]


def bundle(modules: Sequence[Module]) -> str:
    """One classic script: every module's body in order inside one strict-mode function."""
    exported: dict[str, set[str]] = {}
    declared: dict[str, str] = {}
    parts = [
        "// Generated at build time from assets/search/*.js (site/js_bundle.py): edit those, not this file.\n",
        '(function () {\n  "use strict";\n',
    ]
    for module in modules:
        body: list[str] = [f"\n  // --- {module.name}\n"]
        exported[module.name] = set()
        for number, line in enumerate(module.text.splitlines(), 1):
            where = f"assets/search/{module.name}:{number}"
            if match := _IMPORT.match(line):
                source = match.group(2)
                if source not in exported:
                    raise BundleError(f"{where}: imports {source}, which is not listed before it in SEARCH_MODULES")
                missing = {n.strip() for n in match.group(1).split(",")} - exported[source]
                if missing:
                    raise BundleError(f"{where}: {source} does not export {', '.join(sorted(missing))}")
                continue
            if line.startswith(("import ", "export ")):
                if not (match := _EXPORT.match(line)):
                    raise BundleError(f"{where}: only 'export function' and 'export var' can be joined")
                exported[module.name].add(match.group(2))
                line = line.removeprefix("export ")
            if top := _TOP_LEVEL.match(line):
                name = top.group(1) or top.group(2)
                if name in declared:
                    raise BundleError(f"{where}: '{name}' is also declared in {declared[name]}; names share one scope")
                declared[name] = module.name
            body.append(f"  {line}\n" if line else "\n")
        parts.extend(body)
    parts.append("})();\n")
    return "".join(parts)
