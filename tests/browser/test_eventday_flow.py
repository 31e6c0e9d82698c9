from datetime import timedelta

import sqlalchemy as sa
from playwright.sync_api import expect

from matchmaker.extensions import db
from matchmaker.models import Meeting, Participant
from matchmaker.services import eventday
from tests.browser.helpers import log_in
from tests.services.test_eventday import build_day


def test_check_in_no_show_and_walk_in_into_the_freed_slot(
    page, app, make_user, make_event, make_participant, monkeypatch
):
    day = build_day(make_user, make_event, make_participant)
    moment = day.slots[0].starts_at + timedelta(minutes=5)
    monkeypatch.setattr(eventday, "local_now", lambda event: moment)  # the server's clock too
    slug, bo_id, ana_bo = day.event.slug, day.p["Bo"].id, day.m["ana_bo"]

    log_in(page, "olga@org.example")
    page.goto(f"/manage/{slug}")
    page.get_by_role("link", name="Check-in desk").click()
    page.get_by_label("Search participants").fill("bo")
    page.get_by_role("button", name="Search").click()
    page.get_by_role("button", name="Check in Bo Ltd").click()
    # The desk's script swaps the row in place: the search stays, the button becomes Undo.
    expect(page.get_by_role("button", name="Undo check-in of Bo Ltd")).to_be_focused()
    expect(page.get_by_test_id("present")).to_contain_text("Present since")
    expect(page.get_by_test_id("desk-counts")).to_contain_text("1 of 5 present")
    expect(page.get_by_label("Search participants")).to_have_value("bo")

    page.get_by_label("Search participants").fill("eve")
    page.get_by_role("button", name="Search").click()
    page.get_by_role("button", name="Check in Eve Ltd").click()  # refill offers who is here
    expect(page.get_by_role("button", name="Undo check-in of Eve Ltd")).to_be_visible()

    page.get_by_role("link", name="Meetings and walk-ins").click()
    card = page.locator(f"[data-testid=meeting-card][data-code={ana_bo.code}]")
    expect(card).to_contain_text("present")  # Bo was checked in
    card.get_by_role("button", name="No-show: Ana").click()
    card = page.locator(f"[data-testid=meeting-card][data-code={ana_bo.code}]")
    expect(card.get_by_test_id("meeting-status")).to_have_text("No-show: Ana Ltd")

    freed = page.get_by_test_id("freed")
    expect(freed).to_contain_text("Bo Ltd")
    expect(freed).to_contain_text("Eve Ltd")
    freed.get_by_role("link", name="Book walk-in").click()
    expect(page.get_by_test_id("walk-in-who")).to_contain_text("Bo Ltd and Eve Ltd")
    page.get_by_role("button", name="Confirm walk-in").click()
    expect(page.get_by_text("Walk-in booked: Bo Ltd and Eve Ltd at Table 1")).to_be_visible()
    expect(page.get_by_test_id("day-meetings")).to_contain_text("walk-in")

    db.session.expire_all()
    walk_in = db.session.scalar(sa.select(Meeting).where(Meeting.source == "walk_in"))
    assert (walk_in.slot_id, walk_in.table_id) == (day.slots[0].id, day.tables[0].id)
    assert {walk_in.participant_a_id, walk_in.participant_b_id} == {bo_id, day.p["Eve"].id}
    assert db.session.get(Participant, bo_id).checked_in_at is not None
    assert page.foreign_requests == []
