"""Figures across a network's editions (issue 23), on a small hand-made set, and the pure
counting functions on plain rows."""

import pytest

from matchmaker.extensions import db
from matchmaker.models import EventPartner, Feedback, FeedbackRound, Meeting, Schedule
from matchmaker.services import network_statistics as ns
from matchmaker.services.network_statistics import AnswerRow, MeetingRow
from tests.network_factories import make_member, make_network

# --- pure: no app, no database -------------------------------------------------------------


def test_count_groups_counts_each_side_group_once_and_leaves_cancelled_out():
    meetings = [
        MeetingRow("held", "RO", "BG", "ICT RO", "Chamber BG"),
        MeetingRow("no_show", "RO", "RO", "ICT RO", "ICT RO"),
        MeetingRow("cancelled", "RO", "MD", "ICT RO", None),
    ]
    groups = ns.count_groups(meetings, [], "cluster")
    assert [(g.label, g.meetings, g.held, g.cross_border) for g in groups] == [
        ("ICT RO", 2, 1, 1),
        ("Chamber BG", 1, 1, 1),
    ]


def test_count_groups_takes_each_sides_latest_answer():
    answers = [
        AnswerRow(1, 10, 2, "agreement_signed", "RO", "ICT RO"),
        AnswerRow(1, 10, 1, "follow_up_planned", "RO", "ICT RO"),
        AnswerRow(1, 11, 1, "offer_sent", "BG", None),
    ]
    groups = {g.label: g for g in ns.count_groups([], answers, "country")}
    assert groups["Romania"].outcomes == {"agreement_signed": 1}
    assert groups["Bulgaria"].outcomes == {"offer_sent": 1}


def test_outcome_moves_compare_first_and_last_round_of_each_side():
    answers = [
        AnswerRow(1, 10, 1, "follow_up_planned"), AnswerRow(1, 10, 2, "agreement_signed"),
        AnswerRow(1, 11, 1, "offer_sent"), AnswerRow(1, 11, 2, "no_further_contact"),
        AnswerRow(2, 10, 1, "offer_sent"), AnswerRow(2, 10, 3, "offer_sent"),
        AnswerRow(2, 11, 1, "offer_sent"),  # one round only: no move
    ]  # fmt: skip
    assert ns.outcome_moves(answers) == {"up": 1, "same": 1, "down": 1}


def test_country_matrix_is_symmetric_with_inner_meetings_on_the_diagonal():
    countries, values = ns.country_matrix([("Bulgaria", "Romania", 3), ("Romania", "Romania", 2)])
    assert countries == ["Bulgaria", "Romania"]
    assert values == [[0, 3], [3, 2]]


# --- a network of two editions ---------------------------------------------------------------


@pytest.fixture
def network_world(make_user, make_event, make_participant):
    """Edition 1: RO (through the Romanian cluster), BG (through the Bulgarian chamber) and MD
    (registered directly) meet RO–BG (held), RO–MD (no-show), BG–MD (cancelled); feedback in
    two rounds. Edition 2: two Romanian companies meet (held). A draft edition is left out."""
    olga = make_user(email="olga@org.example", name="Olga", role="organizer")
    first = make_event(slug="ict-2025", title="ICT Days 2025", organizer=olga, status="closed")
    second = make_event(slug="ict-2026", title="ICT Days 2026", organizer=olga)
    draft = make_event(slug="ict-2027", title="ICT Days 2027", organizer=olga, status="draft")
    network = make_network(events=[first, second, draft])
    ro_cluster = make_member(network, "Romanian ICT Cluster", country="RO")
    bg_chamber = make_member(network, "Bulgarian Chamber", country="BG", kind="chamber")
    partners = {m.name: EventPartner(event_id=first.id, member_id=m.id)
                for m in (ro_cluster, bg_chamber)}  # fmt: skip
    db.session.add_all(partners.values())
    db.session.commit()

    def person(event, email, country, partner=None):
        user = make_user(email=email, name=email.split("@")[0])
        return make_participant(event, user, country=country,
                                partner_id=partner.id if partner else None)  # fmt: skip

    ro = person(first, "ro@a.example", "RO", partners["Romanian ICT Cluster"])
    bg = person(first, "bg@a.example", "BG", partners["Bulgarian Chamber"])
    md = person(first, "md@a.example", "MD")
    ro2 = person(second, "ro2@a.example", "RO")
    ro3 = person(second, "ro3@a.example", "RO")
    person(draft, "dr@a.example", "DE")

    def agenda(event, *meetings):
        schedule = Schedule(event_id=event.id, version=1, status="published")
        db.session.add(schedule)
        db.session.flush()
        made = []
        for index, (a, b, status) in enumerate(meetings):
            meeting = Meeting.between(schedule, event.slots[index], a, b, status=status)
            db.session.add(meeting)
            made.append(meeting)
        db.session.flush()
        return made

    ro_bg, _, _ = agenda(first, (ro, bg, "held"), (ro, md, "no_show_a"), (bg, md, "cancelled"))
    agenda(second, (ro2, ro3, "held"))
    db.session.add_all([
        FeedbackRound(event_id=first.id, number=1, kind="after_event"),
        FeedbackRound(event_id=first.id, number=2, kind="follow_up"),
        Feedback(meeting_id=ro_bg.id, participant_id=ro.id, round=1, held=True,
                 outcome="follow_up_planned"),
        Feedback(meeting_id=ro_bg.id, participant_id=ro.id, round=2, held=True,
                 outcome="agreement_signed"),
        Feedback(meeting_id=ro_bg.id, participant_id=bg.id, round=1, held=True,
                 outcome="offer_sent"),
        Feedback(meeting_id=ro_bg.id, participant_id=bg.id, round=2, held=True,
                 outcome="no_further_contact"),
    ])  # fmt: skip
    db.session.commit()
    return network


def test_network_statistics_count_the_hand_made_editions(network_world):
    result = ns.gather(network_world)
    assert [(e.event.title, e.stats.approved, e.stats.meetings, e.stats.held)
            for e in result.editions] == [("ICT Days 2025", 3, 2, 1),
                                          ("ICT Days 2026", 2, 1, 1)]  # fmt: skip
    assert result.pairs == [
        ("Bulgaria", "Romania", 1), ("Moldova", "Romania", 1), ("Romania", "Romania", 1)
    ]  # fmt: skip
    assert (result.countries, result.matrix) == (
        ["Bulgaria", "Moldova", "Romania"], [[0, 0, 1], [0, 0, 1], [1, 1, 1]])  # fmt: skip
    assert (result.meetings, result.cross_border) == (3, 2)
    clusters = [(g.label, g.meetings, g.held, g.cross_border, g.outcome_row())
                for g in result.by_cluster]  # fmt: skip
    assert clusters == [
        (ns.NO_PARTNER, 2, 1, 1, [0, 0, 0, 0, 0]),  # ties in name order
        ("Romanian ICT Cluster", 2, 1, 2, [0, 0, 0, 0, 1]),
        ("Bulgarian Chamber", 1, 1, 1, [1, 0, 0, 0, 0]),
    ]
    countries = [(g.label, g.meetings, g.held) for g in result.by_country]
    assert countries == [("Romania", 3, 2), ("Bulgaria", 1, 1), ("Moldova", 1, 0)]
    edition = result.editions[0]
    assert edition.rounds == [
        ("Round 1: After the event", [0, 1, 1, 0, 0]),
        ("Round 2: Follow-up", [1, 0, 0, 0, 1]),
    ]
    assert edition.moves == {"up": 1, "same": 0, "down": 1}


def test_headline_figures_across_editions(network_world):
    assert ns.headline(network_world) == [
        ("Events", 2), ("Participants", 5), ("Meetings held", 2), ("Countries", 3)
    ]  # fmt: skip


def test_export_rows_hold_numbers_under_labels(network_world):
    rows = ns.export_rows(ns.gather(network_world))
    assert ("Per partner cluster", "Romanian ICT Cluster", "Meetings", 2) in rows
    assert ("Meetings between countries", "Bulgaria – Romania", "Meetings", 1) in rows
    assert ("Outcome moves between rounds", "ICT Days 2025", "Moved up", 1) in rows
