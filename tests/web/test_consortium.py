"""The consortium builder's and group meetings' pages (issue 25)."""

import re
from html import unescape

import pytest

from matchmaker.extensions import db
from matchmaker.models.group_meetings import GroupMeeting
from tests.consortium_world import IDEA, farm_world

BUILDER = "/events/farm-days/consortium"


@pytest.fixture
def farm(app, make_user, make_event, make_participant):
    return farm_world(make_user, make_event, make_participant)


def text(response):
    """The page's visible text, one space between words."""
    body = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", response.text, flags=re.S)
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", body)).split())


def hidden(response, name):
    return unescape(re.search(rf'name="{name}" value="([^"]*)"', response.text).group(1))


def build(client, auth, farm, **changes):
    auth.login(farm.email("lead"))
    return client.post(BUILDER, data={**IDEA, **changes})


def test_lead_gets_three_teams_in_words(client, auth, farm):
    response = build(client, auth, farm)

    page = text(response)
    assert response.status_code == 200
    assert page.count("Invite team") == 3
    team_1 = page[page.index("Team 1") : page.index("Team 2")]
    for name in ("AgriSense", "Orbital Eye", "AgroUni", "CoopNet"):
        assert name in team_1
    assert "Bulgaria" in team_1 and "Serbia" in team_1
    assert "Role: satellite data" in team_1
    assert "Covers “satellite data” with its offer “Satellite data: earth observation" in team_1
    assert "Every role is covered." in team_1
    assert "Swap for SkyPix (Türkiye)" in team_1 or "Swap for SkyPix (Turkey)" in team_1
    # No ids or raw scores where a person reads names and sentences.
    assert not re.search(r"\b0\.\d{2,}", page)
    assert f"participant {farm.people['eo'].id}" not in page


def test_form_error_keeps_what_was_typed(client, auth, farm):
    response = build(client, auth, farm, roles="", partners="12")

    page = text(response)
    assert "Give at least one role, one per line." in page
    assert "From 3 to 8 partners." in page
    assert 'value="Digital twins of farms from space"' in response.text
    assert "Advise growers on irrigation" in response.text
    assert "Invite team" not in page


def test_too_many_roles_are_refused(client, auth, farm):
    response = build(client, auth, farm, roles="\n".join(f"role {i}" for i in range(9)))

    assert "At most 8 roles: you gave 9." in text(response)


def test_unmeetable_constraint_is_reported(client, auth, farm):
    response = build(client, auth, farm, partners="8", min_countries="8")

    page = text(response)
    assert "Not every constraint can be met at this event:" in page
    assert "At least 8 countries were asked for, but the participants come from only 5" in page
    assert "Bulgaria" in page  # country names, not codes
    assert "countries, at least 8 were asked for." in page


def test_swap_shows_the_alternative_in_the_team(client, auth, farm):
    built = build(client, auth, farm)
    swap = client.post(
        f"{BUILDER}/swap",
        data={"draft": hidden(built, "draft"), "team": "1", "member": farm.people["eo"].id},
    )

    page = text(swap)
    team_1 = page[page.index("Team 1") : page.index("Team 2")]
    assert "Partner swapped in team 1." in page
    assert "SkyPix" in team_1 and "Orbital Eye" not in team_1
    assert 'value="Digital twins of farms from space"' in swap.text  # the idea stays


def test_swap_with_a_forged_draft_changes_nothing(client, auth, farm):
    build(client, auth, farm)
    response = client.post(
        f"{BUILDER}/swap",
        data={"draft": "forged", "team": "1", "member": farm.people["eo"].id},
        follow_redirects=True,
    )

    assert "This proposal has expired: please build the team again." in text(response)


def _invite(client, auth, farm):
    built = build(client, auth, farm)
    response = client.post(f"{BUILDER}/invite", data={"draft": hidden(built, "draft"), "team": "1"})
    assert response.status_code == 302
    return db.session.query(GroupMeeting).one(), response.headers["Location"]


def test_invited_members_see_the_invitation_and_accept(client, auth, farm, outbox):
    made, url = _invite(client, auth, farm)
    auth.logout()
    assert sorted(m["To"] for m in outbox.messages) == sorted(
        farm.email(k) for k in ("eo", "trials", "coops2")
    )

    for key in ("eo", "trials", "coops2"):
        auth.login(farm.email(key))
        page = text(client.get(url))
        assert "Digital twins of farms from space" in page
        assert "Advise growers on irrigation" in page
        assert "A consortium proposed by AgriSense." in page
        assert "Your answer" in page
        client.post(f"{url}/accept")
        auth.logout()

    auth.login(farm.email("lead"))
    page = text(client.get(url))
    assert "Confirmed: to be placed in the agenda" in page
    assert page.count("Accepted") == 4


def test_member_sees_their_role(client, auth, farm):
    made, url = _invite(client, auth, farm)
    auth.logout()
    auth.login(farm.email("eo"))

    assert "You are invited for: satellite data" in text(client.get(url))


def test_non_member_cannot_answer_or_see(client, auth, farm):
    made, url = _invite(client, auth, farm)
    auth.logout()
    auth.login(farm.email("fintech"))

    assert client.get(url).status_code == 404
    assert client.post(f"{url}/accept").status_code == 404
    db.session.expire_all()
    assert {m.status for m in made.members} == {"accepted", "invited"}


def test_lead_replaces_a_member_who_declined(client, auth, farm):
    made, url = _invite(client, auth, farm)
    auth.logout()
    auth.login(farm.email("eo"))
    client.post(f"{url}/decline")
    auth.logout()
    auth.login(farm.email("lead"))

    page = text(client.post(f"{url}/replace/{farm.people['eo'].id}", follow_redirects=True))

    assert "SkyPix is invited instead." in page
    assert "Orbital Eye" not in page


def test_lead_cancels_after_confirming(client, auth, farm):
    made, url = _invite(client, auth, farm)

    unticked = client.post(f"{url}/cancel", data={})
    assert "Tick the box to confirm." in text(unticked)
    client.post(f"{url}/cancel", data={"confirmed": "y"})

    assert "Cancelled" in text(client.get(url))


def test_organizer_lists_and_sets_up_group_meetings(client, auth, farm):
    _invite(client, auth, farm)
    auth.logout()
    auth.login(farm.organizer.email)

    listed = text(client.get("/manage/farm-days/group-meetings"))
    assert "Digital twins of farms from space" in listed
    assert "Waiting for answers" in listed and "1 of 4 accepted" in listed
    picked = [farm.people[k].id for k in ("lead", "fintech")]
    new = "/manage/farm-days/group-meetings/new"
    refused = client.post(new, data={"title": "Round table", "participants": picked})
    assert "Pick 3 to 8 participants: you picked 2." in text(refused)
    assert 'value="Round table"' in refused.text
    picked.append(farm.people["eo"].id)
    made = client.post(
        "/manage/farm-days/group-meetings/new",
        data={"title": "Round table", "participants": picked},
        follow_redirects=True,
    )
    assert "The group meeting is set up; its members are told." in text(made)
    assert "Confirmed: to be placed in the agenda" in text(made)


def test_organizer_builds_on_behalf_of_a_participant(client, auth, farm):
    auth.login(farm.organizer.email)

    response = client.post(BUILDER, data={**IDEA, "lead": farm.people["lead"].id})

    assert text(response).count("Invite team") == 3


def test_another_events_organizer_gets_404(client, auth, farm, make_user, make_event):
    other = make_user(email="otto@else.example", name="Otto", role="organizer")
    make_event(slug="else-days", organizer=other)
    made, url = _invite(client, auth, farm)
    auth.logout()
    auth.login(other.email)

    assert client.get("/manage/farm-days/group-meetings").status_code == 404
    assert client.get(url).status_code == 404
    assert client.get(BUILDER).status_code == 404


def test_organizer_invites_on_behalf_and_the_lead_is_told(client, auth, farm, outbox):
    auth.login(farm.organizer.email)
    built = client.post(BUILDER, data={**IDEA, "lead": farm.people["lead"].id})

    client.post(f"{BUILDER}/invite", data={"draft": hidden(built, "draft"), "team": "2"})

    made = db.session.query(GroupMeeting).one()
    assert made.lead_participant_id == farm.people["lead"].id
    assert made.created_by_id == farm.organizer.id
    told = [m for m in outbox.messages if m["To"] == farm.email("lead")]
    assert told[-1]["Subject"] == f"Your consortium team is invited: {made.title}"


def test_invitation_waits_in_the_members_inbox(client, auth, farm):
    made, url = _invite(client, auth, farm)
    auth.logout()
    auth.login(farm.email("trials"))

    page = text(client.get("/inbox"))

    assert f"AgriSense invites you to a group meeting: {made.title}." in page
