"""Action items as records, and the privacy officer's words for the board brief

Every action a finding asks for becomes a row of action_item (owner, due date, status, note),
listed across the organisation by the action register; assessments gain the recommendation, the
decision sought and which findings lead the brief.

Revision ID: 5e7a2c9d4b10
Revises: 5e2a9c4d7f10
Create Date: 2026-11-27 09:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '5e7a2c9d4b10'
down_revision = '5e2a9c4d7f10'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('assessment', schema=None) as batch_op:
        batch_op.add_column(sa.Column('recommendation', sa.Text(), server_default='', nullable=False))
        batch_op.add_column(sa.Column('decision_sought', sa.Text(), server_default='', nullable=False))
        batch_op.add_column(sa.Column('lead_findings', sa.JSON(), server_default='[]', nullable=False))
    op.create_table(
        'action_item',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('public_id', sa.String(length=32), nullable=False),
        sa.Column('assessment_id', sa.Integer(), nullable=False),
        sa.Column('organisation_id', sa.Integer(), nullable=False),
        sa.Column('key', sa.String(length=500), nullable=False),
        sa.Column('text', sa.Text(), nullable=False),
        sa.Column('finding', sa.Text(), nullable=False),
        sa.Column('severity', sa.String(length=30), nullable=False),
        sa.Column('trees', sa.JSON(), nullable=False),
        sa.Column('owner_id', sa.Integer(), nullable=True),
        sa.Column('owner_name', sa.String(length=200), nullable=False),
        sa.Column('due', sa.Date(), nullable=True),
        sa.Column('status', sa.String(length=20), nullable=False),
        sa.Column('reason', sa.Text(), nullable=False),
        sa.Column('note', sa.Text(), nullable=False),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('updated_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['assessment_id'], ['assessment.id'], name=op.f('fk_action_item_assessment_id_assessment'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'], name=op.f('fk_action_item_organisation_id_organisation')),
        sa.ForeignKeyConstraint(['owner_id'], ['user_account.id'], name=op.f('fk_action_item_owner_id_user_account')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_action_item')),
        sa.UniqueConstraint('assessment_id', 'key', name=op.f('uq_action_item_assessment_id')),
        sa.UniqueConstraint('public_id', name=op.f('uq_action_item_public_id')),
    )
    with op.batch_alter_table('action_item', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_action_item_assessment_id'), ['assessment_id'], unique=False)
        batch_op.create_index('ix_action_item_register', ['organisation_id', 'status', 'due', 'id'], unique=False)


def downgrade():
    with op.batch_alter_table('action_item', schema=None) as batch_op:
        batch_op.drop_index('ix_action_item_register')
        batch_op.drop_index(batch_op.f('ix_action_item_assessment_id'))
    op.drop_table('action_item')
    with op.batch_alter_table('assessment', schema=None) as batch_op:
        batch_op.drop_column('lead_findings')
        batch_op.drop_column('decision_sought')
        batch_op.drop_column('recommendation')
