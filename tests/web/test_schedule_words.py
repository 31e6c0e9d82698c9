"""The organizer's agenda pages in plain words (issue 20): figures a person reads, every
unplaced meeting's reason with names and times, grouped with what would place them, the same
reasons in the export, and never an internal id."""

import csv
import html as html_lib
import io
import re

import pytest

from matchmaker.extensions import db
from matchmaker.models import MeetingRequest
from matchmaker.services import schedule_report, schedules

# Participants get ids (far above what the sequence reaches in a test run) that no slot,
# table, count or time on these pages can produce, so a page that shows one is caught.
FIRST_ID = 730_001_001


@pytest.fixture
def crowded(make_event, make_user, make_participant, auth):
    """Two tables; eight participants free only on Tuesday 09:00 and 09:30 who all asked to
    meet in pairs (more pairs than tables), FieldNode limited to one meeting with two
    accepted requests, Nordlicht and Solaris never free at the same time, and three pairs
    free only at Tuesday 10:00 (one too many for the tables)."""
    organizer = make_user(email="org@example.com", name="Olga", role="organizer")
    event = make_event(organizer=organizer, tables=2)
    slots = event.slots
    early = slots[:2]
    names = [
        "Agrovest",
        "FieldNode",
        "Arges",
        "Burgas",
        "Kition",
        "Ararat",
        "Banat",
        "Plovdiv",
        "Nordlicht",
        "Solaris",
        "Danube",
        "Tisza",
        "Olt",
        "Siret",
        "Mures",
        "Prut",
    ]
    people = {}
    for i, name in enumerate(names):
        people[name] = make_participant(
            event, make_user(email=f"{name.lower()}@example.com", name=name),
            organisation_name=name, id=FIRST_ID + i,
        )  # fmt: skip
    for name in names[:8]:
        people[name].unavailable = [s for s in slots if s not in early]
    for name in names[10:]:
        people[name].unavailable = [s for s in slots if s != slots[2]]
    people["FieldNode"].max_meetings = 1
    day1 = [s for s in slots if s.starts_at.day == 18]
    people["Nordlicht"].unavailable = [s for s in slots if s not in day1]
    people["Solaris"].unavailable = day1
    pairs = [("Agrovest", "FieldNode"), ("Arges", "FieldNode"), ("Arges", "Burgas"),
             ("Kition", "Ararat"), ("Banat", "Plovdiv"), ("Agrovest", "Kition"),
             ("Burgas", "Banat"), ("Ararat", "Plovdiv"), ("Nordlicht", "Solaris"),
             ("Danube", "Tisza"), ("Olt", "Siret"), ("Mures", "Prut")]  # fmt: skip
    for a, b in pairs:
        db.session.add(MeetingRequest(event_id=event.id, sender_id=people[a].id,
                                      receiver_id=people[b].id, status="accepted"))  # fmt: skip
    db.session.commit()
    auth.login("org@example.com")
    return event, people


def _text(html):
    """What a person reads: the page without its tags, attributes and scripts."""
    html = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", html, flags=re.S)
    return html_lib.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)))


def test_version_page_tells_figures_in_words(client, crowded):
    event, _people = crowded
    schedules.generate(event, time_limit=5)
    text = _text(client.get(f"/manage/{event.slug}/schedule/1").text)
    # 2 tables × 2 slots hold 4 meetings for the eight, 2 at 10:00 for the three pairs.
    assert "6 meetings placed: as many as are possible." in text
    assert "6 of 12 accepted requests have a meeting." in text
    assert "4 participants who could meet have no meeting" in text
    assert "Details for specialists" in text and "upper bound" in text


def test_unplaced_reasons_name_both_organisations_and_a_time(client, crowded):
    event, _people = crowded
    schedules.generate(event, time_limit=5)
    text = _text(client.get(f"/manage/{event.slug}/schedule/1").text)
    assert "Nordlicht and Solaris are never available at the same time." in text
    assert re.search(
        r"FieldNode already has 1 meeting, its maximum, so it cannot also meet (Agrovest|Arges)\.",
        text,
    )
    # Every unplaced pair among the eight is free together only on Tuesday morning.
    assert re.search(r"\w+ and \w+ are both (free|available) .*Tue 09:(00|30)", text)
    groups = {g.reason: g for g in schedule_report.unplaced_groups(schedules.latest(event))}
    assert {reason: g.count for reason, g in groups.items()} == {
        "no_table": 1, "displaced": 3, "maximum_reached": 1, "no_common_slot": 1
    }  # fmt: skip


def test_more_tables_remedy_places_pairs_free_only_when_tables_are_full(app, crowded):
    event, people = crowded
    schedule = schedules.generate(event, time_limit=5)
    groups = {g.reason: g for g in schedule_report.unplaced_groups(schedule)}
    assert groups["no_table"].remedies == [
        "1 more table at Tue 10:00 would place 1 accepted request."
    ]
    (item,) = groups["no_table"].items
    assert item.sentence == (
        f"{item.first} and {item.second} are both free at Tue 10:00, and every table is taken then."
    )


def test_nothing_shown_to_the_organizer_contains_an_internal_id(client, crowded):
    event, people = crowded
    schedule = schedules.generate(event, time_limit=5)
    pages = [
        _text(client.get(f"/manage/{event.slug}/schedule/1").text),
        client.get(f"/manage/{event.slug}/schedule/1/unplaced.csv").data.decode("utf-8-sig"),
    ]
    ids = {str(p.id) for p in people.values()} | {str(s.id) for s in event.slots}
    for page in pages:
        for pid in (str(p.id) for p in people.values()):
            assert pid not in page
        assert not re.search(r"\bslot \d+\b|\(\d+(, \d+)+\)", page)
    # The optimiser's own sentences carry ids; none of them reaches the page.
    for u in schedule.figures["unplaced"]:
        assert u["detail"] not in pages[0]
    assert ids  # the event has participants and slots to look for


def test_export_of_unplaced_holds_the_same_reasons(client, crowded):
    event, _people = crowded
    schedules.generate(event, time_limit=5)
    page = _text(client.get(f"/manage/{event.slug}/schedule/1").text)
    response = client.get(f"/manage/{event.slug}/schedule/1/unplaced.csv")
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))
    assert rows[0] == ["Reason", "Organisation", "Partner", "Priority",
                       "Why, with names and times"]  # fmt: skip
    assert len(rows) == 7
    for row in rows[1:]:
        assert row[4] in page
    assert ["Never free at the same time", "Nordlicht", "Solaris", "accepted request",
            "Nordlicht and Solaris are never available at the same time."] in rows  # fmt: skip
    xlsx = client.get(f"/manage/{event.slug}/schedule/1/unplaced.xlsx")
    assert xlsx.status_code == 200 and xlsx.data[:2] == b"PK"


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        ("optimal", "The optimiser proved that no agenda places more of what was asked."),
        ("incomplete", "The optimiser's time ran out before every meeting was placed"),
        ("infeasible", "No agenda can hold every meeting that must take place"),
        ("fairness_violated", "could not be shared as evenly as asked"),
        ("stopped_by_operator", "The optimiser finished with the status “stopped by operator”."),
    ],
)
def test_every_run_status_is_told_in_words(client, crowded, status, expected):
    event, _people = crowded
    schedule = schedules.generate(event, time_limit=5)
    schedule.figures = schedule.figures | {"status": status}
    db.session.commit()
    text = _text(client.get(f"/manage/{event.slug}/schedule/1").text)
    assert expected in text


def test_refused_move_lists_each_reason_on_its_own_line(client, crowded):
    event, people = crowded
    schedule = schedules.generate(event, time_limit=5)
    by_slot = {}
    for m in schedule.meetings:
        by_slot.setdefault(m.slot_id, []).append(m)
    first_slot, second_slot = event.slots[0].id, event.slots[1].id
    moving = by_slot[first_slot][0]
    taken = by_slot[second_slot][0]
    # Into a full slot, at a taken table, where one of the two may already meet someone.
    response = client.post(
        f"/manage/{event.slug}/schedule/1/meetings/{moving.id}",
        data={"slot": second_slot, "table": taken.table_id},
        follow_redirects=True,
    )
    message = html_lib.unescape(
        re.search(r'<span class="flash-lines">(.*?)</span>', response.text, re.S).group(1)
    )
    lines = message.split("\n")
    assert lines[0] == "Move refused:"
    assert len(lines) >= 3
    assert any(line.startswith("All 2 tables of Tue 18 May 09:30") for line in lines)
    assert any(line.startswith("Table ") and "is taken by" in line for line in lines)
    for line in lines:
        assert not re.search(r"\b7300010\d\d\b", line)


def test_a_pair_placed_by_hand_since_is_no_longer_listed(client, crowded):
    event, people = crowded
    schedule = schedules.generate(event, time_limit=5)
    groups = {g.reason: g for g in schedule_report.unplaced_groups(schedule)}
    (waiting,) = groups["no_table"].items
    at_ten = next(m for m in schedule.meetings if m.slot_id == event.slots[2].id)
    client.post(f"/manage/{event.slug}/schedule/1/meetings/{at_ten.id}/cancel")
    client.post(
        f"/manage/{event.slug}/schedule/1/add",
        data={"first": people[waiting.first].id, "second": people[waiting.second].id,
              "slot": event.slots[2].id, "table": at_ten.table_id},
    )  # fmt: skip
    db.session.expire_all()
    groups = {g.reason: g for g in schedule_report.unplaced_groups(schedule)}
    assert "no_table" not in groups
    text = _text(client.get(f"/manage/{event.slug}/schedule/1").text)
    assert f"{waiting.first} and {waiting.second}" not in text
