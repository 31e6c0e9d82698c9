"""The organizer's workbench in a real browser (issue 20): search a participant in the grid,
drag its meetings (to a free cell: moved; onto another meeting: choose "Swap"), read why a
meeting was not placed, and try two more tables in the capacity planner without changing
the event. Set MATCHMAKER_SHOTS=<folder> to keep screenshots of the grid and the planner."""

import os
import re

import sqlalchemy as sa
from playwright.sync_api import expect

from matchmaker.extensions import db
from matchmaker.models import Event, Meeting, MeetingRequest, Schedule
from matchmaker.services import schedules
from tests.browser.helpers import log_in
from tests.conftest import PASSWORD

SHOTS = os.environ.get("MATCHMAKER_SHOTS")


def _event(make_event, make_user, make_participant):
    """Two tables. Danube asked to meet Tisza and Olt, Sava to meet Drina (all free at any
    time); three more pairs are free only on Tuesday at 10:00, one too many for the tables."""
    organizer = make_user(email="org@example.com", name="Olga", role="organizer")
    event = make_event(organizer=organizer, tables=2)
    names = ["Danube", "Tisza", "Olt", "Sava", "Drina", "Mures", "Prut", "Siret", "Arges",
             "Jiu", "Buzau"]  # fmt: skip
    people = {
        name: make_participant(event, make_user(email=f"{name.lower()}@example.com", name=name),
                               organisation_name=f"{name} Systems")
        for name in names
    }  # fmt: skip
    for name in names[5:]:
        people[name].unavailable = [s for s in event.slots if s != event.slots[2]]
    pairs = [("Danube", "Tisza"), ("Danube", "Olt"), ("Sava", "Drina"), ("Mures", "Prut"),
             ("Siret", "Arges"), ("Jiu", "Buzau")]  # fmt: skip
    for a, b in pairs:
        db.session.add(MeetingRequest(event_id=event.id, sender_id=people[a].id,
                                      receiver_id=people[b].id, status="accepted"))  # fmt: skip
    db.session.commit()
    schedules.generate(event, time_limit=5)
    return event, people


def _drag(page, meeting, cell):
    # The grid's script is deferred: drag once it has made the meetings draggable.
    expect(page.locator("body.grid-draggable")).to_have_count(1)
    cell.scroll_into_view_if_needed()  # a drag that has to scroll the page drops nowhere
    with page.expect_navigation():  # the drop posts the move or opens the choices
        page.locator(f'.grid-meeting[data-meeting="{meeting.id}"]').drag_to(cell)


def _cell(page, slot_id, table_id):
    return page.locator(f'td.grid-cell[data-slot="{slot_id}"][data-table="{table_id}"]')


def _meetings(event):
    db.session.expire_all()
    schedule = db.session.scalar(sa.select(Schedule).where(Schedule.event_id == event.id))
    return schedule.meetings


def _named(meetings, first, second):
    return next(
        m for m in meetings
        if {m.participant_a.organisation.name, m.participant_b.organisation.name}
        == {f"{first} Systems", f"{second} Systems"}
    )  # fmt: skip


def _free_cell(event, meetings, meeting):
    """A place nobody uses, in a slot where neither side of `meeting` meets anyone."""
    pair = {meeting.participant_a_id, meeting.participant_b_id}
    busy = {m.slot_id for m in meetings if {m.participant_a_id, m.participant_b_id} & pair}
    taken = {(m.slot_id, m.table_id) for m in meetings}
    return next(
        (s.id, t.id) for s in event.slots if s.id not in busy
        for t in event.tables if (s.id, t.id) not in taken
    )  # fmt: skip


def test_organizer_searches_drags_reads_reasons_and_plans(
    page, app, make_event, make_user, make_participant
):
    event, _people = _event(make_event, make_user, make_participant)
    refused = []
    page.on("console", lambda m: "Content Security Policy" in m.text and refused.append(m.text))
    page.set_viewport_size({"width": 1280, "height": 1200})
    log_in(page, "org@example.com", PASSWORD)
    page.goto(f"/manage/{event.slug}/schedule/1")

    expect(page.get_by_test_id("headline")).to_have_text(
        "5 meetings placed: as many as are possible."
    )

    # Search: Danube is in focus, its two meetings highlighted, the others greyed.
    page.get_by_label("Participant or organisation").fill("danube")
    page.get_by_role("button", name="Show", exact=True).click()
    expect(page.get_by_test_id("grid-focus")).to_contain_text("Danube Systems")
    expect(page.locator("td.grid-focus")).to_have_count(2)
    expect(page.locator("td.grid-dim")).to_have_count(3)
    if SHOTS:
        for width in (1280, 390):
            page.set_viewport_size({"width": width, "height": 900})
            page.locator("#grid").scroll_into_view_if_needed()
            page.screenshot(path=f"{SHOTS}/workbench-grid-{width}.png")
        page.set_viewport_size({"width": 1280, "height": 1200})
        page.reload()

    # Drag Danube–Tisza to a free cell: moved.
    meetings = _meetings(event)
    tisza = _named(meetings, "Danube", "Tisza")
    slot_id, table_id = _free_cell(event, meetings, tisza)
    _drag(page, tisza, _cell(page, slot_id, table_id))
    expect(page.get_by_text("Meeting moved.")).to_be_visible()
    moved = _named(_meetings(event), "Danube", "Tisza")
    assert (moved.slot_id, moved.table_id, moved.locked) == (slot_id, table_id, True)

    # Drag Danube–Olt onto Sava–Drina's cell, and choose "Swap".
    meetings = _meetings(event)
    olt, sava = _named(meetings, "Danube", "Olt"), _named(meetings, "Sava", "Drina")
    if sava.slot_id == moved.slot_id:  # Danube meets Tisza then: this swap cannot be
        _drag(page, sava, _cell(page, *_free_cell(event, meetings, sava)))
        expect(page.get_by_text("Meeting moved.")).to_be_visible()
        sava = _named(_meetings(event), "Sava", "Drina")
    before = {"olt": (olt.slot_id, olt.table_id), "sava": (sava.slot_id, sava.table_id)}
    _drag(page, olt, _cell(page, *before["sava"]))
    expect(page.get_by_test_id("choice-swap")).to_contain_text("Sava Systems – Drina Systems")
    page.get_by_role("button", name="Swap").click()
    expect(page.get_by_text("Meetings swapped.")).to_be_visible()
    meetings = _meetings(event)
    assert (_named(meetings, "Danube", "Olt").slot_id,
            _named(meetings, "Danube", "Olt").table_id) == before["sava"]  # fmt: skip
    assert (_named(meetings, "Sava", "Drina").slot_id,
            _named(meetings, "Sava", "Drina").table_id) == before["olt"]  # fmt: skip

    # The pair left out: both organisations and the time, in words.
    reason = page.get_by_test_id("unplaced-reason").filter(has_text="every table is taken")
    expect(reason).to_have_count(1)
    expect(reason).to_contain_text(
        re.compile(r"(Mures|Prut|Siret|Arges|Jiu|Buzau) Systems and "
                   r"(Mures|Prut|Siret|Arges|Jiu|Buzau) Systems are both free at Tue 10:00")
    )  # fmt: skip
    expect(page.get_by_test_id("remedies").first).to_contain_text(
        "1 more table at Tue 10:00 would place 1 accepted request."
    )

    # The capacity planner with two more tables: one more meeting; the event unchanged.
    page.get_by_role("link", name="Capacity planner").click()
    page.get_by_label("Tables").fill("4")
    page.get_by_label("Time limit per run (seconds)").fill("3")
    page.get_by_role("button", name="Try it").click()
    result = page.get_by_test_id("planner-result")
    expect(result).to_be_visible(timeout=60_000)
    expect(page.get_by_test_id("planner-meetings").locator("td")).to_have_text(["5", "6 +1"])
    expect(page.get_by_test_id("planner-accepted").locator("td")).to_have_text(["5 of 6", "6 of 6"])
    if SHOTS:
        for width in (1280, 390):
            page.set_viewport_size({"width": width, "height": 900})
            page.screenshot(path=f"{SHOTS}/workbench-planner-{width}.png", full_page=True)
    db.session.expire_all()
    assert db.session.get(Event, event.id).table_count == 2
    assert len(db.session.get(Event, event.id).tables) == 2
    assert db.session.scalar(sa.select(sa.func.count(Meeting.id))) == 5
    assert refused == []
