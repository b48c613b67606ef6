"""Which trees an assessment covers, and why: the pre-screen's recommendations and the choices made

assessment.scope holds, for each assessment tree offered, whether the "About this work" answers
recommended it (and why), whether it was chosen, and the person's reason where the choice differs
from the recommendation. NULL: the trees were ticked directly (before the pre-screen existed).

Revision ID: 7a1d3e5c9b20
Revises: 5e7a2c9d4b10
Create Date: 2026-11-29 23:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '7a1d3e5c9b20'
down_revision = '5e7a2c9d4b10'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('assessment', schema=None) as batch_op:
        batch_op.add_column(sa.Column('scope', sa.JSON(), nullable=True))


def downgrade():
    with op.batch_alter_table('assessment', schema=None) as batch_op:
        batch_op.drop_column('scope')
