"""prize-draw claims: who holds each prize of a made draw and where its claim stands

Revision ID: 0019_i16dr
Revises: 0018_i15ix

One row per winner of the run that stands (and per reserve promoted in a winner's place), keyed by
the entry's published hash: drawn, contacted, claimed, declined or expired. No foreign key to
``draw_entries``, so nothing points at an entry. Draws already made get their winners' claims,
as drawn, from the run that stands.
"""
import json

import sqlalchemy as sa
from alembic import op

revision = '0019_i16dr'
down_revision = '0018_i15ix'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'draw_claims',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('draw_id', sa.String(length=36), nullable=False),
        sa.Column('prize', sa.Integer(), nullable=False),
        sa.Column('entry_hash', sa.String(length=64), nullable=False),
        sa.Column('reserve', sa.Integer(), nullable=True),
        sa.Column('state', sa.String(length=10), nullable=False),
        sa.Column('changed_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['draw_id'], ['draws.id'],
                                name=op.f('fk_draw_claims_draw_id_draws')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_draw_claims')),
        sa.UniqueConstraint('draw_id', 'entry_hash', name=op.f('uq_draw_claims_draw_id')),
    )
    conn = op.get_bind()
    standing = {}
    for row in conn.execute(sa.text(
            "SELECT draw_id, verification, created_at FROM draw_runs ORDER BY draw_id, run")):
        standing[row.draw_id] = row  # the last run of each draw stands
    insert = sa.text("INSERT INTO draw_claims (draw_id, prize, entry_hash, state, changed_at)"
                     " VALUES (:draw_id, :prize, :entry_hash, 'drawn', :changed_at)")
    for row in standing.values():
        doc = json.loads(row.verification) if isinstance(row.verification, str) else row.verification
        for prize, entry_hash in enumerate(doc["result"]["winners"], 1):
            conn.execute(insert, {"draw_id": row.draw_id, "prize": prize,
                                  "entry_hash": entry_hash, "changed_at": row.created_at})


def downgrade():
    op.drop_table('draw_claims')
