"""The organizer's grid (issue 20): search and filters, a participant in focus with its free
times, the load of each slot, and what can be done when a meeting goes to a taken place."""

import re

import pytest
import sqlalchemy as sa

from matchmaker.extensions import db
from matchmaker.models import Meeting, MeetingRequest, Schedule
from matchmaker.services import schedules


@pytest.fixture
def full_draft(make_event, make_user, make_participant, auth):
    """One table, a draft with three meetings at 09:00, 09:30 and 10:00: Agrovest–FieldNode
    (a request), Kition–Ararat (a suggestion) and Banat–Plovdiv (added by hand)."""
    organizer = make_user(email="org@example.com", name="Olga", role="organizer")
    event = make_event(organizer=organizer, tables=1)
    people = {}
    for name, country in (("Agrovest", "RO"), ("FieldNode", "RS"), ("Kition", "CY"),
                          ("Ararat", "AM"), ("Banat", "RO"), ("Plövdiv", "BG")):  # fmt: skip
        people[name] = make_participant(
            event, make_user(email=f"{name.lower()}@example.com", name=f"{name} person"),
            organisation_name=name, country=country,
        )  # fmt: skip
    request = MeetingRequest(event_id=event.id, sender_id=people["Agrovest"].id,
                             receiver_id=people["FieldNode"].id, status="accepted")  # fmt: skip
    db.session.add(request)
    schedule = Schedule(event_id=event.id, version=1, status="draft", figures={})
    db.session.add(schedule)
    db.session.flush()
    table = event.tables[0]
    for slot, (a, b), source in zip(
        event.slots,
        (("Agrovest", "FieldNode"), ("Kition", "Ararat"), ("Banat", "Plövdiv")),
        ("request", "suggestion", "manual"),
        strict=False,
    ):
        schedule.meetings.append(
            Meeting.between(schedule, slot, people[a], people[b], table=table, source=source,
                            code=schedules.meeting_code())
        )  # fmt: skip
    db.session.commit()
    auth.login("org@example.com")
    return event, people, schedule


def _meeting(schedule, name):
    return next(m for m in schedule.meetings if m.participant_a.organisation.name == name)


def _cells(page):
    """The names in the grid's cells, with whether the cell is greyed out or highlighted."""
    return re.findall(r'class="grid-cell( grid-dim)?( grid-focus)?">\s*<div[^>]*>\s*<a[^>]*>\s*'
                      r"([^<]+?)</a>", page)  # fmt: skip


def test_search_finds_a_participant_ignoring_accents_and_highlights_it(client, full_draft):
    event, _people, _schedule = full_draft
    page = client.get(f"/manage/{event.slug}/schedule/1?q=plovdiv").text
    assert ("", " grid-focus", "Banat – Plövdiv") in _cells(page)
    assert (" grid-dim", "", "Agrovest – FieldNode") in _cells(page)
    focus = re.sub(r"\s+", " ", re.search(r'data-testid="grid-focus">(.*?)</p>', page, re.S)[1])
    # Nine slots, one meeting, no unavailability: eight free times.
    assert "<strong>Plövdiv</strong>: its meetings are highlighted; free at 8 times" in focus
    assert page.count('data-testid="focus-free"') == 8


def test_filters_by_country_and_priority(client, full_draft):
    event, _people, _schedule = full_draft
    page = client.get(f"/manage/{event.slug}/schedule/1?country=CY").text
    assert [name for dim, _f, name in _cells(page) if not dim] == ["Kition – Ararat"]
    page = client.get(f"/manage/{event.slug}/schedule/1?priority=manual").text
    assert [name for dim, _f, name in _cells(page) if not dim] == ["Banat – Plövdiv"]
    page = client.get(f"/manage/{event.slug}/schedule/1?priority=request&country=RO").text
    assert [name for dim, _f, name in _cells(page) if not dim] == ["Agrovest – FieldNode"]


def test_each_slot_shows_its_load(client, full_draft):
    event, _people, _schedule = full_draft
    page = client.get(f"/manage/{event.slug}/schedule/1").text
    loads = re.findall(r'data-testid="slot-load">(\d+ / \d+)</td>', page)
    assert loads == ["1 / 1"] * 3 + ["0 / 1"] * (len(event.slots) - 3)


def test_a_taken_place_offers_swap_and_replacing_a_suggestion(client, full_draft):
    event, _people, schedule = full_draft
    moving, suggested = _meeting(schedule, "Agrovest"), _meeting(schedule, "Kition")
    page = client.get(
        f"/manage/{event.slug}/schedule/1/meetings/{moving.id}/place"
        f"?slot={suggested.slot_id}&table={suggested.table_id}"
    ).text
    assert "Move Agrovest – FieldNode to Tue 18 May 09:30–09:55 · Table 1?" in page
    assert 'data-testid="choice-swap"' in page and 'data-testid="choice-replace"' in page
    assert "Move it there" not in page
    assert "All 1 tables of Tue 18 May 09:30–09:55 are taken" in page


def test_replacing_a_suggested_meeting_takes_it_out_and_moves_the_other_there(client, full_draft):
    event, _people, schedule = full_draft
    moving, suggested = _meeting(schedule, "Agrovest"), _meeting(schedule, "Kition")
    place = (suggested.slot_id, suggested.table_id)
    response = client.post(
        f"/manage/{event.slug}/schedule/1/meetings/{moving.id}/replace",
        data={"other": suggested.id, "seen": f"{moving.slot_id}:{moving.table_id}"},
        follow_redirects=True,
    )
    assert "the suggested meeting Kition – Ararat was taken out of this draft" in response.text
    db.session.expire_all()
    assert db.session.get(Meeting, suggested.id) is None
    assert (db.session.get(Meeting, moving.id).slot_id, moving.table_id) == place


def test_only_a_suggested_meeting_can_be_replaced(client, full_draft):
    event, _people, schedule = full_draft
    moving, manual = _meeting(schedule, "Agrovest"), _meeting(schedule, "Banat")
    response = client.post(
        f"/manage/{event.slug}/schedule/1/meetings/{moving.id}/replace",
        data={"other": manual.id, "seen": f"{moving.slot_id}:{moving.table_id}"},
        follow_redirects=True,
    )
    assert "Only a suggested meeting of this draft can be replaced." in response.text
    assert db.session.scalar(sa.select(sa.func.count(Meeting.id))) == 3


def test_a_move_refused_because_the_place_is_taken_links_to_the_choices(client, full_draft):
    event, _people, schedule = full_draft
    moving, other = _meeting(schedule, "Agrovest"), _meeting(schedule, "Banat")
    response = client.post(
        f"/manage/{event.slug}/schedule/1/meetings/{moving.id}",
        data={"slot": other.slot_id, "table": other.table_id,
              "seen": f"{moving.slot_id}:{moving.table_id}"},
    )  # fmt: skip
    assert "Move refused:" in response.text
    assert (f"/manage/{event.slug}/schedule/1/meetings/{moving.id}/place?slot={other.slot_id}"
            f"&amp;table={other.table_id}") in response.text  # fmt: skip


def test_many_tables_are_seen_through_a_window_with_matches_added(
    client, make_event, make_user, make_participant, auth
):
    organizer = make_user(email="org@example.com", name="Olga", role="organizer")
    event = make_event(organizer=organizer, tables=45)
    ana, bo = (
        make_participant(event, make_user(email=f"{n}@example.com", name=n),
                         organisation_name=f"{n} Ltd")
        for n in ("Ana", "Bo")
    )  # fmt: skip
    schedule = Schedule(event_id=event.id, version=1, status="draft", figures={})
    db.session.add(schedule)
    db.session.flush()
    schedule.meetings.append(
        Meeting.between(schedule, event.slots[0], ana, bo, table=event.tables[30],
                        source="request", code="X1")
    )  # fmt: skip
    db.session.commit()
    auth.login("org@example.com")

    def headers(page):
        return re.findall(r"<th>(Table \d+)</th>", page)

    page = client.get(f"/manage/{event.slug}/schedule/1").text
    assert headers(page) == [f"Table {n}" for n in range(1, 21)]
    assert "Tables 1–20 of 45." in page and "Next 20 ›" in page
    page = client.get(f"/manage/{event.slug}/schedule/1?tables=41").text
    assert headers(page) == [f"Table {n}" for n in range(26, 46)]  # the last 20
    page = client.get(f"/manage/{event.slug}/schedule/1?q=ana").text
    assert headers(page) == [f"Table {n}" for n in range(1, 21)] + ["Table 31"]
    assert ("", " grid-focus", "Ana Ltd – Bo Ltd") in _cells(page)


def test_replaced_suggestion_of_a_published_agenda_is_told_when_the_draft_is_published(
    client, full_draft, outbox
):
    event, _people, schedule = full_draft
    client.post(f"/manage/{event.slug}/schedule/1/publish")
    client.post(f"/manage/{event.slug}/schedule/1/copy")
    draft = db.session.scalar(sa.select(Schedule).where(Schedule.version == 2))
    moving, suggested = _meeting(draft, "Agrovest"), _meeting(draft, "Kition")
    client.post(
        f"/manage/{event.slug}/schedule/2/meetings/{moving.id}/replace",
        data={"other": suggested.id, "seen": f"{moving.slot_id}:{moving.table_id}"},
    )
    sent = len(outbox.messages)
    client.post(f"/manage/{event.slug}/schedule/2/publish")
    told = sorted(m["To"] for m in outbox.messages[sent:])
    # The suggested pair lost its meeting; Agrovest and FieldNode meet at another time.
    assert told == sorted(["kition@example.com", "ararat@example.com",
                           "agrovest@example.com", "fieldnode@example.com"])  # fmt: skip
