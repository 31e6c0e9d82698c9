"""Memory across events: earlier events of a network, pairs that met there, the met-before
policy in matching and scheduling, and starting a registration from the last one."""

from datetime import date

import pytest
import sqlalchemy as sa

from matchmaker import scheduling
from matchmaker.extensions import db
from matchmaker.matching.history import MET_BEFORE_FACTOR, OUTCOME_ORDER
from matchmaker.models import OUTCOMES, Interest, Match, Opportunity, Participant
from matchmaker.services import agenda, history, matchmaking, registration, schedules
from matchmaker.services.errors import Conflict, DomainError, NotAllowed
from tests import history_world


@pytest.fixture
def w(make_user):
    return history_world.build(make_user)


def _pairs(records, w):
    names = {o.id: name for name, o in w.organisations.items()}
    return {frozenset((names[r.a], names[r.b])): (r.event, r.date, r.outcome) for r in records}


def _score(event, first, second):
    a, b = sorted((first.id, second.id))
    return db.session.scalar(
        sa.select(Match.score).where(
            Match.event_id == event.id, Match.participant_a_id == a, Match.participant_b_id == b
        )
    )


def test_outcome_order_is_the_apps_list_of_outcomes():
    assert OUTCOME_ORDER == tuple(OUTCOMES)


def test_earlier_events_are_the_networks_events_that_ended_before(w):
    assert history.earlier_events(w.this) == [(w.last, date(2026, 5, 13))]
    assert history.earlier_events(w.last) == []
    assert history.earlier_events(w.other) == []  # outside any network


def test_met_before_keeps_meetings_that_took_place_with_their_latest_outcome(w):
    found = _pairs(history.met_before(w.this), w)

    last = ("BBS ICT Days 2026", "2026-05-13")
    assert found == {
        # either side, the more advanced answer of the round
        frozenset(("AgroVest", "SoftServ")): (*last, "follow_up_planned"),
        # the latest round wins over an earlier, more advanced one
        frozenset(("FieldNode", "Danube Data")): (*last, "no_further_contact"),
        frozenset(("SoftServ", "FieldNode")): (*last, ""),
    }


def test_matches_say_where_the_pair_met_and_how_it_went(w):
    matchmaking.compute_matches(w.this)

    rows = {r["partner"].organisation.name: r for r in matchmaking.suggestions(w.now["SoftServ"])}

    assert (
        rows["AgroVest"]["met_before"]["sentence"] == "Met at BBS ICT Days 2026: follow-up planned"
    )
    assert rows["AgroVest"]["met_before"]["when"] == "May 2026"
    assert rows["FieldNode"]["met_before"]["sentence"] == "Met at BBS ICT Days 2026"
    assert all(
        rows[name]["met_before"] is None for name in rows if name not in ("AgroVest", "FieldNode")
    )


def test_lower_policy_lowers_met_pairs_only_in_full_and_live_matching(w):
    agro, soft, field = w.now["AgroVest"], w.now["SoftServ"], w.now["FieldNode"]
    matchmaking.compute_matches(w.this)
    left = {pair: _score(w.this, *pair) for pair in ((agro, soft), (agro, field))}

    matchmaking.set_options(w.this, 0.0, [], by=w.olga, met_before_policy="lower")
    matchmaking.compute_matches(w.this)

    assert _score(w.this, agro, soft) == pytest.approx(left[(agro, soft)] * MET_BEFORE_FACTOR)
    assert _score(w.this, agro, field) == pytest.approx(left[(agro, field)])
    full = _score(w.this, agro, soft)
    matchmaking.refresh_matches(agro)
    db.session.commit()
    assert _score(w.this, agro, soft) == pytest.approx(full, rel=1e-5)


def _candidates(event):
    instance, _ = schedules.build_instance(event)
    return {frozenset((c.a, c.b)): (c.priority, c.weight) for c in instance.candidates}


def _consent(w, limit):
    for participant in w.now.values():
        participant.suggestion_limit = limit
    db.session.commit()


def test_follow_up_policy_suggests_a_meeting_where_the_outcome_calls_for_one(w):
    matchmaking.compute_matches(w.this)
    agro, soft = (str(w.now[name].id) for name in ("AgroVest", "SoftServ"))
    field, data = (str(w.now[name].id) for name in ("FieldNode", "Danube Data"))
    w.this.suggestion_floor = 1.0  # no pair is suggested for its score alone
    _consent(w, 2)
    assert _candidates(w.this) == {}

    matchmaking.set_options(w.this, 0.0, [], by=w.olga, met_before_policy="follow_up")

    # Only the pair whose latest outcome calls for a follow-up, as a suggested meeting.
    assert _candidates(w.this) == {
        frozenset((agro, soft)): (scheduling.SUGGESTION, schedules.FOLLOW_UP_WEIGHT)
    }
    assert frozenset((field, data)) not in _candidates(w.this)


def test_follow_up_needs_consent_and_respects_not_interested(w):
    w.this.met_before_policy = "follow_up"
    _consent(w, 0)
    assert _candidates(w.this) == {}

    _consent(w, 3)
    agro, soft = w.now["AgroVest"], w.now["SoftServ"]
    db.session.add(Interest(event_id=w.this.id, participant_id=soft.id, target_id=agro.id,
                            value="not_interested"))  # fmt: skip
    db.session.commit()
    assert _candidates(w.this) == {}


def test_leave_policy_changes_no_candidate_and_no_score(w):
    _consent(w, 3)
    w.this.suggestion_floor = 1.0
    matchmaking.compute_matches(w.this)
    scores = dict(db.session.execute(sa.select(Match.id, Match.score)).all())

    matchmaking.set_options(w.this, 0.0, [], by=w.olga, met_before_policy="leave")
    matchmaking.compute_matches(w.this)

    assert _candidates(w.this) == {}
    assert sorted(db.session.scalars(sa.select(Match.score)).all()) == sorted(scores.values())


def test_set_options_refuses_an_unknown_policy_and_other_people(w):
    with pytest.raises(DomainError, match="from the list"):
        matchmaking.set_options(w.this, 0.0, [], by=w.olga, met_before_policy="forget")
    with pytest.raises(NotAllowed):
        matchmaking.set_options(w.this, 0.0, [], by=w.users["AgroVest"], met_before_policy="lower")
    db.session.rollback()
    assert w.this.met_before_policy == "leave"


def test_summary_counts_the_pairs_registered_here(w):
    _consent(w, 2)
    w.now["Danube Data"].status = "withdrawn"  # its pair no longer counts here
    db.session.commit()

    found = history.summary(w.this)

    assert found == {"earlier": ["BBS ICT Days 2026"], "pairs": 2, "follow_ups": 1, "accepting": 3}


# -- starting from the last registration ----------------------------------------------------


def test_last_registration_prefers_the_network_then_any_earlier_event(w):
    orgs = w.organisations
    # Lumen Labs was at Agri Forum (September) after the network's May event: the network wins.
    assert history.last_registration(orgs["Lumen Labs"], w.this) == w.before["Lumen Labs"]
    assert history.last_registration(orgs["Eve Labs"], w.this) == w.elsewhere["Eve Labs"]
    assert history.last_registration(orgs["Ivo Works"], w.this) is None
    # Seen from last year's event, nothing came before it.
    assert history.last_registration(orgs["Lumen Labs"], w.last) is None


def _written(participant):
    return sorted(
        (o.kind, o.category, o.title, o.description)
        for o in db.session.scalars(
            sa.select(Opportunity).where(Opportunity.participant_id == participant.id)
        )
    )


def test_start_from_last_copies_the_offers_and_needs_once(w):
    lia = w.users["Lumen Labs"]
    participant = registration.register(w.this, lia, "Partners")
    assert _written(participant) == []

    source = registration.start_from_last(participant, by=lia)

    assert source == w.before["Lumen Labs"]
    assert _written(participant) == _written(w.before["Lumen Labs"])
    assert len(_written(participant)) == 4
    with pytest.raises(Conflict, match="from BBS ICT Days 2026 are already here"):
        registration.start_from_last(participant, by=lia)
    db.session.rollback()
    assert len(_written(participant)) == 4


def test_start_from_last_leaves_a_registration_with_its_own_offers(w):
    field = w.now["FieldNode"]
    before = _written(field)

    with pytest.raises(Conflict, match="already has its own offers and needs"):
        registration.start_from_last(field, by=w.users["FieldNode"])

    db.session.rollback()
    assert _written(field) == before


def test_start_from_last_is_only_for_the_registration_s_people(w):
    participant = registration.register(w.this, w.users["Lumen Labs"])
    with pytest.raises(NotAllowed):
        registration.start_from_last(participant, by=w.users["Eve Labs"])
    db.session.rollback()
    assert _written(participant) == []


def test_register_starting_from_last_copies_at_once(w):
    participant = registration.register(w.this, w.users["Eve Labs"], start_from_last=True)

    assert _written(participant) == _written(w.elsewhere["Eve Labs"])


def test_register_starting_from_nothing_is_refused_and_registers_nobody(w):
    with pytest.raises(DomainError, match="no earlier offers and needs"):
        registration.register(w.this, w.users["Ivo Works"], start_from_last=True)
    db.session.rollback()
    assert (
        db.session.scalar(
            sa.select(sa.func.count(Participant.id)).where(
                Participant.user_id == w.users["Ivo Works"].id
            )
        )
        == 0
    )


def test_agenda_and_inbox_reasons_name_the_earlier_meeting_first(w):
    matchmaking.compute_matches(w.this)
    soft, agro = w.now["SoftServ"], w.now["AgroVest"]
    a, b = sorted((soft.id, agro.id))
    stored = db.session.scalar(
        sa.select(Match).where(Match.participant_a_id == a, Match.participant_b_id == b)
    )

    lines = agenda.why_lines(matchmaking.view_of(stored, soft.id))

    assert lines[0] == "Met at BBS ICT Days 2026: follow-up planned"
    assert len(lines) == 2  # and the best reason of this year


def test_generated_agenda_holds_the_follow_up_as_a_suggested_meeting(w):
    matchmaking.compute_matches(w.this)
    matchmaking.set_options(w.this, 0.0, [], by=w.olga, met_before_policy="follow_up")
    w.this.suggestion_floor = 1.0
    _consent(w, 1)

    draft = schedules.generate(w.this, by=w.olga, time_limit=5.0)

    names = {
        frozenset((m.participant_a.organisation.name, m.participant_b.organisation.name)): m.source
        for m in draft.meetings
    }
    assert names == {frozenset(("AgroVest", "SoftServ")): "suggestion"}
