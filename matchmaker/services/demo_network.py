"""The demo network (the data file network.toml): its members, the rotation of its chair, its
administrator and the staff of some members, and the members taking part in each demo event
as its partners. services/demo.py calls `join_network` as it creates each demo event.

Deterministic and idempotent: the network is found by its slug and created once; an event's
partners are added once. Takes no random number, so the seeded demo events stay the same.
"""

from datetime import date, datetime, time
from functools import cache

import sqlalchemy as sa

from matchmaker.extensions import db
from matchmaker.models import Organisation, Participant, User
from matchmaker.models.base import utcnow
from matchmaker.models.networks import (
    MEMBER_KINDS,
    EventPartner,
    Network,
    NetworkChair,
    NetworkLogEntry,
    NetworkMember,
)
from matchmaker.services.accounts import hash_password, normalise_email


def _data():
    from matchmaker import demo_data

    return demo_data.load()


def _day(text):
    return date.fromisoformat(text) if text else None


def _morning(day):
    return datetime.combine(day, time(9))


@cache
def _hash(password):
    return hash_password(password)


def demo_password_hash():
    """The hash of the printed demo password, computed once per process: every demo account
    shares that password, and one argon2 hash takes about half a second."""
    return _hash(_data().DEMO_PASSWORD)


def network_logins():
    """(what the account is, its email, whom it acts for) of the network's printed logins: its
    administrators and the partner staff of its members; none when it is not loaded."""
    data = _data().NETWORK
    slug, name = data["network"]["slug"], data["network"]["name"]
    if db.session.scalar(sa.select(Network.id).where(Network.slug == slug)) is None:
        return []  # a database loaded before the demo had its network
    return [("network admin", a["email"], name) for a in data.get("admins", [])] + [
        ("partner staff", s["email"], s["member"]) for s in data.get("staff", [])
    ]


def account(email, name, password_hash, organisation=None, **extra):
    """The demo account with this email, created (verified, a participant, with the demo
    password's hash) when missing; `organisation` is set when it has none."""
    key = normalise_email(email)
    user = db.session.scalar(sa.select(User).where(User.email == key))
    if user is None:
        user = User(
            email=key,
            name=name,
            password_hash=password_hash,
            role="participant",
            email_verified_at=utcnow(),
            **extra,
        )
        db.session.add(user)
    if organisation is not None and user.organisation is None:
        user.organisation = organisation
    return user


def new_organisation(spec):
    """An Organisation row from an [[organisations]] entry of the data files."""
    organisation = Organisation(
        name=spec["name"],
        country=spec["country"],
        city=spec.get("city", ""),
        type=spec["type"],
        size=spec.get("size"),
        website=spec.get("website", ""),
        description=spec.get("description", ""),
        sectors=list(spec.get("sectors", [])),
    )
    db.session.add(organisation)
    return organisation


def demo_organisations(names):
    """name -> Organisation for the organisations of organisations.toml with these names, found
    through the account of each one's first person (names are not unique in the database)."""
    first = {
        spec["name"]: normalise_email(spec["people"][0]["email"])
        for spec in _data().ORGANISATIONS
        if spec["name"] in names
    }
    users = {
        user.email: user
        for user in db.session.scalars(sa.select(User).where(User.email.in_(first.values())))
    }
    return {
        name: users[email].organisation
        for name, email in first.items()
        if email in users and users[email].organisation is not None
    }


def ensure_network():
    """The demo network, created with its members, chair terms, administrators, member staff
    and log when missing (flushed; the caller commits). The organisations of organisations.toml
    it names must be loaded (load_demo does it first)."""
    data = _data().NETWORK
    spec = data["network"]
    network = db.session.scalar(sa.select(Network).where(Network.slug == spec["slug"]))
    if network is not None:
        return network
    password_hash = demo_password_hash()
    organisations = demo_organisations({m["organisation"] for m in data["members"]})
    for extra in data.get("organisations", []):
        organisations[extra["name"]] = new_organisation(extra)

    founded = min(date.fromisoformat(m["joined"]) for m in data["members"])
    network = Network(
        slug=spec["slug"],
        name=spec["name"],
        description=spec.get("description", ""),
        website=spec.get("website", ""),
        created_at=_morning(founded),
    )
    network.admins = [
        account(
            a["email"],
            a["name"],
            password_hash,
            organisations.get(a.get("organisation")),
            job_title=a.get("job_title", ""),
            phone=a.get("phone", ""),
        )
        for a in data.get("admins", [])
    ]
    db.session.add(network)
    members = {}
    for m in data["members"]:
        members[m["organisation"]] = NetworkMember(
            organisation=organisations[m["organisation"]],
            kind=m["kind"],
            contact_name=m.get("contact_name", ""),
            contact_email=m.get("contact_email", ""),
            joined_on=date.fromisoformat(m["joined"]),
            left_on=_day(m.get("left")),
        )
        # Appended, not linked by `network=`: a backref alone does not add a row to the session.
        network.members.append(members[m["organisation"]])
    for term in data["chairs"]:
        network.chairs.append(
            NetworkChair(
                member=members[term["member"]],
                starts_on=date.fromisoformat(term["starts"]),
                ends_on=_day(term.get("ends")),
            )
        )
    staff = []
    for s in data.get("staff", []):
        member = members[s["member"]]
        user = account(
            s["email"],
            s["name"],
            password_hash,
            member.organisation,
            job_title=s.get("job_title", ""),
            phone=s.get("phone", ""),
        )
        member.staff.append(user)
        staff.append((user, member))
    db.session.flush()
    _log(network, members, staff, data)
    return network


def _log(network, members, staff, data):
    """The network's history as its log shows it: members joining and leaving, the chair
    handed over, the administrators and staff added."""
    actor = network.admins[0] if network.admins else None
    entries = []
    for name, member in members.items():
        entries.append(
            (
                member.joined_on,
                "member_added",
                member,
                f"{name} joined as a {MEMBER_KINDS[member.kind].lower()}.",
            )
        )
        if member.left_on:
            entries.append((member.left_on, "member_left", member, f"{name} left the network."))
    for term in network.chairs:
        entries.append(
            (
                term.starts_on,
                "chair_changed",
                term.member,
                f"{term.member.name} took over the chair.",
            )
        )
    latest = max(term.starts_on for term in network.chairs)
    for admin in network.admins:
        entries.append((latest, "admin_added", None, f"{admin.name} administers the network."))
    for user, member in staff:
        entries.append((latest, "staff_added", member, f"{user.name} acts for {member.name}."))
    for day, action, member, detail in sorted(entries, key=lambda e: (e[0], e[1])):
        db.session.add(
            NetworkLogEntry(
                network_id=network.id,
                at=_morning(day),
                actor_id=actor.id if actor else None,
                action=action,
                member_id=member.id if member else None,
                detail=detail,
            )
        )


def join_network(event):
    """Make `event` an event of the demo network (created first when missing) and add the
    members network.toml names as its partners, once; the event's participants from a
    partner's country are tagged to that partner. Flushes; the caller commits."""
    network = ensure_network()
    event.network = network
    spec = next((p for p in _data().NETWORK.get("partners", []) if p["event"] == event.slug), None)
    if spec is None or event.partners:
        return
    members = {member.name: member for member in network.members}
    by_country = {}
    for name in spec["members"]:
        partner = EventPartner(member=members[name])
        event.partners.append(partner)
        by_country.setdefault(partner.member.country, partner)
    db.session.flush()
    rows = db.session.execute(
        sa.select(Participant, Organisation.country)
        .join(Organisation, Organisation.id == Participant.organisation_id)
        .where(Participant.event_id == event.id)
    )
    for participant, country in rows:
        participant.partner = by_country.get(country)
