"""set-aside review and print cost: a set-aside item's review, a placement's print cost

Revision ID: 0018_i16sa
Revises: 0020_i15pub

An admin accepts or discards a set-aside sync item (who, when, and the reason for a discard); the
item stays recorded either way. A tracking code may carry what its posters cost to print, in pence.
"""
from alembic import op
import sqlalchemy as sa

revision = '0018_i16sa'
down_revision = '0020_i15pub'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('sync_set_aside') as batch:
        batch.add_column(sa.Column('review_state', sa.String(length=10), nullable=True))
        batch.add_column(sa.Column('reviewed_at', sa.DateTime(), nullable=True))
        batch.add_column(sa.Column('reviewed_by', sa.String(length=254), nullable=True))
        batch.add_column(sa.Column('review_note', sa.Text(), nullable=True))
    with op.batch_alter_table('tracking_codes') as batch:
        batch.add_column(sa.Column('print_cost_pence', sa.Integer(), nullable=True))


def downgrade():
    with op.batch_alter_table('tracking_codes') as batch:
        batch.drop_column('print_cost_pence')
    with op.batch_alter_table('sync_set_aside') as batch:
        batch.drop_column('review_note')
        batch.drop_column('reviewed_by')
        batch.drop_column('reviewed_at')
        batch.drop_column('review_state')
