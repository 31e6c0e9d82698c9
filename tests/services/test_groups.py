"""An economic mission's groups in the services: the one rule "may these two meet" refuses
requests, keeps pairs out of the optimiser's candidates and out of the stored matches."""

import pytest
import sqlalchemy as sa

from matchmaker.extensions import db
from matchmaker.models import (
    Interest,
    Match,
    MeetingRequest,
    Organisation,
    Participant,
    Schedule,
    group_exclusions,
)
from matchmaker.services import eventday, groups, matchmaking, registration, schedules
from matchmaker.services import requests as meeting_requests
from matchmaker.services.errors import Conflict, DomainError, NotAllowed

OFFER = "ERP integration for manufacturing companies"
NEED = "ERP integration partners in manufacturing"


@pytest.fixture
def mission(make_user, make_event, make_participant):
    """A mission: delegates Dan and Dora from Romania, hosts Hana and Hugo from Moldova, all
    offering and needing the same thing (so without groups everyone would match everyone)."""
    organizer = make_user(email="olga@org.example", name="Olga", role="organizer")
    event = make_event(organizer=organizer, tables=3, kind="mission")
    people = {}
    for name, country in (("Dan", "RO"), ("Dora", "RO"), ("Hana", "MD"), ("Hugo", "MD")):
        user = make_user(email=f"{name.lower()}@x.example", name=name)
        people[name] = make_participant(
            event, user, organisation_name=f"{name} Ltd", country=country,
            offers=[OFFER], requests=[NEED],
        )  # fmt: skip
        user.organisation = people[name].organisation
    db.session.commit()
    delegation, hosts = groups.apply_mission_preset(event, by=organizer)
    assert groups.assign_country(event, "RO", delegation, by=organizer) == 2
    assert groups.assign_country(event, "MD", hosts, by=organizer) == 2
    return event, people, organizer


def _pairs(rows, people):
    names = {p.id: name for name, p in people.items()}
    return {frozenset((names[a], names[b])) for a, b in rows}


def test_preset_keeps_each_side_from_meeting_itself(mission):
    event, people, _ = mission

    rules = groups.group_rules(event)

    assert [rules.may_meet(people["Dan"].id, people[o].id) for o in ("Dora", "Hana")] == [
        False,
        True,
    ]
    assert rules.may_meet(people["Hana"].id, people["Hugo"].id) is False
    assert groups.has_mission_preset(event) is True


def test_matching_never_pairs_two_delegates(mission):
    event, people, organizer = mission

    matchmaking.compute_matches(event, by=organizer)

    stored = db.session.execute(sa.select(Match.participant_a_id, Match.participant_b_id)).all()
    assert _pairs(stored, people) == {
        frozenset(pair)
        for pair in (("Dan", "Hana"), ("Dan", "Hugo"), ("Dora", "Hana"), ("Dora", "Hugo"))
    }


def test_matching_without_groups_pairs_delegates(mission):
    event, people, organizer = mission
    groups.set_exclusions(event, [], by=organizer)

    matchmaking.compute_matches(event, by=organizer)

    stored = db.session.execute(sa.select(Match.participant_a_id, Match.participant_b_id)).all()
    assert frozenset(("Dan", "Dora")) in _pairs(stored, people)


def test_live_refresh_of_a_delegate_lists_only_hosts(mission):
    event, people, organizer = mission
    matchmaking.compute_matches(event, by=organizer)

    matchmaking.refresh_matches(people["Dan"])
    db.session.commit()

    partners = {row["partner"].organisation.name for row in matchmaking.suggestions(people["Dan"])}
    assert partners == {"Hana Ltd", "Hugo Ltd"}


def test_request_between_delegates_is_refused_and_nothing_saved(mission):
    event, people, _ = mission

    with pytest.raises(DomainError) as refused:
        meeting_requests.send_request(people["Dan"], people["Dora"], "", by=people["Dan"].user)

    assert str(refused.value) == (
        "Dora Ltd is in the group “Delegation” like you: at this event, members of one group "
        "do not meet each other."
    )
    assert db.session.scalar(sa.select(sa.func.count(MeetingRequest.id))) == 0


def test_request_from_delegate_to_host_is_sent(mission):
    event, people, _ = mission

    sent = meeting_requests.send_request(people["Dan"], people["Hana"], "", by=people["Dan"].user)

    assert (sent.status, sent.receiver.organisation.name) == ("pending", "Hana Ltd")


def test_request_sent_before_the_groups_cannot_be_accepted(mission):
    event, people, organizer = mission
    groups.set_exclusions(event, [], by=organizer)
    sent = meeting_requests.send_request(people["Hana"], people["Hugo"], "", by=people["Hana"].user)
    hosts = people["Hana"].group
    groups.set_exclusions(event, [(hosts.id, hosts.id)], by=organizer)

    with pytest.raises(DomainError, match="members of one group do not meet each other"):
        meeting_requests.accept(sent, by=people["Hugo"].user)

    assert db.session.get(MeetingRequest, sent.id).status == "pending"


def test_schedule_never_places_two_delegates_even_when_both_asked(mission):
    event, people, _ = mission
    dan, dora, hana = people["Dan"], people["Dora"], people["Hana"]
    for a, b in ((dan, dora), (dora, dan), (dan, hana), (hana, dan)):
        db.session.add(
            Interest(event_id=event.id, participant_id=a.id, target_id=b.id, value="interested")
        )
    # An accepted request from before the groups: still no meeting between delegates.
    db.session.add(
        MeetingRequest(event_id=event.id, sender_id=dora.id, receiver_id=dan.id, status="accepted")
    )
    db.session.commit()

    draft = schedules.generate(event, time_limit=5)

    placed = _pairs(((m.participant_a_id, m.participant_b_id) for m in draft.meetings), people)
    assert placed == {frozenset(("Dan", "Hana"))}


def test_registration_to_a_mission_needs_a_side(mission, make_user):
    event, _, _ = mission
    newcomer = make_user(email="nia@x.example", name="Nia")
    newcomer.organisation = Organisation(name="Nia Ltd", country="RO", type="sme")
    db.session.commit()

    with pytest.raises(DomainError, match="Say which side of the mission you are on"):
        registration.register(event, newcomer)
    hosts = next(g for g in event.groups if g.name == "Hosts")
    joined = registration.register(event, newcomer, group=hosts)

    assert joined.group.name == "Hosts"


def test_registration_refuses_a_group_of_another_event(mission, make_user, make_event):
    event, _, organizer = mission
    other = make_event(slug="other-mission", organizer=organizer, kind="mission")
    foreign = groups.create_group(other, "Delegation", by=organizer)
    newcomer = make_user(email="nia@x.example", name="Nia")
    newcomer.organisation = Organisation(name="Nia Ltd", country="RO", type="sme")
    db.session.commit()

    with pytest.raises(DomainError, match="Choose one of this event's groups"):
        registration.register(event, newcomer, group=foreign)
    assert (
        db.session.scalar(
            sa.select(sa.func.count(Participant.id)).where(Participant.user_id == newcomer.id)
        )
        == 0
    )


def test_delete_group_ungroups_its_members_and_drops_its_rules(mission):
    event, people, organizer = mission
    delegation = people["Dan"].group

    assert groups.delete_group(delegation, by=organizer) == 2

    db.session.expire_all()
    assert [people[n].group_id for n in ("Dan", "Dora")] == [None, None]
    assert [g.name for g, _ in groups.groups_of(event)] == ["Hosts"]
    remaining = db.session.execute(sa.select(group_exclusions.c.group_a_id)).scalars().all()
    assert remaining == [people["Hana"].group_id]


def test_changing_the_rules_drops_matches_now_excluded(mission):
    event, people, organizer = mission
    groups.set_exclusions(event, [], by=organizer)
    matchmaking.compute_matches(event, by=organizer)
    delegation = people["Dan"].group

    groups.set_exclusions(event, [(delegation.id, delegation.id)], by=organizer)

    stored = db.session.execute(sa.select(Match.participant_a_id, Match.participant_b_id)).all()
    pairs = _pairs(stored, people)
    assert frozenset(("Dan", "Dora")) not in pairs
    assert frozenset(("Hana", "Hugo")) in pairs


def test_group_names_are_checked(mission):
    event, _, organizer = mission

    with pytest.raises(Conflict, match="already a group called “Delegation”"):
        groups.create_group(event, "  delegation ", by=organizer)
    with pytest.raises(DomainError, match="Give the group a name"):
        groups.create_group(event, "   ", by=organizer)
    assert [g.name for g, _ in groups.groups_of(event)] == ["Delegation", "Hosts"]


def test_only_organizers_change_groups(mission):
    event, people, _ = mission

    with pytest.raises(NotAllowed):
        groups.create_group(event, "Buyers", by=people["Dan"].user)
    with pytest.raises(NotAllowed):
        groups.assign(people["Dan"], None, by=people["Dan"].user)


def test_rules_naming_a_group_of_another_event_are_refused(mission, make_event):
    event, _, organizer = mission
    other = make_event(slug="other-mission", organizer=organizer)
    foreign = groups.create_group(other, "Buyers", by=organizer)
    before = groups.excluded_pairs(event)

    with pytest.raises(DomainError, match="a group this event does not have"):
        groups.set_exclusions(event, [(foreign.id, foreign.id)], by=organizer)

    assert groups.excluded_pairs(event) == before


def test_organizer_cannot_add_a_meeting_between_two_delegates_by_hand(mission):
    event, people, organizer = mission
    draft = schedules.generate(event, time_limit=5)
    slot, table = event.slots[0], event.tables[0]

    with pytest.raises(schedules.ScheduleConflict) as refused:
        schedules.add_meeting(draft, people["Dan"], people["Dora"], slot, table, by=organizer)

    assert str(refused.value) == (
        "Dan Ltd and Dora Ltd are both in the group “Delegation”, whose members do not meet "
        "each other at this event."
    )
    assert draft.meetings == []


def test_walk_in_between_two_hosts_is_refused_with_the_reason(mission):
    event, people, _ = mission
    published = Schedule(event_id=event.id, version=1, status="published")
    db.session.add(published)
    db.session.commit()

    problems = eventday.walk_in_problems(published, event.slots[0], people["Hana"], people["Hugo"])
    allowed = eventday.walk_in_problems(published, event.slots[0], people["Hana"], people["Dan"])

    assert problems == [
        "Hana Ltd and Hugo Ltd are both in the group “Hosts”, whose members do not meet each "
        "other at this event."
    ]
    assert allowed == []
