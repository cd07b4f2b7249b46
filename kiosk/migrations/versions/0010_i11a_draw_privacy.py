"""prize-draw privacy: no public salt, an inbox for the hub's web entries, one-time entry tokens

Revision ID: 0007_i11a
Revises: 0008_i18

Drafts no longer carry a public salt (contacts are de-duplicated on the hub under a secret key kept
outside the database); the hub's own web entries wait in ``draw_entry_inbox`` for a shuffled batch;
``draw_entry_tokens`` lets each committed response enter once. Both new tables are WITHOUT ROWID
tables keyed by random values, so their storage order says nothing about when rows were written.
Entries a kiosk hashed under the old public salt lose that hash (the hub re-keys its own on receipt).
"""
from alembic import op
import sqlalchemy as sa

revision = '0007_i11a'
down_revision = '0008_i18'
branch_labels = None
depends_on = None


def upgrade():
    # plain ALTER (SQLite 3.35+ and PostgreSQL): a batch copy of draws would trip the foreign keys
    op.execute("ALTER TABLE draws DROP COLUMN salt")
    # hashes under a public salt are guessable: drop them (kiosk rows never need one; a hub that
    # still holds old ones keeps de-duplicating new entries by its secret key from now on)
    op.execute("UPDATE draw_entries SET contact_hash = NULL")
    op.create_table(
        'draw_entry_inbox',
        sa.Column('id', sa.String(length=36), nullable=False),
        sa.Column('draw_id', sa.String(length=36), nullable=False),
        sa.Column('contact_hash', sa.String(length=64), nullable=False),
        sa.Column('sealed', sa.LargeBinary(), nullable=False),
        sa.Column('content_hash', sa.String(length=64), nullable=False),
        sa.Column('entered_on', sa.Date(), nullable=False),
        sa.Column('source', sa.String(length=10), nullable=False),
        sa.ForeignKeyConstraint(['draw_id'], ['draws.id'],
                                name=op.f('fk_draw_entry_inbox_draw_id_draws')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_draw_entry_inbox')),
        sa.UniqueConstraint('draw_id', 'contact_hash', name=op.f('uq_draw_entry_inbox_draw_id')),
        sqlite_with_rowid=False,
    )
    op.create_table(
        'draw_entry_tokens',
        sa.Column('token_hash', sa.String(length=64), nullable=False),
        sa.Column('draw_id', sa.String(length=36), nullable=False),
        sa.Column('issued_on', sa.Date(), nullable=False),
        sa.ForeignKeyConstraint(['draw_id'], ['draws.id'],
                                name=op.f('fk_draw_entry_tokens_draw_id_draws')),
        sa.PrimaryKeyConstraint('token_hash', name=op.f('pk_draw_entry_tokens')),
        sqlite_with_rowid=False,
    )


def downgrade():
    op.drop_table('draw_entry_tokens')
    op.drop_table('draw_entry_inbox')
    op.add_column('draws', sa.Column('salt', sa.String(length=64), nullable=False,
                                     server_default='00' * 32))
