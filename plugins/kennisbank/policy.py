"""The programme's rules of thumb, in one place: change a number here and every page, check and export
follows. Each value says why it is what it is."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Protocol


class Reviewed(Protocol):
    """What the staleness rule reads of a tip; a protocol, so this bottom module imports no stage."""

    @property
    def last_reviewed(self) -> date: ...


# A tip whose steps nobody checked for a year is flagged "Te herzien": Microsoft 365 changes its screens
# several times a year.
STALE_AFTER = timedelta(days=365)

# The coaches meet every three weeks; a new meeting is proposed that far after the previous one, and an
# agenda covers what happened since the previous meeting.
MEETING_INTERVAL = timedelta(days=21)

# A signal open for two meetings without progress is listed as long open for ICT and HR.
LONG_OPEN = 2 * MEETING_INTERVAL

# "Nieuw" lists the tips of the last two months: about three meetings' worth.
NEW_TIPS_DAYS = 60

# Entries in a feed: enough for a reader that looks once a month.
FEED_SIZE = 50

# Newest tips on the home page, and tips on "Start hier": what fits on a screen.
HOME_NEWEST = 6
START_HERE_LIMIT = 12

# A nulmeting (skills survey) publishes no figure about fewer than five colleagues: in a team of three, an
# average is close to a person's own answer. The usual threshold for small-group statistics.
MIN_GROUP = 5


def is_stale(tip: Reviewed, today: date) -> bool:
    """A tip not reviewed for longer than STALE_AFTER is shown as "te herzien"."""
    return today - tip.last_reviewed > STALE_AFTER


# Screenshots next to a tip. A full-HD screenshot is 2 megapixel and a few hundred KB; a phone photo is 12
# megapixel and 3 to 5 MB. Larger files are almost always a mistake (a scan at 600 dpi, a photo from a
# camera) and would make the repository and a colleague's page heavy for nothing. The limit also caps the
# memory a build spends on one image: decoded it takes up to 4 bytes per pixel, and turning and resizing it
# make copies, so 40 megapixel peaks at about 500 MB. The size is checked before any pixel is decoded.
IMAGE_MAX_BYTES = 5 * 1024 * 1024
IMAGE_MAX_PIXELS = 40_000_000
# The site shows an image at most about 800 CSS pixels wide; 1600 keeps it sharp on a high-density screen.
IMAGE_LONGEST_SIDE = 1600

# A learning path prints as a one-page checklist for the onboarding folder; more steps would not fit on one
# A4 page, and a longer path is better split in two.
MAX_PATH_STEPS = 12

# Usage figures from the web server's log (`kennisbank gebruik import`): a search phrase is kept only when at
# least this many searches in the month typed it. One colleague typing something private once or twice (a
# citizen's name, a file number) never reaches the repository; a phrase that several searches share is a
# question, not a person.
USAGE_MIN_SEARCHES = 3

# A number of this many digits or more, also when written with spaces, dots, dashes or slashes between the
# digits, may be a national register number (85.07.30-033.28), a phone number (058 33 55 12), an account or
# a file number: a phrase holding one is never kept. Shorter numbers ("excel 365", "windows 11") are kept.
USAGE_LONG_NUMBER_DIGITS = 6

# Every word of a kept phrase must be a Dutch word at least this common (wordfreq's Zipf scale: 3 is once per
# million words) or a word of the site itself (tip titles, tags, tools, departments, synonyms), or a compound
# of two such words. wordfreq's full Dutch list also holds most Flemish surnames (from news and Wikipedia);
# the rarer ones fall below 3, common ones ("peeters", 3.8) do not: the three-searches rule still applies.
USAGE_MIN_ZIPF = 3.0

# What the site shows of the usage figures (`tips/gebruik/<JJJJ-MM>.yml`, issue 25).
# A tip is "weinig geholpen" (on the review list next to the stale tips) when colleagues answered "Nee" at
# least three times since its last review and more often than "Ja": one or two "Nee" is one colleague's bad
# day, and a tip that helps most readers is not worth a coach's review time.
UNHELPFUL_MIN_NO = 3
# "Nobody opened it" needs this many months of figures: a tip unread for one month may simply be seasonal.
UNREAD_MONTHS = 3
# What the coaches' meeting can hand out as tips to write: five failed searches, one per coach or two.
AGENDA_FAILED_SEARCHES = 5
# The most read tips per department and per tool on Opvolging: enough to see a pattern, short enough to read.
MOST_READ = 3
