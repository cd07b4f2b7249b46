"""paper entries

Revision ID: 0008_i14
Revises: 0007_i18

Who keyed each paper response, when, the date written on the form and its batch (issue 14).
"""
from alembic import op
import sqlalchemy as sa

revision = '0008_i14'
down_revision = '0007_i18'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('paper_entries',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('response_uuid', sa.String(length=36), nullable=False),
    sa.Column('form_date', sa.Date(), nullable=False),
    sa.Column('batch', sa.String(length=64), nullable=True),
    sa.Column('entered_by', sa.String(length=254), nullable=False),
    sa.Column('entered_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_paper_entries')),
    sa.UniqueConstraint('response_uuid', name=op.f('uq_paper_entries_response_uuid'))
    )


def downgrade():
    op.drop_table('paper_entries')
