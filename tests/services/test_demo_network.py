"""The demo's network, its partners and its economic mission, as loaded into the database
(SQLite by default; PostgreSQL with MATCHMAKER_TEST_DATABASE_URL)."""

import re
from datetime import date
from importlib import resources

import sqlalchemy as sa

from matchmaker import demo_data
from matchmaker.extensions import db
from matchmaker.models import (
    Event,
    EventPartner,
    Feedback,
    Meeting,
    Network,
    NetworkLogEntry,
    Organisation,
    Participant,
    User,
    group_exclusions,
)
from matchmaker.services import accounts
from matchmaker.services.demo import load_demo, load_mission, load_past_edition

NETWORK_SLUG = "bbs-ict-network"
MISSION_SLUG = "ro-ict-mission-thessaloniki-2027"


def _network():
    return db.session.scalar(sa.select(Network).where(Network.slug == NETWORK_SLUG))


def _event(slug):
    return db.session.scalar(sa.select(Event).where(Event.slug == slug))


def test_network_has_17_current_members_and_a_chair_today(app):
    load_demo()
    network = _network()
    assert network.name == "Balkan and Black Sea ICT Clusters Network"
    assert len(network.members) == 17 and all(m.is_current for m in network.members)
    assert len({m.country for m in network.members}) == 17
    assert all(m.contact_name and m.joined_on for m in network.members)
    assert [term.member.name for term in network.chairs] == [
        "Transilvania Digital Cluster",
        "Hellenic Digital Innovation Cluster",
        "Sofia ICT Cluster",
    ]
    assert network.chair_on(date.today()).member.name == "Sofia ICT Cluster"
    actions = db.session.scalars(
        sa.select(NetworkLogEntry.action).where(NetworkLogEntry.network_id == network.id)
    ).all()
    assert actions.count("member_added") == 17 and actions.count("chair_changed") == 3


def test_network_admin_and_partner_staff_logins_work(app):
    report = load_demo()
    network = _network()
    roles = [role for role, _, _ in report.network_logins]
    assert roles == ["network admin", "partner staff", "partner staff", "partner staff"]
    for role, email, of in report.network_logins:
        user = accounts.authenticate(email, report.password)
        assert user is not None, email
        if role == "network admin":
            assert network.is_administered_by(user)
        else:
            member = next(m for m in network.members if m.name == of)
            assert user in member.staff and user.organisation == member.organisation


def test_both_editions_have_partners_with_their_countrys_participants(app):
    load_demo()
    load_past_edition()
    network = _network()
    for slug in ("bbs-ict-brokerage-2027", "bbs-ict-brokerage-2026"):
        event = _event(slug)
        assert event.network == network and len(event.partners) >= 5
        for partner in event.partners:
            tagged = db.session.scalars(
                sa.select(Participant).where(Participant.partner_id == partner.id)
            ).all()
            assert tagged, (slug, partner.name)
            assert {p.organisation.country for p in tagged} == {partner.member.country}
        untagged = db.session.scalar(
            sa.select(sa.func.count()).where(
                Participant.event_id == event.id, Participant.partner_id.is_(None)
            )
        )
        assert untagged > 0  # companies of countries without a partner registered directly


def test_organisations_of_2027_met_at_2026_with_recorded_outcomes(app):
    load_demo()
    load_past_edition()
    current = _event("bbs-ict-brokerage-2027")
    past = _event("bbs-ict-brokerage-2026")
    in_2027 = set(
        db.session.scalars(
            sa.select(Participant.organisation_id).where(Participant.event_id == current.id)
        )
    )
    outcomes = db.session.execute(
        sa.select(Meeting.participant_a_id, Meeting.participant_b_id, Feedback.outcome)
        .join(Feedback, Feedback.meeting_id == Meeting.id)
        .where(Meeting.event_id == past.id, Meeting.status == "held", Feedback.outcome.is_not(None))
    ).all()
    org_of = dict(
        db.session.execute(
            sa.select(Participant.id, Participant.organisation_id).where(
                Participant.event_id == past.id
            )
        ).all()
    )
    both = [(a, b) for a, b, _ in outcomes if {org_of[a], org_of[b]} <= in_2027]
    assert len(both) > 50
    assert {"offer_sent", "agreement_signed"} <= {o for _, _, o in outcomes}


def test_mission_has_its_groups_that_never_meet_among_themselves(app):
    report = load_mission()  # loads the demo event first
    mission = _event(MISSION_SLUG)
    assert report.created and mission.kind == "mission" and mission.network == _network()
    assert mission.status in ("registration_open", "matchmaking")
    groups = {group.name: group for group in mission.groups}
    assert sorted(groups) == ["Delegation", "Hosts"]
    pairs = db.session.execute(
        sa.select(group_exclusions.c.group_a_id, group_exclusions.c.group_b_id).where(
            group_exclusions.c.event_id == mission.id
        )
    ).all()
    assert sorted(map(tuple, pairs)) == sorted(
        (g.id, g.id) for g in (groups["Delegation"], groups["Hosts"])
    )
    participants = db.session.scalars(
        sa.select(Participant).where(Participant.event_id == mission.id)
    ).all()
    countries = {
        name: {p.organisation.country for p in participants if p.group == group}
        for name, group in groups.items()
    }
    assert countries == {"Delegation": {"RO"}, "Hosts": {"GR"}}
    assert len(participants) == 24 and all(p.opportunities for p in participants)
    assert {p.partner.name for p in participants} == {
        "Transilvania Digital Cluster",
        "Hellenic Digital Innovation Cluster",
    }
    assert report.summary() == (
        f"Loaded the economic mission ({MISSION_SLUG}): groups Delegation (12 participants) "
        "and Hosts (12 participants)."
    )


def test_whole_demo_runs_again_without_duplicates(app):
    load_demo()
    load_past_edition()
    load_mission()
    models = (User, Organisation, Event, Participant, EventPartner, NetworkLogEntry)

    def counts():
        return [db.session.scalar(sa.select(sa.func.count()).select_from(m)) for m in models]

    before = counts()
    again = load_mission()
    assert not again.created and not load_demo().created and not load_past_edition().created
    assert counts() == before


def test_every_account_of_the_demo_uses_a_reserved_domain(app):
    load_demo()
    load_past_edition()
    load_mission()
    emails = db.session.scalars(sa.select(User.email)).all()
    assert len(emails) > 100
    pattern = re.compile(r"@[a-z0-9.-]+\.(example|test)$")
    assert [e for e in emails if not pattern.search(e)] == []
    contacts = db.session.scalars(sa.select(Network)).one().members
    assert all(pattern.search(m.contact_email) for m in contacts)


def test_demo_command_prints_the_network_logins(runner):
    result = runner.invoke(args=["demo"])
    assert result.exit_code == 0, result.output
    assert "Loaded the economic mission (ro-ict-mission-thessaloniki-2027)" in result.output
    assert "network admin  network.admin@demo.matchmaker.test" in result.output
    assert (
        "partner staff  ioana.rusu@transilvania-digital.example  (Transilvania Digital Cluster)"
        in result.output
    )


def test_demo_command_refuses_a_malformed_file_by_name_and_loads_nothing(
    runner, tmp_path, monkeypatch
):
    for name in demo_data.FILES:
        text = resources.files(demo_data).joinpath(name).read_text()
        if name == "network.toml":
            text = text.replace('kind = "chamber"', 'kind = "chamber')
        (tmp_path / name).write_text(text)
    monkeypatch.setattr(demo_data, "load", lambda: demo_data.read(tmp_path))
    result = runner.invoke(args=["demo"])
    assert result.exit_code == 1
    assert "Error: Demo data file network.toml is not valid TOML" in result.output
    assert db.session.scalar(sa.select(sa.func.count(Event.id))) == 0
