"""suggestion floor on the relevance model's scale

A match score is now the relevance model's probability that the pair are real partners
(docs/matching.md, step 5) instead of 1 - exp(-raw): the same pairs score about 2.5 times
higher (the demo's "strong" pairs start at 0.25 instead of 0.10, "good" at 0.12 instead of
0.05), so each event's relevance floor is scaled by 2.5 (at most 1) to bar the same pairs.

Revision ID: 3f2c9a1d7e40
Revises: b8212f7e763e
Create Date: 2026-12-06 09:40:00

"""
from alembic import op
import sqlalchemy as sa


revision = '3f2c9a1d7e40'
down_revision = 'b8212f7e763e'
branch_labels = None
depends_on = None


def upgrade():
    op.execute(
        "UPDATE events SET suggestion_floor = "
        "CASE WHEN suggestion_floor * 2.5 > 1 THEN 1 ELSE suggestion_floor * 2.5 END"
    )
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.alter_column('suggestion_floor', existing_type=sa.Float(),
                              server_default='0.25', existing_nullable=False)


def downgrade():
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.alter_column('suggestion_floor', existing_type=sa.Float(),
                              server_default='0.1', existing_nullable=False)
    op.execute("UPDATE events SET suggestion_floor = suggestion_floor / 2.5")
