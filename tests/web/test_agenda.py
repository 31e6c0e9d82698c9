import html
import re
from datetime import datetime
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import icalendar
import pytest
import sqlalchemy as sa

from matchmaker.extensions import db
from matchmaker.models import Match, Meeting, Participant, Schedule, Slot, Table

BUCHAREST = ZoneInfo("Europe/Bucharest")
WHY = {
    "need_score": 0.6,
    "offer_score": 0.4,
    "profile_score": 0.1,
    "partner_offers": [{"offer_title": "Soil sensors", "request_title": "Field monitoring"}],
    "participant_offers": [{"offer_title": "Crop loans", "request_title": "Farm finance"}],
    "terms": ["sensors", "soil"],
}


@pytest.fixture
def fair(make_event, make_user, make_participant):
    """An event with three participants and an organizer; no schedule yet."""
    organizer = make_user(email="olga@example.com", name="Olga", role="organizer")
    event = make_event(organizer=organizer, venue="Expo Hall")
    ana = make_participant(
        event, make_user(email="ana@agro.example", name="Ana"), organisation_name="AgroVest"
    )
    mo = make_participant(
        event,
        make_user(email="mo@field.example", name="Mo"),
        organisation_name="FieldNode",
        country="RS",
    )
    eve = make_participant(
        event, make_user(email="eve@labs.example", name="Eve"), organisation_name="Eve Labs"
    )
    return event, ana, mo, eve


def _schedule(event, meetings, version=1, status="published"):
    """A schedule of `meetings`: (slot index, first, second, table index or None, fields)."""
    schedule = Schedule(event_id=event.id, version=version, status=status)
    db.session.add(schedule)
    db.session.flush()
    for slot, first, second, table, fields in meetings:
        table = event.tables[table] if table is not None else None
        db.session.add(
            Meeting.between(schedule, event.slots[slot], first, second, table=table, **fields)
        )
    db.session.commit()
    return schedule


@pytest.fixture
def published(fair):
    """Version 1 published: Ana meets Mo (with a Match row) and Eve (without); Mo meets Eve."""
    event, ana, mo, eve = fair
    a, b = sorted((ana, mo), key=lambda p: p.id)
    db.session.add(
        Match(event_id=event.id, participant_a_id=a.id, participant_b_id=b.id, score=0.7,
              explanation=WHY if a is ana else _flipped(WHY))
    )  # fmt: skip
    schedule = _schedule(
        event,
        [
            (1, ana, mo, 0, {"source": "request", "code": "A1B2"}),
            (0, ana, eve, 1, {"source": "suggestion"}),
            (3, mo, eve, 0, {"source": "suggestion", "code": "ZZ99"}),
        ],
    )
    return event, ana, mo, eve, schedule


def _flipped(why):
    return {
        **why,
        "partner_offers": why["participant_offers"],
        "participant_offers": why["partner_offers"],
    }


def _rows(page, testid):
    """The text of each table row with this data-testid, tags stripped, spaces collapsed."""
    rows = re.findall(rf'<tr[^>]*data-testid="{testid}"[^>]*>(.*?)</tr>', page, re.S)
    return [" ".join(html.unescape(re.sub(r"<[^>]+>", " ", row)).split()) for row in rows]


def _sections(page, testid):
    return re.findall(rf'<section[^>]*data-testid="{testid}"[^>]*>(.*?)</section>', page, re.S)


def _calendar(response):
    calendar = icalendar.Calendar.from_ical(response.data)
    return calendar, list(calendar.walk("VEVENT"))


def _by_summary(response):
    return {str(vevent["SUMMARY"]): vevent for vevent in _calendar(response)[1]}


def _feed_path(page):
    url = html.unescape(re.search(r'value="(http[^"]+\.ics)"', page).group(1))
    return urlsplit(url).path


# The participant's agenda


def test_agenda_lists_own_meetings_in_time_order_with_table_partner_and_why(
    client, auth, published
):
    event, ana, mo, eve, _ = published
    auth.login("ana@agro.example")
    page = client.get(f"/events/{event.slug}/agenda").text
    assert "times in Bucharest" in page
    assert _rows(page, "meeting") == [
        "09:00–09:25 Table 2 Eve Labs Eve · Romania · SME Messages Suggested by the organizers "
        "Decline this meeting Nobody asked for it: declining frees the slot and tells Eve Labs. —",
        "09:30–09:55 Table 1 FieldNode Mo · Serbia · SME Messages "
        "They offer “Soil sensors” for your “Field monitoring” "
        "You offer “Crop loans” for their “Farm finance” A1B2",
    ]
    assert f'href="/events/{event.slug}/participants/{mo.id}"' in page
    assert "ZZ99" not in page
    assert len(_rows(page, "free")) == len(event.slots) - 2
    assert "Tuesday 18 May 2027" in page and "Wednesday 19 May 2027" in page


def test_partner_sees_the_why_from_their_own_side(client, auth, published):
    event, ana, mo, eve, _ = published
    auth.login("mo@field.example")
    page = client.get(f"/events/{event.slug}/agenda").text
    assert _rows(page, "meeting") == [
        "09:30–09:55 Table 1 AgroVest Ana · Romania · SME Messages "
        "They offer “Crop loans” for your “Farm finance” "
        "You offer “Soil sensors” for their “Field monitoring” A1B2",
        "10:45–11:10 Table 1 Eve Labs Eve · Romania · SME Messages Suggested by the organizers "
        "Decline this meeting Nobody asked for it: declining frees the slot and tells Eve Labs. "
        "— ZZ99",
    ]


def test_agenda_is_empty_until_published_and_never_shows_a_draft(client, auth, fair):
    event, ana, mo, eve = fair
    _schedule(event, [(0, ana, mo, 0, {})], status="draft")
    auth.login("ana@agro.example")
    page = client.get(f"/events/{event.slug}/agenda").text
    assert "Your agenda appears here once the organizers publish it." in page
    assert f'href="/events/{event.slug}/matches"' in page
    assert f'href="/events/{event.slug}/requests"' in page
    assert "FieldNode" not in page
    assert _rows(page, "meeting") == []


def test_cancelled_meeting_is_not_on_the_agenda(client, auth, published):
    event, ana, mo, eve, schedule = published
    meeting = db.session.scalar(sa.select(Meeting).where(Meeting.code == "A1B2"))
    meeting.status = "cancelled"
    db.session.commit()
    auth.login("ana@agro.example")
    page = client.get(f"/events/{event.slug}/agenda").text
    assert [row.split(" Table")[0] for row in _rows(page, "meeting")] == ["09:00–09:25"]
    assert "FieldNode" not in page


def test_agenda_without_meetings_says_so(client, auth, fair):
    event, ana, mo, eve = fair
    _schedule(event, [(0, mo, eve, 0, {})])
    auth.login("ana@agro.example")
    page = client.get(f"/events/{event.slug}/agenda").text
    assert "The published agenda has no meeting with you." in page
    assert len(_rows(page, "free")) == len(event.slots)


@pytest.mark.parametrize("path", ["agenda", "agenda/print", "agenda.ics"])
def test_agenda_needs_a_login(client, published, path):
    event, *_ = published
    response = client.get(f"/events/{event.slug}/{path}")
    assert response.status_code == 302
    assert "/auth/login" in response.headers["Location"]


@pytest.mark.parametrize("email", ["olga@example.com", "stranger@example.com"])
@pytest.mark.parametrize("path", ["agenda", "agenda/print", "agenda.ics"])
def test_agenda_is_404_without_a_registration(client, auth, published, make_user, email, path):
    event, *_ = published
    if email == "stranger@example.com":
        make_user(email=email, name="Stranger")
    auth.login(email)
    assert client.get(f"/events/{event.slug}/{path}").status_code == 404


def test_participant_of_another_event_sees_only_their_own_agenda(
    client, auth, published, make_event, make_participant
):
    event, ana, mo, eve, _ = published
    other = make_event(slug="agri-forum")
    make_participant(other, ana.user, organisation=ana.organisation)
    auth.login("ana@agro.example")
    page = client.get("/events/agri-forum/agenda").text
    assert "Your agenda appears here once the organizers publish it." in page
    assert "FieldNode" not in page


def test_print_page_has_no_navbar_and_lists_the_meetings(client, auth, published):
    event, *_ = published
    auth.login("ana@agro.example")
    page = client.get(f"/events/{event.slug}/agenda/print").text
    assert "navbar" not in page
    assert "css/print.css" in page
    assert "AgroVest" in page and "times in Bucharest" in page
    assert [row[:11] for row in _rows(page, "meeting")] == ["09:00–09:25", "09:30–09:55"]


# Rendering is what is counted: the page cache (tests/web/test_page_cache.py) is off.
@pytest.mark.parametrize("config_overrides", [{"PAGE_CACHE_MB": 0}])
def test_agenda_page_queries_do_not_grow_with_meetings(client, auth, fair):
    event, ana, mo, eve = fair
    schedule = _schedule(event, [(0, ana, mo, 0, {})])
    ids = (schedule.id, event.slots[1].id, event.tables[1].id, ana.id, eve.id)
    url, event_id = f"/events/{event.slug}/agenda", event.id
    auth.login("ana@agro.example")

    def queries():
        db.session.remove()  # each request starts with an empty session, as in production
        statements = []

        def count(*_args):
            statements.append(1)

        sa.event.listen(db.engine, "before_cursor_execute", count)
        try:
            assert client.get(url).status_code == 200
        finally:
            sa.event.remove(db.engine, "before_cursor_execute", count)
        return len(statements)

    one = queries()
    schedule_id, slot_id, table_id, ana_id, eve_id = ids
    db.session.add(
        Meeting.between(
            db.session.get(Schedule, schedule_id),
            db.session.get(Slot, slot_id),
            db.session.get(Participant, ana_id),
            db.session.get(Participant, eve_id),
            table=db.session.get(Table, table_id),
        )
    )
    db.session.add(
        Match(event_id=event_id, participant_a_id=ana_id, participant_b_id=eve_id, score=0.5)
    )
    db.session.commit()
    assert queries() == one


# Calendar files


def test_ics_has_one_event_per_meeting_in_the_event_zone(client, auth, published):
    event, ana, mo, eve, _ = published
    auth.login("ana@agro.example")
    response = client.get(f"/events/{event.slug}/agenda.ics")
    assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
    assert 'filename="ict-days-agenda.ics"' in response.headers["Content-Disposition"]
    calendar, vevents = _calendar(response)
    assert calendar["PRODID"] == "-//Matchmaker//Agenda//EN"
    assert calendar["VERSION"] == "2.0"
    assert calendar["X-WR-CALNAME"] == "ICT Brokerage Days – AgroVest"
    assert [str(v["SUMMARY"]) for v in vevents] == ["Meeting: Eve Labs", "Meeting: FieldNode"]
    start = vevents[1].decoded("DTSTART")
    assert start == datetime(2027, 5, 18, 9, 30, tzinfo=BUCHAREST)
    assert start.utcoffset().total_seconds() == 3 * 3600  # EEST in May
    assert vevents[1]["DTSTART"].params["TZID"] == "Europe/Bucharest"
    assert vevents[1].decoded("DTEND") == datetime(2027, 5, 18, 9, 55, tzinfo=BUCHAREST)
    [zone] = calendar.walk("VTIMEZONE")
    assert zone["TZID"] == "Europe/Bucharest"
    offsets = {str(part.decoded("TZOFFSETTO")) for part in zone.subcomponents}
    assert offsets == {"2:00:00", "3:00:00"}  # EET and EEST, so clients need no zone database
    assert str(vevents[1]["LOCATION"]) == "Table 1, Expo Hall"
    description = str(vevents[1]["DESCRIPTION"])
    assert "With Mo (FieldNode)" in description
    assert "They offer “Soil sensors” for your “Field monitoring”" in description
    assert vevents[1]["SEQUENCE"] == 1


def test_ics_uid_is_stable_when_a_new_version_moves_the_meeting(client, auth, published):
    event, ana, mo, eve, first = published
    auth.login("ana@agro.example")
    before = {
        str(v["SUMMARY"]): v for v in _calendar(client.get(f"/events/{event.slug}/agenda.ics"))[1]
    }
    first.status = "superseded"
    db.session.flush()
    _schedule(event, [(4, ana, mo, 2, {"source": "request"})], version=2)
    after = _by_summary(client.get(f"/events/{event.slug}/agenda.ics"))
    assert list(after) == ["Meeting: FieldNode"]
    old, new = before["Meeting: FieldNode"], after["Meeting: FieldNode"]
    assert new["UID"] == old["UID"]
    assert new.decoded("DTSTART") == datetime.combine(
        event.slots[4].starts_at.date(), event.slots[4].starts_at.time(), BUCHAREST
    )
    assert new.decoded("DTSTART") != old.decoded("DTSTART")
    assert (old["SEQUENCE"], new["SEQUENCE"]) == (1, 2)


def test_ics_is_an_empty_calendar_before_publication(client, auth, fair):
    event, *_ = fair
    auth.login("ana@agro.example")
    calendar, vevents = _calendar(client.get(f"/events/{event.slug}/agenda.ics"))
    assert vevents == []
    assert calendar["X-WR-CALNAME"] == "ICT Brokerage Days – AgroVest"


def test_feed_url_works_without_login_and_refuses_tampered_tokens(
    client, auth, published, make_event
):
    event, ana, mo, eve, _ = published
    make_event(slug="agri-forum")
    auth.login("ana@agro.example")
    page = client.get(f"/events/{event.slug}/agenda").text
    assert "It is private:" in page
    path = _feed_path(page)
    auth.logout()
    response = client.get(path)
    assert response.status_code == 200
    assert [str(v["SUMMARY"]) for v in _calendar(response)[1]] == [
        "Meeting: Eve Labs",
        "Meeting: FieldNode",
    ]
    token = path.rsplit("/", 1)[1].removesuffix(".ics")
    tampered = token[:-1] + ("A" if token[-1] != "A" else "B")
    assert client.get(f"/events/{event.slug}/calendar/{tampered}.ics").status_code == 404
    assert client.get(f"/events/{event.slug}/calendar/garbage.ics").status_code == 404
    assert client.get(f"/events/agri-forum/calendar/{token}.ics").status_code == 404


def test_feed_token_of_a_withdrawn_participant_is_refused(client, auth, published):
    event, ana, *_ = published
    auth.login("ana@agro.example")
    path = _feed_path(client.get(f"/events/{event.slug}/agenda").text)
    ana.status = "withdrawn"
    db.session.commit()
    assert client.get(path).status_code == 404


@pytest.mark.parametrize("config_overrides", [{"PAGE_CACHE_MB": 4}])
def test_new_calendar_address_stops_the_old_one(client, auth, published):
    event, ana, *_ = published
    auth.login("ana@agro.example")
    agenda_page = f"/events/{event.slug}/agenda"
    old = _feed_path(client.get(agenda_page).text)
    assert _feed_path(client.get(agenda_page).text) == old  # served from the page cache
    response = client.post(f"/events/{event.slug}/agenda/calendar-address")
    assert response.headers["Location"].endswith("/agenda")
    page = client.get(agenda_page).text
    assert "Your calendar has a new private address; the old one no longer works." in page
    new = _feed_path(client.get(agenda_page).text)  # the cached page was dropped
    assert new != old
    auth.logout()
    assert client.get(old).status_code == 404
    assert client.get(new).status_code == 200


def test_calendar_address_is_random_not_the_registration_id(client, auth, published):
    event, ana, *_ = published
    auth.login("ana@agro.example")
    token = _feed_path(client.get(f"/events/{event.slug}/agenda").text).rsplit("/", 1)[1]
    assert token == f"{ana.calendar_token}.ics"
    assert not token.startswith(f"{ana.id}.")


# Venue documents for the organizers


def test_table_sheets_list_the_pairs_of_each_table(client, auth, published):
    event, *_ = published
    auth.login("olga@example.com")
    page = client.get(f"/events/{event.slug}/agenda/tables").text
    sheets = _sections(page, "table-sheet")
    assert len(sheets) == len(event.tables)
    assert _rows(sheets[0], "sheet-meeting") == [
        "Tue 18 May 09:30–09:55 AgroVest Ana FieldNode Mo A1B2",
        "Tue 18 May 10:45–11:10 FieldNode Mo Eve Labs Eve ZZ99",
    ]
    assert _rows(sheets[1], "sheet-meeting") == ["Tue 18 May 09:00–09:25 AgroVest Ana Eve Labs Eve"]
    assert "No meetings at this table." in sheets[2]
    assert "break-after-page" in page and "navbar" not in page


def test_table_sheets_print_a_chosen_draft_and_refuse_another_events_schedule(
    client, auth, published, make_event
):
    event, ana, mo, eve, _ = published
    draft = _schedule(event, [(5, ana, mo, 3, {"code": "DR01"})], version=2, status="draft")
    other = make_event(slug="agri-forum")
    foreign = _schedule(other, [], version=1, status="draft")
    auth.login("olga@example.com")
    page = client.get(f"/events/{event.slug}/agenda/tables?schedule={draft.id}").text
    assert "DR01" in page and "A1B2" not in page
    assert "(draft)" in page
    url = f"/events/{event.slug}/agenda/tables?schedule={foreign.id}"
    assert client.get(url).status_code == 404
    url = f"/events/{event.slug}/agenda/doors?schedule={foreign.id}"
    assert client.get(url).status_code == 404


def test_door_list_shows_who_meets_where_per_slot_alphabetically(client, auth, published):
    event, *_ = published
    auth.login("olga@example.com")
    page = client.get(f"/events/{event.slug}/agenda/doors").text
    slots = _sections(page, "door-slot")
    assert [_rows(s, "door-row") for s in slots] == [
        ["AgroVest Ana Table 2 Eve Labs", "Eve Labs Eve Table 2 AgroVest"],
        ["AgroVest Ana Table 1 FieldNode", "FieldNode Mo Table 1 AgroVest"],
        ["Eve Labs Eve Table 1 FieldNode", "FieldNode Mo Table 1 Eve Labs"],
    ]
    assert "Tue 18 May 09:00–09:25" in slots[0]


def test_door_list_skips_cancelled_meetings(client, auth, published):
    event, *_ = published
    db.session.scalar(sa.select(Meeting).where(Meeting.code == "ZZ99")).status = "cancelled"
    db.session.commit()
    auth.login("olga@example.com")
    page = client.get(f"/events/{event.slug}/agenda/doors").text
    assert len(_sections(page, "door-slot")) == 2
    assert "ZZ99" not in client.get(f"/events/{event.slug}/agenda/tables").text


@pytest.mark.parametrize("path", ["agenda/tables", "agenda/doors"])
def test_venue_documents_say_when_nothing_is_published(client, auth, fair, path):
    event, *_ = fair
    auth.login("olga@example.com")
    page = client.get(f"/events/{event.slug}/{path}").text
    assert "No agenda published yet" in page


@pytest.mark.parametrize("path", ["agenda/tables", "agenda/doors"])
def test_venue_documents_are_for_the_events_organizers_only(
    client, auth, published, make_user, make_event, path
):
    event, *_ = published
    rival = make_user(email="rita@example.com", name="Rita", role="organizer")
    make_event(slug="agri-forum", organizer=rival)
    for email in ("ana@agro.example", "rita@example.com"):
        auth.login(email)
        assert client.get(f"/events/{event.slug}/{path}").status_code == 404
        auth.logout()
    response = client.get(f"/events/{event.slug}/{path}")
    assert response.status_code == 302 and "/auth/login" in response.headers["Location"]
