"""Organisation: the company, university or body behind one or more participants."""

from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from matchmaker.extensions import db
from matchmaker.models.base import one_of, utcnow

ORGANISATION_TYPES = {
    "company": _l("Company"),
    "sme": _l("SME"),
    "large_company": _l("Large company"),
    "university": _l("University"),
    "research_organisation": _l("Research organisation"),
    "public_body": _l("Public body"),
    "cluster": _l("Cluster"),
    "other": _l("Other"),
}
ORGANISATION_SIZES = ["1-9", "10-49", "50-249", "250+"]


class Organisation(db.Model):
    __tablename__ = "organisations"
    __table_args__ = (one_of("type", ORGANISATION_TYPES),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # Indexed: the marketplace lists by organisation name, a page at a time.
    name: Mapped[str] = mapped_column(sa.String(200), index=True)
    country: Mapped[str] = mapped_column(sa.String(2))  # ISO 3166-1 alpha-2
    city: Mapped[str] = mapped_column(sa.String(120), default="")
    type: Mapped[str] = mapped_column(sa.String(30), default="company")
    size: Mapped[str | None] = mapped_column(sa.String(10))
    website: Mapped[str] = mapped_column(sa.String(300), default="")
    description: Mapped[str] = mapped_column(sa.Text, default="")
    sectors: Mapped[list] = mapped_column(sa.JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(sa.DateTime, default=utcnow)

    members = relationship("User", back_populates="organisation")

    @property
    def type_label(self):
        return str(ORGANISATION_TYPES.get(self.type, self.type))  # in the language of the request

    def __repr__(self):
        return f"<Organisation {self.name!r} {self.country}>"
