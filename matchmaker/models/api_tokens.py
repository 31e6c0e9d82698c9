"""ApiToken: a personal access token for the REST API (/api/v1), issue 24.

Only the SHA-256 of the token is kept: the token itself is shown once, when it is made.
A token acts as its owner, within its scopes; deleting the owner deletes their tokens.
"""

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from matchmaker.extensions import db
from matchmaker.models.base import utcnow

# What a token may do; the owner's own permissions still decide on each object.
API_SCOPES = {
    "read": "Read what you can see on the pages",
    "participate": "Act as a participant: meeting requests, your offers and needs",
    "organize": "Act as an organizer: registrations, matching, scheduling, exports",
}


class ApiToken(db.Model):
    __tablename__ = "api_tokens"
    __table_args__ = (sa.CheckConstraint("scopes <> ''", name="scopes_not_empty"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(sa.String(80))
    # The visible start of the token ("mm_" and a few characters), so a person can tell theirs.
    prefix: Mapped[str] = mapped_column(sa.String(16))
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    # Space-separated names from API_SCOPES.
    scopes: Mapped[str] = mapped_column(sa.String(100))
    created_at: Mapped[datetime] = mapped_column(sa.DateTime, default=utcnow)
    expires_at: Mapped[datetime | None] = mapped_column(sa.DateTime)
    last_used_at: Mapped[datetime | None] = mapped_column(sa.DateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(sa.DateTime)

    user = relationship("User")

    @property
    def scope_list(self):
        return self.scopes.split()

    def __repr__(self):
        return f"<ApiToken {self.prefix}… of user {self.user_id}>"
