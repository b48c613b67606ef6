"""Several roles a person; forms kept when a session times out

``user_account.role`` holds every role a person has, space-separated ("administrator
privacy_officer"), so it grows from 30 to 100 characters; existing single roles read as before.
``kept_form`` holds what someone had typed when their session timed out, until they log in again.

Revision ID: 5e2a9c4d7f10
Revises: 3c1f0e9a7b21
Create Date: 2026-11-27 09:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '5e2a9c4d7f10'
down_revision = '3c1f0e9a7b21'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.alter_column('role', existing_type=sa.String(length=30), type_=sa.String(length=100),
                              existing_nullable=False)
    op.create_table(
        'kept_form',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('path', sa.String(length=500), nullable=False),
        sa.Column('fields', sa.JSON(), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_kept_form_user_id_user_account'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_kept_form')),
    )
    with op.batch_alter_table('kept_form', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_kept_form_user_id'), ['user_id'], unique=False)


def downgrade():
    with op.batch_alter_table('kept_form', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_kept_form_user_id'))
    op.drop_table('kept_form')
    # A person with several roles keeps the first (the most powerful, in Role order).
    op.execute("UPDATE user_account SET role = substr(role, 1, instr(role || ' ', ' ') - 1)"
               if op.get_bind().dialect.name == 'sqlite' else
               "UPDATE user_account SET role = split_part(role, ' ', 1)")
    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.alter_column('role', existing_type=sa.String(length=100), type_=sa.String(length=30),
                              existing_nullable=False)
