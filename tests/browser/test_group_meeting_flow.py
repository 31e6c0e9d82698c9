"""Issue 25 in a real browser: the organizer generates the agenda with a confirmed group
meeting, which lands at a table with a seat for every member; each member's agenda and
calendar file show it with the other members."""

import sqlalchemy as sa
from icalendar import Calendar
from playwright.sync_api import expect

from matchmaker.extensions import db
from matchmaker.models import Meeting
from tests import group_world
from tests.browser.helpers import log_in, log_out

TITLE = "Horizon soil consortium"


def test_a_group_meeting_is_placed_and_every_member_sees_it(
    page, app, tmp_path, make_event, make_user, make_participant
):
    event, organizer, people, group = group_world.build(make_event, make_user, make_participant)
    members = people[:4]

    log_in(page, organizer.email)
    page.goto(f"/manage/{event.slug}/schedule")
    page.get_by_label("Time limit (seconds)").fill("3")
    page.get_by_role("button", name="Generate schedule").click()
    expect(page.get_by_text("Draft version 1 generated")).to_be_visible(timeout=60_000)
    expect(page.get_by_test_id("outcome")).to_have_count(0)  # nothing left out
    block = page.get_by_test_id("grid-group")
    expect(block).to_have_text(f"Group meeting: {TITLE}")
    # at the 6-seat table (Table 2), the others seat two
    column = page.locator("[data-testid=grid] thead th").all_inner_texts().index("Table 2")
    cell = page.locator("td.grid-cell", has=block)
    expect(cell).to_have_attribute("data-table", str(event.tables[column - 2].id))
    for person in members:
        expect(page.get_by_test_id("grid-group-members")).to_contain_text(person.organisation.name)
    page.get_by_role("button", name="Publish this version").click()
    expect(page.get_by_text("Version 1 published;")).to_be_visible()
    log_out(page)

    [meeting] = db.session.scalars(sa.select(Meeting).where(Meeting.group_meeting_id == group.id))
    assert meeting.table.seats >= len(members)
    for me in (members[0], members[3]):
        others = [p.organisation.name for p in members if p.id != me.id]
        log_in(page, me.user.email)
        page.goto(f"/events/{event.slug}/agenda")
        shown = page.get_by_test_id("group-meeting")
        expect(shown).to_contain_text(f"Group meeting: {TITLE}")
        listed = page.get_by_test_id("group-members").locator("li")
        expect(listed).to_have_count(3)
        for name in others:
            expect(listed.filter(has_text=name)).to_have_count(1)
        with page.expect_download() as download:
            page.get_by_role("link", name="Download calendar (.ics)").click()
        path = tmp_path / f"agenda-{me.id}.ics"
        download.value.save_as(path)
        [entry] = [
            e for e in Calendar.from_ical(path.read_bytes()).walk("VEVENT")
            if str(e["summary"]) == f"Group meeting: {TITLE}"
        ]  # fmt: skip
        assert all(name in str(entry["description"]) for name in others)
        log_out(page)
