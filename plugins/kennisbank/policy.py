"""The programme's rules of thumb, in one place: change a number here and every page, check and export
follows. Each value says why it is what it is."""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .content.models import Tip

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


def is_stale(tip: Tip, today: date) -> bool:
    """A tip not reviewed for longer than STALE_AFTER is shown as "te herzien"."""
    return today - tip.last_reviewed > STALE_AFTER
