"""Structural checks of the demo brokerage event content (pure data, no Flask)."""

import re
from collections import Counter
from datetime import date, time

import pytest

from matchmaker import demo_data as d

ORG_TYPES = {
    "company",
    "sme",
    "large_company",
    "university",
    "research_organisation",
    "public_body",
    "cluster",
    "other",
}
SIZES = {"1-9", "10-49", "50-249", "250+"}
KINDS = {"offer", "request"}
CATEGORIES = {
    "product",
    "service",
    "technology",
    "partnership",
    "investment",
    "rd_cooperation",
    "expertise",
}
STATUSES = {"pending", "accepted", "declined"}
EMAIL_RE = re.compile(r"^[a-z0-9._-]+@[a-z0-9-]+(\.[a-z0-9-]+)*\.example$")
HHMM_RE = re.compile(r"^\d{2}:\d{2}$")


def _t(value):
    assert HHMM_RE.match(value), value
    return time.fromisoformat(value)


def _people_emails():
    return [p["email"] for org in d.ORGANISATIONS for p in org["people"]]


def test_event_shape():
    ev = d.EVENT
    for key in (
        "slug",
        "title",
        "description",
        "venue",
        "city",
        "country",
        "timezone",
        "days",
        "meeting_minutes",
        "gap_minutes",
        "tables",
        "sectors",
    ):
        assert ev[key], key
    assert len(ev["days"]) == 2
    for day in ev["days"]:
        date.fromisoformat(day["date"])
        assert day["sessions"]
        for start, end in day["sessions"]:
            assert _t(start) < _t(end)
    assert ev["meeting_minutes"] > 0 and ev["gap_minutes"] >= 0 and ev["tables"] > 0
    assert len(set(ev["sectors"])) == len(ev["sectors"])


def test_breaks_fall_inside_sessions():
    sessions = {day["date"]: day["sessions"] for day in d.EVENT["days"]}
    for brk in d.EVENT.get("breaks", []):
        start, end = _t(brk["start"]), _t(brk["end"])
        assert brk["title"]
        assert any(_t(s) <= start < end <= _t(e) for s, e in sessions[brk["date"]]), brk


def test_organisation_counts_and_mix():
    orgs = d.ORGANISATIONS
    assert len(orgs) >= 85
    countries = Counter(org["country"] for org in orgs)
    assert len(countries) >= 10
    assert all(re.fullmatch(r"[A-Z]{2}", c) for c in countries)
    types = Counter(org["type"] for org in orgs)
    assert set(types) == ORG_TYPES
    assert types["sme"] == max(types.values())
    names = [org["name"] for org in orgs]
    assert len(set(names)) == len(names)


def test_organisation_fields():
    sectors = set(d.EVENT["sectors"])
    day_dates = {day["date"] for day in d.EVENT["days"]}
    sessions = {day["date"]: day["sessions"] for day in d.EVENT["days"]}
    for org in d.ORGANISATIONS:
        assert org["type"] in ORG_TYPES, org["name"]
        assert org["size"] in SIZES, org["name"]
        assert org["city"] and org["description"] and org["looking_for"]
        assert re.fullmatch(r"https://[a-z0-9-]+\.(example|test)", org["website"]), org
        assert 1 <= len(org["sectors"]) <= 3, org["name"]
        assert set(org["sectors"]) <= sectors, org["name"]
        assert 1 <= len(org["people"]) <= 2, org["name"]
        for person in org["people"]:
            assert person["name"] and person["job_title"] and person["phone"].startswith("+")
        for day, start, end in org.get("unavailable", []):
            assert day in day_dates
            assert _t(start) < _t(end)
            assert any(_t(s) <= _t(start) and _t(end) <= _t(e) for s, e in sessions[day]), (
                org["name"],
                day,
                start,
                end,
            )


def test_unavailability_share():
    share = sum(1 for org in d.ORGANISATIONS if org.get("unavailable")) / len(d.ORGANISATIONS)
    assert 0.15 <= share <= 0.25


def test_opportunities():
    for org in d.ORGANISATIONS:
        opps = org["opportunities"]
        assert 1 <= len(opps) <= 4, org["name"]
        for opp in opps:
            assert opp["kind"] in KINDS, opp
            assert opp["category"] in CATEGORIES, opp
            assert opp["title"].strip() and opp["description"].strip()
            assert opp["keywords"] and all(isinstance(k, str) and k for k in opp["keywords"])
    kinds = Counter(o["kind"] for org in d.ORGANISATIONS for o in org["opportunities"])
    assert kinds["offer"] >= 60 and kinds["request"] >= 60
    both = sum(1 for org in d.ORGANISATIONS if {o["kind"] for o in org["opportunities"]} == KINDS)
    assert both >= len(d.ORGANISATIONS) * 0.6


def test_emails_unique_and_reserved_domains():
    emails = _people_emails()
    assert len(emails) == len(set(emails))
    for email in emails:
        assert EMAIL_RE.match(email), email
    assert d.ORGANIZER["email"] not in emails
    assert d.ORGANIZER["email"].endswith(".test")


def test_organizer_organisation_is_a_cluster():
    by_name = {org["name"]: org for org in d.ORGANISATIONS}
    assert by_name[d.ORGANIZER["organisation"]]["type"] == "cluster"


def test_meeting_requests():
    emails = set(_people_emails())
    reqs = d.MEETING_REQUESTS
    assert 25 <= len(reqs) <= 40
    pairs = set()
    org_of = {p["email"]: org["name"] for org in d.ORGANISATIONS for p in org["people"]}
    for req in reqs:
        assert req["from"] in emails and req["to"] in emails, req
        assert org_of[req["from"]] != org_of[req["to"]], req
        assert req["status"] in STATUSES
        assert req["message"].strip()
        pair = (req["from"], req["to"])
        assert pair not in pairs and pair[::-1] not in pairs, pair
        pairs.add(pair)
    assert {r["status"] for r in reqs} == STATUSES


def test_demo_logins():
    emails = set(_people_emails())
    assert d.DEMO_LOGINS[0] == d.ORGANIZER["email"]
    assert 3 <= len(d.DEMO_LOGINS) - 1 <= 4
    assert all(e in emails for e in d.DEMO_LOGINS[1:])
    assert d.DEMO_PASSWORD


def test_past_edition_is_a_finished_event_in_another_city():
    past, current = d.PAST_EVENT, d.EVENT
    assert past["slug"] != current["slug"] and past["city"] != current["city"]
    last_day = max(date.fromisoformat(day["date"]) for day in past["days"])
    first_current = min(date.fromisoformat(day["date"]) for day in current["days"])
    assert last_day < first_current and last_day < date(2026, 11, 1)  # over, with time to spare
    opens, closes = (date.fromisoformat(past[k]) for k in ("registration_opens",
                                                          "registration_closes"))  # fmt: skip
    assert opens < closes < min(date.fromisoformat(day["date"]) for day in past["days"])
    sessions = {day["date"]: day["sessions"] for day in past["days"]}
    for brk in past["breaks"]:
        start, end = _t(brk["start"]), _t(brk["end"])
        assert any(_t(s) <= start < end <= _t(e) for s, e in sessions[brk["date"]]), brk


def test_past_edition_shares_are_distributions():
    plan = d.PAST_EDITION
    for key in ("request_statuses", "meeting_statuses", "usefulness", "outcomes"):
        assert sum(plan[key].values()) == pytest.approx(1.0), key
    for outcome, moves in plan["outcome_moves"].items():
        assert sum(moves.values()) == pytest.approx(1.0), outcome
        assert set(moves) <= set(plan["outcomes"])
    assert set(plan["outcomes"]) == {
        "no_further_contact", "follow_up_planned", "offer_sent", "agreement_expected",
        "agreement_signed",
    }  # fmt: skip
    assert [r["kind"] for r in plan["rounds"]] == ["after_event", "follow_up"]
    assert plan["participants"] <= len(d.ORGANISATIONS)
