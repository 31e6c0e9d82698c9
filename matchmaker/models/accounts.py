"""What identity and trust need beside the User row: login sessions that can be ended,
requests to join an organisation, and the outgoing mail queue."""

from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from matchmaker.extensions import db
from matchmaker.models.base import one_of, utcnow

MEMBERSHIP_STATUSES = {
    "pending": _l("Waiting for a member's approval"),
    "approved": _l("Approved"),
    "rejected": _l("Declined"),
    "cancelled": _l("Withdrawn"),
}
MAIL_STATUSES = {"pending": "Waiting", "sent": "Sent", "failed": "Failed"}


class LoginSession(db.Model):
    """One signed-in browser. The session and remember cookies carry a random token whose hash
    is kept here; deleting the row ends that browser's session, whatever cookie it kept."""

    __tablename__ = "login_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    remember: Mapped[bool] = mapped_column(sa.Boolean, default=False)
    user_agent: Mapped[str] = mapped_column(sa.String(200), default="")
    created_at: Mapped[datetime] = mapped_column(sa.DateTime, default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(sa.DateTime, default=utcnow)

    user = relationship("User")


class MembershipRequest(db.Model):
    """A person asks to join an existing organisation; a member (or an organizer of an event
    the organisation is registered for, when it has no active member) decides."""

    __tablename__ = "membership_requests"
    __table_args__ = (one_of("status", MEMBERSHIP_STATUSES),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        sa.ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    status: Mapped[str] = mapped_column(sa.String(20), default="pending")
    message: Mapped[str] = mapped_column(sa.String(500), default="")
    created_at: Mapped[datetime] = mapped_column(sa.DateTime, default=utcnow)
    decided_at: Mapped[datetime | None] = mapped_column(sa.DateTime)
    decided_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )

    organisation = relationship("Organisation")
    user = relationship("User", foreign_keys=[user_id])
    decided_by = relationship("User", foreign_keys=[decided_by_id])

    @property
    def status_label(self):
        return str(MEMBERSHIP_STATUSES[self.status])  # in the language of the request


class OutgoingMail(db.Model):
    """One email, written in the same transaction as the action that causes it and sent after
    the commit; a failed send is kept with its error and tried again later."""

    __tablename__ = "outgoing_mails"
    __table_args__ = (one_of("status", MAIL_STATUSES),)

    id: Mapped[int] = mapped_column(primary_key=True)
    recipient: Mapped[str] = mapped_column(sa.String(254))
    subject: Mapped[str] = mapped_column(sa.String(300))
    body: Mapped[str] = mapped_column(sa.Text)
    status: Mapped[str] = mapped_column(sa.String(20), default="pending", index=True)
    attempts: Mapped[int] = mapped_column(sa.Integer, default=0)
    last_error: Mapped[str] = mapped_column(sa.Text, default="")
    created_at: Mapped[datetime] = mapped_column(sa.DateTime, default=utcnow)
    next_attempt_at: Mapped[datetime] = mapped_column(sa.DateTime, default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(sa.DateTime)
