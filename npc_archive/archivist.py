"""``npc-archive verify``, ``warc``, ``wacz``, ``capture`` and ``serve``: the archivist's commands."""

from __future__ import annotations

import copy
import sys
import zlib
from pathlib import Path

import click

from archive.captures import CaptureNotFound, Moment, decode_content, find_capture
from archive.fixity import verify
from archive.hosts import is_loopback
from archive.replay import ReplayServer
from archive.wacz import write_wacz
from archive.warc import write_warc

from . import exit_codes
from .options import (
    MOMENT_FORMS,
    MOMENT_TEXT,
    OUTPUT,
    CommandError,
    check_archive,
    crawl_lock,
    db_option,
    existing_archive,
    known_site,
    since_option,
    site_option,
)
from .output import replacing
from .reparse import reparse_archive


@click.command("verify")
@db_option
def verify_command(db_path: str) -> None:
    """Re-hash every stored body against its SHA-256 and check the database file (SQLite's
    integrity_check); record the audit; exit 1 on any failure."""
    with existing_archive(db_path) as archive:
        audit = verify(archive)
    for problem in audit.problems:
        if problem.kind == "damaged":
            click.echo(f"DAMAGED {problem.table or 'database'}: {problem.detail}")
        else:
            click.echo(f"{problem.kind.upper()} {problem.sha256}: {problem.detail} "
                       f"({problem.captures} captures, e.g. {problem.example_url or 'none'})")
    database = f"{audit.damaged} problem{'s' if audit.damaged > 1 else ''}" if audit.damaged else "ok"
    click.echo(f"Checked {audit.checked} stored bodies: {audit.failed} failed, {audit.missing} missing; database: {database}")
    if audit.record_error:
        click.echo(f"npc-archive: the audit could not be recorded in {db_path}: {audit.record_error}", err=True)
    if not audit.ok:
        sys.exit(exit_codes.FAILED)


@click.command()
@db_option
@click.argument("output", type=OUTPUT)
@since_option(f"only captures fetched (UTC) on or after {MOMENT_FORMS}")
@site_option
def warc(db_path: str, output: str, since: Moment | None, site: str | None) -> None:
    """Write the captures as WARC 1.1 to OUTPUT (gzip per record, e.g. archive.warc.gz; - for stdout)."""
    with existing_archive(db_path) as archive:
        site = known_site(archive, db_path, site)
        if output == "-":
            counts = write_warc(archive, sys.stdout.buffer, since, site=site)
        else:
            with replacing(output) as stream:
                counts = write_warc(archive, stream, since, filename=Path(output).name, site=site)
    click.echo(f"Wrote {output}: {counts.responses} responses, {counts.revisits} revisits, {counts.requests} requests",
               err=output == "-")


@click.command()
@db_option
@click.argument("output", type=OUTPUT)
@since_option(f"only captures fetched (UTC) on or after {MOMENT_FORMS}; bodies captured before are revisits "
              "of the package that holds the earlier captures")
@site_option
def wacz(db_path: str, output: str, since: Moment | None, site: str | None) -> None:
    """Write the captures as a WACZ 1.2 package to OUTPUT (e.g. opinions.wacz): the WARC, its CDXJ
    index, the archived opinions as pages and datapackage.json with every file's SHA-256 (- for stdout)."""
    with existing_archive(db_path) as archive:
        site = known_site(archive, db_path, site)
        if output == "-":
            counts = write_wacz(archive, sys.stdout.buffer, since, site)
        else:
            with replacing(output) as stream:
                counts = write_wacz(archive, stream, since, site)
    warc_counts = counts.warc
    click.echo(f"Wrote {output}: {counts.pages} pages, {warc_counts.responses} responses, {warc_counts.revisits} revisits, "
               f"{counts.index_lines} index lines", err=output == "-")
    if counts.continues and counts.continues["revisits"]:  # none: the package stands alone
        click.echo(f"{counts.continues['revisits']} revisits refer to captures before {counts.continues['capturesBefore']}: "
                   "keep this package with the one holding them", err=output == "-")


@click.command()
@db_option
@click.argument("url")
@click.option("--at", type=MOMENT_TEXT, help=f"the latest capture at or before {MOMENT_FORMS} (default: the latest)")
@click.option("-o", "--output", type=OUTPUT, help="write here instead of stdout")
@click.option("--decompress", is_flag=True, help="undo the Content-Encoding (gzip, deflate) the server applied")
def capture(db_path: str, url: str, at: str | None, output: str | None, decompress: bool) -> None:
    """Write the bytes stored for a capture of URL, exactly as the server sent them."""
    with existing_archive(db_path) as archive:
        try:
            found = find_capture(archive, url, at)
        except CaptureNotFound as error:  # a URL (or a moment) the archive holds no capture of: a wrong argument
            raise CommandError(str(error), exit_codes.USAGE) from None
        except ValueError as error:
            raise click.ClickException(str(error)) from error
        body = archive.capture_body(found["id"])
    if decompress:
        try:
            body = decode_content(body, found["headers"])
        except (ValueError, zlib.error) as error:
            raise click.ClickException(f"cannot decompress: {error}") from error
    if output and output != "-":
        with replacing(output) as stream:
            stream.write(body)
        encoding = "" if decompress else _encoding_note(found["headers"])
        click.echo(f"Wrote {len(body)} bytes of {url} fetched {found['fetched_at']} (HTTP {found['status']}) "
                   f"to {output}{encoding}", err=True)
    else:
        sys.stdout.buffer.write(body)


# The command's name before a stored response was called a capture, for existing scripts.
snapshot = copy.copy(capture)
snapshot.name, snapshot.hidden = "snapshot", True


def _encoding_note(headers: list[tuple[str, str]]) -> str:
    """What `capture -o` wrote, when it is not the page itself: the server's Content-Encoding."""
    encodings = [value for name, value in headers if name.lower() == "content-encoding" and value.lower() != "identity"]
    if not encodings:
        return ""
    return f", {', '.join(encodings)}-encoded as the server sent it (--decompress writes the page)"


@click.command()
@db_option
@click.option("--host", default="127.0.0.1", show_default=True,
              help="address to listen on (anything but loopback shows the archive to the network)")
@click.option("--port", type=click.IntRange(0, 65535), default=8100, show_default=True, help="port to listen on")
def serve(db_path: str, host: str, port: int) -> None:
    """Browse the archived pages at http://HOST:PORT/, each as its latest capture, in a sandbox:
    no script runs and nothing loads from the live site."""
    with existing_archive(db_path):
        pass  # upgraded if older, or a clear error if missing
    if not is_loopback(host):
        click.echo(f"npc-archive: warning: serving on {host}, not only to this machine", err=True)
    try:
        server = ReplayServer(db_path, host, port)
    except OSError as error:
        raise CommandError(f"cannot serve on {host}:{port}: {error.strerror} (another program uses it? try --port)",
                           exit_codes.PORT_BUSY) from None
    click.echo(f"Serving {db_path} at {server.base_url}/ (Ctrl-C to stop)")
    try:
        server.httpd.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.httpd.server_close()


@click.command()
@db_option
def reparse(db_path: str) -> None:
    """Parse the archived pages again with this version's parser, fetching nothing.

    Run it after upgrading npc-archive: records, sections and facts are refreshed from the
    stored bytes; a document whose content now reads differently gets a new revision (with no
    crawl and no change event: the site did not change). Exit 1 if a page no longer parses."""
    check_archive(db_path)  # before the lock, which would leave a .lock file beside a missing archive
    with crawl_lock(db_path), existing_archive(db_path) as archive:
        result = reparse_archive(archive)
    for url in result.changed:
        click.echo(f"changed: {url}")
    for url, reason in result.failed:
        click.echo(f"FAILED {url}: {reason} (left as it was)", err=True)
    click.echo(f"Reparsed {result.unchanged + len(result.changed)} documents: {len(result.changed)} changed, "
               f"{result.unchanged} unchanged, {len(result.failed)} failed")
    if result.failed:
        sys.exit(exit_codes.FAILED)
