"""Exit statuses of every ``npc-archive`` command, for cron and scripts (sysexits.h where one fits)."""

OK = 0
# The command ran, but something it checked or fetched failed: failed URLs of a crawl (see
# `failures`), a damaged body in `verify`, a page that no longer parses in `reparse`, a diff
# of a document with one revision.
FAILED = 1
# click's own status for a usage error: a bad option or argument, nothing done; also an argument
# naming what the archive does not hold (a crawl id, a document or capture URL, a revision, a site)
USAGE = 2
UNFINISHED = 3  # the crawl did not finish: see `crawls`
# A write to the archive failed (disk full, a lock held past the busy timeout): what it would
# have stored is fetched again by the next run, whatever its mode.
WRITE_FAILED = 4
# The crawl ran to its end but did not see the whole column: fewer entries than the column
# says it holds, or a pager it could not follow (the message names the page).
INCOMPLETE = 5
DAMAGED = 65  # EX_DATAERR: --db names a file that is not an archive, or a damaged one (`verify` says where)
NO_ARCHIVE = 66  # EX_NOINPUT: no archive at --db (a typo?); nothing was created
NODE_UNREACHABLE = 68  # EX_NOHOST: `schedule`: a Scrapyd node cannot be reached, or refused a job
PORT_BUSY = 69  # EX_UNAVAILABLE: the address to serve on is taken by another program
CANNOT_WRITE = 73  # EX_CANTCREAT: the archive or an output file cannot be written (a read-only file or folder;
# an output file's old version is left as it was)
LOCKED = 75  # EX_TEMPFAIL: another crawl holds the archive; cron may simply try again later
CANNOT_READ = 77  # EX_NOPERM: the archive cannot be read (permissions)
