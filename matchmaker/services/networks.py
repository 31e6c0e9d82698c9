"""Networks (issue 23): their member organisations, the rotating chair, administrators and
member staff, and the log of every change.

Every change takes the acting user (`by`), checks that they administer the network (its
administrators and platform admins), writes a NetworkLogEntry in the same transaction and
commits; a refused change raises a DomainError and leaves the database as it was.
"""

import secrets
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import sqlalchemy as sa
from flask import current_app
from flask_babel import force_locale, format_date
from flask_babel import gettext as _

from matchmaker.countries import country_name
from matchmaker.extensions import db
from matchmaker.models import (
    MEMBER_KINDS,
    Event,
    Network,
    NetworkChair,
    NetworkLogEntry,
    NetworkMember,
    Organisation,
)
from matchmaker.services.accounts import find_user
from matchmaker.services.errors import Conflict, DomainError, NotAllowed
from matchmaker.webutil import options

# Logos: small raster images only (an SVG can carry script). The type is read from the
# file's first bytes, never from its name or the browser's word.
LOGO_MAX_BYTES = 1024 * 1024
LOGO_TYPES = {
    b"\x89PNG\r\n\x1a\n": "png",
    b"\xff\xd8\xff": "jpg",
    b"GIF87a": "gif",
    b"GIF89a": "gif",
}
LOGO_MIMETYPES = {"png": "image/png", "jpg": "image/jpeg", "gif": "image/gif", "webp": "image/webp"}
MEMBER_FIELDS = ("kind", "contact_name", "contact_email", "joined_on")
ORGANISATION_FIELDS = ("name", "country", "city", "website")


def _english(label):
    """A vocabulary label in English: the log stores its sentences as written, in English,
    whatever the language of the administrator who made the change."""
    with force_locale("en"):
        return str(label)


def get_network(slug):
    """The network with this slug, or None."""
    return db.session.scalar(sa.select(Network).where(Network.slug == slug))


def all_networks():
    """Every network, by name."""
    return db.session.scalars(sa.select(Network).order_by(Network.name)).all()


def networks_for(user):
    """The networks `user` may attach an event to: all for platform admins, else those they
    administer (by name)."""
    if not user.is_authenticated:
        return []
    query = sa.select(Network).order_by(Network.name)
    if not user.is_admin:
        query = query.where(Network.admins.any(id=user.id))
    return db.session.scalars(query).all()


def network_choices(user, event=None):
    """(value, label) choices of the event form's network select: none, the networks `user`
    may use, and the event's current network (kept even when `user` administers it not)."""
    found = {network.id: network.name for network in networks_for(user)}
    if event is not None and event.network is not None:
        found.setdefault(event.network.id, event.network.name)
    pairs = sorted(found.items(), key=lambda pair: pair[1].casefold())
    return options([(0, _("No network"))] + pairs)


def check_network_choice(network_id, by, current_id=None):
    """The Network `by` may attach an event to, or None for `network_id` None/0. Keeping the
    event's current network is always allowed (a co-organizer who administers no network
    saves the form unchanged). Raises NotAllowed otherwise."""
    if not network_id:
        return None
    network = db.session.get(Network, network_id)
    if network is None or (network_id != current_id and not network.is_administered_by(by)):
        raise NotAllowed(_("You can attach an event only to a network you administer."))
    return network


RESERVED_SLUGS = {"new"}  # /networks/new is the creation page


def create_network(name, slug, by, description="", website="", admin_emails=()):
    """Create a network and commit; `by` is a platform admin, or None for the server's
    operator at the command line. `admin_emails`: accounts made its first administrators.
    Raises Conflict when the web address is taken, DomainError for an unknown email."""
    if by is not None and not by.is_admin:
        raise NotAllowed(_("Only platform administrators can create a network."))
    from matchmaker.services.events import slugify

    slug = slugify(slug or name)
    if slug in RESERVED_SLUGS or get_network(slug) is not None:
        raise Conflict(_("The web address /networks/%(slug)s is taken: choose another.", slug=slug))
    network = Network(name=name.strip(), slug=slug, description=description, website=website)
    network.admins = [_account(email) for email in admin_emails]
    db.session.add(network)
    db.session.commit()
    return network


def _require_admin(network, by):
    if not network.is_administered_by(by):
        raise NotAllowed(_("Only the network's administrators can change it."))


def _log(network, by, action, member=None, detail=""):
    db.session.add(
        NetworkLogEntry(
            network_id=network.id,
            actor_id=by.id if by is not None else None,
            action=action,
            member=member,
            detail=detail,
        )
    )


# --- members ---------------------------------------------------------------------------------


def add_member(network, data, by, logo=None, organisation=None):
    """Add a member and commit; returns the NetworkMember. `organisation` is an existing one
    to take as it is; without it `data` gives name, country (alpha-2), city and website of a
    new one. `data` also holds MEMBER_FIELDS; `logo` the uploaded file's bytes or None.
    Raises Conflict when the organisation already belongs to the network, DomainError for a
    logo that is not a small image."""
    _require_admin(network, by)
    if organisation is not None and _membership(network, organisation) is not None:
        raise Conflict(
            _(
                "%(organisation)s is already a member of %(network)s.",
                organisation=organisation.name,
                network=network.name,
            )
        )
    stored = _store_logo(logo) if logo else ""
    if organisation is None:
        organisation = Organisation(
            **{name: (data.get(name) or "").strip() for name in ORGANISATION_FIELDS},
            type="cluster" if data.get("kind") == "cluster" else "other",
        )
        db.session.add(organisation)
    member = NetworkMember(network=network, organisation=organisation, logo=stored)
    _set_member_fields(member, data)
    member.joined_on = member.joined_on or date.today()
    db.session.add(member)
    kind = _english(MEMBER_KINDS[member.kind]).lower()
    _log(network, by, "member_added", member, f"{organisation.name} joined as a "
         f"{kind} on {member.joined_on:%d %B %Y}.")  # fmt: skip
    db.session.commit()
    return member


def update_member(member, data, by, logo=None, remove_logo=False):
    """Change a member's details (MEMBER_FIELDS and its organisation's ORGANISATION_FIELDS
    present in `data`), its logo, and commit. The log names the fields that changed."""
    network = member.network
    _require_admin(network, by)
    changed = []
    for name in ORGANISATION_FIELDS:
        if name in data and (data[name] or "").strip() != getattr(member.organisation, name):
            setattr(member.organisation, name, (data[name] or "").strip())
            changed.append(name.replace("_", " "))
    before = {name: getattr(member, name) for name in MEMBER_FIELDS}
    _set_member_fields(member, data)
    changed += [n.replace("_", " ") for n in MEMBER_FIELDS if getattr(member, n) != before[n]]
    old_logo = member.logo
    if logo:
        member.logo = _store_logo(logo)
        changed.append("logo")
    elif remove_logo and member.logo:
        member.logo = ""
        changed.append("logo removed")
    if not changed:
        return member
    _log(network, by, "member_changed", member, f"Changed: {', '.join(changed)}.")
    db.session.commit()
    if old_logo and old_logo != member.logo:
        _delete_logo(old_logo)
    return member


def _set_member_fields(member, data):
    for name in MEMBER_FIELDS:
        if name in data and not (name == "joined_on" and data[name] is None):
            value = data[name]
            setattr(member, name, value.strip() if isinstance(value, str) else value)
    if member.kind not in MEMBER_KINDS:
        raise DomainError(_("Choose the kind of member from the list."))


def _membership(network, organisation):
    return db.session.scalar(
        sa.select(NetworkMember).where(
            NetworkMember.network_id == network.id,
            NetworkMember.organisation_id == organisation.id,
        )
    )


def mark_left(member, on, by):
    """Record that `member` left the network on `on` (a date) and commit. The chair cannot
    leave while in office: hand the chair over first."""
    network = member.network
    _require_admin(network, by)
    if not member.is_current:
        raise Conflict(
            _(
                "%(member)s already left on %(date)s.",
                member=member.name,
                date=format_date(member.left_on, "dd MMMM y"),
            )
        )
    if member.joined_on and on < member.joined_on:
        raise DomainError(
            _(
                "%(member)s joined on %(date)s: it cannot leave before that.",
                member=member.name,
                date=format_date(member.joined_on, "dd MMMM y"),
            )
        )
    chair = current_chair(network, on)
    if chair is not None and chair.member_id == member.id:
        raise Conflict(
            _("%(member)s holds the chair: hand it over before it leaves.", member=member.name)
        )
    member.left_on = on
    _log(network, by, "member_left", member, f"{member.name} left on {on:%d %B %Y}.")
    db.session.commit()


def rejoin(member, on, by):
    """Take a member that left back in, from `on`, and commit."""
    network = member.network
    _require_admin(network, by)
    if member.is_current:
        raise Conflict(_("%(member)s is a member already.", member=member.name))
    if on < member.left_on:
        raise DomainError(
            _(
                "%(member)s left on %(date)s: it can rejoin on that day or later.",
                member=member.name,
                date=format_date(member.left_on, "dd MMMM y"),
            )
        )
    member.left_on = None
    member.joined_on = on
    _log(network, by, "member_rejoined", member, f"{member.name} rejoined on {on:%d %B %Y}.")
    db.session.commit()


# --- the chair -------------------------------------------------------------------------------


def current_chair(network, today=None):
    """The chair term in office on `today` (default: today), or None."""
    return network.chair_on(today or date.today())


def hand_over_chair(network, member, starts_on, by):
    """End the chair term in office the day before `starts_on` and start `member`'s term on
    `starts_on`; commit. Every term stays in the history. Raises DomainError when `member`
    is not a current member, already holds the chair, or the date is not after the start of
    the term in office."""
    _require_admin(network, by)
    if member.network_id != network.id or not member.is_current:
        raise DomainError(_("The chair goes to a current member of the network."))
    terms = sorted(network.chairs, key=lambda term: term.starts_on)
    latest = terms[-1] if terms else None
    if latest is not None:
        if latest.member_id == member.id and latest.ends_on is None:
            raise Conflict(_("%(member)s already holds the chair.", member=member.name))
        if starts_on <= latest.starts_on:
            raise DomainError(
                _(
                    "The new term must start after %(date)s, when the term of %(member)s began.",
                    date=format_date(latest.starts_on, "dd MMMM y"),
                    member=latest.member.name,
                )
            )
        if latest.ends_on is None or latest.ends_on >= starts_on:
            latest.ends_on = starts_on - timedelta(days=1)
    network.chairs.append(NetworkChair(member=member, starts_on=starts_on))
    before = f" from {latest.member.name}" if latest is not None else ""
    _log(network, by, "chair_changed", member,
         f"{member.name} took the chair{before} on {starts_on:%d %B %Y}.")  # fmt: skip
    db.session.commit()


# --- administrators and staff ----------------------------------------------------------------


def _account(email):
    user = find_user(email or "")
    if user is None:
        raise DomainError(
            _("No account uses %(email)s. Ask them to sign up first, then add them.", email=email)
        )
    return user


def add_admin(network, email, by):
    """Make the account with `email` an administrator of `network` and commit; returns it."""
    _require_admin(network, by)
    user = _account(email)
    if user in network.admins:
        raise Conflict(
            _("%(name)s already administers %(network)s.", name=user.name, network=network.name)
        )
    network.admins.append(user)
    _log(network, by, "admin_added", detail=f"{user.name} ({user.email}) became an "
         "administrator.")  # fmt: skip
    db.session.commit()
    return user


def remove_admin(network, user, by):
    """Remove an administrator and commit; the last one stays."""
    _require_admin(network, by)
    if user not in network.admins:
        raise DomainError(
            _("%(name)s does not administer %(network)s.", name=user.name, network=network.name)
        )
    if len(network.admins) == 1:
        raise DomainError(_("A network keeps at least one administrator: add another first."))
    network.admins.remove(user)
    _log(network, by, "admin_removed", detail=f"{user.name} ({user.email}) is no longer an "
         "administrator.")  # fmt: skip
    db.session.commit()


def add_staff(member, email, by):
    """Add the account with `email` to the member's staff (they act as partner staff where
    the member is an event's partner) and commit; returns the user."""
    _require_admin(member.network, by)
    user = _account(email)
    if user in member.staff:
        raise Conflict(
            _("%(name)s is already on the staff of %(member)s.", name=user.name, member=member.name)
        )
    member.staff.append(user)
    _log(member.network, by, "staff_added", member,
         f"{user.name} ({user.email}) joined the staff of {member.name}.")  # fmt: skip
    db.session.commit()
    return user


def remove_staff(member, user, by):
    """Remove a staff member of `member` and commit."""
    _require_admin(member.network, by)
    if user not in member.staff:
        raise DomainError(
            _("%(name)s is not on the staff of %(member)s.", name=user.name, member=member.name)
        )
    member.staff.remove(user)
    _log(member.network, by, "staff_removed", member,
         f"{user.name} ({user.email}) left the staff of {member.name}.")  # fmt: skip
    db.session.commit()


def log_entries(network, limit=500):
    """The network's log, newest first (at most `limit` entries)."""
    return db.session.scalars(
        sa.select(NetworkLogEntry)
        .where(NetworkLogEntry.network_id == network.id)
        .order_by(NetworkLogEntry.at.desc(), NetworkLogEntry.id.desc())
        .limit(limit)
    ).all()


# --- the public page -------------------------------------------------------------------------


@dataclass
class PublicNetwork:
    """What the public page of a network shows."""

    network: Network
    members: list  # current members, by name
    former_members: list
    chair: NetworkChair | None
    chair_history: list  # every term, the latest first
    upcoming: list  # events not draft and not closed, soonest first
    past: list  # closed events, latest first
    figures: list  # (label, number)
    today: date


def public_view(network, today=None, figures=True):
    """The public page's content: members, chair and its history, the network's events that
    are not drafts, and (with `figures`) figures across them (events, participants, meetings
    held, countries: statistics.gather's six queries per event)."""
    from matchmaker.services import network_statistics

    today = today or date.today()
    members = sorted(network.members, key=lambda m: m.name.casefold())
    events = [event for event in network.events if event.status != "draft"]
    past = [e for e in events if e.status == "closed" or (e.days and e.days[-1] < today)]
    upcoming = sorted((e for e in events if e not in past), key=_first_day)
    return PublicNetwork(
        network=network,
        members=[m for m in members if m.is_current],
        former_members=[m for m in members if not m.is_current],
        chair=network.chair_on(today),
        chair_history=sorted(network.chairs, key=lambda t: t.starts_on, reverse=True),
        upcoming=upcoming,
        past=sorted(past, key=_first_day, reverse=True),
        figures=network_statistics.headline(network) if figures else [],
        today=today,
    )


def _first_day(event):
    """Sort key: the first meeting day, then the creation time (editions on the same day)."""
    return (event.days[0] if event.days else date.max, event.created_at)


def member_initials(member):
    """Up to two initials of the member's name, for members without a logo."""
    words = [word for word in member.name.split() if word[:1].isalnum()]
    return "".join(word[0] for word in words[:2]).upper() or "?"


def member_country(member):
    return country_name(member.country)


def network_events(network):
    """The network's events that are not drafts, earliest first."""
    return db.session.scalars(
        sa.select(Event)
        .where(Event.network_id == network.id, Event.status != "draft")
        .order_by(Event.created_at)
    ).all()


# --- logos -----------------------------------------------------------------------------------


def logo_kind(content):
    """The image type ("png", "jpg", "gif", "webp") of `content` (bytes), or None."""
    for magic, kind in LOGO_TYPES.items():
        if content.startswith(magic):
            return kind
    if content[:4] == b"RIFF" and content[8:12] == b"WEBP":
        return "webp"
    return None


def _logo_folder():
    folder = Path(current_app.config["UPLOAD_DIR"]) / "logos"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _store_logo(content):
    """Check `content` is a small image and store it under a random name; returns the name.
    Raises DomainError for anything else."""
    if len(content) > LOGO_MAX_BYTES:
        raise DomainError(
            _(
                "The logo is %(size)d KB; at most %(limit)d KB please.",
                size=len(content) // 1024,
                limit=LOGO_MAX_BYTES // 1024,
            )
        )
    kind = logo_kind(content)
    if kind is None:
        raise DomainError(_("The logo must be a PNG, JPEG, GIF or WebP image."))
    name = f"{secrets.token_hex(12)}.{kind}"
    (_logo_folder() / name).write_bytes(content)
    return name


def logo_path(member):
    """(folder, file name, mimetype) of the member's stored logo, or None."""
    name = member.logo
    kind = name.rsplit(".", 1)[-1] if name else ""
    if not name or kind not in LOGO_MIMETYPES or "/" in name or "\\" in name:
        return None
    folder = _logo_folder()
    if not (folder / name).is_file():
        return None
    return folder, name, LOGO_MIMETYPES[kind]


def _delete_logo(name):
    path = _logo_folder() / name
    if path.parent == _logo_folder() and path.is_file():
        path.unlink()
