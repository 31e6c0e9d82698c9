"""The bugs the hostile-input tests found, one test each, with the input that showed them."""

import pytest
import sqlalchemy as sa

from matchmaker.extensions import db
from matchmaker.models import Event, EventSession, MeetingRequest, Opportunity, Organisation
from tests.hostile.strategies import SCRIPT

NEW_EVENT = {
    "title": "Hostile Days",
    "country": "RO",
    "timezone": "Europe/Bucharest",
    "sessions-0-day": "2027-06-01",
    "sessions-0-start": "09:00",
    "sessions-0-end": "10:00",
    "meeting_minutes": "25",
    "gap_minutes": "5",
    "table_count": "2",
}


def _organizer(make_user, auth):
    user = make_user(email="olga@organizer.example", name="Olga", role="organizer")
    auth.login(user.email)
    return user


def _count(model):
    count = db.session.scalar(sa.select(sa.func.count()).select_from(model))
    db.session.rollback()
    return count


def test_nul_in_a_profile_field_is_refused_under_the_field(client, auth, make_user):
    """PostgreSQL refuses NUL in text: this was a server error there."""
    make_user()
    auth.login("ana@example.com")
    data = {"name": "Ana\x00 Ltd", "country": "RO", "type": "sme", "city": "Cluj\x1b"}
    response = client.post("/profile", data=data)
    assert response.status_code == 200
    assert response.text.count("Remove the invisible control characters from this field.") == 2
    assert _count(Organisation) == 0


def test_control_character_in_an_opportunity_title_is_refused(
    client, auth, make_user, make_event, make_participant
):
    event = make_event()
    make_participant(event, make_user())
    auth.login("ana@example.com")
    before = _count(Opportunity)
    data = {"kind": "offer", "category": "service", "title": "Sensors\x07"}
    response = client.post("/events/ict-days/me/opportunities/new", data=data)
    assert "Remove the invisible control characters from this field." in response.text
    assert _count(Opportunity) == before


def test_long_table_name_is_refused_instead_of_cut_to_80_characters(client, auth, make_user):
    _organizer(make_user, auth)
    name = "Stand B4 by the entrance, " * 4  # 104 characters
    response = client.post("/manage/events/new", data={**NEW_EVENT, "table_names": name})
    assert response.status_code == 200
    assert "A table name has at most 80 characters" in response.text
    assert _count(Event) == 0


def test_table_name_of_80_characters_is_kept_whole(client, auth, make_user):
    _organizer(make_user, auth)
    name = "é" * 80
    response = client.post("/manage/events/new", data={**NEW_EVENT, "table_names": name})
    assert response.status_code == 302
    event = db.session.scalar(sa.select(Event))
    assert [table.name for table in event.tables] == [name, ""]


def test_session_row_without_a_day_is_an_error_not_a_crash(client, auth, make_user):
    """Sorting the rows compared None with a date: a server error."""
    _organizer(make_user, auth)
    data = {**NEW_EVENT, "sessions-1-start": "11:00", "sessions-1-end": "12:00"}
    response = client.post("/manage/events/new", data=data)
    assert response.status_code == 200
    assert "Give the day, the start and the end." in response.text
    assert _count(Event) == 0


def test_session_row_without_an_end_is_an_error_not_silently_dropped(client, auth, make_user):
    _organizer(make_user, auth)
    data = {**NEW_EVENT, "sessions-1-day": "2027-06-02", "sessions-1-start": "09:00"}
    response = client.post("/manage/events/new", data=data)
    assert response.status_code == 200
    assert "Give the day, the start and the end." in response.text
    assert (_count(Event), _count(EventSession)) == (0, 0)


def test_status_change_without_a_status_says_why(client, auth, make_user, make_event):
    make_event(organizer=_organizer(make_user, auth))
    response = client.post("/manage/ict-days/status", data={}, follow_redirects=True)
    assert "Status: This field is required." in response.text


def test_invalid_organizer_email_says_why(client, auth, make_user, make_event):
    make_event(organizer=_organizer(make_user, auth))
    data = {"email": f"{SCRIPT}@x"}
    response = client.post("/manage/ict-days/organizers", data=data, follow_redirects=True)
    assert "Email of the organizer&#39;s account: Invalid email address." in response.text
    assert SCRIPT not in response.text


def test_too_long_decline_reason_says_why_and_keeps_the_request(
    client, auth, make_user, make_event, make_participant
):
    event = make_event()
    ana = make_participant(event, make_user())
    bo = make_participant(event, make_user(email="bo@example.com", name="Bo"))
    request = MeetingRequest(event_id=event.id, sender_id=bo.id, receiver_id=ana.id)
    db.session.add(request)
    db.session.commit()
    auth.login("ana@example.com")
    response = client.post(
        f"/events/ict-days/requests/{request.id}/decline",
        data={"reason": "no " * 200},
        follow_redirects=True,
    )
    assert "Reason (optional): At most 500 characters (you wrote 600)." in response.text
    assert db.session.get(MeetingRequest, request.id).status == "pending"


def test_organizer_participant_list_survives_hostile_search_and_page(
    client, auth, make_user, make_event
):
    """A NUL in the search reached PostgreSQL, a huge page number its offset: server errors."""
    make_event(organizer=_organizer(make_user, auth))
    for query in ({"q": "a\x00b"}, {"page": str(10**30)}, {"page": "-5", "q": "%_\\"}):
        response = client.get("/manage/ict-days/participants", query_string=query)
        assert response.status_code == 200, query


# --- Issue 16: line breaks in one-line fields (finding 5) and crafted input (finding 8) -------


def test_organisation_name_with_a_line_break_is_refused_under_the_field(client, auth, make_user):
    """A line break in a name reached every email's Subject header, which then failed."""
    make_user()
    auth.login("ana@example.com")
    data = {"name": "AgroVest\r\nBcc: all@example.com", "country": "RO", "type": "sme",
            "city": "Cluj\tNapoca"}  # fmt: skip
    response = client.post("/profile", data=data)
    assert response.status_code == 200
    assert "Keep this on one line." in response.text
    assert "Remove the invisible control characters from this field." in response.text
    assert _count(Organisation) == 0


def test_event_title_with_a_line_break_is_refused_and_nothing_changes(
    client, auth, make_user, make_event
):
    make_event(organizer=_organizer(make_user, auth))
    response = client.post("/manage/events/new", data={**NEW_EVENT, "title": "Days\nof ICT"})
    assert response.status_code == 200
    assert "Keep this on one line." in response.text
    assert _count(Event) == 1
    response = client.post(
        "/manage/ict-days/edit", data={**NEW_EVENT, "title": "ICT\u2028Days", "slug": "ict-days"}
    )
    assert "Keep this on one line." in response.text
    assert db.session.scalar(sa.select(Event.title)) == "ICT Brokerage Days"


def test_session_title_with_a_line_break_is_refused(client, auth, make_user):
    _organizer(make_user, auth)
    data = {**NEW_EVENT, "sessions-0-title": "Morning\nsession"}
    response = client.post("/manage/events/new", data=data)
    assert "Keep this on one line." in response.text
    assert _count(Event) == 0


HUGE_PAGE = "99999999999999999999"


def test_huge_page_number_on_the_event_page_is_no_error(client, make_event):
    """SQLite cannot bind the offset ("Python int too large"), PostgreSQL refuses it."""
    make_event(participants_public=True)
    response = client.get(f"/events/ict-days?page={HUGE_PAGE}")
    assert response.status_code == 200
    assert "ICT Brokerage Days" in response.text


def test_huge_page_number_on_the_check_in_page_is_no_error(client, auth, make_user, make_event):
    make_event(organizer=_organizer(make_user, auth))
    response = client.get(f"/manage/ict-days/checkin?page={HUGE_PAGE}")
    assert response.status_code == 200


@pytest.mark.parametrize(
    "path",
    ["/events/%00x", "/events/ict-days%00", "/events/ict-days%00/marketplace",
     "/manage/%00/edit", "/static/css/%00.css"],
)  # fmt: skip
def test_nul_byte_in_a_path_is_not_found(client, auth, make_user, make_event, path):
    """PostgreSQL refuses NUL in a text parameter: a 500 there, anonymous routes included."""
    make_event(organizer=_organizer(make_user, auth))
    assert client.get(path).status_code == 404
    assert client.post(path).status_code in (404, 405)


def test_session_on_the_last_day_of_year_9999_is_a_form_error(client, auth, make_user):
    """Slots were computed by adding minutes past 9999-12-31 23:59: OverflowError."""
    _organizer(make_user, auth)
    data = {**NEW_EVENT, "sessions-0-day": "9999-12-31", "sessions-0-start": "23:00",
            "sessions-0-end": "23:59"}  # fmt: skip
    response = client.post("/manage/events/new", data=data)
    assert response.status_code == 200
    assert "Choose a day between 2000 and 2100." in response.text
    response = client.post("/manage/events/new", data={**data, "preview": "Preview slots"})
    assert "Choose a day between 2000 and 2100." in response.text
    assert _count(Event) == 0


@pytest.mark.parametrize("value", ["sNaN", "NaN", "-sNaN", "Infinity", "-inf"])
def test_not_a_finite_cross_border_bonus_is_a_form_error(
    client, auth, make_user, make_event, value
):
    """Decimal("sNaN") raised InvalidOperation when compared with the allowed range."""
    make_event(organizer=_organizer(make_user, auth))
    response = client.post("/manage/ict-days/matching", data={"cross_border_bonus": value})
    assert response.status_code == 200
    assert "Give a number." in response.text
    assert db.session.scalar(sa.select(Event.cross_border_bonus)) == 0


@pytest.mark.parametrize(
    "path", ["/auth/login", "/auth/signup", "/profile", "/manage/ict-days/matching"]
)
def test_form_posted_as_deeply_nested_json_is_refused(client, auth, make_user, make_event, path):
    """Flask-WTF read a JSON body as the form: 100,000 nested brackets, a RecursionError."""
    make_event(organizer=_organizer(make_user, auth))
    if path.startswith("/auth/"):
        auth.logout()
    before = db.session.scalar(sa.select(Event.cross_border_bonus))
    response = client.post(
        path, data="[" * 100_000 + "]" * 100_000, content_type="application/json"
    )
    assert response.status_code == 400
    assert _count(Organisation) == 0
    assert db.session.scalar(sa.select(Event.cross_border_bonus)) == before


def test_profile_without_a_city_field_saves_an_empty_city(client, auth, make_user):
    """A missing optional field was None, which the NOT NULL column refused: a 500."""
    make_user()
    auth.login("ana@example.com")
    data = {"name": "AgroVest", "country": "RO", "type": "sme", "size": ""}
    response = client.post("/profile", data=data)
    assert response.status_code == 302
    assert db.session.scalar(sa.select(Organisation.city)) == ""


def test_asking_to_join_an_organisation_without_a_city_field_is_no_error(client, auth, make_user):
    """Joining a colleague's organisation wrote the missing city as NULL over its city: a 500."""
    colleague = make_user(email="bo@agro.example", name="Bo")
    colleague.organisation = Organisation(name="AgroVest", country="RO", type="sme", city="Iași")
    db.session.commit()
    make_user(email="ana@agro.example")
    auth.login("ana@agro.example")
    data = {"name": "agrovest", "country": "RO", "type": "sme", "size": ""}
    response = client.post("/profile", data=data)
    assert response.status_code in (200, 302)
    assert db.session.scalar(sa.select(Organisation.city)) == "Iași"


def test_editing_an_event_without_its_sectors_field_is_no_error(
    client, auth, make_user, make_event
):
    """The form kept the event's list of sectors where it expected text: AttributeError."""
    make_event(organizer=_organizer(make_user, auth), sectors=["Agrifood", "Drones"])
    response = client.post("/manage/ict-days/edit")  # nothing sent: saved unchanged
    assert response.status_code == 302
    assert db.session.scalar(sa.select(Event.sectors)) == ["Agrifood", "Drones"]
    data = {**NEW_EVENT, "title": "ICT Days", "slug": "ict-days"}
    response = client.post("/manage/ict-days/edit", data=data)  # a field left out: empty
    assert response.status_code == 302
    assert db.session.scalar(sa.select(Event.title)) == "ICT Days"
    assert db.session.scalar(sa.select(Event.sectors)) == []
