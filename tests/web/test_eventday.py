"""The event-day pages: check-in desk, meetings and walk-ins for staff, and the participant's
confirm-held button and walk-in page."""

import re
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
import sqlalchemy as sa

from matchmaker.extensions import db
from matchmaker.models import Event, Meeting, Participant, Schedule
from matchmaker.services import eventday, sessions
from matchmaker.services.accounts import find_user
from tests.services.test_eventday import build_day
from tests.web.test_organizer import EVENT_FORM

SLUG = "ict-days"


@pytest.fixture
def day(make_user, make_event, make_participant):
    return build_day(make_user, make_event, make_participant)


@pytest.fixture
def during_first_slot(day, monkeypatch):
    """The clock five minutes into the first slot, for the services behind the pages."""
    moment = day.slots[0].starts_at + timedelta(minutes=5)
    monkeypatch.setattr(eventday, "local_now", lambda event: moment)
    return moment


def meeting(meeting_id):
    db.session.expire_all()
    return db.session.get(Meeting, meeting_id)


def test_helper_checks_in_from_a_search(client, auth, day):
    auth.login("hal@org.example")
    page = client.get(f"/manage/{SLUG}/checkin?q=bo")
    assert page.status_code == 200
    assert "Bo Ltd" in page.text and "Ana Ltd" not in page.text
    assert "0 of 5 present" in " ".join(page.text.split()).replace("<strong>", "").replace(
        "</strong>", ""
    )
    bo = day.p["Bo"].id
    response = client.post(
        f"/manage/{SLUG}/checkin/{bo}", data={"back": f"/manage/{SLUG}/checkin?q=bo"}
    )
    assert response.headers["Location"] == f"/manage/{SLUG}/checkin?q=bo"
    page = client.get(f"/manage/{SLUG}/checkin?show=present")
    assert "Bo Ltd" in page.text and "Present since" in page.text
    assert db.session.get(Participant, bo).checked_in_at is not None
    client.post(f"/manage/{SLUG}/checkin/{bo}/undo")
    db.session.expire_all()
    assert db.session.get(Participant, bo).checked_in_at is None


def test_desk_script_gets_the_row_and_counts_as_json(client, auth, day):
    auth.login("hal@org.example")
    bo = day.p["Bo"].id
    response = client.post(
        f"/manage/{SLUG}/checkin/{bo}",
        data={"back": f"/manage/{SLUG}/checkin?q=bo"},
        headers={"Accept": "application/json"},
    )
    assert "Undo check-in of Bo Ltd" in response.json["row"]
    assert f'value="/manage/{SLUG}/checkin?q=bo"' in response.json["row"]
    assert response.json["counts"] == "<strong>1</strong> of 5 present"
    pending = db.session.get(Participant, day.p["Eve"].id)
    pending.status = "pending"
    db.session.commit()
    response = client.post(
        f"/manage/{SLUG}/checkin/{pending.id}", headers={"Accept": "application/json"}
    )
    assert response.status_code == 409
    assert "not an approved participant" in response.json["error"]


def test_desk_search_without_result_says_what_to_do(client, auth, day):
    auth.login("hal@org.example")
    page = client.get(f"/manage/{SLUG}/checkin?q=nobody")
    assert "Nobody matches this search" in page.text


def test_back_to_another_site_is_ignored(client, auth, day):
    auth.login("hal@org.example")
    response = client.post(
        f"/manage/{SLUG}/checkin/{day.p['Bo'].id}", data={"back": "https://evil.example/"}
    )
    assert response.headers["Location"] == f"/manage/{SLUG}/checkin"


def test_helper_cannot_manage_the_event(client, auth, day):
    auth.login("hal@org.example")
    assert client.get(f"/manage/{SLUG}").status_code == 404
    assert client.get(f"/manage/{SLUG}/edit").status_code == 404
    assert client.get(f"/manage/{SLUG}/participants").status_code == 404
    response = client.post(f"/manage/{SLUG}/helpers", data={"email": "ana@x.example"})
    assert response.status_code == 404
    assert [u.email for u in day.event.helpers] == ["hal@org.example"]


def test_helper_sees_desk_link_on_dashboard(client, auth, day):
    auth.login("hal@org.example")
    page = client.get("/dashboard").text
    assert "Events you help at" in page and f"/manage/{SLUG}/checkin" in page


def test_participants_do_not_reach_the_desk(client, auth, day, make_user, make_event,
                                             make_participant):  # fmt: skip
    other = make_event(slug="agri-forum")
    make_participant(other, make_user(email="pia@farm.example", name="Pia"))
    for email in ("pia@farm.example", "ana@x.example"):
        auth.login(email)
        assert client.get(f"/manage/{SLUG}/checkin").status_code == 404
        assert client.get(f"/manage/{SLUG}/day").status_code == 404
        response = client.post(f"/manage/{SLUG}/checkin/{day.p['Bo'].id}")
        assert response.status_code == 404
        auth.logout()
    db.session.expire_all()
    assert db.session.get(Participant, day.p["Bo"].id).checked_in_at is None


def test_organizer_adds_and_removes_a_helper(client, auth, day, make_user):
    make_user(email="nia@org.example", name="Nia")
    auth.login("olga@org.example")
    client.post(f"/manage/{SLUG}/helpers", data={"email": "nia@org.example"})
    page = client.get(f"/manage/{SLUG}").text
    assert "Helpers on the day" in page and "nia@org.example" in page
    nia = find_user("nia@org.example")
    client.post(f"/manage/{SLUG}/helpers/{nia.id}/remove")
    assert "nia@org.example" not in client.get(f"/manage/{SLUG}").text


def test_organizer_invites_a_helper_without_account_who_sets_a_password(client, auth, day, outbox):
    auth.login("olga@org.example")
    response = client.post(
        f"/manage/{SLUG}/helpers",
        data={"email": "Gina@Venue.example", "name": "Gina"},
        follow_redirects=True,
    )
    assert "Gina now helps at this event" in response.text
    assert "an email invites them to choose a password" in response.text
    assert [u.email for u in day.event.helpers] == ["hal@org.example", "gina@venue.example"]
    link = outbox.last_link()
    assert "/auth/reset/" in link and outbox.messages[-1]["To"] == "gina@venue.example"
    auth.logout()
    client.post(urlsplit(link).path, data={"password": "venue-door-2027",
                                           "confirm": "venue-door-2027"})  # fmt: skip
    auth.login("gina@venue.example", "venue-door-2027")
    for page in ("checkin", "day", "badges"):
        assert client.get(f"/manage/{SLUG}/{page}").status_code == 200
    for page in ("tables", "doors"):
        assert client.get(f"/events/{SLUG}/agenda/{page}").status_code == 200
    assert client.get(f"/manage/{SLUG}/edit").status_code == 404  # not the event's settings


def test_inviting_someone_who_already_helps_says_so(client, auth, day, outbox):
    auth.login("olga@org.example")
    response = client.post(
        f"/manage/{SLUG}/helpers", data={"email": "hal@org.example"}, follow_redirects=True
    )
    assert "Hal already helps at this event." in response.text
    assert outbox.messages == []


def test_event_form_switches_participant_walk_ins_on(client, auth, make_user):
    make_user(email="org@example.com", name="Olga Organizer", role="organizer")
    auth.login("org@example.com")
    assert "Participants may book walk-ins" in client.get("/manage/events/new").text
    client.post("/manage/events/new", data={**EVENT_FORM, "participant_walk_ins": "y"})
    event = db.session.scalar(sa.select(Event))
    assert event.participant_walk_ins is True
    client.post(f"/manage/{event.slug}/edit", data=EVENT_FORM)
    db.session.expire_all()
    assert db.session.get(Event, event.id).participant_walk_ins is False


def test_day_page_no_show_then_walk_in_into_the_freed_slot(
    client, auth, day, during_first_slot, outbox
):
    auth.login("hal@org.example")
    page = client.get(f"/manage/{SLUG}/day").text
    assert "Meetings at 09:00–09:25" in page
    ana_bo = day.m["ana_bo"]
    assert ana_bo.code in page and "No-show: Ana" in page
    client.post(f"/manage/{SLUG}/day/meetings/{ana_bo.id}/status", data={"status": "no_show_a"})
    assert meeting(ana_bo.id).status == "no_show_a"
    bo, eve = day.p["Bo"].id, day.p["Eve"].id
    client.post(f"/manage/{SLUG}/checkin/{eve}")  # refill offers people who are here
    page = client.get(f"/manage/{SLUG}/day").text
    walk_in = f"/manage/{SLUG}/day/{day.slots[0].id}/walk-in/{bo}/{eve}"
    assert walk_in in page and "match 70%" in page
    confirm = client.get(walk_in).text
    assert "Confirm walk-in" in confirm and "Table 1" in confirm
    response = client.post(walk_in, follow_redirects=True)
    assert "Walk-in booked: Bo Ltd and Eve Ltd at Table 1" in response.text
    booked = db.session.scalar(sa.select(Meeting).where(Meeting.source == "walk_in"))
    assert {booked.participant_a_id, booked.participant_b_id} == {bo, eve}
    assert len(outbox.messages) == 2
    # Booking the same pair again shows why not, and books nothing.
    again = client.post(walk_in).text
    assert "Bo Ltd already meets Eve Ltd" in again
    assert db.session.scalar(sa.select(sa.func.count(Meeting.id))) == 4


def test_day_page_refuses_illegal_move_with_a_sentence(client, auth, day):
    auth.login("olga@org.example")
    response = client.post(
        f"/manage/{SLUG}/day/meetings/{day.m['ana_bo'].id}/status",
        data={"status": "held"},
        follow_redirects=True,
    )
    assert "can be marked held once it has started" in response.text
    assert meeting(day.m["ana_bo"].id).status == "scheduled"


def test_day_page_of_another_events_meeting_is_404(client, auth, day, make_event):
    make_event(slug="agri-forum", organizer=day.organizer)
    auth.login("olga@org.example")
    response = client.post(
        f"/manage/agri-forum/day/meetings/{day.m['ana_bo'].id}/status",
        data={"status": "cancelled"},
    )
    assert response.status_code == 404
    assert meeting(day.m["ana_bo"].id).status == "scheduled"


def test_participant_confirms_held_from_the_agenda(client, auth, day, during_first_slot):
    auth.login("bo@x.example")
    page = client.get(f"/events/{SLUG}/agenda").text
    assert page.count("Confirm held") == 1
    ana_bo = day.m["ana_bo"].id
    response = client.post(f"/events/{SLUG}/agenda/meetings/{ana_bo}/held", follow_redirects=True)
    assert "confirmed as held" in response.text
    assert meeting(ana_bo).status == "held"
    assert "Confirm held" not in response.text


def test_participant_cannot_confirm_others_meeting(client, auth, day, during_first_slot):
    auth.login("eve@x.example")
    cy_dan = day.m["cy_dan"].id
    assert client.post(f"/events/{SLUG}/agenda/meetings/{cy_dan}/held").status_code == 404
    assert meeting(cy_dan).status == "scheduled"


def test_participant_books_a_walk_in(client, auth, day, during_first_slot, outbox):
    day.event.participant_walk_ins = True
    db.session.commit()
    auth.login("eve@x.example")
    assert "Walk-in meetings" in client.get(f"/events/{SLUG}/agenda").text
    slot = day.slots[1]  # Ana meets Cy; Bo and Dan are free, matched 0.7 and none
    page = client.get(f"/events/{SLUG}/walk-ins?slot={slot.id}").text
    assert "Bo Ltd" in page and "match 70%" in page and "Ana Ltd" not in page
    url = f"/events/{SLUG}/walk-ins/{slot.id}/{day.p['Bo'].id}"
    assert "Confirm walk-in" in client.get(url).text
    response = client.post(url, follow_redirects=True)
    assert "Walk-in booked with Bo Ltd" in response.text
    assert len(outbox.messages) == 2


def test_walk_in_page_explains_when_the_event_does_not_allow_it(client, auth, day):
    auth.login("eve@x.example")
    page = client.get(f"/events/{SLUG}/walk-ins").text
    assert "Walk-ins are booked at the desk" in page
    url = f"/events/{SLUG}/walk-ins/{day.slots[1].id}/{day.p['Bo'].id}"
    client.post(url)
    assert db.session.scalar(sa.select(sa.func.count(Meeting.id))) == 3


def test_table_sheets_show_meeting_codes(client, auth, day):
    auth.login("olga@org.example")
    page = client.get(f"/events/{SLUG}/agenda/tables").text
    assert all(m.code in page for m in day.m.values())


@pytest.mark.parametrize("page", ["tables", "doors"])
def test_a_helper_sees_the_published_sheets_but_never_a_draft(client, auth, day, page):
    published = db.session.scalar(sa.select(Schedule).where(Schedule.event_id == day.event.id))
    draft = Schedule(event_id=day.event.id, version=published.version + 1, status="draft")
    db.session.add(draft)
    db.session.commit()

    auth.login("hal@org.example")
    shown = client.get(f"/events/{SLUG}/agenda/{page}")
    asked = client.get(f"/events/{SLUG}/agenda/{page}?schedule={draft.id}")

    assert shown.status_code == 200 and "(draft)" not in shown.text
    assert asked.status_code == 404
    auth.logout()
    auth.login("olga@org.example")
    assert client.get(f"/events/{SLUG}/agenda/{page}?schedule={draft.id}").status_code == 200


@pytest.mark.parametrize("config_overrides", [{"WTF_CSRF_ENABLED": True}])
def test_posts_need_the_csrf_token(client, day, config_overrides):
    with client.session_transaction() as session:
        session["_user_id"] = sessions.start(day.helper)  # signed in, without a form
        session["_fresh"] = True
    bo = day.p["Bo"].id
    assert client.post(f"/manage/{SLUG}/checkin/{bo}").status_code == 400
    response = client.post(
        f"/manage/{SLUG}/day/meetings/{day.m['ana_bo'].id}/status", data={"status": "cancelled"}
    )
    assert response.status_code == 400
    db.session.expire_all()
    assert db.session.get(Participant, bo).checked_in_at is None
    assert meeting(day.m["ana_bo"].id).status == "scheduled"


def test_day_page_before_publishing_says_what_to_do(client, auth, day):
    day.schedule.status = "draft"
    db.session.commit()
    auth.login("olga@org.example")
    page = client.get(f"/manage/{SLUG}/day").text
    assert "No agenda is published yet" in page and f"/manage/{SLUG}/schedule" in page


def test_day_page_of_a_slot_of_another_event_is_404(client, auth, day, make_event):
    other = make_event(slug="agri-forum", organizer=day.organizer)
    auth.login("olga@org.example")
    assert client.get(f"/manage/{SLUG}/day?slot={other.slots[0].id}").status_code == 404
    assert client.get(f"/manage/{SLUG}/day?slot={day.slots[1].id}").status_code == 200


def card_of(page, code):
    """The text of the day page's card of the meeting with `code`, tags stripped."""
    start = page.index(f'data-code="{code}"')
    end = page.find('data-testid="meeting-card"', start)
    return " ".join(re.sub(r"<[^>]+>", " ", page[start : end if end > 0 else None]).split())


def primary_action(page, code):
    found = re.search(rf'data-code="{code}".*?meeting-primary">([^<]*)<', page, flags=re.DOTALL)
    return found.group(1) if found and "meeting-card" not in found.group(0)[20:] else None


def test_day_card_offers_held_only_when_both_are_present(client, auth, day, during_first_slot):
    auth.login("hal@org.example")
    code = day.m["ana_bo"].code
    page = client.get(f"/manage/{SLUG}/day").text
    assert primary_action(page, code) is None
    assert "Neither has checked in yet." in card_of(page, code)
    client.post(f"/manage/{SLUG}/checkin/{day.p['Bo'].id}")
    page = client.get(f"/manage/{SLUG}/day").text
    assert primary_action(page, code) == "No-show: Ana"
    assert "Ana Ana Ltd not arrived Bo Bo Ltd present" in card_of(page, code)
    client.post(f"/manage/{SLUG}/checkin/{day.p['Ana'].id}")
    page = client.get(f"/manage/{SLUG}/day").text
    assert primary_action(page, code) == "Held"


def test_day_card_before_the_slot_offers_no_held(client, auth, day):
    auth.login("hal@org.example")
    page = client.get(f"/manage/{SLUG}/day").text
    card = card_of(page, day.m["ana_bo"].code)
    assert "Held and no-show can be marked from 09:00." in card
    assert "Cancel the meeting" in card and "Held" not in card.replace("Held and", "")


def test_status_change_answers_the_script_with_the_card_and_refill(
    client, auth, day, during_first_slot
):
    auth.login("hal@org.example")
    ana_bo = day.m["ana_bo"]
    response = client.post(
        f"/manage/{SLUG}/day/meetings/{ana_bo.id}/status",
        data={"status": "no_show_a", "refill": "1", "back": f"/manage/{SLUG}/day"},
        headers={"Accept": "application/json"},
    )
    assert response.status_code == 200
    card = " ".join(re.sub(r"<[^>]+>", " ", response.json["card"]).split())
    assert "No-show: Ana Ltd" in card and "Undo: not yet marked" in card
    assert "freed by meeting AB0" in response.json["refill"]
    assert meeting(ana_bo.id).status == "no_show_a"
    refused = client.post(
        f"/manage/{SLUG}/day/meetings/{ana_bo.id}/status",
        data={"status": "held"},
        headers={"Accept": "application/json"},
    )
    assert refused.status_code == 409
    assert "cannot become held" in refused.json["error"]


def test_plain_status_change_goes_back_to_the_card(client, auth, day, during_first_slot):
    auth.login("hal@org.example")
    ana_bo = day.m["ana_bo"]
    response = client.post(
        f"/manage/{SLUG}/day/meetings/{ana_bo.id}/status",
        data={"status": "cancelled", "back": f"/manage/{SLUG}/day?slot={day.slots[0].id}"},
    )
    assert response.location == f"/manage/{SLUG}/day?slot={day.slots[0].id}#meeting-{ana_bo.id}"


def test_refill_offers_only_present_people_unless_asked(client, auth, day, during_first_slot):
    auth.login("hal@org.example")
    ana_bo = day.m["ana_bo"]
    for name in ("Bo", "Dan"):
        client.post(f"/manage/{SLUG}/checkin/{day.p[name].id}")
    client.post(f"/manage/{SLUG}/day/meetings/{ana_bo.id}/status", data={"status": "no_show_a"})
    # Dan is busy (meets Cy); Eve (70 %) is not here: nobody to offer Bo.
    page = client.get(f"/manage/{SLUG}/day").text
    assert "Nobody present and free in this slot matches them." in page
    assert "match 70%" not in page
    everyone = client.get(f"/manage/{SLUG}/day?everyone=1").text
    assert "match 70%" in everyone and "Show everyone free" not in everyone
    client.post(f"/manage/{SLUG}/checkin/{day.p['Eve'].id}")
    assert "match 70%" in client.get(f"/manage/{SLUG}/day").text


def test_table_view_lists_the_tables_meetings_of_the_day(client, auth, day):
    auth.login("hal@org.example")
    page = client.get(f"/manage/{SLUG}/day/tables/{day.tables[0].id}").text
    assert "Table 1, " in page
    assert f'data-code="{day.m["ana_bo"].code}"' in page
    assert f'data-code="{day.m["ana_cy"].code}"' in page
    assert f'data-code="{day.m["cy_dan"].code}"' not in page  # table 2


def test_table_view_of_another_events_table_is_404(client, auth, day, make_event):
    other = make_event(slug="agri-forum", organizer=day.organizer, tables=1)
    auth.login("hal@org.example")
    assert client.get(f"/manage/{SLUG}/day/tables/{other.tables[0].id}").status_code == 404


def test_rehearsal_records_nothing(client, auth, day, outbox):
    auth.login("hal@org.example")
    client.post(f"/manage/{SLUG}/rehearsal", data={"start": "1"})
    page = client.get(f"/manage/{SLUG}/day").text
    assert "Rehearsal." in page and "nothing you do here is recorded" in page.lower()
    ana_bo = day.m["ana_bo"]
    # Before the slot starts, in rehearsal: check in, mark a no-show, book a walk-in.
    client.post(f"/manage/{SLUG}/checkin/{day.p['Bo'].id}")
    client.post(f"/manage/{SLUG}/checkin/{day.p['Eve'].id}")
    page = client.get(f"/manage/{SLUG}/day").text
    assert primary_action(page, ana_bo.code) == "No-show: Ana"
    client.post(f"/manage/{SLUG}/day/meetings/{ana_bo.id}/status", data={"status": "no_show_a"})
    page = client.get(f"/manage/{SLUG}/day").text
    assert "No-show: Ana Ltd" in card_of(page, ana_bo.code)
    assert "match 70%" in page  # Bo freed, Eve "present": the refill panel practises too
    walk_in = f"/manage/{SLUG}/day/{day.slots[0].id}/walk-in/{day.p['Bo'].id}/{day.p['Eve'].id}"
    response = client.post(walk_in, follow_redirects=True)
    assert "nothing was booked or mailed" in response.text
    db.session.expire_all()
    assert meeting(ana_bo.id).status == "scheduled"
    assert db.session.scalar(sa.select(sa.func.count(Meeting.id))) == 3
    assert db.session.scalar(sa.select(sa.func.count(Participant.checked_in_at))) == 0
    assert outbox.messages == []
    # Ending the rehearsal shows the real day again.
    client.post(f"/manage/{SLUG}/rehearsal", data={})
    page = client.get(f"/manage/{SLUG}/day").text
    assert "Rehearsal." not in page and "Not yet marked" in card_of(page, ana_bo.code)


def test_scanned_pass_shows_the_first_meeting_and_checks_in(client, auth, day, during_first_slot):
    auth.login("hal@org.example")
    code = eventday.pass_code(day.p["Ana"])
    assert re.fullmatch(r"\d+-[A-Z2-7]{8}", code)
    page = client.get(f"/manage/{SLUG}/checkin/scan?code=http://x/scan?code={code}").text
    first = " ".join(re.sub(r"<[^>]+>", " ", page.split('data-testid="first-meeting"')[1]).split())
    assert first.startswith("> First meeting 09:00 at Table 1 with Bo (Bo Ltd)")
    client.post(f"/manage/{SLUG}/checkin/{day.p['Ana'].id}")
    assert db.session.get(Participant, day.p["Ana"].id).checked_in_at is not None
    typed = client.get(f"/manage/{SLUG}/checkin/scan?code={code.lower()}")
    assert typed.status_code == 200 and "Present since" in typed.text


def test_forged_or_other_events_pass_is_refused(client, auth, day, make_event, make_user,
                                                make_participant):  # fmt: skip
    other = make_event(slug="agri-forum")
    stranger = make_participant(other, make_user(email="pia@farm.example", name="Pia"))
    auth.login("hal@org.example")
    ana = eventday.pass_code(day.p["Ana"])
    forged = f"{day.p['Bo'].id}-{ana.split('-')[1]}"  # Ana's letters on Bo's number
    for code in (forged, eventday.pass_code(stranger), "12-ABC", ""):
        response = client.get(f"/manage/{SLUG}/checkin/scan?code={code}", follow_redirects=True)
        assert "This is not a check-in pass of this event" in response.text


def test_agenda_and_pass_page_carry_the_qr_code(client, auth, day):
    auth.login("ana@x.example")
    agenda = client.get(f"/events/{SLUG}/agenda").text
    code = eventday.pass_code(day.p["Ana"])
    assert 'data-testid="check-in-pass"' in agenda and "<svg" in agenda and code in agenda
    auth.logout()
    page = client.get(f"/events/{SLUG}/pass/{code}").text  # the mail's link, no login
    assert "Ana Ltd" in page and "<svg" in page and code in page
    assert client.get(f"/events/{SLUG}/pass/{code[:-1]}A").status_code in (404,)


def test_badges_print_every_approved_participant_with_a_qr(client, auth, day):
    auth.login("hal@org.example")
    page = client.get(f"/manage/{SLUG}/badges?size=a4").text
    assert page.count('data-testid="badge"') == 5 and page.count("<svg") == 5
    assert "size: A4" in page and "size: A6" in client.get(f"/manage/{SLUG}/badges").text


VISITOR = {"name": "Vera Walk", "email": "vera@walkin.example", "organisation": "Walk-In Labs",
           "country": "MD"}  # fmt: skip


def test_helper_adds_a_visitor_who_is_checked_in_and_invited(client, auth, day, outbox):
    auth.login("hal@org.example")
    assert "Add a visitor" in client.get(f"/manage/{SLUG}/checkin/visitor").text
    response = client.post(f"/manage/{SLUG}/checkin/visitor", data=VISITOR, follow_redirects=True)
    assert "Vera Walk (Walk-In Labs) is registered and checked in" in response.text
    db.session.expire_all()
    vera = db.session.scalar(
        sa.select(Participant).where(
            Participant.event_id == day.event.id,
            Participant.user_id == find_user("vera@walkin.example").id,
        )
    )
    assert (vera.status, vera.checked_in_at is not None) == ("approved", True)
    assert (vera.organisation.name, vera.organisation.country) == ("Walk-In Labs", "MD")
    assert outbox.messages[-1]["To"] == "vera@walkin.example"
    assert "/auth/reset/" in outbox.last_link()
    again = client.post(f"/manage/{SLUG}/checkin/visitor", data=VISITOR, follow_redirects=True)
    assert "is already registered (approved), for Walk-In Labs" in again.text


def test_visitor_in_rehearsal_is_not_saved(client, auth, day, outbox):
    auth.login("hal@org.example")
    client.post(f"/manage/{SLUG}/rehearsal", data={"start": "1"})
    response = client.post(f"/manage/{SLUG}/checkin/visitor", data=VISITOR, follow_redirects=True)
    assert "nothing was saved or mailed" in response.text
    assert find_user("vera@walkin.example") is None and outbox.messages == []


def test_status_control_after_publication_offers_closing_not_going_back(client, auth, day):
    auth.login("olga@org.example")
    page = client.get(f"/manage/{SLUG}").text
    moves = page.split('data-testid="status-moves"')[1].split("</div>")[0]
    buttons = re.findall(r'class="btn btn-sm (btn-[\w-]+)" type="submit">([^<]+)<', moves)
    assert buttons == [("btn-primary", "Move to: Closed"),
                       ("btn-outline-secondary", "Back to: Matchmaking")]  # fmt: skip
