"""Index for the action register of any status (keyset paging by due date and id)

Revision ID: b2a7ca7f697b
Revises: c4d8e2f1a6b3
Create Date: 2026-11-29 22:12:00.000000

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = 'b2a7ca7f697b'
down_revision = 'c4d8e2f1a6b3'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('action_item', schema=None) as batch_op:
        batch_op.create_index('ix_action_item_register_any_status', ['organisation_id', 'due', 'id'], unique=False)


def downgrade():
    with op.batch_alter_table('action_item', schema=None) as batch_op:
        batch_op.drop_index('ix_action_item_register_any_status')
