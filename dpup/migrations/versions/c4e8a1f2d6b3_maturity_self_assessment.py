"""The organisation's DPUP maturity self-assessment, and action items that belong to one

self_assessment: one per organisation and year, reviewed and signed off like an assessment;
maturity_rating: each criterion's level, target, note and evidence. action_item may now belong to a
self-assessment instead of an assessment (exactly one of the two, checked by the database).

Revision ID: c4e8a1f2d6b3
Revises: b2a7ca7f697b
Create Date: 2026-11-30 10:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c4e8a1f2d6b3'
down_revision = 'b2a7ca7f697b'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'self_assessment',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('public_id', sa.String(length=32), nullable=False),
        sa.Column('organisation_id', sa.Integer(), nullable=False),
        sa.Column('year', sa.Integer(), nullable=False),
        sa.Column('framework_id', sa.String(length=80), nullable=False),
        sa.Column('framework_version', sa.String(length=40), nullable=False),
        sa.Column('created_by_id', sa.Integer(), nullable=True),
        sa.Column('submitted_by_id', sa.Integer(), nullable=True),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('updated_at', sa.DateTime(), nullable=False),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.Column('status', sa.String(length=30), nullable=False),
        sa.Column('review_comment', sa.Text(), nullable=False),
        sa.Column('signed_off_by', sa.String(length=200), nullable=False),
        sa.Column('signed_off_role', sa.String(length=60), nullable=False),
        sa.Column('signed_off_at', sa.DateTime(), nullable=True),
        sa.Column('previous_id', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['created_by_id'], ['user_account.id'], name=op.f('fk_self_assessment_created_by_id_user_account')),
        sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'], name=op.f('fk_self_assessment_organisation_id_organisation')),
        sa.ForeignKeyConstraint(['previous_id'], ['self_assessment.id'], name=op.f('fk_self_assessment_previous_id_self_assessment')),
        sa.ForeignKeyConstraint(['submitted_by_id'], ['user_account.id'], name=op.f('fk_self_assessment_submitted_by_id_user_account')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_self_assessment')),
        sa.UniqueConstraint('organisation_id', 'year', name=op.f('uq_self_assessment_organisation_id')),
        sa.UniqueConstraint('public_id', name=op.f('uq_self_assessment_public_id')),
    )
    op.create_table(
        'maturity_rating',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('self_assessment_id', sa.Integer(), nullable=False),
        sa.Column('criterion_id', sa.String(length=80), nullable=False),
        sa.Column('level', sa.String(length=40), nullable=False),
        sa.Column('target', sa.String(length=40), nullable=False),
        sa.Column('note', sa.Text(), nullable=False),
        sa.Column('evidence', sa.Text(), nullable=False),
        sa.Column('updated_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['self_assessment_id'], ['self_assessment.id'], name=op.f('fk_maturity_rating_self_assessment_id_self_assessment'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_maturity_rating')),
        sa.UniqueConstraint('self_assessment_id', 'criterion_id', name=op.f('uq_maturity_rating_self_assessment_id')),
    )
    with op.batch_alter_table('maturity_rating', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_maturity_rating_self_assessment_id'), ['self_assessment_id'], unique=False)
    with op.batch_alter_table('action_item', schema=None) as batch_op:
        batch_op.alter_column('assessment_id', existing_type=sa.Integer(), nullable=True)
        batch_op.add_column(sa.Column('self_assessment_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_action_item_self_assessment_id_self_assessment'),
                                    'self_assessment', ['self_assessment_id'], ['id'], ondelete='CASCADE')
        batch_op.create_unique_constraint(batch_op.f('uq_action_item_self_assessment_id'), ['self_assessment_id', 'key'])
        batch_op.create_check_constraint('one_owner', '(assessment_id IS NULL) <> (self_assessment_id IS NULL)')
        batch_op.create_index(batch_op.f('ix_action_item_self_assessment_id'), ['self_assessment_id'], unique=False)
    # The evidence shown beside the criteria reads one organisation's year of each of these.
    op.create_index('ix_assessment_organisation_created', 'assessment', ['organisation_id', 'created_at', 'status'])
    op.create_index('ix_checklist_record_organisation_created', 'checklist_record',
                    ['organisation_id', 'created_at', 'checklist_id', 'all_clear'])
    op.create_index('ix_action_item_assessment_severity', 'action_item', ['assessment_id', 'status', 'severity'])
    op.create_index('ix_audit_event_organisation_target_at', 'audit_event', ['organisation_id', 'target', 'at'])


def downgrade():
    op.drop_index('ix_action_item_assessment_severity', table_name='action_item')
    op.drop_index('ix_audit_event_organisation_target_at', table_name='audit_event')
    op.drop_index('ix_checklist_record_organisation_created', table_name='checklist_record')
    op.drop_index('ix_assessment_organisation_created', table_name='assessment')
    op.execute("DELETE FROM action_item WHERE assessment_id IS NULL")
    with op.batch_alter_table('action_item', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_action_item_self_assessment_id'))
        batch_op.drop_constraint(batch_op.f('ck_action_item_one_owner'), type_='check')
        batch_op.drop_constraint(batch_op.f('uq_action_item_self_assessment_id'), type_='unique')
        batch_op.drop_constraint(batch_op.f('fk_action_item_self_assessment_id_self_assessment'), type_='foreignkey')
        batch_op.drop_column('self_assessment_id')
        batch_op.alter_column('assessment_id', existing_type=sa.Integer(), nullable=False)
    with op.batch_alter_table('maturity_rating', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_maturity_rating_self_assessment_id'))
    op.drop_table('maturity_rating')
    op.drop_table('self_assessment')
