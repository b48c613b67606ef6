"""Index for the assessments list by status

Revision ID: b8fad736821f
Revises: cfad28ce71a8
Create Date: 2026-11-25 10:07:29.897791

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = 'b8fad736821f'
down_revision = 'cfad28ce71a8'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('assessment', schema=None) as batch_op:
        batch_op.create_index('ix_assessment_organisation_status_updated', ['organisation_id', 'status', 'updated_at', 'id'], unique=False)


def downgrade():
    with op.batch_alter_table('assessment', schema=None) as batch_op:
        batch_op.drop_index('ix_assessment_organisation_status_updated')
