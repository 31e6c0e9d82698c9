"""Issue 21: the event day on a 390 px phone. A helper marks meetings held and a no-show from
the cards (no page reload, nothing scrolls sideways), the refill panel offers only people who
are present, and a rehearsal records nothing. MATCHMAKER_SHOTS=<folder> keeps screenshots."""

import os
from datetime import timedelta
from pathlib import Path

import sqlalchemy as sa
from playwright.sync_api import expect

from matchmaker.extensions import db
from matchmaker.models import Meeting, Participant
from matchmaker.services import eventday
from tests.browser.helpers import log_in
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
