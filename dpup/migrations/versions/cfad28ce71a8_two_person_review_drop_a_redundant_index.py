"""Two-person review; drop a redundant index

An organisation can require that whoever submits an assessment is not the one who approves it, so
the assessment records who submitted it. ix_assessment_organisation_id is covered by the leading
column of ix_assessment_organisation_updated.

Revision ID: cfad28ce71a8
Revises: ece2f3e70f9e
Create Date: 2026-11-25 09:36:54.701803

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'cfad28ce71a8'
down_revision = 'ece2f3e70f9e'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('assessment', schema=None) as batch_op:
        batch_op.add_column(sa.Column('submitted_by_id', sa.Integer(), nullable=True))
        batch_op.drop_index(batch_op.f('ix_assessment_organisation_id'))
        batch_op.create_foreign_key(batch_op.f('fk_assessment_submitted_by_id_user_account'), 'user_account', ['submitted_by_id'], ['id'])

    with op.batch_alter_table('organisation', schema=None) as batch_op:
        batch_op.add_column(sa.Column('separate_approver', sa.Boolean(), server_default=sa.false(), nullable=False))


def downgrade():
    with op.batch_alter_table('organisation', schema=None) as batch_op:
        batch_op.drop_column('separate_approver')

    with op.batch_alter_table('assessment', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_assessment_submitted_by_id_user_account'), type_='foreignkey')
        batch_op.create_index(batch_op.f('ix_assessment_organisation_id'), ['organisation_id'], unique=False)
        batch_op.drop_column('submitted_by_id')
