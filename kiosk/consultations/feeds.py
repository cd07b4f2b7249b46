"""RSS 2.0 and Atom feeds of consultations, and iCalendar feeds of events (Europe/London).

Every entry has a stable id built from the hub's host and what happened (opened, closing soon,
results published), so feed readers never show an item twice.
"""

from __future__ import annotations

import datetime as dt
import html
from dataclasses import dataclass
from urllib.parse import urlsplit

import icalendar
from feedgen.feed import FeedGenerator
from flask_babel import force_locale
from flask_babel import gettext as _

from kiosk.consultations import publishing, results
from kiosk.consultations import store as consultations
from kiosk.consultations.models import Consultation
from kiosk.core.identity import org_name
from kiosk.core.states import ConsultationStatus
from kiosk.core.text import tr
from kiosk.core.timeutil import LONDON, london_today, to_london, utcnow
from kiosk.events import store as events
from kiosk.events.models import Event

FEED_LIMIT = 50
#: Calendar feeds keep events that ended up to this long ago.
CALENDAR_PAST = dt.timedelta(days=90)


@dataclass(frozen=True)
class Item:
    """One thing worth telling subscribers about a consultation."""
    kind: str  # opened | closing | results
    consultation: Consultation
    when: dt.datetime  # aware, Europe/London


def _at(day: dt.date, hour: int = 9) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=LONDON)


def items(today: dt.date | None = None) -> list[Item]:
    """Feed items, newest first: consultations opened, closing soon, results published."""
    today = today or london_today()
    out: list[Item] = []
    for c in consultations.all_consultations():
        if c.status == ConsultationStatus.DRAFT:
            continue
        opened = c.opens or to_london(c.created_at).date()
        if opened <= today:
            out.append(Item("opened", c, _at(opened)))
        if publishing.closing_soon(c, today) and c.closes is not None:  # closing soon has a date
            warn = max(opened, c.closes - dt.timedelta(days=publishing.CLOSING_SOON_DAYS))
            out.append(Item("closing", c, _at(warn, 10)))
        published = publishing.results_published(c, today)
        if published:
            out.append(Item("results", c, _at(published, 11)))
    out.sort(key=lambda i: (i.when, i.consultation.slug, i.kind), reverse=True)
    return out[:FEED_LIMIT]


def host(base_url: str) -> str:
    """The hub's host name, for ids."""
    return urlsplit(base_url).hostname or "localhost"


def item_id(base_url: str, item: Item) -> str:
    """A stable tag: URI for a feed item."""
    return f"tag:{host(base_url)},2026:consultation/{item.consultation.slug}/{item.kind}"


def _title(item: Item, lang: str) -> str:
    title = tr(item.consultation.title, lang)
    if item.kind == "opened":
        return _("Open for your views: %(title)s", title=title)
    if item.kind == "closing":
        closes = item.consultation.closes
        assert closes is not None  # only a consultation with a closing date closes soon
        return _("Closing soon: %(title)s (closes %(date)s)", title=title, date=closes.isoformat())
    return _("Results published: %(title)s", title=title)


def _link(base_url: str, item: Item) -> str:
    path = f"/c/{item.consultation.slug}" + ("/results" if item.kind == "results" else "")
    return f"{base_url}{path}"


def _summary(item: Item, lang: str) -> str:
    c = item.consultation
    pub = results.live(c) if item.kind == "results" else None
    if pub is not None:  # the results editor's "we did", once published
        return tr(pub.we_did, lang)
    if item.kind == "results" and c.results:
        return tr(c.results.get("summary"), lang)
    return tr(c.summary, lang) or tr(c.title, lang)


def _generator(base_url: str, lang: str, self_url: str, today: dt.date | None,
               rss: bool = False) -> FeedGenerator:
    with force_locale(lang):
        fg = FeedGenerator()
        fg.id(f"tag:{host(base_url)},2026:consultations/{lang}")
        fg.title(_("%(org)s: consultations", org=org_name(lang)))
        fg.subtitle(_("New consultations, those closing soon, and published results."))
        fg.author(name=host(base_url))
        fg.link(href=f"{base_url}/", rel="alternate")
        fg.link(href=self_url, rel="self")
        fg.language(lang)
        found = items(today)
        fg.updated(found[0].when if found else dt.datetime(2026, 1, 1, tzinfo=LONDON))
        for item in reversed(found):  # feedgen prepends, so newest ends first
            fe = fg.add_entry()
            fe.id(item_id(base_url, item))
            fe.guid(item_id(base_url, item), permalink=False)
            fe.title(_title(item, lang))
            fe.link(href=_link(base_url, item), rel="alternate")
            summary = _summary(item, lang)
            # RSS readers render <description> as HTML; escaping makes it show as the plain text
            # it is. Atom's summary is declared type="text", so it goes as it is.
            fe.summary(html.escape(summary) if rss else summary)
            fe.published(item.when)
            fe.updated(item.when)
    return fg


def rss(base_url: str, lang: str, today: dt.date | None = None) -> bytes:
    """The consultations feed as RSS 2.0."""
    self_url = f"{base_url}/feeds/consultations.rss?lang={lang}"
    return _generator(base_url, lang, self_url, today, rss=True).rss_str(pretty=True)


def atom(base_url: str, lang: str, today: dt.date | None = None) -> bytes:
    """The consultations feed as Atom."""
    self_url = f"{base_url}/feeds/consultations.atom?lang={lang}"
    return _generator(base_url, lang, self_url, today).atom_str(pretty=True)


def event_uid(base_url: str, event: Event) -> str:
    """A stable iCalendar UID for an event."""
    return f"{event.id}@{host(base_url)}"


def _vevent(base_url: str, event: Event, lang: str) -> icalendar.Event:
    ve = icalendar.Event()
    ve.add("uid", event_uid(base_url, event))
    ve.add("dtstamp", event.updated_at.replace(tzinfo=dt.UTC))
    ve.add("last-modified", event.updated_at.replace(tzinfo=dt.UTC))
    ve.add("dtstart", to_london(event.starts_at))
    ve.add("dtend", to_london(event.ends_at or event.starts_at + dt.timedelta(hours=1)))
    ve.add("summary", tr(event.name, lang))
    ve.add("location", tr(event.place_text, lang))
    lines = [tr(event.description, lang)] if event.description else []
    for slug in event.consultations or []:
        c = consultations.get(slug)
        if c is not None and c.status != ConsultationStatus.DRAFT:  # a draft's title is not public yet
            lines.append(f"{tr(c.title, lang)}: {base_url}/c/{slug}")
    if lines:
        ve.add("description", "\n".join(lines))
    ve.add("url", f"{base_url}/events#event-{event.id}")
    return ve


def _calendar(base_url: str, lang: str, name: str, rows: list[Event]) -> bytes:
    cal = icalendar.Calendar()
    cal.add("prodid", "-//public consultations//events//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", "Europe/London")
    for event in rows:
        cal.add_component(_vevent(base_url, event, lang))
    cal.add_missing_timezones()
    return cal.to_ical()


def calendar(base_url: str, lang: str, now: dt.datetime | None = None) -> bytes:
    """An iCalendar feed of events, from those just past to every upcoming one."""
    now = now or utcnow()
    with force_locale(lang):
        name = _("%(org)s: consultation events", org=org_name(lang))
    return _calendar(base_url, lang, name, events.upcoming(now - CALENDAR_PAST))


def event_ics(base_url: str, event: Event, lang: str) -> bytes:
    """One event as an .ics file to import into a calendar."""
    return _calendar(base_url, lang, tr(event.name, lang), [event])
