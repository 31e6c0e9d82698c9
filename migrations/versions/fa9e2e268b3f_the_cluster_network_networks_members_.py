"""the cluster network: networks, members, chair terms, log, event partners, participant groups

Revision ID: fa9e2e268b3f
Revises: bdc53a59ff69
Create Date: 2026-12-06 10:51:11.198716

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'fa9e2e268b3f'
down_revision = 'bdc53a59ff69'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('networks',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('slug', sa.String(length=80), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('website', sa.String(length=300), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_networks')),
    sa.UniqueConstraint('slug', name=op.f('uq_networks_slug'))
    )
    op.create_table('network_members',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('network_id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('logo', sa.String(length=200), nullable=False),
    sa.Column('contact_name', sa.String(length=120), nullable=False),
    sa.Column('contact_email', sa.String(length=254), nullable=False),
    sa.Column('joined_on', sa.Date(), nullable=True),
    sa.Column('left_on', sa.Date(), nullable=True),
    sa.CheckConstraint("kind IN ('cluster', 'chamber', 'agency', 'association', 'other')", name=op.f('ck_network_members_kind_valid')),
    sa.ForeignKeyConstraint(['network_id'], ['networks.id'], name=op.f('fk_network_members_network_id_networks'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_network_members_organisation_id_organisations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_network_members')),
    sa.UniqueConstraint('id', 'network_id', name=op.f('uq_network_members_id_network_id')),
    sa.UniqueConstraint('network_id', 'organisation_id', name=op.f('uq_network_members_network_id_organisation_id'))
    )
    with op.batch_alter_table('network_members', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_network_members_organisation_id'), ['organisation_id'], unique=False)

    op.create_table('event_partners',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('member_id', sa.Integer(), nullable=False),
    sa.Column('invite_token', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_event_partners_event_id_events'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['member_id'], ['network_members.id'], name=op.f('fk_event_partners_member_id_network_members'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_event_partners')),
    sa.UniqueConstraint('event_id', 'member_id', name=op.f('uq_event_partners_event_id_member_id')),
    sa.UniqueConstraint('id', 'event_id', name=op.f('uq_event_partners_id_event_id')),
    sa.UniqueConstraint('invite_token', name=op.f('uq_event_partners_invite_token'))
    )
    with op.batch_alter_table('event_partners', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_event_partners_member_id'), ['member_id'], unique=False)

    op.create_table('network_admins',
    sa.Column('network_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['network_id'], ['networks.id'], name=op.f('fk_network_admins_network_id_networks'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_network_admins_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('network_id', 'user_id', name=op.f('pk_network_admins'))
    )
    op.create_table('network_chairs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('network_id', sa.Integer(), nullable=False),
    sa.Column('member_id', sa.Integer(), nullable=False),
    sa.Column('starts_on', sa.Date(), nullable=False),
    sa.Column('ends_on', sa.Date(), nullable=True),
    sa.CheckConstraint('ends_on IS NULL OR starts_on <= ends_on', name=op.f('ck_network_chairs_term_ordered')),
    sa.ForeignKeyConstraint(['member_id'], ['network_members.id'], name=op.f('fk_network_chairs_member_id_network_members'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['network_id'], ['networks.id'], name=op.f('fk_network_chairs_network_id_networks'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_network_chairs')),
    sa.UniqueConstraint('network_id', 'starts_on', name=op.f('uq_network_chairs_network_id_starts_on'))
    )
    op.create_table('network_log',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('network_id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('action', sa.String(length=30), nullable=False),
    sa.Column('member_id', sa.Integer(), nullable=True),
    sa.Column('detail', sa.Text(), nullable=False),
    sa.CheckConstraint("action IN ('member_added', 'member_changed', 'member_left', 'member_rejoined', 'chair_changed', 'admin_added', 'admin_removed', 'staff_added', 'staff_removed')", name=op.f('ck_network_log_action_valid')),
    sa.ForeignKeyConstraint(['actor_id'], ['users.id'], name=op.f('fk_network_log_actor_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['member_id'], ['network_members.id'], name=op.f('fk_network_log_member_id_network_members'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['network_id'], ['networks.id'], name=op.f('fk_network_log_network_id_networks'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_network_log'))
    )
    with op.batch_alter_table('network_log', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_network_log_network_id'), ['network_id'], unique=False)

    op.create_table('network_member_staff',
    sa.Column('member_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['member_id'], ['network_members.id'], name=op.f('fk_network_member_staff_member_id_network_members'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_network_member_staff_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('member_id', 'user_id', name=op.f('pk_network_member_staff'))
    )
    op.create_table('participant_groups',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=80), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_participant_groups_event_id_events'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_participant_groups')),
    sa.UniqueConstraint('event_id', 'name', name=op.f('uq_participant_groups_event_id_name')),
    sa.UniqueConstraint('id', 'event_id', name=op.f('uq_participant_groups_id_event_id'))
    )
    op.create_table('group_exclusions',
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('group_a_id', sa.Integer(), nullable=False),
    sa.Column('group_b_id', sa.Integer(), nullable=False),
    sa.CheckConstraint('group_a_id <= group_b_id', name=op.f('ck_group_exclusions_group_pair_ordered')),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_group_exclusions_event_id_events'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['group_a_id'], ['participant_groups.id'], name=op.f('fk_group_exclusions_group_a_id_participant_groups'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['group_b_id'], ['participant_groups.id'], name=op.f('fk_group_exclusions_group_b_id_participant_groups'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('event_id', 'group_a_id', 'group_b_id', name=op.f('pk_group_exclusions'))
    )
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.add_column(sa.Column('network_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('kind', sa.String(length=20), server_default='brokerage', nullable=False))
        batch_op.add_column(sa.Column('met_before_policy', sa.String(length=20), server_default='leave', nullable=False))
        batch_op.create_index(batch_op.f('ix_events_network_id'), ['network_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_events_network_id_networks'), 'networks', ['network_id'], ['id'], ondelete='SET NULL')
        batch_op.create_check_constraint('kind_valid', "kind IN ('brokerage', 'mission')")
        batch_op.create_check_constraint('met_before_policy_valid', "met_before_policy IN ('leave', 'lower', 'follow_up')")

    with op.batch_alter_table('participants', schema=None) as batch_op:
        batch_op.add_column(sa.Column('partner_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('group_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_participants_group_id'), ['group_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_participants_partner_id'), ['partner_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_participants_partner_id_event_partners'), 'event_partners', ['partner_id'], ['id'], ondelete='SET NULL')
        batch_op.create_foreign_key(batch_op.f('fk_participants_group_id_participant_groups'), 'participant_groups', ['group_id'], ['id'], ondelete='SET NULL')



def downgrade():
    with op.batch_alter_table('participants', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_participants_group_id_participant_groups'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('fk_participants_partner_id_event_partners'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_participants_partner_id'))
        batch_op.drop_index(batch_op.f('ix_participants_group_id'))
        batch_op.drop_column('group_id')
        batch_op.drop_column('partner_id')

    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.drop_constraint('met_before_policy_valid', type_='check')
        batch_op.drop_constraint('kind_valid', type_='check')
        batch_op.drop_constraint(batch_op.f('fk_events_network_id_networks'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_events_network_id'))
        batch_op.drop_column('met_before_policy')
        batch_op.drop_column('kind')
        batch_op.drop_column('network_id')

    op.drop_table('group_exclusions')
    op.drop_table('participant_groups')
    op.drop_table('network_member_staff')
    with op.batch_alter_table('network_log', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_network_log_network_id'))

    op.drop_table('network_log')
    op.drop_table('network_chairs')
    op.drop_table('network_admins')
    with op.batch_alter_table('event_partners', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_event_partners_member_id'))

    op.drop_table('event_partners')
    with op.batch_alter_table('network_members', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_network_members_organisation_id'))

    op.drop_table('network_members')
    op.drop_table('networks')
