"""The ``voxbox`` command group: lists commands from kiosk.cli.COMMANDS and builds the app only to run one."""

from __future__ import annotations

import os

import click
from flask import Flask
from flask.cli import FlaskGroup

from kiosk.cli import COMMANDS, load


class VoxboxGroup(FlaskGroup):
    """FlaskGroup that finds voxbox's own commands in COMMANDS before loading the app."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        """Flask's built-in commands and voxbox's, without building the app."""
        return sorted(set(click.Group.list_commands(self, ctx)) | set(COMMANDS))

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        """voxbox's commands from the table, imported on use; others as Flask finds them."""
        if cmd_name in COMMANDS:
            return load(cmd_name)
        return super().get_command(ctx, cmd_name)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """The command list for --help, from the table and Flask's built-ins, importing nothing."""
        rows = []
        for name in self.list_commands(ctx):
            if name in COMMANDS:
                rows.append((name, COMMANDS[name][1]))
            else:
                command = click.Group.get_command(self, ctx, name)
                if command is not None and not command.hidden:
                    rows.append((name, command.get_short_help_str(formatter.width)))
        if rows:
            with formatter.section("Commands"):
                formatter.write_dl(rows)


def _set_instance(ctx: click.Context, _param: click.Parameter, value: str | None) -> None:
    if value:
        os.environ["VOXBOX_INSTANCE"] = os.path.abspath(value)


#: Commands that serve pages (or show them): they get the whole web app; every other command gets
#: the app without its web layer (create_app(web=False)), which starts in a fraction of the time.
WEB_COMMANDS = frozenset({"serve", "kiosk", "run", "routes", "shell"})


def _factory() -> Flask:
    from kiosk.app import create_app  # the factory imports the whole app: only when a command runs

    return create_app(web=_command_name() in WEB_COMMANDS)


def _command_name() -> str | None:
    """The voxbox command being run (``sync`` for ``voxbox sync status``), from click's context."""
    ctx = click.get_current_context(silent=True)
    while ctx is not None and ctx.parent is not None and ctx.parent.parent is not None:
        ctx = ctx.parent
    return ctx.info_name if ctx is not None and ctx.parent is not None else None


main = VoxboxGroup(
    name="voxbox",
    help="voxbox: kiosk and QR outreach for public consultations.",
    create_app=_factory,
    add_version_option=False,
    params=[click.Option(["--instance"], metavar="DIR", expose_value=False, is_eager=True,
                         callback=_set_instance,
                         help="Instance folder (config, database); also VOXBOX_INSTANCE.")],
)


