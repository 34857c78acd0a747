"""The meeting as an iCalendar invitation (Outlook), and the three-weekly series as an RRULE.

One UID scheme: each season's series has one UID; the invite of a meeting that stands for a slot of it
(knowledge/series.py) carries that UID with the slot's RECURRENCE-ID, so importing both updates the occurrence
instead of adding the meeting twice. The series file carries the same overrides for meetings that were moved
or keep other hours. A meeting far from any slot is an event of its own.

The invite also carries the series itself (the same master and overrides as the series file): an override
without its master is an orphan that ical.js-based clients (Thunderbird, ical-expander) show as nothing, and
an invite with a UID of its own would stand next to the series' occurrence. With the master, the invite alone
shows the meeting, and imported before or after the series file it changes nothing but that occurrence."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event, Timezone, TimezoneDaylight, TimezoneStandard, vText

from ..content.models import Meeting
from ..knowledge.agenda_view import AgendaView
from ..knowledge.series import MeetingSeries
from ..knowledge.urls import meeting_url
from ..policy import MEETING_INTERVAL
from .agenda_text import agenda_plain_text

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


def _series_uid(series: MeetingSeries) -> str:
    return f"overleg-reeks-{series.name}@{UID_DOMAIN}"


def _meeting_event(meeting: Meeting, series: MeetingSeries | None, summary: str, stamp: datetime) -> Event:
    """A meeting's event: an occurrence of its series (by RECURRENCE-ID) or an event of its own."""
    slot = series.slot_of(meeting) if series else None
    if series is None or slot is None:
        return _event(meeting, f"overleg-{meeting.date.isoformat()}@{UID_DOMAIN}", summary, stamp)
    event = _event(meeting, _series_uid(series), summary, stamp)
    event.add("recurrence-id", _at(slot, series.anchor.start))
    return event


def agenda_ics(view: AgendaView, html: str | None = None) -> bytes:
    """One meeting with its location and the agenda as a plain-text description; `html`, the same agenda as
    an HTML document, goes along for the clients that show one (Outlook reads X-ALT-DESC).

    A meeting that stands for a slot of its series comes with that series (see the module docstring)."""
    meeting = view.agenda.meeting
    calendar = _calendar()
    series = view.series
    if series is not None and series.slot_of(meeting) is not None:
        for component in _series_events(series, view.stamp, leave_out=meeting):
            calendar.add_component(component)
    event = _meeting_event(meeting, series, view.title, view.stamp)
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
    ical: bytes = calendar.to_ical()  # icalendar leaves to_ical() unannotated
    return ical


SERIES_DESCRIPTION = "Driewekelijks overleg van de digicoaches van De Panne, Koksijde, Nieuwpoort en Veurne."


def series_ics(series: MeetingSeries, stamp: datetime) -> bytes:
    """The season's series, every three weeks at the anchor meeting's local time, until 30 June (or the
    configured end or number), with the known meetings that were moved or keep other hours as overrides and
    those far from any slot as events of their own."""
    calendar = _calendar()
    for component in _series_events(series, stamp):
        calendar.add_component(component)
    ical: bytes = calendar.to_ical()
    return ical


def _series_events(series: MeetingSeries, stamp: datetime, leave_out: Meeting | None = None) -> Iterator[Event]:
    """The series' master and its overrides and own events, but for `leave_out` (the invite's own meeting)."""
    anchor = series.anchor
    master = _event(anchor, _series_uid(series), "Digicoachoverleg", stamp)
    rule: dict[str, object] = {"freq": "weekly", "interval": MEETING_INTERVAL.days // 7}
    if series.count is not None:
        rule["count"] = series.count
    else:
        last = max(series.dates())
        rule["until"] = _at(last, anchor.start).astimezone(UTC)  # RFC 5545: UTC when DTSTART has a time zone
    master.add("rrule", rule)
    master.add("description", SERIES_DESCRIPTION)
    yield master
    slots = series.slots
    for meeting in series.meetings:
        slot = slots.get(meeting.date)
        if (leave_out is not None and meeting.date == leave_out.date) or (
            slot == meeting.date and (meeting.start, meeting.end) == (anchor.start, anchor.end)
        ):
            continue  # the invite's own meeting, or one the series itself has right
        event = _meeting_event(meeting, series, "Digicoachoverleg", stamp)
        event.add("description", SERIES_DESCRIPTION)
        yield event
