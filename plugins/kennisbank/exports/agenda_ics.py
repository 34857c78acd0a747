"""The meeting as an iCalendar invitation (Outlook), and the three-weekly series as an RRULE."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event, Timezone, TimezoneDaylight, TimezoneStandard

from ..content.models import Meeting
from ..policy import MEETING_INTERVAL
from ..site.urls import meeting_url
from .agenda_text import AgendaView, agenda_markdown

TZID = "Europe/Brussels"
BRUSSELS = ZoneInfo(TZID)
UID_DOMAIN = "kennisbank.digicoaches"


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


def agenda_ics(view: AgendaView) -> bytes:
    """One meeting with its location and the agenda (plain text) as description."""
    meeting = view.agenda.meeting
    calendar = _calendar()
    event = _event(meeting, f"overleg-{meeting.date.isoformat()}@{UID_DOMAIN}", view.title, view.stamp)
    event.add("description", agenda_markdown(view))
    link = view.link(meeting_url(meeting.date.isoformat()))
    if link:
        event.add("url", link)
    chair = view.labels.coaches.get(meeting.chair)
    if chair:
        event.add("organizer", f"mailto:{chair.email}", parameters={"CN": chair.name})
    calendar.add_component(event)
    return calendar.to_ical()


def series_ics(first: Meeting, stamp: datetime, count: int | None = None) -> bytes:
    """The recurring series from the first meeting, every three weeks at the same local time."""
    calendar = _calendar()
    event = _event(first, f"overleg-reeks@{UID_DOMAIN}", "Digicoachoverleg", stamp)
    rule: dict[str, object] = {"freq": "weekly", "interval": MEETING_INTERVAL.days // 7}
    if count:
        rule["count"] = count
    event.add("rrule", rule)
    event.add("description", "Driewekelijks overleg van de digicoaches van De Panne, Koksijde, Nieuwpoort en Veurne.")
    calendar.add_component(event)
    return calendar.to_ical()
