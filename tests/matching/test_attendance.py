"""The attendance rule of online and hybrid events in the pure core (issue 24): an online
participant is never matched with one who is in the hall only; everyone else still meets."""

from matchmaker.matching import (
    MatchRules,
    Opportunity,
    Participant,
    attendance_rules,
    meets_online,
    rank_matches,
)
from matchmaker.matching.live import fit_state, score_participant

OFFER = "ERP integration for manufacturing companies"
NEED = "ERP integration partners in manufacturing"


def _participant(pid):
    return Participant(
        id=pid,
        organisation_id=f"org-{pid}",
        offers=(Opportunity(f"{pid}-o", "offer", OFFER),),
        requests=(Opportunity(f"{pid}-r", "request", NEED),),
        country="RO",
    )


# hall: in the hall, joins online meetings too; table: in the hall only; web1, web2: online
PEOPLE = [_participant(pid) for pid in ("hall", "table", "web1", "web2")]
RULES = MatchRules(attendance=attendance_rules(online={"web1", "web2"}, hall_only={"table"}))


def _partners(ranked):
    return {pid: {m.partner_id for m in matches} for pid, matches in ranked.items()}


def test_online_participant_is_never_matched_with_a_hall_only_one():
    partners = _partners(rank_matches(PEOPLE, RULES, top_k=10))
    assert partners == {
        "hall": {"table", "web1", "web2"},
        "table": {"hall"},
        "web1": {"hall", "web2"},
        "web2": {"hall", "web1"},
    }


def test_live_scoring_asks_the_same_rule():
    state = fit_state(PEOPLE)
    ranking = score_participant(state, PEOPLE[1], RULES, top_k=10)
    assert {m.partner_id for m in ranking.matches} == {"hall"}


def test_rule_is_empty_without_one_side():
    assert not attendance_rules(online={"a"}, hall_only=())
    assert not attendance_rules(online=(), hall_only={"b"})
    assert attendance_rules(online={"a"}, hall_only={"b"}).may_meet("a", "c")


def test_a_meeting_is_online_when_either_side_is():
    assert [meets_online(a, b) for a, b in ((0, 0), (1, 0), (0, 1), (1, 1))] == [
        False,
        True,
        True,
        True,
    ]
