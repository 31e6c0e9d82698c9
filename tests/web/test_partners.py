"""Partners of an event on the web (issue 23): the organizer's partners page, the invitation
link through sign-up to a tagged registration, and the partner staff's dashboard, which never
shows another partner's companies."""

import re

import pytest
import sqlalchemy as sa

from matchmaker.extensions import db
from matchmaker.models import EventPartner, Organisation, Participant
from tests import partner_world
from tests.conftest import PASSWORD
from tests.web.test_registration import PROFILE

A = partner_world.SLUG
PARTNERS = f"/manage/{A}/partners"
DASHBOARD = f"/events/{A}/partner"


@pytest.fixture
def w(make_user, make_event, make_participant):
    return partner_world.build(make_user, make_event, make_participant)


def _partner(partner_id):
    db.session.expire_all()
    return db.session.get(EventPartner, partner_id)


# --- the organizer's partners page -------------------------------------------------------------


def test_partners_page_shows_each_partners_full_invitation_link(client, auth, w):
    auth.login(w.organizer.email)
    page = client.get(PARTNERS, base_url="http://attacker.example").text
    links = re.findall(r'value="([^"]+/join/[^"]+)"', page)
    expected = f"http://127.0.0.1:5000/events/{A}/join/{w.iasi.invite_token}"
    assert expected in page  # built on BASE_URL, as the links in mail, never on the Host
    assert "attacker.example" not in page
    assert links == [
        expected,
        f"http://127.0.0.1:5000/events/{A}/join/{w.sofia.invite_token}",
    ]
    assert "2 companies registered through its link" in page
    assert "Staff: Irina Pop" in page


def test_an_event_without_network_says_what_to_do(client, auth, w, make_event):
    make_event(slug="lone", organizer=w.organizer)
    auth.login(w.organizer.email)
    page = client.get("/manage/lone/partners").text
    assert "This event belongs to no network yet" in page
    assert "Add as partner" not in page


def test_organizer_adds_a_member_as_partner(client, auth, w):
    auth.login(w.organizer.email)
    response = client.post(PARTNERS, data={"member": str(w.spare.id)}, follow_redirects=True)
    assert "Novi Sad Hub is now a partner" in response.text
    assert [p.name for p in _partner(w.iasi.id).event.partners] == [
        "Iași ICT Cluster",
        "Sofia Tech Chamber",
        "Novi Sad Hub",
    ]
    assert "Every current member of Danube ICT Network is a partner" in response.text


@pytest.mark.parametrize("value", ["", "abc", "999999", "-1", "1" * 40])
def test_adding_an_unknown_member_changes_nothing(client, auth, w, value):
    auth.login(w.organizer.email)
    response = client.post(PARTNERS, data={"member": value}, follow_redirects=True)
    assert response.status_code == 200
    assert "Not a valid choice" in response.text or "This field is required" in response.text
    assert db.session.scalar(sa.select(sa.func.count(EventPartner.id))) == 2


def test_adding_an_existing_partner_again_is_refused(client, auth, w):
    auth.login(w.organizer.email)
    response = client.post(PARTNERS, data={"member": str(w.iasi.member_id)})
    assert "Not a valid choice" in response.text
    assert db.session.scalar(sa.select(sa.func.count(EventPartner.id))) == 2


def test_replacing_a_link_asks_first_then_the_old_link_shows_a_clear_page(client, auth, w):
    old = w.iasi.invite_token
    auth.login(w.organizer.email)
    confirm = client.get(f"{PARTNERS}/{w.iasi.id}/renew")
    assert "The current link stops working at once" in confirm.text
    assert _partner(w.iasi.id).invite_token == old  # asking changed nothing
    response = client.post(f"{PARTNERS}/{w.iasi.id}/renew", follow_redirects=True)
    assert "has a new invitation link; the old one stopped" in response.text
    new = _partner(w.iasi.id).invite_token
    assert new != old and new in response.text
    auth.logout()
    stale = client.get(f"/events/{A}/join/{old}")
    assert stale.status_code == 404
    assert "This invitation link does not work" in stale.text
    assert "was replaced by a newer one" in stale.text
    fresh = client.get(f"/events/{A}/join/{new}").text
    assert "Invited by <strong>Iași ICT Cluster</strong>" in fresh


def test_removing_a_partner_asks_first_and_keeps_its_companies(client, auth, w):
    auth.login(w.organizer.email)
    confirm = client.get(f"{PARTNERS}/{w.iasi.id}/remove").text
    assert "Remove Iași ICT Cluster as a partner?" in confirm
    assert "The 2 companies that registered through its link keep their registration" in confirm
    partner_id = w.iasi.id
    db.session.remove()  # the request loads everything afresh, as a real one does
    response = client.post(f"{PARTNERS}/{partner_id}/remove", follow_redirects=True)
    assert "Iași ICT Cluster is no longer a partner" in response.text
    rows = db.session.execute(
        sa.select(Participant.status, Participant.partner_id)
        .where(Participant.organisation.has(Organisation.name.in_(["SoftLab Iași", "CloudRo"])))
        .order_by(Participant.id)
    ).all()
    assert [tuple(row) for row in rows] == [("pending", None), ("approved", None)]


def test_partner_of_another_event_is_404_for_the_organizer(client, auth, w, make_event):
    other = make_event(slug="agri", organizer=w.organizer, network_id=w.network.id)
    foreign = EventPartner(event=other, member=w.spare)
    db.session.add(foreign)
    db.session.commit()
    auth.login(w.organizer.email)
    assert client.get(f"{PARTNERS}/{foreign.id}/remove").status_code == 404
    assert client.post(f"{PARTNERS}/{foreign.id}/remove").status_code == 404
    assert _partner(foreign.id) is not None


def test_organizer_retags_a_participant_from_its_page(client, auth, w):
    auth.login(w.organizer.email)
    page = f"/events/{A}/registrations/{w.untagged.id}"
    assert "Invited by (partner)" in client.get(page).text
    response = client.post(
        f"/manage/{A}/participants/{w.untagged.id}/partner",
        data={"partner": str(w.sofia.id), "back": page},
        follow_redirects=True,
    )
    assert "Solo Systems is now invited by Sofia Tech Chamber" in response.text
    assert db.session.get(Participant, w.untagged.id).partner_id == w.sofia.id
    listing = client.get(f"/manage/{A}/participants").text
    assert "invited by Sofia Tech Chamber" in listing
    client.post(f"/manage/{A}/participants/{w.untagged.id}/partner", data={"partner": ""})
    db.session.expire_all()
    assert db.session.get(Participant, w.untagged.id).partner_id is None


def test_retagging_to_an_unknown_partner_changes_nothing(client, auth, w):
    auth.login(w.organizer.email)
    response = client.post(
        f"/manage/{A}/participants/{w.iasi_approved.id}/partner",
        data={"partner": "999999"},
        follow_redirects=True,
    )
    assert "Not a valid choice" in response.text
    assert db.session.get(Participant, w.iasi_approved.id).partner_id == w.iasi.id


# --- the invitation link -----------------------------------------------------------------------


def test_a_visitor_follows_the_link_through_sign_up_to_a_tagged_registration(client, w):
    join = client.get(f"/events/{A}/join/{w.sofia.invite_token}")
    assert "Invited by <strong>Sofia Tech Chamber</strong>" in join.text
    signup = re.search(r'href="(/auth/signup\?next=[^"]+)"', join.text).group(1)
    response = client.post(
        signup.replace("&amp;", "&"),
        data={"name": "Nina Georgieva", "email": "nina@newco.example", "password": PASSWORD,
              "confirm": PASSWORD},
    )  # fmt: skip
    assert response.headers["Location"] == f"/auth/login?next=/events/{A}/register"
    response = client.post(
        response.headers["Location"], data={"email": "nina@newco.example", "password": PASSWORD}
    )
    assert response.headers["Location"] == f"/events/{A}/register"
    response = client.get(f"/events/{A}/register")  # first the organisation profile
    client.post(response.headers["Location"], data={**PROFILE, "name": "NewCo"})
    form = client.get(f"/events/{A}/register")
    assert "Invited by <strong>Sofia Tech Chamber</strong>" in form.text
    client.post(f"/events/{A}/register", data={"looking_for": "Banks"})
    registered = db.session.scalar(
        sa.select(Participant).where(Participant.organisation.has(name="NewCo"))
    )
    assert registered.partner_id == w.sofia.id


def test_registering_from_the_plain_event_page_stays_untagged(client, auth, make_user, w):
    user = make_user(email="nina@newco.example", name="Nina")
    auth.login(user.email)
    client.post("/profile", data={**PROFILE, "name": "NewCo"})
    assert "Invited by" not in client.get(f"/events/{A}/register").text
    client.post(f"/events/{A}/register", data={"looking_for": "Banks"})
    registered = db.session.scalar(sa.select(Participant).where(Participant.user_id == user.id))
    assert (registered.status, registered.partner_id) == ("pending", None)


def test_a_link_replaced_between_visit_and_registration_leaves_the_registration_untagged(
    client, auth, make_user, w
):
    user = make_user(email="nina@newco.example", name="Nina")
    auth.login(user.email)
    client.post("/profile", data={**PROFILE, "name": "NewCo"})
    client.get(f"/events/{A}/join/{w.iasi.invite_token}")
    w.iasi.invite_token = "replaced-meanwhile"
    db.session.commit()
    client.post(f"/events/{A}/register", data={"looking_for": "Banks"})
    registered = db.session.scalar(sa.select(Participant).where(Participant.user_id == user.id))
    assert registered.partner_id is None


@pytest.mark.parametrize("token", ["nope", "x" * 300, "%00", "a.b~c", "' OR 1=1 --"])
def test_an_unknown_token_gets_a_clear_page(client, w, token):
    response = client.get(f"/events/{A}/join/{token}")
    assert response.status_code == 404
    if token != "%00":
        assert "This invitation link does not work" in response.text


def test_a_token_under_another_event_is_unknown(client, w, make_event):
    make_event(slug="agri", organizer=w.organizer)
    response = client.get(f"/events/agri/join/{w.iasi.invite_token}")
    assert response.status_code == 404
    assert "This invitation link does not work" in response.text


# --- the partner staff's dashboard -------------------------------------------------------------


def test_dashboard_lists_only_the_partners_own_companies(client, auth, w):
    auth.login(w.irina.email)
    page = client.get(DASHBOARD).text
    assert re.findall(r'data-company="([^"]+)"', page) == ["SoftLab Iași", "CloudRo"]
    assert "FinTech Sofia" not in page and "boris@fintech.example" not in page
    assert "Solo Systems" not in page
    assert "Waiting for approval" in page
    home = client.get("/dashboard").text
    assert f'href="{DASHBOARD}"' in home and "for Iași ICT Cluster" in home


def test_staff_open_their_company_but_another_partners_is_404(client, auth, w):
    auth.login(w.irina.email)
    own = client.get(f"{DASHBOARD}/companies/{w.iasi_approved.id}")
    assert "ema@cloudro.example" in own.text and "Cloud hosting" in own.text
    for other in (w.sofia_company, w.untagged):
        response = client.get(f"{DASHBOARD}/companies/{other.id}")
        assert response.status_code == 404
        assert other.organisation.name not in response.text


def test_staff_approve_their_pending_company_and_it_is_told(client, auth, w, outbox):
    auth.login(w.irina.email)
    response = client.post(f"{DASHBOARD}/companies/{w.iasi_pending.id}/approved",
                           follow_redirects=True)  # fmt: skip
    assert "SoftLab Iași: Approved." in response.text
    assert db.session.get(Participant, w.iasi_pending.id).status == "approved"
    assert outbox.messages[-1]["To"] == "dan@softlab.example"


def test_staff_cannot_decide_on_another_partners_company(client, auth, w, outbox):
    auth.login(w.irina.email)
    response = client.post(f"{DASHBOARD}/companies/{w.sofia_company.id}/rejected")
    assert response.status_code == 404
    assert db.session.get(Participant, w.sofia_company.id).status == "approved"
    assert outbox.messages == []


def test_remind_previews_then_sends_and_says_how_many(client, auth, w, outbox):
    auth.login(w.irina.email)
    preview = client.get(f"{DASHBOARD}/remind").text
    assert "Send 1 reminder" in preview and "CloudRo" in preview
    assert "SoftLab" not in preview  # pending: the decision comes first
    assert outbox.messages == []
    response = client.post(f"{DASHBOARD}/remind", follow_redirects=True)
    assert "Reminded 1 company." in response.text
    assert [m["To"] for m in outbox.messages] == ["ema@cloudro.example"]


def test_export_downloads_only_the_partners_companies(client, auth, w):
    auth.login(w.stefan.email)
    response = client.get(f"{DASHBOARD}/export.csv")
    text = response.data.decode("utf-8-sig")
    assert response.headers["Cache-Control"] == "private, no-store"
    assert [line.split(",")[0] for line in text.splitlines()[1:]] == ["FinTech Sofia"]
    assert client.get(f"{DASHBOARD}/export.xlsx").status_code == 200
    assert client.get(f"{DASHBOARD}/export.pdf").status_code == 404


def test_organizers_and_participants_do_not_get_the_partner_dashboard(client, auth, w):
    for email in (w.organizer.email, "ema@cloudro.example"):
        auth.login(email)
        assert client.get(DASHBOARD).status_code == 404
        auth.logout()


def test_staff_lose_the_dashboard_when_their_member_is_no_longer_a_partner(client, auth, w):
    db.session.delete(w.iasi)
    db.session.commit()
    auth.login(w.irina.email)
    assert client.get(DASHBOARD).status_code == 404
