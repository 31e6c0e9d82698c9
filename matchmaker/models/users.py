"""User accounts and their platform role."""

from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from flask_login import UserMixin
from sqlalchemy.orm import Mapped, mapped_column, relationship

from matchmaker.extensions import db
from matchmaker.models.base import one_of, utcnow

ROLES = ("admin", "organizer", "participant")
MESSAGE_EMAIL_CHOICES = {
    "each": _l("An email for each message"),
    "digest": _l("One email a day with what waits"),
    "none": _l("No email; I look in my inbox"),
}


class User(UserMixin, db.Model):
    __tablename__ = "users"
    __table_args__ = (one_of("role", ROLES), one_of("message_email", MESSAGE_EMAIL_CHOICES))

    id: Mapped[int] = mapped_column(primary_key=True)
    # Stored lower-cased by the accounts service, so the unique index is case-insensitive.
    email: Mapped[str] = mapped_column(sa.String(254), unique=True)
    name: Mapped[str] = mapped_column(sa.String(120))
    password_hash: Mapped[str | None] = mapped_column(sa.String(255))
    role: Mapped[str] = mapped_column(sa.String(20), default="participant")
    job_title: Mapped[str] = mapped_column(sa.String(120), default="")
    phone: Mapped[str] = mapped_column(sa.String(40), default="")
    organisation_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("organisations.id", ondelete="SET NULL")
    )
    active: Mapped[bool] = mapped_column(sa.Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(sa.DateTime, default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(sa.DateTime)
    # Mail about messages and inbox items: one per message ("each"), a daily digest, or none.
    message_email: Mapped[str] = mapped_column(sa.String(10), default="each", server_default="each")
    digest_sent_at: Mapped[datetime | None] = mapped_column(sa.DateTime)
    # None until the person opens the link mailed at sign-up (or after an email change).
    email_verified_at: Mapped[datetime | None] = mapped_column(sa.DateTime)
    # The language the user chose in the footer (a key of matchmaker.i18n.LANGUAGES); empty
    # follows the browser. Emails to the user are written in it too.
    locale: Mapped[str] = mapped_column(sa.String(10), default="", server_default="")
    # The user's own time zone (an IANA name, e.g. "Europe/Bucharest"; empty: not set): times
    # of an event elsewhere are shown in it beside the event's (issue 24).
    timezone: Mapped[str] = mapped_column(sa.String(64), default="", server_default="")

    organisation = relationship("Organisation", back_populates="members")
    organized_events = relationship(
        "Event", secondary="event_organizers", back_populates="organizers", viewonly=True
    )

    # The random token of the login session this object was signed in or loaded through
    # (services/sessions.py); not a column.
    session_token = None

    def get_id(self):
        """What Flask-Login keeps in the session and remember cookies: this login session's
        random token, never the user id, so that ending the login session on the server ends
        every copy of those cookies (services/sessions.py)."""
        if self.session_token is None:
            raise RuntimeError("Sign in through services.sessions.start, which makes the token.")
        return self.session_token

    def __eq__(self, other):
        # UserMixin compares get_id, which differs per login here: compare the accounts.
        if not isinstance(other, User):
            return NotImplemented
        return self is other or (self.id is not None and self.id == other.id)

    __hash__ = object.__hash__

    @property
    def is_active(self):
        return self.active

    @property
    def is_verified(self):
        return self.email_verified_at is not None

    @property
    def is_admin(self):
        return self.role == "admin"

    @property
    def is_organizer(self):
        return self.role in ("admin", "organizer")

    def __repr__(self):
        return f"<User {self.email}>"
