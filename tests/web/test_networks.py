"""Network pages (issue 23): the public page, administration forms (bad input gives a clear
message and changes nothing), the logo, the change log, statistics exports and the event
form's network select."""

import io
from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from matchmaker.extensions import db
from matchmaker.models import Event, Network, NetworkChair, NetworkLogEntry, NetworkMember
from tests.network_factories import make_chair, make_member, make_network
from tests.web.test_organizer import EVENT_FORM

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
NET = "/networks/danube-ict"


@pytest.fixture
def config_overrides(tmp_path):
    return {"UPLOAD_DIR": str(tmp_path / "uploads")}


@pytest.fixture
def nadia(make_user):
    return make_user(email="nadia@network.example", name="Nadia", role="organizer")


@pytest.fixture
def network(nadia, make_user, make_event):
    olga = make_user(email="olga@org.example", name="Olga", role="organizer")
    events = [
        make_event(slug="ict-2026", title="ICT Days 2026", organizer=olga),
        make_event(slug="ict-2025", title="ICT Days 2025", organizer=olga, status="closed"),
        make_event(slug="ict-draft", title="Secret Draft Days", organizer=olga, status="draft"),
    ]
    network = make_network(admins=[nadia], events=events)
    cluster = make_member(network, "Romanian ICT Cluster")
    make_member(network, "Bulgarian Chamber", country="BG", kind="chamber")
    make_chair(network, cluster, starts_on=date(2024, 1, 1))
    return network


def _counts():
    db.session.expire_all()
    return tuple(
        db.session.scalar(sa.select(sa.func.count()).select_from(model))
        for model in (NetworkMember, NetworkChair, NetworkLogEntry)
    )


def test_public_page_shows_members_chair_and_events_not_drafts(client, network):
    page = client.get(NET).text
    assert "Danube ICT Network" in page
    assert "Bulgarian Chamber" in page and "Chamber of commerce · Bulgaria" in page
    assert "Cluster · Romania" in page
    assert 'data-testid="current-chair">Romanian ICT Cluster<' in page
    assert "ICT Days 2026" in page and "ICT Days 2025" in page
    assert "Secret Draft Days" not in page
    event_page = client.get("/events/ict-2026").text
    assert 'An event of the <a href="/networks/danube-ict">Danube ICT Network</a>.' in event_page
    assert '>2</div><div class="small text-muted">Events so far' in page


def test_admin_pages_need_a_network_administrator(client, auth, network, make_user):
    make_user(email="otto@other.example", name="Otto", role="organizer")
    auth.login("otto@other.example")
    assert client.get(f"{NET}/manage").status_code == 404
    auth.logout()
    auth.login("nadia@network.example")
    assert "Hand over the chair" in client.get(f"{NET}/manage").text


def test_add_member_without_name_or_country_says_why_and_saves_nothing(client, auth, network):
    auth.login("nadia@network.example")
    before = _counts()
    response = client.post(f"{NET}/members/new", data={"name": " ", "kind": "cluster"})
    assert response.status_code == 200
    assert "Give the organisation&#39;s name, or pick one from the list." in response.text
    assert "Choose the organisation&#39;s country." in response.text
    assert _counts() == before


def test_add_member_with_a_logo_shows_it_on_the_public_page(client, auth, network):
    auth.login("nadia@network.example")
    data = {"name": "Moldova IT Park", "country": "MD", "city": "Chișinău",
            "website": "https://itpark.md", "kind": "agency", "contact_name": "Ion",
            "contact_email": "ion@itpark.md",
            "logo": (io.BytesIO(PNG), "../../evil name.png")}  # fmt: skip
    response = client.post(f"{NET}/members/new", data=data, follow_redirects=True)
    assert "Moldova IT Park is now a member of Danube ICT Network." in response.text
    member = _member("Moldova IT Park")
    assert "evil" not in member.logo and member.logo.endswith(".png")
    auth.logout()
    page = client.get(NET).text
    assert "Development agency · Moldova, Chișinău" in page
    with client.get(f"{NET}/members/{member.id}/logo") as logo:
        assert (logo.status_code, logo.mimetype, logo.data) == (200, "image/png", PNG)
    log = _log_texts()
    assert log == ["Moldova IT Park joined as a development agency on "
                   f"{date.today():%d %B %Y}."]  # fmt: skip


def test_a_logo_that_is_no_image_is_refused_and_nothing_saved(client, auth, network):
    auth.login("nadia@network.example")
    before = _counts()
    data = {"name": "Evil Co", "country": "RO", "kind": "cluster",
            "logo": (io.BytesIO(b"<svg onload='alert(1)'/>"), "logo.png")}  # fmt: skip
    response = client.post(f"{NET}/members/new", data=data)
    assert "The logo must be a PNG, JPEG, GIF or WebP image." in response.text
    assert _counts() == before


def test_an_oversized_logo_is_refused_with_the_limit(client, auth, network):
    auth.login("nadia@network.example")
    before = _counts()
    data = {"name": "Big Co", "country": "RO", "kind": "cluster",
            "logo": (io.BytesIO(PNG + b"\x00" * 2 * 1024 * 1024), "big.png")}  # fmt: skip
    response = client.post(f"{NET}/members/new", data=data, follow_redirects=True)
    assert "The logo is too large: at most 1024 KB. Nothing was saved." in response.text
    assert _counts() == before


def test_hand_over_the_chair_asks_first_then_keeps_the_history(client, auth, network):
    auth.login("nadia@network.example")
    chamber = _member("Bulgarian Chamber")
    today = date.today()
    data = {"member": chamber.id, "starts_on": today.isoformat()}
    confirm = client.post(f"{NET}/chair", data=data)
    assert "Hand the chair to Bulgarian Chamber?" in confirm.text
    assert _counts()[1] == 1
    done = client.post(f"{NET}/chair", data={**data, "confirmed": "yes"}, follow_redirects=True)
    assert f"Bulgarian Chamber holds the chair from {today:%d %B %Y}." in done.text
    page = client.get(NET).text
    assert 'data-testid="current-chair">Bulgarian Chamber<' in page
    yesterday = today - timedelta(days=1)
    assert f"01 Jan 2024 – {yesterday:%d %b %Y}" in page


def test_hand_over_without_a_member_says_why(client, auth, network):
    auth.login("nadia@network.example")
    before = _counts()
    response = client.post(f"{NET}/chair", data={"member": "0", "starts_on": "2030-01-01"},
                           follow_redirects=True)  # fmt: skip
    assert "New chair: Choose a member." in response.text
    assert _counts() == before


def test_mark_left_needs_confirming_and_is_logged(client, auth, network):
    auth.login("nadia@network.example")
    chamber = _member("Bulgarian Chamber")
    url = f"{NET}/members/{chamber.id}/leave"
    assert "Mark Bulgarian Chamber as left?" in client.post(url, data={"on": "2026-06-30"}).text
    assert _counts()[2] == 0
    client.post(url, data={"on": "2026-06-30", "confirmed": "yes"})
    assert _log_texts() == ["Bulgarian Chamber left on 30 June 2026."]
    assert "until 30 June 2026" in client.get(NET).text


def test_unknown_email_for_an_administrator_is_a_clear_error(client, auth, network):
    auth.login("nadia@network.example")
    before = _counts()
    response = client.post(f"{NET}/admins", data={"email": "ghost@example.com"},
                           follow_redirects=True)  # fmt: skip
    assert "No account uses ghost@example.com. Ask them to sign up first" in response.text
    assert _counts() == before
    assert [u.email for u in db.session.get(Network, network.id).admins] == [
        "nadia@network.example"]  # fmt: skip


def test_log_page_tells_the_changes_in_words(client, auth, network, make_user):
    make_user(email="cora@network.example", name="Cora")
    auth.login("nadia@network.example")
    client.post(f"{NET}/admins", data={"email": "cora@network.example"})
    page = client.get(f"{NET}/log").text
    assert "Administrator added" in page
    assert "Cora (cora@network.example) became an administrator." in page
    assert "by Nadia" in page


def test_statistics_page_and_exports(client, auth, network):
    auth.login("nadia@network.example")
    page = client.get(f"{NET}/statistics").text
    assert "Meetings between countries" in page and "Meetings per partner cluster" in page
    csv = client.get(f"{NET}/statistics.csv")
    assert csv.mimetype == "text/csv"
    lines = csv.data.decode("utf-8-sig").splitlines()
    assert lines[0] == 'Figure,"Edition, cluster or country",Item,Value'
    assert "Per edition,ICT Days 2026,Registrations,0" in lines
    xlsx = client.get(f"{NET}/statistics.xlsx")
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(xlsx.data)).active
    assert [cell.value for cell in sheet[1]] == [
        "Figure", "Edition, cluster or country", "Item", "Value"]  # fmt: skip


def test_event_form_offers_the_networks_its_organizer_administers(client, auth, network,
                                                                   make_event, nadia):  # fmt: skip
    other = make_network(slug="alpine", name="Alpine Clusters")
    event = make_event(slug="danube-days", organizer=nadia)
    auth.login("nadia@network.example")
    form = client.get(f"/manage/{event.slug}/edit").text
    assert "Danube ICT Network" in form and "Alpine Clusters" not in form
    data = {**EVENT_FORM, "title": event.title, "network_id": str(other.id)}
    response = client.post(f"/manage/{event.slug}/edit", data=data)
    assert "Choose a network from the list." in response.text
    db.session.expire_all()
    assert db.session.get(Event, event.id).network_id is None
    client.post(f"/manage/{event.slug}/edit", data={**data, "network_id": str(network.id)})
    db.session.expire_all()
    assert db.session.get(Event, event.id).network_id == network.id


def test_platform_admin_creates_a_network(client, auth, make_user):
    make_user(email="ada@admin.example", name="Ada", role="admin")
    auth.login("ada@admin.example")
    response = client.post("/networks/new", data={"name": "Alpine Clusters",
                                                   "website": "alpine.example"})  # fmt: skip
    assert "Give the full address, starting with https://" in response.text
    response = client.post("/networks/new", data={"name": "Alpine Clusters"},
                           follow_redirects=True)  # fmt: skip
    assert "Network “Alpine Clusters” created." in response.text


def test_cli_creates_a_network_with_its_administrator(runner, nadia):
    result = runner.invoke(args=["network", "create", "Alpine Clusters", "--admin", nadia.email])
    assert result.output == "Created network Alpine Clusters: /networks/alpine-clusters\n"
    network = db.session.scalar(sa.select(Network))
    assert network.admins == [nadia]
    result = runner.invoke(args=["network", "create", "Alpine", "--admin", "ghost@example.com"])
    assert "No account uses ghost@example.com" in result.output
    assert db.session.scalar(sa.select(sa.func.count(Network.id))) == 1


def _log_texts():
    db.session.expire_all()
    return [entry.detail for entry in db.session.scalars(
        sa.select(NetworkLogEntry).order_by(NetworkLogEntry.id))]  # fmt: skip


def _member(name):
    return db.session.scalar(
        sa.select(NetworkMember).where(NetworkMember.organisation.has(name=name))
    )


def test_edit_member_keeps_what_the_form_leaves_out(client, auth, network):
    auth.login("nadia@network.example")
    chamber = _member("Bulgarian Chamber")
    page = client.get(f"{NET}/members/{chamber.id}/edit").text
    assert 'value="Bulgarian Chamber"' in page
    response = client.post(
        f"{NET}/members/{chamber.id}/edit",
        data={"name": "Bulgarian Chamber of Commerce", "country": "BG", "city": "Sofia"},
        follow_redirects=True,
    )
    assert "Bulgarian Chamber of Commerce: saved." in response.text
    db.session.expire_all()
    assert (chamber.name, chamber.kind, chamber.joined_on) == (
        "Bulgarian Chamber of Commerce", "chamber", date(2020, 1, 1))  # fmt: skip
    assert _log_texts() == ["Changed: name, city."]
