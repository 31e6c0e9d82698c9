import re

import sqlalchemy as sa
from playwright.sync_api import expect

from matchmaker import demo_data
from matchmaker.extensions import db
from matchmaker.models import Event, MeetingRequest, Participant
from matchmaker.services import matchmaking
from matchmaker.services.demo import load_demo
from tests.browser.helpers import log_in


def event_participants(event):
    return db.session.scalars(sa.select(Participant).where(Participant.event_id == event.id))


def test_demo_participant_reviews_matches_requests_and_partner_accepts(page, app):
    report = load_demo()
    event = db.session.query(Event).one()
    matchmaking.compute_matches(event)
    participant_email = report.logins[1][1]
    # Start from a clean slate for this person: the demo already holds some requests.
    me = next(p for p in event_participants(event) if p.user and p.user.email == participant_email)
    db.session.execute(
        sa.delete(MeetingRequest).where(
            sa.or_(MeetingRequest.sender_id == me.id, MeetingRequest.receiver_id == me.id)
        )
    )
    db.session.commit()

    log_in(page, participant_email, demo_data.DEMO_PASSWORD)
    page.goto(f"/events/{report.slug}/matches")
    first = page.get_by_test_id("match").first
    expect(first.get_by_test_id("reason")).to_contain_text("“")
    partner_name = first.get_by_role("heading").get_by_role("link").inner_text()
    first.get_by_role("button", name="Interested", exact=True).click()
    expect(
        page.get_by_test_id("match").first.get_by_role("button", name="Interested ✓")
    ).to_be_visible()

    page.get_by_test_id("match").first.get_by_role("link", name="Request a meeting").click()
    page.get_by_label("Message").fill("Your offer fits what we need; shall we meet?")
    page.get_by_role("button", name="Send request").click()
    expect(page.get_by_text(f"Request sent to {partner_name}.")).to_be_visible()

    request = db.session.query(MeetingRequest).order_by(MeetingRequest.id.desc()).first()
    partner_email = request.receiver.user.email
    page.get_by_role("button", name="Log out").click()

    log_in(page, partner_email, demo_data.DEMO_PASSWORD)
    page.goto(f"/events/{report.slug}/requests")
    incoming = page.get_by_test_id("incoming")
    card = incoming.locator(".card").filter(has_text="shall we meet?")
    card.get_by_role("button", name="Accept").click()
    expect(page.get_by_text("Request accepted.")).to_be_visible()
    expect(
        page.get_by_test_id("incoming").locator(".card").filter(has_text="shall we meet?")
    ).to_contain_text("Accepted")
    page.get_by_role("button", name="Log out").click()

    log_in(page, participant_email, demo_data.DEMO_PASSWORD)
    page.goto(f"/events/{report.slug}/requests")
    outgoing = (
        page.get_by_test_id("outgoing")
        .locator(".card")
        .filter(has_text=re.compile(re.escape(partner_name)))
    )
    expect(outgoing.first).to_contain_text("Accepted")
    assert page.foreign_requests == []
