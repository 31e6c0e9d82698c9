"""Column helpers shared by the models."""

from datetime import UTC, datetime

import sqlalchemy as sa


def utcnow():
    """Timezone-aware now; stored as naive UTC so SQLite and PostgreSQL agree."""
    return datetime.now(UTC).replace(tzinfo=None)


def one_of(column, values):
    """A CHECK constraint that keeps `column` inside a fixed vocabulary."""
    quoted = ", ".join(f"'{value}'" for value in values)
    return sa.CheckConstraint(f"{column} IN ({quoted})", name=f"{column}_valid")
