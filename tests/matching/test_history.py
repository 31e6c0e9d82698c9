"""Memory across events in the pure engine: met-before pairs lowered under "lower", reported
in every explanation, and carried by the interchange document."""

import json

import pytest

from matchmaker.matching import MatchRules, MetBefore, Opportunity, Participant, rank_matches
from matchmaker.matching.__main__ import main
from matchmaker.matching.history import MET_BEFORE_FACTOR, index, most_advanced
from matchmaker.matching.interchange import DocumentError, read_document
from matchmaker.matching.live import fit_state, score_participant


def company(pid, organisation, offer, need):
    return Participant(
        id=pid,
        organisation_id=organisation,
        offers=(Opportunity(f"{pid}-o", "offer", offer),),
        requests=(Opportunity(f"{pid}-r", "request", need),),
    )


# A buyer of ERP integration and two nearly equal sellers; the buyer met the first seller's
# organisation last year.
BUYER = company(1, 10, "Factory site for pilot projects", "ERP integration for our web shop")
KNOWN = company(2, 20, "ERP integration and implementation", "Pilot sites in factories")
NEW = company(3, 30, "ERP integration and implementation services", "Pilot sites in a factory")
MET = MetBefore(a=20, b=10, event="BBS ICT Days 2025", date="2025-05-14", outcome="offer_sent")


def ranked(policy, history=(MET,)):
    rules = MatchRules(history=history, met_before_policy=policy)
    return {m.partner_id: m for m in rank_matches([BUYER, KNOWN, NEW], rules)[1]}


def test_lower_multiplies_a_met_pair_by_the_factor_and_leaves_others():
    left, lowered = ranked("leave"), ranked("lower")

    assert lowered[2].score == pytest.approx(left[2].score * MET_BEFORE_FACTOR, rel=1e-6)
    assert lowered[3].score == pytest.approx(left[3].score, rel=1e-6)


def test_lower_puts_the_new_partner_first_when_they_fit_alike():
    order = [m.partner_id for m in rank_matches([BUYER, KNOWN, NEW], MatchRules())[1]]
    lowered = [
        m.partner_id
        for m in rank_matches(
            [BUYER, KNOWN, NEW], MatchRules(history=(MET,), met_before_policy="lower")
        )[1]
    ]

    assert order[0] == 2  # the known seller fits a little better
    assert lowered == [3, 2]


@pytest.mark.parametrize("policy", ["leave", "follow_up"])
def test_leave_and_follow_up_keep_scores_as_without_history(policy):
    without = ranked("leave", history=())

    kept = ranked(policy)

    assert {p: m.score for p, m in kept.items()} == {p: m.score for p, m in without.items()}


def test_explanation_names_the_earlier_meeting_from_both_sides():
    result = rank_matches([BUYER, KNOWN, NEW], MatchRules(history=(MET,)))

    buyer = {m.partner_id: m.explanation.met_before for m in result[1]}
    seller = {m.partner_id: m.explanation.met_before for m in result[2]}
    assert buyer == {2: MET, 3: None}
    assert seller[1] == MET


def test_live_scoring_lowers_as_the_full_run_does():
    rules = MatchRules(history=(MET,), met_before_policy="lower")
    full = {m.partner_id: m.score for m in rank_matches([BUYER, KNOWN, NEW], rules)[1]}

    live = score_participant(fit_state([BUYER, KNOWN, NEW]), BUYER, rules)

    assert {m.partner_id: m.score for m in live.matches} == pytest.approx(full, rel=1e-5)
    assert [m.explanation.met_before for m in live.matches] == [None, MET]


def test_index_keeps_the_latest_meeting_of_a_pair():
    older = MetBefore(10, 20, "BBS ICT Days 2024", "2024-05-10", "no_further_contact")

    assert index([MET, older]) == {frozenset((10, 20)): MET}


def test_most_advanced_outcome_ignores_missing_answers():
    assert most_advanced([None, "follow_up_planned", "", "offer_sent"]) == "offer_sent"
    assert most_advanced([None, ""]) == ""


def test_rules_refuse_an_unknown_policy():
    with pytest.raises(ValueError, match="met_before_policy must be one of"):
        MatchRules(met_before_policy="forget")


# -- the interchange document ------------------------------------------------------------


def document(**extra):
    def participant(p):
        return {
            "id": p.id,
            "organisation_id": p.organisation_id,
            "offers": [{"id": o.id, "title": o.title} for o in p.offers],
            "requests": [{"id": o.id, "title": o.title} for o in p.requests],
        }

    return {
        "format": "matchmaker.participants/1",
        "rules": {"met_before_policy": "lower"},
        "participants": [participant(p) for p in (BUYER, KNOWN, NEW)],
        "history": [
            {"a": 10, "b": 20, "event": "BBS ICT Days 2025", "date": "2025-05-14",
             "outcome": "offer_sent"}
        ],
        **extra,
    }  # fmt: skip


def test_document_history_is_applied_and_reported(tmp_path, capsys):
    path = tmp_path / "participants.json"
    path.write_text(json.dumps(document()))

    code = main(["rank", str(path)])

    out, err = capsys.readouterr()
    buyer = json.loads(out)["results"][0]["matches"]
    assert (code, err) == (0, "")
    assert [m["partner_id"] for m in buyer] == [3, 2]
    assert buyer[1]["explanation"]["met_before"] == {
        "event": "BBS ICT Days 2025",
        "date": "2025-05-14",
        "outcome": "offer_sent",
    }
    assert buyer[0]["explanation"]["met_before"] is None


def test_document_without_history_reads_as_before():
    plain = document()
    del plain["history"], plain["rules"]

    _, rules = read_document(plain)

    assert (rules.history, rules.met_before_policy) == ((), "leave")


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d["rules"].update(met_before_policy="forget"),
         "rules.met_before_policy: expected one of 'leave', 'lower', 'follow_up', got 'forget'"),
        (lambda d: d.update(history={"a": 1}), "document.history: expected a list, got an object"),
        (lambda d: d["history"][0].pop("event"), "history[0]: 'event' is missing"),
        (lambda d: d["history"][0].update(b=10), "history[0]: 'a' and 'b' are the same"),
        (lambda d: d["history"][0].update(outcome="married"), "history[0].outcome: expected one"),
        (lambda d: d["history"][0].update(date="last May"),
         "history[0].date: expected a date YYYY-MM-DD, got 'last May'"),
        (lambda d: d["history"][0].update(a="10"), "history[0].a: '10' reads like"),
        (lambda d: d["history"].append(7), "history[1]: expected an object"),
    ],
)  # fmt: skip
def test_bad_history_is_refused_in_one_line(tmp_path, capsys, change, message):
    broken = document()
    change(broken)
    with pytest.raises(DocumentError, match=None) as refused:
        read_document(broken)
    assert message in str(refused.value)

    path = tmp_path / "participants.json"
    path.write_text(json.dumps(broken))
    code = main(["rank", str(path)])
    out, err = capsys.readouterr()
    assert (code, out) == (2, "")
    assert message in err
    assert err.count("\n") == 1
