"""Issue 23 in a real browser: a company follows a cluster's invitation link, logs in and
registers; the cluster's staff member approves it on the partner dashboard, sees it there
with its figures, and cannot open another partner's company. Screenshots of the partner's
pages at 1280 and 390 px go to MATCHMAKER_SHOTS when set."""

import os
from pathlib import Path

import sqlalchemy as sa
from playwright.sync_api import expect

from matchmaker.extensions import db
from matchmaker.models import Feedback, Meeting, MeetingRequest, Organisation, Participant, Schedule
from tests import partner_world
from tests.browser.helpers import log_in, log_out
from tests.conftest import PASSWORD

SHOTS = os.environ.get("MATCHMAKER_SHOTS")  # a folder for screenshots (optional)
A = partner_world.SLUG


def _shots(page, name):
    if not SHOTS:
        return
    Path(SHOTS).mkdir(parents=True, exist_ok=True)
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=f"{SHOTS}/partners-{name}-{width}.png", full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})


def _more_companies(w, make_user, make_participant):
    """A few more companies of the cluster, at different stages, for a dashboard that looks
    like a real one."""
    people = [
        ("ana@agrodata.example", "Ana Rusu", "AgroData Analytics", ["Crop yield models"],
         ["Satellite imagery"]),
        ("vlad@mobility.example", "Vlad Ene", "Mobility Labs", [], []),
        ("ioana@medsoft.example", "Ioana Marin", "MedSoft Iași", ["Hospital scheduling"], []),
    ]  # fmt: skip
    made = []
    for email, name, organisation, offers, requests in people:
        user = make_user(email=email, name=name)
        made.append(make_participant(w.event, user, organisation_name=organisation,
                                     partner=w.iasi, offers=offers, requests=requests))  # fmt: skip
    agro, _mobility, med = made
    agro.organisation.description = "Data models for farms"
    agro.organisation.sectors = ["Agritech & IoT"]
    db.session.add_all([
        MeetingRequest(event_id=w.event.id, sender_id=agro.id, receiver_id=w.sofia_company.id,
                       status="accepted"),
        MeetingRequest(event_id=w.event.id, sender_id=w.untagged.id, receiver_id=med.id),
        MeetingRequest(event_id=w.event.id, sender_id=w.iasi_approved.id,
                       receiver_id=w.untagged.id),
    ])  # fmt: skip
    db.session.commit()


def _after_the_event(w):
    """The agenda published and held, with a no-show and the companies' feedback."""
    registered = db.session.scalars(
        sa.select(Participant).where(Participant.event_id == w.event.id)
    )
    by_name = {participant.organisation.name: participant for participant in registered}
    schedule = Schedule(event_id=w.event.id, version=1, status="published")
    db.session.add(schedule)
    db.session.flush()
    slots, tables = list(w.event.slots), list(w.event.tables)
    plan = [
        ("AgroData Analytics", "FinTech Sofia", "held", "agreement_expected"),
        ("CloudRo", "Solo Systems", "held", "follow_up_planned"),
        ("MedSoft Iași", "FinTech Sofia", "no_show", None),
        ("NewCo Robotics", "Solo Systems", "held", "offer_sent"),
        ("AgroData Analytics", "Solo Systems", "held", "follow_up_planned"),
    ]
    for number, (ours, theirs, status, outcome) in enumerate(plan):
        first, second = by_name[ours], by_name[theirs]
        meeting = Meeting.between(schedule, slots[number], first, second,
                                  table=tables[number % len(tables)], source="request")  # fmt: skip
        db.session.add(meeting)
        db.session.flush()
        if status == "no_show":
            meeting.status = "no_show_a" if meeting.participant_a_id == first.id else "no_show_b"
        else:
            meeting.status = "held"
            db.session.add(Feedback(meeting_id=meeting.id, participant_id=first.id, held=True,
                                    usefulness=4, outcome=outcome))  # fmt: skip
    w.event.status = "closed"
    db.session.commit()


def test_cluster_staff_approve_a_company_from_their_link_and_see_only_their_own(
    page, app, make_user, make_event, make_participant, live_server
):
    w = partner_world.build(make_user, make_event, make_participant)
    _more_companies(w, make_user, make_participant)
    nina = make_user(email="nina@newco.example", name="Nina Georgescu")
    nina.organisation = Organisation(name="NewCo Robotics", country="RO", type="sme")
    db.session.commit()
    link = f"/events/{A}/join/{w.iasi.invite_token}"
    other_company = f"/events/{A}/partner/companies/{w.sofia_company.id}"

    # The company follows the cluster's link, logs in and registers.
    page.goto(link)
    expect(page.get_by_test_id("invited-by")).to_contain_text("Invited by Iași ICT Cluster")
    _shots(page, "join")
    page.get_by_role("link", name="I have an account: log in").click()
    page.get_by_label("Email").fill("nina@newco.example")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Register for ICT Brokerage Days")).to_be_visible()
    expect(page.get_by_test_id("invited-by")).to_contain_text("Iași ICT Cluster")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("You are registered.")).to_be_visible()
    log_out(page)

    # The cluster's staff member approves it on the partner dashboard.
    log_in(page, w.irina.email)
    page.get_by_test_id("partner-events").get_by_role("link", name="ICT Brokerage Days").click()
    companies = page.get_by_test_id("companies")
    newco = companies.locator('[data-company="NewCo Robotics"]')
    expect(newco).to_contain_text("Waiting for approval")
    expect(companies).not_to_contain_text("FinTech Sofia")
    expect(companies).not_to_contain_text("Solo Systems")
    newco.get_by_role("button", name="Approve").click()
    expect(page.get_by_text("NewCo Robotics: Approved.")).to_be_visible()
    expect(newco).to_contain_text("Approved")
    expect(newco.get_by_role("button", name="Approve")).to_have_count(0)

    newco.get_by_role("link", name="NewCo Robotics").click()
    expect(page.get_by_role("heading", name="NewCo Robotics")).to_be_visible()
    expect(page.get_by_text("nina@newco.example")).to_be_visible()
    _shots(page, "company")

    page.goto("/events/ict-days/partner/remind")
    expect(page.get_by_test_id("to-remind")).to_contain_text("Mobility Labs")
    _shots(page, "remind")

    # After the event the same dashboard shows meetings, no-shows and outcomes.
    _after_the_event(w)
    page.goto(f"/events/{A}/partner")
    expect(newco).to_contain_text("1 held")
    expect(page.get_by_test_id("companies")).to_contain_text("Offer sent: 1")
    _shots(page, "dashboard")

    # Another partner's company stays out of reach.
    response = page.goto(other_company)
    assert response.status == 404
    expect(page.get_by_text("FinTech Sofia")).to_have_count(0)
    log_out(page)

    # The organizer's partners page, for the screenshots.
    log_in(page, w.organizer.email)
    page.goto(f"/manage/{A}/partners")
    expect(page.get_by_test_id("partners")).to_contain_text("Iași ICT Cluster")
    _shots(page, "manage")
    assert page.foreign_requests == []
