"""free-text answers, themes, tags, suggestions; SQLite FTS5 / PostgreSQL GIN search index

Revision ID: 0021_i15ft
Revises: 0019_i16dr

``text_answers`` holds a copy of every free-text answer (kiosk.analysis.texts). SQLite searches
it through an external-content FTS5 table kept in step by triggers; PostgreSQL through a GIN
index on the same expression ``kiosk.analysis.search.TSVECTOR`` queries (keep the two equal).
"""
from alembic import op
import sqlalchemy as sa

revision = '0021_i15ft'
down_revision = '0019_i16dr'
branch_labels = None
depends_on = None

ACCENTED = "âêîôûŵŷáéíóúẃýàèìòùẁỳäëïöüẅÿ"
PLAIN = "aeiouwy" * 4
TSVECTOR = f"to_tsvector('simple', translate(lower(body), '{ACCENTED}', '{PLAIN}'))"
FTS_TRIGGERS = (
    "CREATE TRIGGER text_answers_ai AFTER INSERT ON text_answers BEGIN"
    " INSERT INTO text_answers_fts(rowid, body) VALUES (new.id, new.body); END",
    "CREATE TRIGGER text_answers_ad AFTER DELETE ON text_answers BEGIN"
    " INSERT INTO text_answers_fts(text_answers_fts, rowid, body) VALUES ('delete', old.id, old.body); END",
    "CREATE TRIGGER text_answers_au AFTER UPDATE OF body ON text_answers BEGIN"
    " INSERT INTO text_answers_fts(text_answers_fts, rowid, body) VALUES ('delete', old.id, old.body);"
    " INSERT INTO text_answers_fts(rowid, body) VALUES (new.id, new.body); END",
)


def upgrade():
    op.create_table(
        'text_answers',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('response_id', sa.Integer(), nullable=False),
        sa.Column('consultation_slug', sa.String(length=63), nullable=False),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.Column('question_id', sa.String(length=80), nullable=False),
        sa.Column('body', sa.Text(), nullable=False),
        sa.Column('language', sa.String(length=5), nullable=False),
        sa.Column('channel', sa.String(length=10), nullable=False),
        sa.Column('event_id', sa.String(length=36), nullable=True),
        sa.Column('tracking_code', sa.String(length=16), nullable=True),
        sa.Column('area', sa.String(length=32), nullable=True),
        sa.Column('submitted_at', sa.DateTime(), nullable=False),
        sa.Column('redacted_at', sa.DateTime(), nullable=True),
        sa.Column('hidden_from_quotes', sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(['response_id'], ['responses.id'], ondelete='CASCADE',
                                name=op.f('fk_text_answers_response_id_responses')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_text_answers')),
        sa.UniqueConstraint('response_id', 'question_id', name=op.f('uq_text_answers_response_id')),
    )
    op.create_index('ix_text_answers_consultation', 'text_answers', ['consultation_slug', 'id'])
    op.create_table(
        'themes',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('consultation_slug', sa.String(length=63), nullable=False),
        sa.Column('name_en', sa.String(length=120), nullable=False),
        sa.Column('name_cy', sa.String(length=120), nullable=False),
        sa.Column('created_by', sa.String(length=254), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_themes')),
        sa.UniqueConstraint('consultation_slug', 'name_en', name=op.f('uq_themes_consultation_slug')),
    )
    op.create_table(
        'answer_themes',
        sa.Column('answer_id', sa.Integer(), nullable=False),
        sa.Column('theme_id', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['answer_id'], ['text_answers.id'], ondelete='CASCADE',
                                name=op.f('fk_answer_themes_answer_id_text_answers')),
        sa.ForeignKeyConstraint(['theme_id'], ['themes.id'], ondelete='CASCADE',
                                name=op.f('fk_answer_themes_theme_id_themes')),
        sa.PrimaryKeyConstraint('answer_id', 'theme_id', name=op.f('pk_answer_themes')),
    )
    op.create_index('ix_answer_themes_theme', 'answer_themes', ['theme_id', 'answer_id'])
    op.create_table(
        'theme_suggestions',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('consultation_slug', sa.String(length=63), nullable=False),
        sa.Column('terms', sa.JSON(), nullable=False),
        sa.Column('answer_ids', sa.JSON(), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_theme_suggestions')),
    )
    op.create_table(
        'text_indexed',
        sa.Column('consultation_slug', sa.String(length=63), nullable=False),
        sa.Column('indexed_at', sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint('consultation_slug', name=op.f('pk_text_indexed')),
    )
    if op.get_bind().dialect.name == 'postgresql':
        op.execute(f"CREATE INDEX ix_text_answers_search ON text_answers USING gin ({TSVECTOR})")
    else:
        op.execute("CREATE VIRTUAL TABLE text_answers_fts USING fts5(body, content='text_answers',"
                   " content_rowid='id', tokenize='unicode61 remove_diacritics 2')")
        for trigger in FTS_TRIGGERS:
            op.execute(trigger)


def downgrade():
    if op.get_bind().dialect.name == 'postgresql':
        op.execute("DROP INDEX IF EXISTS ix_text_answers_search")
    else:
        for name in ('text_answers_ai', 'text_answers_ad', 'text_answers_au'):
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
        op.execute("DROP TABLE IF EXISTS text_answers_fts")
    op.drop_table('text_indexed')
    op.drop_table('theme_suggestions')
    op.drop_index('ix_answer_themes_theme', table_name='answer_themes')
    op.drop_table('answer_themes')
    op.drop_table('themes')
    op.drop_index('ix_text_answers_consultation', table_name='text_answers')
    op.drop_table('text_answers')
