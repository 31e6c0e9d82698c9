import re

import pytest
import sqlalchemy as sa

from matchmaker.extensions import db
from matchmaker.models import Meeting, MeetingRequest, Schedule
from matchmaker.services import schedules


@pytest.fixture
def event_with_requests(make_event, make_user, make_participant, auth):
    organizer = make_user(email="org@example.com", name="Olga", role="organizer")
    event = make_event(organizer=organizer, tables=2)
    people = [
        make_participant(event, make_user(email=f"{n}@example.com", name=n.title()),
                         organisation_name=f"{n.title()} Ltd")
        for n in ("ana", "bo", "cem", "dana")
    ]  # fmt: skip
    ana, bo, cem, dana = people
    for sender, receiver in ((ana, bo), (cem, dana), (ana, cem)):
        db.session.add(
            MeetingRequest(event_id=event.id, sender_id=sender.id, receiver_id=receiver.id,
                           status="accepted")
        )  # fmt: skip
    db.session.commit()
    auth.login("org@example.com")
    return event, people


def _pairs(schedule):
    return {
        frozenset((m.participant_a.organisation.name, m.participant_b.organisation.name))
        for m in schedule.meetings
    }


def test_generate_places_every_accepted_request_in_a_draft(client, event_with_requests):
    event, people = event_with_requests
    response = client.post(f"/manage/{event.slug}/schedule", data={"time_limit": "5"},
                           follow_redirects=True)  # fmt: skip
    assert "Draft version 1 generated with 3 meetings." in response.text
    schedule = db.session.scalar(sa.select(Schedule))
    assert schedule.status == "draft"
    assert _pairs(schedule) == {
        frozenset(("Ana Ltd", "Bo Ltd")), frozenset(("Cem Ltd", "Dana Ltd")),
        frozenset(("Ana Ltd", "Cem Ltd")),
    }  # fmt: skip
    assert schedule.figures["placed"]["accepted"] == 3
    assert "Accepted requests" in response.text and "upper bound" in response.text
    assert "Nobody has an idle gap between two meetings of the same day." in response.text


def test_version_page_says_how_many_breaks_are_unavoidable(client, event_with_requests):
    event, _people = event_with_requests
    schedule = schedules.generate(event, time_limit=5)
    # as the optimiser reports a hard event whose time ran out before the proof
    schedule.figures = schedule.figures | {
        "breaks_total": 7, "breaks_optimal": False, "breaks_bound": 4
    }  # fmt: skip
    db.session.commit()
    page = client.get(f"/manage/{event.slug}/schedule/{schedule.version}").text
    assert "breaks when generated: 7 in total (at least 4 are unavoidable)" in page


def test_impossible_move_is_refused_with_the_reason(client, event_with_requests):
    event, (ana, bo, cem, dana) = event_with_requests
    schedule = schedules.generate(event, time_limit=5)
    meetings = {frozenset((m.participant_a_id, m.participant_b_id)): m for m in schedule.meetings}
    ana_bo, ana_cem = meetings[frozenset((ana.id, bo.id))], meetings[frozenset((ana.id, cem.id))]
    before = (ana_bo.slot_id, ana_bo.table_id)
    other_table = next(t for t in event.tables if t.id != ana_cem.table_id)
    response = client.post(
        f"/manage/{event.slug}/schedule/1/meetings/{ana_bo.id}",
        data={"slot": ana_cem.slot_id, "table": other_table.id},
        follow_redirects=True,
    )
    assert "Move refused:" in response.text
    assert "Ana Ltd" in response.text.split("Move refused:")[1].split("</div>")[0]
    db.session.expire_all()
    assert (ana_bo.slot_id, ana_bo.table_id) == before

    free_slot = next(s for s in event.slots if s.id not in {m.slot_id for m in schedule.meetings})
    response = client.post(
        f"/manage/{event.slug}/schedule/1/meetings/{ana_bo.id}",
        data={"slot": free_slot.id, "table": event.tables[0].id},
        follow_redirects=True,
    )
    assert "Meeting moved." in response.text
    db.session.expire_all()
    assert (ana_bo.slot_id, ana_bo.locked) == (free_slot.id, True)
    assert {a.slot_id for a in ana_bo.attendees} == {free_slot.id}


def test_add_and_cancel_meetings_in_a_draft(client, event_with_requests):
    event, (ana, bo, cem, dana) = event_with_requests
    schedule = schedules.generate(event, time_limit=5)
    busy = {m.slot_id for m in schedule.meetings}
    free_slot = next(s for s in event.slots if s.id not in busy)
    response = client.post(
        f"/manage/{event.slug}/schedule/1/add",
        data={"first": bo.id, "second": dana.id, "slot": free_slot.id, "table": event.tables[0].id},
        follow_redirects=True,
    )
    assert "Meeting added." in response.text
    added = db.session.scalar(sa.select(Meeting).where(Meeting.source == "manual"))
    response = client.post(
        f"/manage/{event.slug}/schedule/1/add",
        data={"first": bo.id, "second": dana.id, "slot": free_slot.id, "table": event.tables[1].id},
        follow_redirects=True,
    )
    assert "Meeting not added:" in response.text
    client.post(f"/manage/{event.slug}/schedule/1/meetings/{added.id}/cancel")
    assert db.session.get(Meeting, added.id) is None


def test_swap_exchanges_places(client, event_with_requests):
    event, (ana, bo, cem, dana) = event_with_requests
    schedule = schedules.generate(event, time_limit=5)
    first, second = sorted(schedule.meetings, key=lambda m: m.id)[:2]
    places = {
        (first.participant_a_id, first.participant_b_id): (second.slot_id, second.table_id),
        (second.participant_a_id, second.participant_b_id): (first.slot_id, first.table_id),
    }
    client.post(
        f"/manage/{event.slug}/schedule/1/meetings/{first.id}/swap", data={"other": second.id}
    )
    db.session.expire_all()
    now = {(m.participant_a_id, m.participant_b_id): (m.slot_id, m.table_id)
           for m in db.session.scalars(sa.select(Meeting))}  # fmt: skip
    for pair, place in places.items():
        assert now[pair] == place


def test_publish_then_republish_tells_only_those_whose_agenda_changed(
    client, event_with_requests, outbox
):
    event, (ana, bo, cem, dana) = event_with_requests
    first = schedules.generate(event, time_limit=5)
    client.post(f"/manage/{event.slug}/schedule/1/publish")
    assert first.status == "published" and event.status == "agenda_published"
    assert sorted(m["To"] for m in outbox.messages) == [
        "ana@example.com", "bo@example.com", "cem@example.com", "dana@example.com"
    ]  # fmt: skip
    sent = len(outbox.messages)

    client.post(f"/manage/{event.slug}/schedule/1/copy")
    draft = db.session.scalar(sa.select(Schedule).where(Schedule.version == 2))
    cem_dana = next(
        m for m in draft.meetings if {m.participant_a_id, m.participant_b_id} == {cem.id, dana.id}
    )
    client.post(f"/manage/{event.slug}/schedule/2/meetings/{cem_dana.id}/cancel")
    response = client.post(f"/manage/{event.slug}/schedule/2/publish", follow_redirects=True)
    assert "Version 2 published; 2 participants emailed." in response.text
    assert sorted(m["To"] for m in outbox.messages[sent:]) == [
        "cem@example.com",
        "dana@example.com",
    ]
    db.session.expire_all()
    assert first.status == "superseded"
    assert client.get(f"/manage/{event.slug}/schedule/1").status_code == 200  # still readable


def test_published_version_cannot_be_edited(client, event_with_requests):
    event, _ = event_with_requests
    schedule = schedules.generate(event, time_limit=5)
    client.post(f"/manage/{event.slug}/schedule/1/publish")
    meeting = schedule.meetings[0]
    response = client.post(
        f"/manage/{event.slug}/schedule/1/meetings/{meeting.id}/cancel", follow_redirects=True
    )
    assert "Version 1 is published; edit a draft copy instead." in response.text
    assert db.session.get(Meeting, meeting.id) is not None


def test_participants_and_other_organizers_cannot_open_the_schedule(
    client, auth, event_with_requests, make_user
):
    event, _ = event_with_requests
    schedules.generate(event, time_limit=5)
    make_user(email="other@example.com", role="organizer")
    for email in ("ana@example.com", "other@example.com"):
        auth.logout()
        auth.login(email)
        assert client.get(f"/manage/{event.slug}/schedule").status_code == 404
        assert client.get(f"/manage/{event.slug}/schedule/1").status_code == 404
        assert client.post(f"/manage/{event.slug}/schedule/1/publish").status_code == 404


def test_schedule_command_generates_and_publishes(runner, event_with_requests):
    event, _ = event_with_requests
    result = runner.invoke(args=["schedule", event.slug, "--publish", "--time-limit", "5"])
    assert result.exit_code == 0, result.output
    assert "Version 1: 3 meetings" in result.output
    assert "0 breaks (fewest possible)" in result.output
    assert "Published; 4 participants emailed." in result.output


def test_per_participant_view_lists_meetings_and_free_slots(client, event_with_requests):
    event, (ana, bo, cem, dana) = event_with_requests
    schedules.generate(event, time_limit=5)
    response = client.get(
        f"/manage/{event.slug}/schedule/1/participant", query_string={"participant": ana.id}
    )
    assert response.headers["Location"] == f"/manage/{event.slug}/schedule/1/participants/{ana.id}"
    page = client.get(response.headers["Location"]).text
    assert "2 meetings" in page
    assert "Bo Ltd" in page and "Cem Ltd" in page and "Dana Ltd" not in page
    assert page.count(">free<") == len(event.slots) - 2


def test_versions_list_shows_each_versions_meeting_count(client, event_with_requests):
    event, _ = event_with_requests
    first = schedules.generate(event, time_limit=5)
    schedules.cancel_meeting(first.meetings[0], by=event.organizers[0])
    schedules.generate(event, time_limit=5)
    page = client.get(f"/manage/{event.slug}/schedule").text
    assert "Version 2 · 3 meetings" in page
    assert "Version 1 · 2 meetings" in page


def _seen(page):
    return re.search(r'name="seen" type="hidden" value="([^"]*)"', page).group(1)


def test_move_made_on_an_outdated_page_is_refused_and_the_page_shows_the_new_place(
    client, event_with_requests, make_user
):
    event, (ana, bo, cem, dana) = event_with_requests
    schedule = schedules.generate(event, time_limit=5)
    meeting = next(m for m in schedule.meetings if {m.participant_a_id, m.participant_b_id} ==
                   {ana.id, bo.id})  # fmt: skip
    url = f"/manage/{event.slug}/schedule/1/meetings/{meeting.id}"
    seen = _seen(client.get(url).text)
    oleg = make_user(email="oleg@example.com", name="Oleg", role="organizer")
    event.organizers.append(oleg)
    db.session.commit()
    busy = {m.slot_id for m in schedule.meetings}
    theirs, mine = [s for s in event.slots if s.id not in busy][:2]
    schedules.move_meeting(meeting, theirs, event.tables[1], by=oleg)  # another organizer

    response = client.post(url, data={"slot": mine.id, "table": event.tables[0].id, "seen": seen})
    assert (
        "Move refused: This meeting changed meanwhile: another organizer moved it to "
        f"{theirs.label} · {event.tables[1].label}." in response.text
    )
    db.session.expire_all()
    assert (meeting.slot_id, meeting.table_id) == (theirs.id, event.tables[1].id)
    assert f'<option selected value="{mine.id}">' in response.text  # the pick is kept
    response = client.post(
        url, data={"slot": mine.id, "table": event.tables[0].id, "seen": _seen(response.text)},
        follow_redirects=True,
    )  # fmt: skip
    assert "Meeting moved." in response.text
    db.session.expire_all()
    assert (meeting.slot_id, meeting.table_id) == (mine.id, event.tables[0].id)


def test_move_with_a_tampered_page_state_changes_nothing(client, event_with_requests):
    event, _ = event_with_requests
    meeting = schedules.generate(event, time_limit=5).meetings[0]
    before = (meeting.slot_id, meeting.table_id)
    other = next(s for s in event.slots if s.id != meeting.slot_id)
    response = client.post(
        f"/manage/{event.slug}/schedule/1/meetings/{meeting.id}",
        data={"slot": other.id, "table": event.tables[0].id, "seen": "x:y"},
    )
    assert "This page is outdated: reload it and try again." in response.text
    db.session.expire_all()
    assert (meeting.slot_id, meeting.table_id) == before


def test_refused_addition_keeps_the_organizers_picks(client, event_with_requests):
    event, (ana, bo, cem, dana) = event_with_requests
    schedule = schedules.generate(event, time_limit=5)
    busy_slot = next(m.slot_id for m in schedule.meetings if bo.id in
                     (m.participant_a_id, m.participant_b_id))  # fmt: skip
    free_table = event.tables[1]
    response = client.post(
        f"/manage/{event.slug}/schedule/1/add",
        data={"first": bo.id, "second": dana.id, "slot": busy_slot, "table": free_table.id},
    )
    assert response.status_code == 200
    assert "Meeting not added: Bo Ltd already meets" in response.text
    for value, label in ((bo.id, "Bo Ltd"), (dana.id, "Dana Ltd"), (free_table.id, None)):
        assert f'<option selected value="{value}">{label or ""}' in response.text
    assert db.session.scalar(sa.select(sa.func.count(Meeting.id))) == len(schedule.meetings)


def _outcome(page):
    found = re.search(r'data-testid="outcome">(.*?)</div>', page, re.S)
    return found.group(1) if found else ""


def test_version_page_says_in_plain_words_which_required_meetings_are_missing(
    client, event_with_requests
):
    event, _people = event_with_requests
    schedule = schedules.generate(event, time_limit=5)
    assert schedules.outcome(schedule) == []
    # as the optimiser reports a run that could not place every required meeting
    schedule.figures = schedule.figures | {
        "status": "incomplete", "status_detail": "1 of the 3 required meetings (HiGHS)",
        "unplaced": [{"a": "1", "b": "2", "priority": "accepted", "weight": 0.0,
                      "reason": "no_table", "detail": "all tables are taken",
                      "names": ["Ana Ltd", "Bo Ltd"]}],
    }  # fmt: skip
    db.session.commit()
    page = client.get(f"/manage/{event.slug}/schedule/{schedule.version}").text
    said = _outcome(page)
    assert (
        "Not every meeting that must take place could be placed: 1 missing (Ana Ltd and Bo Ltd)."
        in said
    )
    assert "incomplete" not in said and "HiGHS" not in said


@pytest.mark.parametrize(
    ("status", "sentence"),
    [
        ("fairness_violated", "Breaks are spread less evenly than asked: one participant has 3 "
                              "breaks, another 0."),
        ("infeasible", "No agenda can hold every meeting that must take place with breaks "
                       "spread as evenly as asked; this was proved, not guessed."),
    ],
)  # fmt: skip
def test_version_page_says_when_breaks_could_not_be_spread_as_asked(
    client, event_with_requests, status, sentence
):
    event, _people = event_with_requests
    schedule = schedules.generate(event, time_limit=5)
    schedule.figures = schedule.figures | {"status": status, "breaks_max": 3, "breaks_min": 0}
    db.session.commit()
    said = _outcome(client.get(f"/manage/{event.slug}/schedule/{schedule.version}").text)
    assert sentence in said
    assert status not in said and "CP-SAT" not in said


def test_locked_meeting_in_a_slot_its_participant_left_is_kept_and_said(
    client, runner, event_with_requests
):
    event, (ana, bo, _cem, _dana) = event_with_requests
    first = schedules.generate(event, time_limit=5)
    ana_bo = next(m for m in first.meetings if {m.participant_a_id, m.participant_b_id}
                  == {ana.id, bo.id})  # fmt: skip
    ana_bo.locked = True
    bo.unavailable.append(ana_bo.slot)
    slot_id, label = ana_bo.slot_id, ana_bo.slot.label
    db.session.commit()
    second = schedules.generate(event, time_limit=5)
    kept = [m for m in second.meetings if {m.participant_a_id, m.participant_b_id}
            == {ana.id, bo.id}]  # fmt: skip
    assert [m.slot_id for m in kept] == [slot_id]
    sentence = (f"Ana Ltd and Bo Ltd are kept at {label} because their meeting is locked "
                "there, although one of them is not available then.")  # fmt: skip
    said = _outcome(client.get(f"/manage/{event.slug}/schedule/{second.version}").text)
    assert sentence in said
    result = runner.invoke(args=["schedule", event.slug, "--time-limit", "5"])
    assert f"Warning: {sentence}" in result.output
