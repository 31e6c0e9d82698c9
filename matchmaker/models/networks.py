"""The network (issue 23): member organisations (clusters, chambers, agencies) that run events
together, the chair that rotates among them, the members taking part in one event as its
partners, and the participant groups of an economic mission with who may meet whom."""

import secrets
from datetime import date, datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from matchmaker.extensions import db
from matchmaker.models.base import one_of, utcnow

MEMBER_KINDS = {
    "cluster": _l("Cluster"),
    "chamber": _l("Chamber of commerce"),
    "agency": _l("Development agency"),
    "association": _l("Business association"),
    "other": _l("Other"),
}

# What a network's log records: who changed which membership or chair, and when.
NETWORK_LOG_ACTIONS = {
    "member_added": _l("Member added"),
    "member_changed": _l("Member details changed"),
    "member_left": _l("Member left"),
    "member_rejoined": _l("Member rejoined"),
    "chair_changed": _l("Chair handed over"),
    "admin_added": _l("Administrator added"),
    "admin_removed": _l("Administrator removed"),
    "staff_added": _l("Staff member added"),
    "staff_removed": _l("Staff member removed"),
}

# How an event treats pairs who already met at an earlier event of its network.
MET_BEFORE_POLICIES = {
    "leave": "Leave them as they are",
    "lower": "Lower them in the suggestions",
    "follow_up": "Propose a follow-up meeting where the outcome says so",
}

# Administrators of a network: keep its members and chair, see figures across its events.
network_admins = sa.Table(
    "network_admins",
    db.metadata,
    sa.Column("network_id", sa.ForeignKey("networks.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("user_id", sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
)

# Staff of a member organisation: they act as partner staff at every event where their
# member takes part as a partner.
member_staff = sa.Table(
    "network_member_staff",
    db.metadata,
    sa.Column(
        "member_id", sa.ForeignKey("network_members.id", ondelete="CASCADE"), primary_key=True
    ),
    sa.Column("user_id", sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
)


class Network(db.Model):
    __tablename__ = "networks"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(sa.String(80), unique=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    description: Mapped[str] = mapped_column(sa.Text, default="")
    website: Mapped[str] = mapped_column(sa.String(300), default="")
    created_at: Mapped[datetime] = mapped_column(sa.DateTime, default=utcnow)

    admins = relationship("User", secondary=network_admins)
    members = relationship(
        "NetworkMember",
        back_populates="network",
        cascade="all, delete-orphan",
        order_by="NetworkMember.id",
    )
    chairs = relationship(
        "NetworkChair",
        back_populates="network",
        cascade="all, delete-orphan",
        order_by="NetworkChair.starts_on",
    )
    events = relationship("Event", back_populates="network", order_by="Event.created_at")

    def chair_on(self, day):
        """The chair term that covers `day`, or None."""
        for term in reversed(self.chairs):
            if term.starts_on <= day and (term.ends_on is None or day <= term.ends_on):
                return term
        return None

    def is_administered_by(self, user):
        return user.is_authenticated and (user.is_admin or user in self.admins)

    def __repr__(self):
        return f"<Network {self.slug}>"


class NetworkMember(db.Model):
    """A member organisation of a network. The organisation row carries its name, country and
    website; the membership adds the kind, logo, contact and the dates it joined and left."""

    __tablename__ = "network_members"
    __table_args__ = (
        sa.UniqueConstraint("network_id", "organisation_id"),
        sa.UniqueConstraint("id", "network_id"),
        one_of("kind", MEMBER_KINDS),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    network_id: Mapped[int] = mapped_column(sa.ForeignKey("networks.id", ondelete="CASCADE"))
    organisation_id: Mapped[int] = mapped_column(sa.ForeignKey("organisations.id"), index=True)
    kind: Mapped[str] = mapped_column(sa.String(20), default="cluster")
    # A file name under the instance's upload folder, or "" for none (initials are shown).
    logo: Mapped[str] = mapped_column(sa.String(200), default="")
    contact_name: Mapped[str] = mapped_column(sa.String(120), default="")
    contact_email: Mapped[str] = mapped_column(sa.String(254), default="")
    joined_on: Mapped[date | None] = mapped_column(sa.Date)
    left_on: Mapped[date | None] = mapped_column(sa.Date)  # None: still a member

    network = relationship("Network", back_populates="members")
    organisation = relationship("Organisation")
    staff = relationship("User", secondary=member_staff)

    @property
    def name(self):
        return self.organisation.name

    @property
    def country(self):
        return self.organisation.country

    @property
    def kind_label(self):
        return str(MEMBER_KINDS[self.kind])  # in the language of the request

    @property
    def is_current(self):
        return self.left_on is None

    def __repr__(self):
        return f"<NetworkMember {self.organisation_id} of {self.network_id}>"


class NetworkChair(db.Model):
    """One term of the rotating chair; the terms together are the rotation's history."""

    __tablename__ = "network_chairs"
    __table_args__ = (
        sa.UniqueConstraint("network_id", "starts_on"),
        sa.CheckConstraint("ends_on IS NULL OR starts_on <= ends_on", name="term_ordered"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    network_id: Mapped[int] = mapped_column(sa.ForeignKey("networks.id", ondelete="CASCADE"))
    member_id: Mapped[int] = mapped_column(sa.ForeignKey("network_members.id", ondelete="CASCADE"))
    starts_on: Mapped[date] = mapped_column(sa.Date)
    ends_on: Mapped[date | None] = mapped_column(sa.Date)

    network = relationship("Network", back_populates="chairs")
    member = relationship("NetworkMember")


class NetworkLogEntry(db.Model):
    """A change to a network's membership, chair, administrators or staff: who, what, when."""

    __tablename__ = "network_log"
    __table_args__ = (one_of("action", NETWORK_LOG_ACTIONS),)

    id: Mapped[int] = mapped_column(primary_key=True)
    network_id: Mapped[int] = mapped_column(
        sa.ForeignKey("networks.id", ondelete="CASCADE"), index=True
    )
    at: Mapped[datetime] = mapped_column(sa.DateTime, default=utcnow)
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    action: Mapped[str] = mapped_column(sa.String(30))
    member_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("network_members.id", ondelete="SET NULL")
    )
    detail: Mapped[str] = mapped_column(sa.Text, default="")

    actor = relationship("User")
    member = relationship("NetworkMember")

    @property
    def action_label(self):
        return str(NETWORK_LOG_ACTIONS[self.action])  # in the language of the request


class EventPartner(db.Model):
    """A member of the event's network taking part in the event as a partner: it invites its
    companies through its own link and looks after them."""

    __tablename__ = "event_partners"
    __table_args__ = (
        sa.UniqueConstraint("event_id", "member_id"),
        sa.UniqueConstraint("id", "event_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(sa.ForeignKey("events.id", ondelete="CASCADE"))
    member_id: Mapped[int] = mapped_column(
        sa.ForeignKey("network_members.id", ondelete="CASCADE"), index=True
    )
    # The invitation link's secret: random, replaced on request (the old link then stops).
    invite_token: Mapped[str] = mapped_column(
        sa.String(64), unique=True, default=lambda: secrets.token_urlsafe(18)
    )
    created_at: Mapped[datetime] = mapped_column(sa.DateTime, default=utcnow)

    event = relationship("Event", back_populates="partners")
    member = relationship("NetworkMember")

    @property
    def name(self):
        return self.member.organisation.name

    def is_staffed_by(self, user):
        return user.is_authenticated and user in self.member.staff


class ParticipantGroup(db.Model):
    """A named side of an event: a mission's delegation and hosts, buyers and sellers, or any
    group the organizer names. Which groups may meet is in `group_exclusions`."""

    __tablename__ = "participant_groups"
    __table_args__ = (
        sa.UniqueConstraint("event_id", "name"),
        sa.UniqueConstraint("id", "event_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(sa.ForeignKey("events.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(sa.String(80))
    description: Mapped[str] = mapped_column(sa.Text, default="")

    event = relationship("Event", back_populates="groups")


# Pairs of groups whose members never meet (a group paired with itself: its members never meet
# each other, as a mission's delegates). A generalisation of the event's excluded type pairs,
# used by matching, requests and the optimiser. Stored with group_a_id <= group_b_id.
group_exclusions = sa.Table(
    "group_exclusions",
    db.metadata,
    sa.Column("event_id", sa.ForeignKey("events.id", ondelete="CASCADE"), primary_key=True),
    sa.Column(
        "group_a_id", sa.ForeignKey("participant_groups.id", ondelete="CASCADE"), primary_key=True
    ),
    sa.Column(
        "group_b_id", sa.ForeignKey("participant_groups.id", ondelete="CASCADE"), primary_key=True
    ),
    sa.CheckConstraint("group_a_id <= group_b_id", name="group_pair_ordered"),
)
