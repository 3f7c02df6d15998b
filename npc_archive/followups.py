"""``npc-archive followups``: each opinion's deadline status and the reports and hearings linked
to it; ``followups link`` / ``reject``: an analyst's decision, kept across crawls and reparses."""

from __future__ import annotations

import datetime

import click

from archive.followups import STATUSES, decide, followup_statuses
from spiders.followups import relink

from . import exit_codes
from .options import CommandError, db_option, existing_archive, format_option, known_site, print_rows, site_option

SHOWN = ("site", "status", "days", "due", "counted_from", "first_followup", "followups", "title")


def _as_of(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    if value is None:
        return None
    try:
        return datetime.date.fromisoformat(value).isoformat()
    except ValueError:
        raise click.BadParameter(f"expected a date such as 2022-12-20, got {value!r}", ctx, param) from None


@click.group(invoke_without_command=True)
@db_option
@click.option("--status", "statuses", type=click.Choice(STATUSES), multiple=True,
              help="only opinions with this status (repeatable): met, late, pending, missing or unknown (no deadline)")
@click.option("--as-of", callback=_as_of, metavar="DATE", help="the status as of this date [default: today]")
@site_option
@format_option
@click.pass_context
def followups(ctx: click.Context, db_path: str, statuses: tuple[str, ...], as_of: str | None, site: str | None, fmt: str) -> None:
    """Each opinion's report-back deadline and whether the government's report came: met, late
    (days after the deadline), pending, missing (days overdue) or unknown (no deadline in its
    text). JSON gives every field, the URL and the deadline's start date included."""
    if ctx.invoked_subcommand is not None:
        return
    with existing_archive(db_path) as archive:
        site = known_site(archive, db_path, site)
        rows = [row for row in followup_statuses(archive, as_of, site) if not statuses or row["status"] in statuses]
    shown = rows if fmt == "json" else [{name: row[name] for name in SHOWN} for row in rows]
    print_rows(shown, fmt, empty="No opinions" + (f" of site {site}" if site else "") +
               (f" with status {', '.join(statuses)}" if statuses else "") + f" in {db_path}")


def _decision(decision: str, verb: str):
    @click.command(name=decision, help=f"{verb} REPORT_URL (a report or a news item) to OPINION_URL, whatever the "
                                       "automatic linking says; kept across crawls and reparses.")
    @db_option
    @click.argument("opinion_url")
    @click.argument("report_url")
    def command(db_path: str, opinion_url: str, report_url: str) -> None:
        with existing_archive(db_path) as archive:
            try:
                site = decide(archive, opinion_url, report_url, decision)
            except KeyError as error:  # a wrong argument, as a mistyped URL is: nothing was decided
                raise CommandError(f"no archived document {error.args[0]} in {db_path}", exit_codes.USAGE) from None
            relink(archive, site=site)  # the opinion's site: its links are all a decision changes
        click.echo(f"{verb}ed: {report_url} -> {opinion_url}")
    return command


followups.add_command(_decision("link", "Link"))
followups.add_command(_decision("reject", "Reject"))
