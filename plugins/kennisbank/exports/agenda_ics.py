"""The meeting as an iCalendar invitation (Outlook), and the three-weekly series as an RRULE.

One UID scheme: the series has one UID; the invite of a meeting on the series' grid carries that UID with the
occurrence's RECURRENCE-ID, so importing both updates the occurrence instead of adding the meeting twice. A
meeting moved off the grid is an event of its own."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event, Timezone, TimezoneDaylight, TimezoneStandard, vText

from ..content.models import Meeting
from ..knowledge.series import MeetingSeries
from ..policy import MEETING_INTERVAL
from ..site.urls import meeting_url
from .agenda_text import AgendaView, agenda_plain_text

TZID = "Europe/Brussels"
BRUSSELS = ZoneInfo(TZID)
UID_DOMAIN = "kennisbank.digicoaches"
SERIES_UID = f"overleg-reeks@{UID_DOMAIN}"


def _transition(
    kind: type[TimezoneDaylight] | type[TimezoneStandard],
    start: datetime,
    month: int,
    offsets: tuple[int, int],
    name: str,
) -> TimezoneDaylight | TimezoneStandard:
    """A yearly switch on the last Sunday of `month`."""
    part = kind()
    part.add("dtstart", start)
    part.add("rrule", {"freq": "yearly", "bymonth": month, "byday": "-1SU"})
    part.add("tzoffsetfrom", _offset(offsets[0]))
    part.add("tzoffsetto", _offset(offsets[1]))
    part.add("tzname", name)
    return part


def _timezone() -> Timezone:
    """Europe/Brussels with yearly rules, the compact form Outlook itself writes."""
    tz = Timezone()
    tz.add("tzid", TZID)
    tz.add_component(_transition(TimezoneDaylight, datetime(1970, 3, 29, 2, 0), 3, (1, 2), "CEST"))
    tz.add_component(_transition(TimezoneStandard, datetime(1970, 10, 25, 3, 0), 10, (2, 1), "CET"))
    return tz


def _offset(hours: int) -> timedelta:
    return timedelta(hours=hours)


def _calendar() -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", "-//Digicoaches Westkust//Kennisbank//NL")
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-timezone", TZID)
    calendar.add_component(_timezone())
    return calendar


def _at(day: date, clock: str) -> datetime:
    hours, minutes = (int(part) for part in clock.split(":"))
    return datetime.combine(day, time(hours, minutes), tzinfo=BRUSSELS)


def _event(meeting: Meeting, uid: str, summary: str, stamp: datetime) -> Event:
    event = Event()
    event.add("uid", uid)
    event.add("dtstamp", stamp)
    event.add("dtstart", _at(meeting.date, meeting.start))
    event.add("dtend", _at(meeting.date, meeting.end))
    event.add("summary", summary)
    event.add("location", meeting.location)
    return event


def agenda_ics(view: AgendaView, html: str | None = None) -> bytes:
    """One meeting with its location and the agenda as a plain-text description; `html`, the same agenda as
    an HTML document, goes along for the clients that show one (Outlook reads X-ALT-DESC)."""
    meeting = view.agenda.meeting
    calendar = _calendar()
    series = view.series
    if series is not None and series.holds(meeting.date):
        event = _event(meeting, SERIES_UID, view.title, view.stamp)
        event.add("recurrence-id", _at(meeting.date, series.first.start))
    else:
        event = _event(meeting, f"overleg-{meeting.date.isoformat()}@{UID_DOMAIN}", view.title, view.stamp)
    event.add("description", agenda_plain_text(view))
    if html:
        # An x- property is not text to icalendar unless told: its line breaks must be escaped like a description's.
        event.add("x-alt-desc", vText(html), parameters={"FMTTYPE": "text/html"})
    link = view.link(meeting_url(meeting.date.isoformat()))
    if link:
        event.add("url", link)
    chair = view.labels.coaches.get(meeting.chair)
    if chair:
        event.add("organizer", f"mailto:{chair.email}", parameters={"CN": chair.name})
    calendar.add_component(event)
    return calendar.to_ical()


def series_ics(series: MeetingSeries, stamp: datetime) -> bytes:
    """The recurring series, every three weeks at the first meeting's local time, until the end of the season
    (or for the configured number of meetings)."""
    calendar = _calendar()
    first = series.first
    event = _event(first, SERIES_UID, "Digicoachoverleg", stamp)
    rule: dict[str, object] = {"freq": "weekly", "interval": MEETING_INTERVAL.days // 7}
    if series.count is not None:
        rule["count"] = series.count
    else:
        last = max(series.dates())
        rule["until"] = _at(last, first.start).astimezone(UTC)  # RFC 5545: UTC when DTSTART has a time zone
    event.add("rrule", rule)
    event.add("description", "Driewekelijks overleg van de digicoaches van De Panne, Koksijde, Nieuwpoort en Veurne.")
    calendar.add_component(event)
    return calendar.to_ical()
