"""Pages of the memory across events: starting a registration from the last event's offers
and needs, met-before pairs on the matches page, and the organizer's met-before policy."""

import re

import pytest
import sqlalchemy as sa

from matchmaker.extensions import db
from matchmaker.models import Opportunity, Participant
from matchmaker.services import matchmaking
from tests import history_world

THIS = "/events/ict-2027"
LIA_LAST_YEAR = [
    "Smart greenhouse lighting",
    "Joint Horizon Europe proposal on urban farming",
    "Investors for our greenhouse pilot",
    "Distributors in Serbia",
]


@pytest.fixture
def w(make_user):
    return history_world.build(make_user)


def _titles(user):
    """Titles of the person's offers and needs at this year's event, sorted."""
    return sorted(
        db.session.scalars(
            sa.select(Opportunity.title)
            .join(Participant, Participant.id == Opportunity.participant_id)
            .where(Participant.user_id == user.id, Participant.event.has(slug="ict-2027"))
        )
    )


def test_register_page_shows_what_will_be_copied_and_copies_it(client, auth, w):
    auth.login("lia@lumen.example")

    page = client.get(f"{THIS}/register").text

    assert "Start from your offers and needs at BBS ICT Days 2026" in page
    assert all(title in page for title in LIA_LAST_YEAR)
    assert "Register and start from my offers and needs at BBS ICT Days 2026" in page
    response = client.post(
        f"{THIS}/register",
        data={"looking_for": "Growers", "start_from": "y"},
        follow_redirects=True,
    )
    assert "with your offers and needs from BBS ICT Days 2026" in response.text
    assert _titles(w.users["Lumen Labs"]) == sorted(LIA_LAST_YEAR)
    assert response.text.count('data-testid="opportunity"') == 4


def test_plain_register_button_copies_nothing(client, auth, w):
    auth.login("lia@lumen.example")

    response = client.post(
        f"{THIS}/register", data={"looking_for": "Growers"}, follow_redirects=True
    )

    assert "Now add what you offer and what you need" in response.text
    assert _titles(w.users["Lumen Labs"]) == []
    # The registration's page now offers the copy while it has no offer or need.
    assert "Start from my offers and needs at BBS ICT Days 2026" in response.text


def test_register_page_without_history_offers_no_copy(client, auth, w):
    auth.login("ivo@works.example")

    page = client.get(f"{THIS}/register").text

    assert 'data-testid="start-from"' not in page
    assert "start from" not in page.lower()


def test_copy_from_the_registration_page_happens_once(client, auth, w):
    auth.login("eve@labs.example")
    client.post(f"{THIS}/register", data={"looking_for": ""})

    first = client.post(f"{THIS}/me/opportunities/start-from-last", follow_redirects=True)
    second = client.post(f"{THIS}/me/opportunities/start-from-last", follow_redirects=True)

    assert "Copied 2 offers and needs from Agri Forum 2026" in first.text
    assert "Your offers and needs from Agri Forum 2026 are already here" in second.text
    assert _titles(w.users["Eve Labs"]) == ["Grain traders", "Lab tests of grain quality"]
    assert 'data-testid="start-from"' not in second.text


def test_matches_page_marks_the_pair_that_met_before(client, auth, w):
    matchmaking.compute_matches(w.this)
    auth.login("bogdan@soft.example")

    page = client.get(f"{THIS}/matches?more=1").text

    cards = {
        re.search(r'participants/\d+">([^<]+)</a>', card).group(1): card
        for card in page.split('data-testid="match"')[1:]
    }
    assert "Met at BBS ICT Days 2026: follow-up planned" in cards["AgroVest"]
    assert "You met AgroVest at BBS ICT Days 2026 in May 2026" in cards["AgroVest"]
    assert "Met at BBS ICT Days 2026" in cards["FieldNode"]
    assert "Met at" not in cards["Danube Data"]


def test_organizer_chooses_the_met_before_policy(client, auth, w):
    auth.login("olga@bbs.example")

    page = client.get("/manage/ict-2027/matching").text

    assert "Pairs who met at an earlier event of the network" in page
    assert "Lower them in the suggestions" in page
    assert "3 pairs of organisations registered here met at one of them, 1 with a follow-up" in page
    client.post(
        "/manage/ict-2027/matching", data={"cross_border_bonus": "0", "met_before_policy": "lower"}
    )
    db.session.refresh(w.this)
    assert w.this.met_before_policy == "lower"


def test_follow_up_without_consent_tells_the_organizer_why_none_will_be_placed(client, auth, w):
    auth.login("olga@bbs.example")

    client.post(
        "/manage/ict-2027/matching",
        data={"cross_border_bonus": "0", "met_before_policy": "follow_up"},
    )
    page = client.get("/manage/ict-2027/matching").text

    assert "No participant accepts suggested meetings yet" in page


def test_unknown_policy_is_refused_and_changes_nothing(client, auth, w):
    auth.login("olga@bbs.example")

    response = client.post(
        "/manage/ict-2027/matching", data={"cross_border_bonus": "0", "met_before_policy": "forget"}
    )

    assert response.status_code == 200
    assert "Not a valid choice" in response.text
    db.session.refresh(w.this)
    assert w.this.met_before_policy == "leave"


def test_event_outside_a_network_has_no_policy_to_choose(client, auth, w):
    auth.login("olga@bbs.example")

    page = client.get("/manage/agri-2026/matching").text

    assert "met at an earlier event" not in page
