"""Document drafts: the purpose statement, privacy notices and scripts drafted from an assessment

One row per assessment and document template, holding the text as the privacy officer edited it,
the te reo Māori choice, the facts (answers) it was drafted from and a version counter.

Revision ID: c4d8e2f1a6b3
Revises: 7a1d3e5c9b20
Create Date: 2026-12-03 09:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c4d8e2f1a6b3'
down_revision = '7a1d3e5c9b20'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'document_draft',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('assessment_id', sa.Integer(), nullable=False),
        sa.Column('document_id', sa.String(length=80), nullable=False),
        sa.Column('title', sa.String(length=200), nullable=False),
        sa.Column('text', sa.Text(), nullable=False),
        sa.Column('te_reo', sa.Boolean(), nullable=False),
        sa.Column('facts', sa.JSON(), nullable=False),
        sa.Column('drafted_at', sa.DateTime(), nullable=False),
        sa.Column('updated_at', sa.DateTime(), nullable=False),
        sa.Column('updated_by', sa.String(length=200), nullable=False),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['assessment_id'], ['assessment.id'], name=op.f('fk_document_draft_assessment_id_assessment'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_document_draft')),
        sa.UniqueConstraint('assessment_id', 'document_id', name=op.f('uq_document_draft_assessment_id')),
    )
    with op.batch_alter_table('document_draft', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_document_draft_assessment_id'), ['assessment_id'], unique=False)


def downgrade():
    with op.batch_alter_table('document_draft', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_document_draft_assessment_id'))
    op.drop_table('document_draft')
