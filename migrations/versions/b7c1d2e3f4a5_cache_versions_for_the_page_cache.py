"""cache versions for the page cache

Revision ID: b7c1d2e3f4a5
Revises: 681a3021b314
Create Date: 2026-11-25 04:05:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b7c1d2e3f4a5'
down_revision = '681a3021b314'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'cache_versions',
        sa.Column('scope', sa.String(length=40), nullable=False),
        sa.Column('value', sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint('scope', name=op.f('pk_cache_versions')),
    )


def downgrade():
    op.drop_table('cache_versions')
