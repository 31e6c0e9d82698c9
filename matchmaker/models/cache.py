"""CacheVersion: a counter per scope of data, bumped after every commit that wrote to it.

The rendered-page cache (`matchmaker.pagecache`) keys pages on these counters, so a page is
served from memory only while nothing it may show has changed, in any worker process.
"""

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from matchmaker.extensions import db


class CacheVersion(db.Model):
    __tablename__ = "cache_versions"

    # "any" (every write), "other" (writes not tied to one event) or "event:<id>".
    scope: Mapped[str] = mapped_column(sa.String(40), primary_key=True)
    value: Mapped[int] = mapped_column(sa.BigInteger, default=0)
