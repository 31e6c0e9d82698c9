"""The network service (issue 23): members, the chair's rotation, administrators and staff,
each change logged in the same transaction; refusals change nothing."""

from datetime import date

import pytest
import sqlalchemy as sa

from matchmaker.extensions import db
from matchmaker.models import Event, NetworkChair, NetworkLogEntry, NetworkMember, Organisation
from matchmaker.services import events, networks
from matchmaker.services.errors import Conflict, DomainError, NotAllowed
from tests.network_factories import make_chair, make_member, make_network

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture
def config_overrides(tmp_path):
    return {"UPLOAD_DIR": str(tmp_path / "uploads")}


@pytest.fixture
def admin(make_user):
    return make_user(email="nadia@network.example", name="Nadia", role="organizer")


@pytest.fixture
def network(admin):
    return make_network(admins=[admin])


def _log(network):
    return [
        (entry.action, entry.actor.name if entry.actor else None, entry.detail)
        for entry in db.session.scalars(
            sa.select(NetworkLogEntry)
            .where(NetworkLogEntry.network_id == network.id)
            .order_by(NetworkLogEntry.id)
        )
    ]


def test_add_member_creates_organisation_and_logs_it(network, admin):
    member = networks.add_member(
        network,
        {"name": "ICT Cluster Bulgaria", "country": "BG", "city": "Sofia", "website": "",
         "kind": "cluster", "contact_name": "Ivo", "contact_email": "ivo@ict.bg",
         "joined_on": date(2025, 3, 1)},
        by=admin, logo=PNG,
    )  # fmt: skip
    assert (member.name, member.country, member.organisation.city, member.kind) == (
        "ICT Cluster Bulgaria", "BG", "Sofia", "cluster")  # fmt: skip
    assert member.logo.endswith(".png") and "/" not in member.logo
    folder, name, mimetype = networks.logo_path(member)
    assert ((folder / name).read_bytes(), mimetype) == (PNG, "image/png")
    assert _log(network) == [
        ("member_added", "Nadia", "ICT Cluster Bulgaria joined as a cluster on 01 March 2025.")
    ]


def test_add_member_refuses_a_non_image_logo_and_saves_nothing(network, admin):
    with pytest.raises(DomainError, match="PNG, JPEG, GIF or WebP"):
        networks.add_member(
            network, {"name": "Evil", "country": "RO", "kind": "cluster"}, by=admin,
            logo=b"<svg onload=alert(1)>",
        )  # fmt: skip
    db.session.rollback()
    assert db.session.scalar(sa.select(sa.func.count(NetworkMember.id))) == 0
    assert db.session.scalar(sa.select(sa.func.count(Organisation.id))) == 0
    assert _log(network) == []


def test_add_member_refuses_an_oversized_logo(network, admin):
    with pytest.raises(DomainError, match="at most 1024 KB"):
        networks.add_member(network, {"name": "Big", "country": "RO", "kind": "cluster"},
                            by=admin, logo=PNG + b"\x00" * networks.LOGO_MAX_BYTES)  # fmt: skip


def test_the_same_organisation_cannot_join_twice(network, admin):
    member = make_member(network, "Romanian ICT Cluster")
    with pytest.raises(Conflict, match="already a member"):
        networks.add_member(network, {"kind": "cluster"}, by=admin,
                            organisation=member.organisation)  # fmt: skip


def test_only_administrators_change_a_network(network, make_user):
    outsider = make_user(email="otto@other.example", name="Otto", role="organizer")
    with pytest.raises(NotAllowed):
        networks.add_member(network, {"name": "X", "country": "RO", "kind": "cluster"},
                            by=outsider)  # fmt: skip
    assert _log(network) == []


def test_leaving_and_rejoining_are_logged(network, admin):
    member = make_member(network, "Moldova IT Park", country="MD")
    networks.mark_left(member, date(2026, 6, 30), by=admin)
    assert (member.is_current, member.left_on) == (False, date(2026, 6, 30))
    with pytest.raises(DomainError, match="on that day or later"):
        networks.rejoin(member, date(2026, 1, 1), by=admin)
    networks.rejoin(member, date(2026, 9, 1), by=admin)
    assert (member.is_current, member.joined_on) == (True, date(2026, 9, 1))
    assert [action for action, *_ in _log(network)] == ["member_left", "member_rejoined"]


def test_the_chair_cannot_leave_while_in_office(network, admin):
    member = make_member(network, "Romanian ICT Cluster")
    make_chair(network, member, starts_on=date(2024, 1, 1))
    with pytest.raises(Conflict, match="hand it over"):
        networks.mark_left(member, date.today(), by=admin)
    assert member.is_current


def test_chair_rotation_keeps_the_history(network, admin):
    first = make_member(network, "Romanian ICT Cluster")
    second = make_member(network, "ICT Cluster Bulgaria", country="BG")
    third = make_member(network, "Moldova IT Park", country="MD")
    networks.hand_over_chair(network, first, date(2024, 1, 1), by=admin)
    networks.hand_over_chair(network, second, date(2025, 1, 1), by=admin)
    networks.hand_over_chair(network, third, date(2026, 1, 1), by=admin)
    terms = db.session.scalars(sa.select(NetworkChair).order_by(NetworkChair.starts_on)).all()
    assert [(t.member.name, t.starts_on, t.ends_on) for t in terms] == [
        ("Romanian ICT Cluster", date(2024, 1, 1), date(2024, 12, 31)),
        ("ICT Cluster Bulgaria", date(2025, 1, 1), date(2025, 12, 31)),
        ("Moldova IT Park", date(2026, 1, 1), None),
    ]
    assert network.chair_on(date(2025, 6, 1)).member == second
    assert _log(network)[-1] == (
        "chair_changed", "Nadia",
        "Moldova IT Park took the chair from ICT Cluster Bulgaria on 01 January 2026.",
    )  # fmt: skip


def test_chair_hand_over_refuses_an_earlier_start_and_changes_nothing(network, admin):
    first = make_member(network, "Romanian ICT Cluster")
    second = make_member(network, "ICT Cluster Bulgaria", country="BG")
    make_chair(network, first, starts_on=date(2025, 1, 1))
    with pytest.raises(DomainError, match="must start after 01 January 2025"):
        networks.hand_over_chair(network, second, date(2024, 6, 1), by=admin)
    db.session.rollback()
    terms = db.session.scalars(sa.select(NetworkChair)).all()
    assert [(t.member_id, t.ends_on) for t in terms] == [(first.id, None)]
    assert _log(network) == []


def test_chair_goes_to_a_current_member_only(network, admin):
    gone = make_member(network, "Gone Cluster")
    gone.left_on = date(2025, 1, 1)
    with pytest.raises(DomainError, match="current member"):
        networks.hand_over_chair(network, gone, date(2026, 1, 1), by=admin)


def test_admins_and_staff_by_email_with_clear_errors(network, admin, make_user):
    colleague = make_user(email="cora@network.example", name="Cora")
    member = make_member(network, "Romanian ICT Cluster")
    with pytest.raises(DomainError, match="No account uses nobody@example.com"):
        networks.add_admin(network, "nobody@example.com", by=admin)
    networks.add_admin(network, "CORA@network.example", by=admin)
    with pytest.raises(Conflict, match="already administers"):
        networks.add_admin(network, colleague.email, by=admin)
    networks.add_staff(member, colleague.email, by=admin)
    networks.remove_staff(member, colleague, by=admin)
    networks.remove_admin(network, colleague, by=admin)
    with pytest.raises(DomainError, match="at least one administrator"):
        networks.remove_admin(network, admin, by=admin)
    assert [action for action, *_ in _log(network)] == [
        "admin_added", "staff_added", "staff_removed", "admin_removed"]  # fmt: skip


def test_create_network_is_for_platform_admins(make_user):
    ada = make_user(email="ada@admin.example", name="Ada", role="admin")
    olga = make_user(email="olga@org.example", name="Olga", role="organizer")
    with pytest.raises(NotAllowed):
        networks.create_network("Alpine Clusters", "", by=olga)
    network = networks.create_network("Alpine Clusters", "", by=ada, admin_emails=[olga.email])
    assert (network.slug, network.admins) == ("alpine-clusters", [olga])
    with pytest.raises(Conflict, match="taken"):
        networks.create_network("Alpine Clusters", "", by=ada)
    with pytest.raises(Conflict, match="taken"):
        networks.create_network("New", "new", by=ada)


def test_event_joins_only_a_network_its_organizer_administers(network, admin, make_user,
                                                               make_event):  # fmt: skip
    other = make_network(slug="alpine", name="Alpine Clusters")
    event = make_event(organizer=admin)
    sessions = [(s.day, s.start, s.end) for s in event.sessions]
    data = {"network_id": other.id}
    with pytest.raises(NotAllowed):
        events.update_event(event, data, sessions, [], by=admin)
    db.session.rollback()
    assert db.session.get(Event, event.id).network_id is None
    events.update_event(event, {"network_id": network.id}, sessions, [], by=admin)
    assert db.session.get(Event, event.id).network_id == network.id
