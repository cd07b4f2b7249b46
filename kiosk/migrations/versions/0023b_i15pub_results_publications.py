"""results publications: "we asked, you said, we did" per consultation

Revision ID: 0020_i15pub
Revises: 0023_i15ta

Bilingual text, the charts and quotes (by reference to a response's answer) chosen for the public
results page, and the day it is published.
"""
from alembic import op
import sqlalchemy as sa

revision = '0020_i15pub'
down_revision = '0023_i15ta'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'results_publications',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('consultation_slug', sa.String(length=63), nullable=False),
        sa.Column('we_asked', sa.JSON(), nullable=False),
        sa.Column('you_said', sa.JSON(), nullable=False),
        sa.Column('we_did', sa.JSON(), nullable=False),
        sa.Column('charts', sa.JSON(), nullable=False),
        sa.Column('quotes', sa.JSON(), nullable=False),
        sa.Column('publish_on', sa.Date(), nullable=True),
        sa.Column('updated_at', sa.DateTime(), nullable=False),
        sa.Column('updated_by', sa.String(length=254), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_results_publications')),
        sa.UniqueConstraint('consultation_slug', name=op.f('uq_results_publications_consultation_slug')),
    )


def downgrade():
    op.drop_table('results_publications')
