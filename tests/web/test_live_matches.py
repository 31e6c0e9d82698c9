"""Live matches (issue 17): matches appear the moment a registration is approved or changes,
with no organizer run; a pending registration sees a preview; the page speaks in bands."""

import re

import pytest
import sqlalchemy as sa

from matchmaker.extensions import db
from matchmaker.models import Match, MatchModel, MeetingRequest, Organisation, Participant
from matchmaker.services import matchmaking, registration


def partners_on(client, event, more=False):
    page = client.get(f"/events/{event.slug}/matches" + ("?more=1" if more else "")).text
    return re.findall(r'data-testid="match".*?<a href="[^"]+">([^<]+)</a>', page, re.S), page


@pytest.fixture
def organizer(make_user):
    return make_user(email="org@example.com", name="Olga", role="organizer")


@pytest.fixture
def erp(make_user, make_participant, make_event, organizer):
    event = make_event(organizer=organizer)
    return make_participant(
        event, make_user(email="bo@erp.example", name="Bo"), organisation_name="ERP Connect",
        offers=["ERP integration services: SAP and Odoo connectors"], country="RS",
        requests=["Pilot sites in retail"],
    )  # fmt: skip


@pytest.fixture
def retail_user(make_user):
    user = make_user(email="ana@retail.example", name="Ana")
    user.organisation = Organisation(
        name="Retail Plus", country="RO", type="sme", description="A chain of 40 shops"
    )
    db.session.commit()
    return user


OPPORTUNITY = {
    "kind": "request",
    "category": "technology",
    "title": "ERP integration for our chain of shops",
    "description": "SAP connectors",
    "keywords": "erp, sap",
}


def test_pending_registration_sees_a_preview_and_what_it_waits_for(client, auth, erp, retail_user):
    event = erp.event
    me = registration.register(event, retail_user, looking_for="ERP integration")
    registration.save_opportunity(me, OPPORTUNITY, by=retail_user)

    auth.login("ana@retail.example")
    partners, page = partners_on(client, event)
    auth.logout()
    auth.login("bo@erp.example")
    theirs, _ = partners_on(client, event)

    assert me.status == "pending"
    assert partners == ["ERP Connect"]
    assert (
        "Your registration waits for the organizers’ approval; until then partners do not see you."
        in page
    )
    assert "Request a meeting" not in page
    assert theirs == []


def test_approval_makes_matches_appear_for_both_with_no_run(
    client, auth, erp, retail_user, organizer
):
    event = erp.event
    me = registration.register(event, retail_user)
    registration.save_opportunity(me, OPPORTUNITY, by=retail_user)

    registration.set_status(me, "approved", by=organizer)

    auth.login("ana@retail.example")
    mine, page = partners_on(client, event)
    auth.logout()
    auth.login("bo@erp.example")
    theirs, _ = partners_on(client, event)
    assert event.matched_at is None
    assert mine == ["ERP Connect"]
    assert theirs == ["Retail Plus"]
    assert "waits for the organizers" not in page


def test_registration_is_approved_and_matched_at_once_where_no_approval_is_needed(
    client, auth, erp, retail_user
):
    event = erp.event
    event.approval_required = False
    db.session.commit()

    me = registration.register(event, retail_user)
    registration.save_opportunity(me, OPPORTUNITY, by=retail_user)

    auth.login("bo@erp.example")
    assert me.status == "approved"
    assert partners_on(client, event)[0] == ["Retail Plus"]


def test_removing_the_need_removes_the_match_at_once(client, auth, erp, retail_user, organizer):
    event = erp.event
    me = registration.register(event, retail_user)
    opportunity = registration.save_opportunity(me, OPPORTUNITY, by=retail_user)
    registration.set_status(me, "approved", by=organizer)

    registration.remove_opportunity(me, opportunity, by=retail_user)

    auth.login("bo@erp.example")
    assert partners_on(client, event)[0] == []


def test_rejection_removes_the_preview(erp, retail_user, organizer):
    me = registration.register(erp.event, retail_user)
    registration.save_opportunity(me, OPPORTUNITY, by=retail_user)

    registration.set_status(me, "rejected", by=organizer)

    assert db.session.scalars(sa.select(Match)).all() == []


def test_refresh_after_a_full_run_gives_the_full_run_rows(
    erp, make_user, make_participant, retail_user, organizer
):
    event = erp.event
    others = [
        make_participant(
            event,
            make_user(email=f"p{i}@x.example", name=f"P{i}"),
            offers=[f"ERP consulting and SAP training {i}"],
            requests=["Retail pilot shops"],
            country=("RO", "BG", "GR")[i % 3],
        )  # fmt: skip
        for i in range(6)
    ]
    me = registration.register(event, retail_user)
    registration.save_opportunity(me, OPPORTUNITY, by=retail_user)
    registration.set_status(me, "approved", by=organizer)
    matchmaking.compute_matches(event)

    # A pair's score is computed from one side or the other (float32 sums in another order,
    # a last-bit difference); tests/matching/test_live.py checks each side to 1e-9.
    def rows():
        return sorted(
            (m.participant_a_id, m.participant_b_id, round(m.score, 6), str(m.explanation))
            for m in db.session.scalars(sa.select(Match)).all()
        )

    full = rows()
    for participant in [me, erp, *others]:
        matchmaking.refresh_matches(participant)
    db.session.commit()

    assert rows() == full
    assert db.session.get(MatchModel, event.id).participant_count == 8


@pytest.fixture
def scored(erp, make_user, make_participant):
    """ERP Connect with four partners scored 0.4, 0.15, 0.06 and 0.01 (set by hand)."""
    event = erp.event
    names = ["Alpha", "Beta", "Gamma", "Delta"]
    for name, score in zip(names, (0.4, 0.15, 0.06, 0.01), strict=True):
        partner = make_participant(
            event, make_user(email=f"{name.lower()}@x.example", name=name),
            organisation_name=name, offers=["Retail pilot"],
        )  # fmt: skip
        a, b = sorted((erp.id, partner.id))
        db.session.add(
            Match(
                event_id=event.id,
                participant_a_id=a,
                participant_b_id=b,
                score=score,
                explanation={"partner_offers": [], "participant_offers": [], "terms": ["pilot"]},
            )
        )
    db.session.commit()
    return event


def test_matches_read_as_bands_and_stop_at_the_floor(client, auth, scored):
    auth.login("bo@erp.example")
    partners, page = partners_on(client, scored)
    everyone, _ = partners_on(client, scored, more=True)

    assert partners == ["Alpha", "Beta", "Gamma"]
    assert re.findall(r'data-testid="band"[^>]*>([^<]+)<', page) == [
        "Strong match",
        "Good match",
        "Possible match",
    ]
    assert "Show 1 more match with less in common" in page
    assert everyone == ["Alpha", "Beta", "Gamma", "Delta"]
    assert not re.search(r"\d+\s*%", page)


def test_a_pair_card_says_where_it_stands_instead_of_offering_another_request(
    client, auth, scored, erp
):
    alpha, beta = (
        db.session.scalar(sa.select(Participant).join(Organisation).where(Organisation.name == n))
        for n in ("Alpha", "Beta")
    )
    db.session.add_all(
        [
            MeetingRequest(event_id=scored.id, sender_id=erp.id, receiver_id=alpha.id),
            MeetingRequest(event_id=scored.id, sender_id=beta.id, receiver_id=erp.id),
        ]
    )
    db.session.commit()

    auth.login("bo@erp.example")
    _, page = partners_on(client, scored)
    cards = page.split('data-testid="match"')[1:]

    assert "Request sent: waiting for their answer" in cards[0]
    assert "They asked to meet you" in cards[1]
    assert ["Request a meeting" in card for card in cards] == [False, False, True]


def test_a_registration_deleted_since_the_run_is_never_matched_again(erp, retail_user, organizer):
    me = registration.register(erp.event, retail_user)
    registration.save_opportunity(me, OPPORTUNITY, by=retail_user)
    registration.set_status(me, "approved", by=organizer)
    matchmaking.compute_matches(erp.event)
    db.session.delete(erp)
    db.session.commit()

    matchmaking.refresh_matches(me)
    db.session.commit()

    assert db.session.scalars(sa.select(Match)).all() == []
