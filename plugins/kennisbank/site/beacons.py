"""The usage beacons: tiny static files the browser requests so that the intranet web server's access log
records a settled search, a click on a search result and an answer to "Heeft deze tip je geholpen?".

The request's query string is the message (README, "Wat de browser meldt"; `kennisbank gebruik import`
reads it back from the log); the file itself only has to exist so that the server answers 200.
`assets/kennisbank-usage.js` is the only code that requests them.
"""

from __future__ import annotations

BEACON_DIR = "gebruik/"
SEARCH = BEACON_DIR + "zoek.txt"  # ?q=<query>&n=<results with every meaningful word>&t=<results found>
CLICK = BEACON_DIR + "klik.txt"  # ?tip=<slug>&q=<query>
FEEDBACK = BEACON_DIR + "feedback.txt"  # ?tip=<slug>&antwoord=ja|nee[&reden=verouderd|onduidelijk|niet-gezocht]
BEACONS = (SEARCH, CLICK, FEEDBACK)

# The reasons a colleague may give after "Nee": the value sent, the label on the button.
REASONS = (("verouderd", "Verouderd"), ("onduidelijk", "Onduidelijk"), ("niet-gezocht", "Niet wat ik zocht"))


def beacon_files() -> dict[str, bytes]:
    """The beacon files by their path on the site: one line each, the same on every build."""
    return dict.fromkeys(BEACONS, b"ok\n")
