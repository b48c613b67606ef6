"""A self-assessment keeps the text of the framework it was rated against

self_assessment.framework_text: the framework file as it was when the self-assessment was started,
so rewording a criterion later never changes what a signed-off year says. Empty for self-assessments
started before this (they are read with the framework installed now, as before).

Revision ID: e5b1c7d9a3f4
Revises: c4e8a1f2d6b3
Create Date: 2026-11-30 03:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'e5b1c7d9a3f4'
down_revision = 'c4e8a1f2d6b3'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('self_assessment') as batch_op:
        batch_op.add_column(sa.Column('framework_text', sa.Text(), nullable=True))


def downgrade():
    with op.batch_alter_table('self_assessment') as batch_op:
        batch_op.drop_column('framework_text')
