"""Opportunity: something a participant offers or requests at one event."""

from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from matchmaker.extensions import db
from matchmaker.models.base import one_of, utcnow

OPPORTUNITY_KINDS = {"offer": _l("Offer"), "request": _l("Request")}
OPPORTUNITY_CATEGORIES = {
    "product": _l("Product"),
    "service": _l("Service"),
    "technology": _l("Technology"),
    "partnership": _l("Partnership"),
    "investment": _l("Investment"),
    "rd_cooperation": _l("R&D cooperation"),
    "expertise": _l("Expertise"),
}


class Opportunity(db.Model):
    __tablename__ = "opportunities"
    __table_args__ = (one_of("kind", OPPORTUNITY_KINDS), one_of("category", OPPORTUNITY_CATEGORIES))

    id: Mapped[int] = mapped_column(primary_key=True)
    participant_id: Mapped[int] = mapped_column(
        sa.ForeignKey("participants.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(sa.String(10))
    category: Mapped[str] = mapped_column(sa.String(20))
    title: Mapped[str] = mapped_column(sa.String(200))
    description: Mapped[str] = mapped_column(sa.Text, default="")
    keywords: Mapped[str] = mapped_column(sa.String(300), default="")
    created_at: Mapped[datetime] = mapped_column(sa.DateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(sa.DateTime, default=utcnow, onupdate=utcnow)

    participant = relationship("Participant", back_populates="opportunities")

    @property
    def kind_label(self):
        return str(OPPORTUNITY_KINDS[self.kind])  # in the language of the request

    @property
    def category_label(self):
        return str(OPPORTUNITY_CATEGORIES[self.category])  # in the language of the request
