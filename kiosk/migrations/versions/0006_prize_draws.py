"""prize draws

Revision ID: 0006
Revises: 0005

Draws, their entries (no link to responses: no foreign key, no response id, a date not a time,
and on SQLite a WITHOUT ROWID table ordered by a random id), every run of a draw, and a record of
rights requests.
"""
from alembic import op
import sqlalchemy as sa

revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'draws',
        sa.Column('id', sa.String(length=36), nullable=False),
        sa.Column('consultations', sa.JSON(), nullable=False),
        sa.Column('prize', sa.JSON(), nullable=False),
        sa.Column('rules', sa.JSON(), nullable=False),
        sa.Column('winners', sa.Integer(), nullable=False),
        sa.Column('reserves', sa.Integer(), nullable=False),
        sa.Column('closes_at', sa.DateTime(), nullable=False),
        sa.Column('claim_days', sa.Integer(), nullable=False),
        sa.Column('salt', sa.String(length=64), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('updated_at', sa.DateTime(), nullable=False),
        sa.Column('drawn_at', sa.DateTime(), nullable=True),
        sa.Column('claim_until', sa.DateTime(), nullable=True),
        sa.Column('exported_at', sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_draws')),
    )
    op.create_table(
        'draw_entries',
        sa.Column('id', sa.String(length=36), nullable=False),
        sa.Column('draw_id', sa.String(length=36), nullable=False),
        sa.Column('contact_hash', sa.String(length=64), nullable=True),
        sa.Column('sealed', sa.LargeBinary(), nullable=True),
        sa.Column('content_hash', sa.String(length=64), nullable=False),
        sa.Column('entered_on', sa.Date(), nullable=False),
        sa.Column('source', sa.String(length=10), nullable=False),
        sa.Column('outcome', sa.String(length=10), nullable=True),
        sa.Column('rank', sa.Integer(), nullable=True),
        sa.Column('sync_state', sa.String(length=10), nullable=False),
        sa.Column('sync_note', sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(['draw_id'], ['draws.id'],
                                name=op.f('fk_draw_entries_draw_id_draws')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_draw_entries')),
        sa.UniqueConstraint('draw_id', 'contact_hash', name=op.f('uq_draw_entries_draw_id')),
        sqlite_with_rowid=False,
    )
    op.create_table(
        'draw_runs',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('draw_id', sa.String(length=36), nullable=False),
        sa.Column('run', sa.Integer(), nullable=False),
        sa.Column('seed', sa.Text(), nullable=False),
        sa.Column('reason', sa.Text(), nullable=True),
        sa.Column('actor', sa.String(length=200), nullable=False),
        sa.Column('entries', sa.Integer(), nullable=False),
        sa.Column('verification', sa.JSON(), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['draw_id'], ['draws.id'], name=op.f('fk_draw_runs_draw_id_draws')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_draw_runs')),
        sa.UniqueConstraint('draw_id', 'run', name=op.f('uq_draw_runs_draw_id')),
    )
    op.create_table(
        'rights_requests',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('reference', sa.String(length=100), nullable=False),
        sa.Column('action', sa.String(length=10), nullable=False),
        sa.Column('matched', sa.Integer(), nullable=False),
        sa.Column('deleted', sa.Integer(), nullable=False),
        sa.Column('actor', sa.String(length=200), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_rights_requests')),
    )


def downgrade():
    op.drop_table('rights_requests')
    op.drop_table('draw_runs')
    op.drop_table('draw_entries')
    op.drop_table('draws')
