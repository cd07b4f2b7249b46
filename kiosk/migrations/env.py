"""Alembic environment for voxbox (Flask-Migrate), batch mode so SQLite kiosks upgrade in place."""

from alembic import context
from flask import current_app

config = context.config
target_db = current_app.extensions["migrate"].db


def run_migrations_online() -> None:
    """Run migrations on the app's engine."""
    conf_args = dict(current_app.extensions["migrate"].configure_args)

    def skip_empty(ctx, revision, directives):  # type: ignore[no-untyped-def]
        if getattr(config.cmd_opts, "autogenerate", False) and directives[0].upgrade_ops.is_empty():
            directives[:] = []

    conf_args.setdefault("process_revision_directives", skip_empty)
    # SQLite's full-text index (an FTS5 table and its shadow tables) is made by SQL, not a model.
    conf_args.setdefault("include_name", lambda name, kind, _parent: not (
        kind == "table" and name.startswith("text_answers_fts")))
    with target_db.engine.connect() as connection:
        context.configure(connection=connection, target_metadata=target_db.metadata, **conf_args)
        with context.begin_transaction():
            context.run_migrations()


if context.is_offline_mode():
    raise SystemExit("offline migrations are not supported; run against a database")
run_migrations_online()
