"""Browser test (c) of issue 17: a participant agrees to suggested meetings, the organizer
generates and publishes an agenda that suggests one, and the partner declines it; the
participant is told by mail and the slot is free in both agendas."""

import sqlalchemy as sa
from playwright.sync_api import expect

from matchmaker.extensions import db
from matchmaker.models import Match, Meeting
from tests.browser.helpers import log_in, log_out


def test_participant_declines_a_suggested_meeting_and_the_partner_is_told(
    page, app, make_user, make_event, make_participant, outbox
):
    organizer = make_user(email="olga@org.example", name="Olga", role="organizer")
    event = make_event(organizer=organizer, tables=2, status="agenda_published")
    ana = make_participant(event, make_user(email="ana@x.example", name="Ana"),
                           organisation_name="AgroVest", suggestion_limit=2)  # fmt: skip
    bo = make_participant(event, make_user(email="bo@x.example", name="Bo"),
                          organisation_name="FieldNode")  # fmt: skip
    slug = event.slug

    # Bo agrees to suggested meetings on the registration page (the event suggests none).
    log_in(page, "bo@x.example")
    page.goto(f"/events/{slug}/me/details")
    consent = page.get_by_label("Fill my free slots with suggested meetings")
    expect(consent).to_have_value("")
    expect(page.get_by_text("Suggested meetings are meetings nobody asked for")).to_be_visible()
    consent.select_option(label="Up to 1")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Registration saved.")).to_be_visible()
    log_out(page)
    # Matching has run: the two match well (saving a registration rescores it live, so the
    # pair's score is set once Bo's change is saved).
    a, b = sorted((ana, bo), key=lambda p: p.id)
    db.session.execute(sa.delete(Match))
    db.session.add(
        Match(event_id=event.id, participant_a_id=a.id, participant_b_id=b.id, score=0.6)
    )
    db.session.commit()

    # The organizer generates (the pair scores above the floor, both agreed) and publishes.
    log_in(page, "olga@org.example")
    page.goto(f"/manage/{slug}/schedule")
    expect(page.get_by_test_id("consent-count")).to_contain_text("2 of 2 approved participants")
    expect(page.get_by_test_id("pairs-above")).to_have_text("1 pair scores at or above this floor.")
    page.get_by_label("Time limit (seconds)").fill("5")
    page.get_by_role("button", name="Generate schedule").click()
    expect(page.get_by_text("Draft version 1 generated with 1 meetings")).to_be_visible(
        timeout=60_000
    )
    expect(page.get_by_test_id("grid-suggested")).to_have_count(1)
    page.get_by_role("button", name="Publish this version").click()
    expect(page.get_by_text("Version 1 published;")).to_be_visible()
    log_out(page)

    # Ana sees the meeting marked as suggested, and declines it.
    log_in(page, "ana@x.example")
    page.goto(f"/events/{slug}/agenda")
    row = page.get_by_test_id("meeting")
    expect(row).to_have_count(1)
    expect(row.get_by_test_id("suggested")).to_have_text("Suggested by the organizers")
    row.get_by_role("button", name="Decline this meeting").click()
    expect(page.get_by_text("You declined the meeting with FieldNode")).to_be_visible()
    expect(page.get_by_test_id("meeting")).to_have_count(0)
    log_out(page)

    meeting = db.session.scalar(sa.select(Meeting))
    db.session.refresh(meeting)
    assert (meeting.status, meeting.status_changed_by_id) == ("cancelled", ana.user_id)
    told = [m for m in outbox.messages if m["To"] == "bo@x.example"]
    assert told[-1]["Subject"].startswith("Suggested meeting at ")
    assert told[-1]["Subject"].endswith("cancelled: AgroVest")
    body = told[-1].get_payload(decode=True).decode()
    assert "AgroVest declined the meeting the organizers of ICT Brokerage Days suggested" in body

    # Bo's agenda has the slot free again.
    log_in(page, "bo@x.example")
    page.goto(f"/events/{slug}/agenda")
    expect(page.get_by_test_id("meeting")).to_have_count(0)
    assert page.foreign_requests == []
