"""The `monitor` command: thin click wrappers around the pipeline, the store and the notifier.

The group is here; the commands live by what they do: read.py reads the store (alerts,
digest, history, claims, metadata), passes.py fetches and delivers (ingest, run, notify,
daemon, status, enable), manage.py sets the monitor up (init, sources, mute, prune).
"""
from __future__ import annotations

import sqlite3
import sys

import click

from .common import EXIT_FAILED, fail

# click 8.2+ asks for a command by showing the help (an error whose message is the help).
NO_ARGS_IS_HELP = getattr(click.exceptions, "NoArgsIsHelpError", ())


class Monitor(click.Group):
    """The command group. Every error is one "error: ..." line, click's own too (a missing
    option, an unknown command: exit 2, with where to find help), and a store that fails
    mid-command (disk full, file damaged or made read-only under us) is one line and exit 1,
    not a traceback."""

    def main(self, args=None, prog_name=None, complete_var=None, standalone_mode=True, **extra):
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, standalone_mode, **extra)
        try:
            code = super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        except NO_ARGS_IS_HELP as exc:           # `monitor` alone: the help, as click prints it (exit 2)
            exc.show()
            sys.exit(exc.exit_code)
        except click.ClickException as exc:
            hint = ""
            if isinstance(exc, click.UsageError) and exc.ctx is not None:
                hint = f" (see '{exc.ctx.command_path} --help')"
            fail(exc.format_message() + hint, exc.exit_code)
        except click.Abort:
            fail("aborted")
        sys.exit(code if isinstance(code, int) else 0)

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except sqlite3.DatabaseError as exc:
            fail(f"the store failed: {exc} (disk full, read-only or damaged?)", EXIT_FAILED)


@click.group(cls=Monitor, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="monitor")
def main():
    """Track figures and official positions in the news, and alert when they change.

    Start with 'monitor init' (a commented config), then 'monitor run' from cron or
    'monitor daemon'. Every command finds its config by --config, $MONITOR_CONFIG,
    ./monitor.toml or $XDG_CONFIG_HOME/monitor/monitor.toml; read commands also take --db.
    """


from . import manage, passes, read  # noqa: E402,F401  (each registers its commands on `main`)
