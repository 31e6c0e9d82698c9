"""The organizer's Groups page, the participant list's group tools, a mission's registration
and the marketplace's request button when two participants may not meet."""

import re

import pytest
import sqlalchemy as sa

from matchmaker.extensions import db
from matchmaker.models import Event, Organisation, Participant, ParticipantGroup
from matchmaker.services import groups
from tests.web.test_organizer import EVENT_FORM


@pytest.fixture
def organizer(make_user, auth):
    user = make_user(email="org@example.com", name="Olga Organizer", role="organizer")
    auth.login("org@example.com")
    return user


@pytest.fixture
def mission(organizer, make_event, make_user, make_participant):
    event = make_event(organizer=organizer, kind="mission", participants_public=True)
    people = {}
    for name, country in (("Dan", "RO"), ("Dora", "RO"), ("Hana", "MD")):
        user = make_user(email=f"{name.lower()}@x.example", name=name)
        people[name] = make_participant(
            event, user, organisation_name=f"{name} Ltd", country=country, offers=["ERP"]
        )
        user.organisation = people[name].organisation
    db.session.commit()
    return event, people


def _group(name):
    return db.session.scalar(sa.select(ParticipantGroup).where(ParticipantGroup.name == name))


def _text(html):
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def test_event_form_saves_the_kind(client, organizer):
    response = client.post(
        "/manage/events/new", data={**EVENT_FORM, "kind": "mission"}, follow_redirects=True
    )

    assert response.status_code == 200
    assert db.session.scalar(sa.select(Event.kind)) == "mission"


def test_event_form_refuses_an_unknown_kind(client, organizer):
    response = client.post("/manage/events/new", data={**EVENT_FORM, "kind": "party"})

    assert "Not a valid choice" in response.text
    assert db.session.scalar(sa.select(sa.func.count(Event.id))) == 0


def test_mission_overview_points_to_the_groups_until_there_are_some(client, mission):
    event, _ = mission
    before = client.get(f"/manage/{event.slug}")
    groups.apply_mission_preset(event, by=event.organizers[0])

    after = client.get(f"/manage/{event.slug}")

    assert "set up its delegation and hosts" in before.text
    assert "set up its delegation and hosts" not in after.text


def test_mission_offers_the_preset_and_it_sets_up_both_sides(client, mission):
    event, _ = mission
    page = client.get(f"/manage/{event.slug}/groups")
    assert "Set up Delegation and Hosts" in page.text

    response = client.post(f"/manage/{event.slug}/groups/preset", follow_redirects=True)

    text = _text(response.text)
    assert "Groups “Delegation” and “Hosts” are ready: each meets only the other." in text
    assert "Set up Delegation and Hosts" not in text
    delegation, hosts = _group("Delegation"), _group("Hosts")
    assert groups.excluded_pairs(event) == {(delegation.id, delegation.id), (hosts.id, hosts.id)}
    # The matrix: only Delegation–Hosts is ticked.
    ticked = re.findall(r'value="(\d+-\d+)" checked', response.text)
    assert ticked == [f"{delegation.id}-{hosts.id}"]


def test_brokerage_event_offers_no_preset(client, organizer, make_event):
    event = make_event(organizer=organizer)

    page = client.get(f"/manage/{event.slug}/groups")

    assert "Set up Delegation and Hosts" not in page.text
    assert "No groups yet" in page.text
    assert "make it an economic mission" in page.text


def test_organizer_adds_renames_and_refuses_duplicate_groups(client, mission):
    event, _ = mission
    client.post(f"/manage/{event.slug}/groups", data={"name": "Buyers"})
    buyers = _group("Buyers")

    client.post(f"/manage/{event.slug}/groups/{buyers.id}", data={"name": "Big buyers"})
    duplicate = client.post(f"/manage/{event.slug}/groups", data={"name": "big BUYERS"})

    assert duplicate.status_code == 400
    assert "There is already a group called “Big buyers”." in _text(duplicate.text)
    # The page shown again keeps the stored rules in its boxes.
    assert re.findall(r'value="(\d+-\d+)" checked', duplicate.text) == [f"{buyers.id}-{buyers.id}"]
    assert [g.name for g in db.session.scalars(sa.select(ParticipantGroup))] == ["Big buyers"]


def test_empty_group_name_is_refused(client, mission):
    event, _ = mission

    response = client.post(f"/manage/{event.slug}/groups", data={"name": "  "})

    assert response.status_code == 400
    assert "This field is required." in response.text
    assert db.session.scalar(sa.select(sa.func.count(ParticipantGroup.id))) == 0


def test_delete_asks_first_then_ungroups_the_members(client, mission):
    event, people = mission
    client.post(f"/manage/{event.slug}/groups/preset")
    delegation = _group("Delegation")
    client.post(
        f"/manage/{event.slug}/groups/by-country", data={"country": "RO", "group": delegation.id}
    )

    asked = client.get(f"/manage/{event.slug}/groups/{delegation.id}/delete")
    assert "Its 2 participants will be in no group, and so meet everyone" in asked.text
    assert _group("Delegation") is not None

    done = client.post(f"/manage/{event.slug}/groups/{delegation.id}/delete", follow_redirects=True)

    assert "Group “Delegation” deleted; 2 participants are no longer in a group." in _text(
        done.text
    )
    assert _group("Delegation") is None
    db.session.expire_all()
    assert people["Dan"].group_id is None


def test_matrix_saves_who_may_meet_whom(client, mission):
    event, _ = mission
    client.post(f"/manage/{event.slug}/groups/preset")
    delegation, hosts = _group("Delegation"), _group("Hosts")

    # Everyone may meet everyone, except hosts with hosts.
    client.post(
        f"/manage/{event.slug}/groups/rules",
        data={"may_meet": [f"{delegation.id}-{delegation.id}", f"{delegation.id}-{hosts.id}"]},
    )

    assert groups.excluded_pairs(event) == {(hosts.id, hosts.id)}


def test_matrix_refuses_a_pair_it_did_not_offer(client, mission):
    event, _ = mission
    client.post(f"/manage/{event.slug}/groups/preset")
    before = groups.excluded_pairs(event)

    response = client.post(
        f"/manage/{event.slug}/groups/rules",
        data={"may_meet": ["999-999"]},
        follow_redirects=True,
    )

    assert "The groups changed meanwhile; nothing was saved." in response.text
    assert groups.excluded_pairs(event) == before


def test_participant_list_moves_everyone_from_a_country_and_one_by_one(client, mission):
    event, people = mission
    client.post(f"/manage/{event.slug}/groups/preset")
    delegation, hosts = _group("Delegation"), _group("Hosts")
    listing = client.get(f"/manage/{event.slug}/participants")
    assert "Put everyone from" in listing.text

    moved = client.post(
        f"/manage/{event.slug}/groups/by-country",
        data={
            "country": "RO",
            "group": delegation.id,
            "back": f"/manage/{event.slug}/participants",
        },
        follow_redirects=True,
    )
    client.post(
        f"/manage/{event.slug}/participants/{people['Hana'].id}/group", data={"group": hosts.id}
    )

    assert moved.request.path == f"/manage/{event.slug}/participants"
    assert "2 participants from Romania are now in “Delegation”." in _text(moved.text)
    db.session.expire_all()
    assert {n: p.group.name for n, p in people.items()} == {
        "Dan": "Delegation",
        "Dora": "Delegation",
        "Hana": "Hosts",
    }


def test_group_of_another_event_is_not_found(client, mission, make_event, organizer):
    event, people = mission
    other = make_event(slug="other-days", organizer=organizer)
    foreign = groups.create_group(other, "Buyers", by=organizer)

    renamed = client.post(f"/manage/{event.slug}/groups/{foreign.id}", data={"name": "Mine"})
    moved = client.post(
        f"/manage/{event.slug}/participants/{people['Dan'].id}/group", data={"group": foreign.id}
    )

    assert (renamed.status_code, moved.status_code) == (404, 302)
    db.session.expire_all()
    assert (foreign.name, people["Dan"].group_id) == ("Buyers", None)


def test_mission_registration_asks_for_a_side(client, auth, mission, make_user):
    event, _ = mission
    nia = make_user(email="nia@x.example", name="Nia")
    nia.organisation = Organisation(name="Nia Ltd", country="RO", type="sme")
    db.session.commit()
    groups.apply_mission_preset(event, by=event.organizers[0])
    auth.logout()
    auth.login("nia@x.example")

    form = client.get(f"/events/{event.slug}/register")
    assert "Choose your side" in form.text
    refused = client.post(f"/events/{event.slug}/register", data={"group": ""})
    assert "Say which side of the mission you are on." in refused.text
    assert db.session.scalar(sa.select(Participant).where(Participant.user_id == nia.id)) is None

    client.post(f"/events/{event.slug}/register", data={"group": _group("Hosts").id})

    joined = db.session.scalar(sa.select(Participant).where(Participant.user_id == nia.id))
    assert joined.group.name == "Hosts"


def test_marketplace_disables_the_request_between_delegates(client, auth, mission):
    event, people = mission
    delegation, _ = groups.apply_mission_preset(event, by=event.organizers[0])
    groups.assign_country(event, "RO", delegation, by=event.organizers[0])
    auth.logout()
    auth.login("dan@x.example")

    dora = client.get(f"/events/{event.slug}/participants/{people['Dora'].id}")
    hana = client.get(f"/events/{event.slug}/participants/{people['Hana'].id}")
    form = client.get(f"/events/{event.slug}/requests/new/{people['Dora'].id}")
    sent = client.post(f"/events/{event.slug}/requests/new/{people['Dora'].id}", data={})

    reason = "Dora Ltd is in the group “Delegation” like you"
    assert "disabled" in dora.text and reason in _text(dora.text)
    assert reason not in _text(hana.text)
    assert f"/requests/new/{people['Hana'].id}" in hana.text
    assert reason in _text(form.text) and "Send request" not in form.text
    assert reason in _text(sent.text)


def test_registration_without_the_group_field_joins_no_group_when_not_a_mission(
    client, auth, organizer, make_event, make_user
):
    event = make_event(organizer=organizer)
    groups.create_group(event, "Buyers", by=organizer)
    nia = make_user(email="nia@x.example", name="Nia")
    nia.organisation = Organisation(name="Nia Ltd", country="RO", type="sme")
    db.session.commit()
    auth.logout()
    auth.login("nia@x.example")

    client.post(f"/events/{event.slug}/register", data={"looking_for": "Partners"})

    joined = db.session.scalar(sa.select(Participant).where(Participant.user_id == nia.id))
    assert (joined.status, joined.group_id) == ("pending", None)
