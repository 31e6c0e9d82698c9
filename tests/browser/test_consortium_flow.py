"""Issue 25: a lead builds a consortium for a call, swaps one partner, invites the team to a
group meeting, and the members accept from the link they were mailed: it is confirmed. The
organizer gives one table enough seats and generates the agenda: the group meeting is placed at
that table, and each member's agenda and calendar file show it with the other members. At
390 px the builder and the group meeting scroll nothing sideways. Set MATCHMAKER_SHOTS=
<folder> to keep screenshots at 1280 and 390 px."""

import os
from pathlib import Path
from urllib.parse import urlsplit

from icalendar import Calendar
from playwright.sync_api import expect

from matchmaker.extensions import db
from tests.browser.helpers import link_mailed_to, log_in, log_out
from tests.browser.test_small_screens import OVERFLOW
from tests.consortium_world import ROLES, farm_world


def _shot(page, name):
    folder = os.environ.get("MATCHMAKER_SHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)


def _fits(page):
    assert page.evaluate(OVERFLOW) == {"page": 0, "boxes": []}


def test_lead_builds_swaps_invites_and_members_confirm(
    page, make_user, make_event, make_participant, outbox, tmp_path
):
    farm = farm_world(make_user, make_event, make_participant)
    log_in(page, farm.email("lead"))
    page.goto("/events/farm-days/group-meetings")
    page.get_by_test_id("build").click()

    page.get_by_label("Title of the idea").fill("Digital twins of farms from space")
    page.get_by_label("Objective").fill("Advise growers on irrigation from satellite data.")
    page.get_by_label("Roles or work packages").fill(ROLES)
    page.get_by_label("Partners in the team (you included)").fill("4")
    page.get_by_label("At least this many countries").fill("3")
    page.get_by_role("button", name="Build three teams").click()

    teams = page.get_by_test_id("team")
    expect(teams).to_have_count(3)
    first = teams.first
    expect(first).to_contain_text("Orbital Eye")
    expect(first).to_contain_text("Every role is covered.")
    _shot(page, "consortium-builder-1280")
    page.set_viewport_size({"width": 390, "height": 900})
    _fits(page)
    _shot(page, "consortium-builder-390")
    page.set_viewport_size({"width": 1280, "height": 900})

    first.get_by_role("button", name="Swap for SkyPix").click()
    expect(page.get_by_text("Partner swapped in team 1.")).to_be_visible()
    first = page.get_by_test_id("team").first
    expect(first).to_contain_text("SkyPix")
    expect(first).not_to_contain_text("Orbital Eye")
    expect(page.get_by_label("Title of the idea")).to_have_value(
        "Digital twins of farms from space"
    )

    first.get_by_role("button", name="Invite team 1 to a group meeting").click()
    expect(page.get_by_test_id("group-status")).to_have_text("Waiting for answers")
    members = [
        name for name in page.get_by_test_id("member").all_inner_texts() if "AgriSense" not in name
    ]
    assert len(members) == 3
    log_out(page)

    invited = [k for k in ("eo2", "trials", "coops2") if any(farm.name(k) in m for m in members)]
    assert len(invited) == 3
    for key in invited:
        log_in(page, farm.email(key))
        page.goto(urlsplit(link_mailed_to(outbox, farm.email(key))).path)
        expect(page.get_by_test_id("your-answer")).to_contain_text("You are invited for:")
        if key == invited[-1]:
            page.set_viewport_size({"width": 390, "height": 844})
            _fits(page)
            _shot(page, "group-meeting-invited-390")
            page.set_viewport_size({"width": 1280, "height": 900})
            _shot(page, "group-meeting-invited-1280")
        page.get_by_test_id("accept").click()
        expect(page.get_by_text("Your answer is saved.")).to_be_visible()
        log_out(page)

    log_in(page, farm.email("lead"))
    page.goto("/events/farm-days/group-meetings")
    expect(page.get_by_test_id("group-status")).to_have_text(
        "Confirmed: to be placed in the agenda"
    )
    page.set_viewport_size({"width": 390, "height": 844})
    _fits(page)
    _shot(page, "group-meetings-390")
    page.set_viewport_size({"width": 1280, "height": 900})
    log_out(page)

    # The organizer seats the tables (three of 2, one of 6), generates and publishes the agenda.
    farm.event.status = "matchmaking"
    db.session.commit()
    team = ["AgriSense"] + [farm.name(key) for key in invited]
    log_in(page, farm.organizer.email)
    page.goto("/manage/farm-days/edit")
    page.get_by_label("Seats per table (optional)").fill("2\n2\n2\n6")
    page.get_by_role("button", name="Save event").click()
    if page.get_by_role("button", name="Save event").count():  # asked to confirm the change
        page.get_by_role("button", name="Save event").click()
    page.goto("/manage/farm-days/schedule")
    page.get_by_label("Time limit (seconds)").fill("3")
    page.get_by_role("button", name="Generate schedule").click()
    expect(page.get_by_text("Draft version 1 generated")).to_be_visible(timeout=60_000)
    block = page.get_by_test_id("grid-group")
    expect(block).to_have_text("Group meeting: Digital twins of farms from space")
    column = page.locator("[data-testid=grid] thead th").all_inner_texts().index("Table 4")
    cell = page.locator("td.grid-cell", has=block)
    expect(cell).to_have_attribute("data-table", str(farm.event.tables[column - 2].id))
    page.get_by_role("button", name="Publish this version").click()
    expect(page.get_by_text("Version 1 published;")).to_be_visible()
    log_out(page)

    for key in ("lead", invited[0]):
        others = [name for name in team if name != farm.name(key)]
        log_in(page, farm.email(key))
        page.goto("/events/farm-days/agenda")
        expect(page.get_by_test_id("group-meeting")).to_contain_text(
            "Group meeting: Digital twins of farms from space"
        )
        listed = page.get_by_test_id("group-members").locator("li")
        expect(listed).to_have_count(3)
        for name in others:
            expect(listed.filter(has_text=name)).to_have_count(1)
        with page.expect_download() as download:
            page.get_by_role("link", name="Download calendar (.ics)").click()
        path = tmp_path / f"agenda-{key}.ics"
        download.value.save_as(path)
        [entry] = [
            e for e in Calendar.from_ical(path.read_bytes()).walk("VEVENT")
            if str(e["summary"]).startswith("Group meeting:")
        ]  # fmt: skip
        assert all(name in str(entry["description"]) for name in others)
        log_out(page)


def test_organizer_sets_up_a_group_meeting_on_a_phone(
    page, make_user, make_event, make_participant
):
    farm = farm_world(make_user, make_event, make_participant)
    log_in(page, farm.organizer.email)
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/manage/farm-days/group-meetings")
    page.get_by_test_id("new-group-meeting").click()

    page.get_by_label("Title").fill("Irrigation round table")
    for key in ("lead", "eo", "trials"):
        page.get_by_label(farm.people[key].display_name).check()
    _fits(page)
    _shot(page, "group-meeting-new-390")
    page.get_by_role("button", name="Set up the group meeting").click()

    expect(page.get_by_test_id("group-status")).to_have_text(
        "Confirmed: to be placed in the agenda"
    )
    page.goto("/manage/farm-days/group-meetings")
    expect(page.get_by_test_id("group-meeting")).to_contain_text("Irrigation round table")
    _fits(page)
    _shot(page, "group-meetings-organizer-390")
