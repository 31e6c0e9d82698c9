import re

import pytest
import sqlalchemy as sa

from matchmaker.extensions import db
from matchmaker.models import Match
from matchmaker.services import matchmaking


@pytest.fixture
def market(make_event, make_user, make_participant):
    organizer = make_user(email="org@example.com", name="Olga", role="organizer")
    event = make_event(organizer=organizer)
    retail = make_participant(
        event, make_user(email="ana@retail.example", name="Ana"), organisation_name="Retail Plus",
        requests=["ERP integration for our chain of 40 shops"], offers=["Retail pilot sites"],
    )  # fmt: skip
    erp = make_participant(
        event, make_user(email="bo@erp.example", name="Bo"), organisation_name="ERP Connect",
        offers=["ERP integration services: SAP and Odoo connectors"], country="RS",
        requests=["Pilot sites in retail"],
    )  # fmt: skip
    games = make_participant(
        event, make_user(email="cem@games.example", name="Cem"), organisation_name="Pixel Games",
        offers=["Mobile games for kids"], country="TR",
    )  # fmt: skip
    matchmaking.compute_matches(event)
    return event, retail, erp, games


def test_need_for_erp_integration_finds_the_integrator_first_and_says_why(client, auth, market):
    event, retail, erp, games = market
    auth.login("ana@retail.example")
    page = client.get(f"/events/{event.slug}/matches").text
    partners = re.findall(r'data-testid="match".*?<a href="[^"]+">([^<]+)</a>', page, re.S)
    assert partners[0] == "ERP Connect"
    # The stronger direction is the reason; the other one follows under "More reasons".
    reasons = re.findall(r'data-testid="reason">([^<]+)</p>', page)
    assert reasons[0] == "Your “Retail pilot sites” answers their need “Pilot sites in retail”."
    assert (
        "<li>“ERP integration services: SAP and Odoo connectors” for your "
        "“ERP integration for our chain of 40 shops”</li>"
    ) in page


def test_matches_are_stored_once_per_pair_within_the_event(app, market):
    event, retail, erp, games = market
    pairs = db.session.execute(sa.select(Match.participant_a_id, Match.participant_b_id)).all()
    assert len(pairs) == len(set(pairs))
    assert all(a < b for a, b in pairs)
    assert event.matched_at is not None


def test_not_interested_hides_the_match_and_is_a_rule_for_the_next_run(client, auth, market):
    event, retail, erp, games = market
    auth.login("ana@retail.example")
    client.post(f"/events/{event.slug}/matches/{erp.id}/not_interested")
    assert "ERP Connect" not in client.get(f"/events/{event.slug}/matches").text
    assert "ERP Connect" in client.get(f"/events/{event.slug}/matches?show=hidden").text
    matchmaking.compute_matches(event)
    pair = sorted((retail.id, erp.id))
    stored = db.session.scalar(
        sa.select(Match).where(Match.participant_a_id == pair[0], Match.participant_b_id == pair[1])
    )
    assert stored is None


def test_interest_from_both_sides_is_flagged_mutual(client, auth, market):
    event, retail, erp, games = market
    auth.login("ana@retail.example")
    client.post(f"/events/{event.slug}/matches/{erp.id}/interested")
    auth.logout()
    auth.login("bo@erp.example")
    assert "Interested in you" in client.get(f"/events/{event.slug}/matches").text
    client.post(f"/events/{event.slug}/matches/{retail.id}/interested")
    page = client.get(f"/events/{event.slug}/matches?show=mutual").text
    assert "Retail Plus" in page and "Mutual interest" in page


def test_matches_page_is_only_for_the_events_participants(client, auth, market, make_user):
    event, *_ = market
    make_user(email="outsider@example.com")
    auth.login("outsider@example.com")
    assert client.get(f"/events/{event.slug}/matches").status_code == 404
    assert client.post(f"/events/{event.slug}/matches/1/interested").status_code == 404


def test_organizer_runs_matching_and_sees_health(client, auth, market):
    event, retail, erp, games = market
    auth.login("org@example.com")
    response = client.post(f"/manage/{event.slug}/matching/run", follow_redirects=True)
    assert "Matching done:" in response.text
    assert "Last run" in response.text
    assert "No request sent or received" in response.text
    assert "Pixel Games" in response.text  # no request, and no good match


def test_participant_cannot_run_matching(client, auth, market):
    event, *_ = market
    auth.login("ana@retail.example")
    assert client.post(f"/manage/{event.slug}/matching/run").status_code == 404


def test_match_command_reports_stored_pairs(runner, market):
    event, *_ = market
    result = runner.invoke(args=["match", event.slug])
    assert result.exit_code == 0, result.output
    assert "Stored" in result.output and "pairs" in result.output
    result = runner.invoke(args=["match", "no-such-event"])
    assert "No event with the address 'no-such-event'" in result.output
