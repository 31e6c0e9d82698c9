"""Issue 21: the event day on a 390 px phone. A helper marks meetings held and a no-show from
the cards (no page reload, nothing scrolls sideways), the refill panel offers only people who
are present, and a rehearsal records nothing. MATCHMAKER_SHOTS=<folder> keeps screenshots."""

import os
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import segno
import sqlalchemy as sa
from playwright.sync_api import expect

from matchmaker.extensions import db
from matchmaker.models import Meeting, Participant
from matchmaker.services import eventday
from matchmaker.webutil import external_url
from tests.browser.helpers import link_mailed_to, log_in, log_out
from tests.browser.test_small_screens import OVERFLOW
from tests.services.test_eventday import build_day


def _shot(page, name):
    folder = os.environ.get("MATCHMAKER_SHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)


def _check_in(page, slug, organisation):
    page.goto(f"/manage/{slug}/checkin")
    page.get_by_label("Search participants").fill(organisation.split()[0])
    page.get_by_role("button", name="Search").click()
    page.get_by_role("button", name=f"Check in {organisation}").click()
    expect(page.get_by_role("button", name=f"Undo check-in of {organisation}")).to_be_visible()


def _card(page, code):
    return page.locator(f"[data-testid=meeting-card][data-code={code}]")


def test_helper_marks_held_and_no_show_from_cards_at_390_px(
    page, app, make_user, make_event, make_participant, monkeypatch
):
    day = build_day(make_user, make_event, make_participant)
    moment = day.slots[0].starts_at + timedelta(minutes=5)
    monkeypatch.setattr(eventday, "local_now", lambda event: moment)
    slug, ana_bo, cy_dan = day.event.slug, day.m["ana_bo"], day.m["cy_dan"]
    log_in(page, "hal@org.example")
    page.set_viewport_size({"width": 390, "height": 844})
    for organisation in ("Bo Ltd", "Cy Ltd", "Dan Ltd"):
        _check_in(page, slug, organisation)
    page.goto(f"/manage/{slug}/day")
    page.evaluate("window.stillHere = true")  # gone if an action reloads the page
    _shot(page, "day-cards-390")
    assert page.evaluate(OVERFLOW) == {"page": 0, "boxes": []}

    both_here = _card(page, cy_dan.code)
    expect(both_here).to_contain_text("Cy Ltd")
    both_here.get_by_role("button", name="Held").click()
    expect(_card(page, cy_dan.code).get_by_test_id("meeting-status")).to_have_text("Held")

    one_missing = _card(page, ana_bo.code)
    expect(one_missing.get_by_text("not arrived")).to_have_count(1)
    one_missing.get_by_role("button", name="No-show: Ana").click()
    expect(_card(page, ana_bo.code).get_by_test_id("meeting-status")).to_have_text(
        "No-show: Ana Ltd"
    )
    # The refill panel came back with the card: Bo is freed, Eve (70 %) is not here yet.
    refill = page.get_by_test_id("refill")
    expect(refill.get_by_test_id("freed")).to_contain_text("Bo Ltd")
    expect(refill).to_contain_text("Nobody present and free in this slot matches them.")
    assert page.evaluate("window.stillHere") is True
    assert page.evaluate(OVERFLOW) == {"page": 0, "boxes": []}
    _shot(page, "day-cards-after-390")

    _check_in(page, slug, "Eve Ltd")
    page.goto(f"/manage/{slug}/day")
    expect(page.get_by_test_id("refill-partner")).to_have_count(1)
    expect(page.get_by_test_id("refill-partner")).to_contain_text("Eve Ltd")

    db.session.expire_all()
    assert db.session.get(Meeting, cy_dan.id).status == "held"
    assert db.session.get(Meeting, ana_bo.id).status == "no_show_a"
    assert page.foreign_requests == []


def test_rehearsal_on_a_phone_records_nothing(
    page, app, make_user, make_event, make_participant, outbox
):
    day = build_day(make_user, make_event, make_participant)  # the day has not begun
    slug, ana_bo = day.event.slug, day.m["ana_bo"]
    log_in(page, "hal@org.example")
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"/manage/{slug}/day")
    page.get_by_role("button", name="Rehearse: practise on the real agenda").click()
    expect(page.get_by_test_id("rehearsal-banner")).to_contain_text(
        "Nothing you do here is recorded"
    )
    _check_in(page, slug, "Ana Ltd")
    _check_in(page, slug, "Bo Ltd")
    page.goto(f"/manage/{slug}/day")
    expect(page.get_by_test_id("rehearsal-banner")).to_be_visible()
    _card(page, ana_bo.code).get_by_role("button", name="Held").click()
    expect(_card(page, ana_bo.code).get_by_test_id("meeting-status")).to_have_text("Held")
    assert page.evaluate(OVERFLOW) == {"page": 0, "boxes": []}
    _shot(page, "day-rehearsal-390")

    db.session.expire_all()
    assert db.session.get(Meeting, ana_bo.id).status == "scheduled"
    present = db.session.scalar(sa.select(sa.func.count(Participant.checked_in_at)))
    assert present == 0 and outbox.messages == []
    page.get_by_role("button", name="End rehearsal").click()
    expect(_card(page, ana_bo.code).get_by_test_id("meeting-status")).to_have_text("Not yet marked")


def test_invited_helper_scans_a_pass_from_a_photo_and_checks_in_at_390_px(
    page, app, make_user, make_event, make_participant, outbox, tmp_path, monkeypatch
):
    day = build_day(make_user, make_event, make_participant)
    monkeypatch.setattr(eventday, "local_now", lambda event: day.before)
    slug = day.event.slug
    log_in(page, "olga@org.example")
    page.goto(f"/manage/{slug}")
    helpers = page.get_by_test_id("helpers")
    helpers.get_by_label("Helper's email").fill("gina@venue.example")
    helpers.get_by_label("Helper's name (for a new account)").fill("Gina Door")
    helpers.get_by_role("button", name="Invite helper").click()
    expect(page.get_by_text("an email invites them to choose a password")).to_be_visible()
    log_out(page)

    page.goto(urlsplit(link_mailed_to(outbox, "gina@venue.example")).path)
    page.get_by_label("Password", exact=True).fill("venue-door-2027")
    page.get_by_label("Repeat the password").fill("venue-door-2027")
    page.get_by_role("button", name="Set the new password").click()
    log_in(page, "gina@venue.example", "venue-door-2027")
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"/manage/{slug}/checkin")

    # The camera is faked with a photo of Ana's pass: the QR the agenda and badges carry.
    photo = tmp_path / "pass.png"
    segno.make(external_link_of(app, day.p["Ana"]), error="m").save(str(photo), scale=8)
    page.locator("[data-scan-file]").set_input_files(str(photo))
    scanned = page.get_by_test_id("scanned")
    expect(scanned).to_contain_text("Ana Ltd")
    expect(scanned.get_by_test_id("first-meeting")).to_contain_text("09:00 at Table 1")
    scanned.get_by_role("button", name="Check in Ana Ltd").click()
    expect(page.get_by_role("button", name="Undo check-in of Ana Ltd")).to_be_visible()
    assert page.evaluate(OVERFLOW) == {"page": 0, "boxes": []}
    _shot(page, "desk-scanned-390")

    db.session.expire_all()
    assert db.session.get(Participant, day.p["Ana"].id).checked_in_at is not None
    assert page.foreign_requests == []


def external_link_of(app, participant):
    with app.test_request_context():
        return external_url(
            "eventday.scan", slug=participant.event.slug, code=eventday.pass_code(participant)
        )
