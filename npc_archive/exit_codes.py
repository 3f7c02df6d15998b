"""Exit statuses of every ``npc-archive`` command, for cron and scripts."""

OK = 0
# The command ran, but something it checked or fetched failed: failed URLs of a crawl (see
# `failures`), a damaged body in `verify`, a page that no longer parses in `reparse`, a diff
# of a document with one revision.
FAILED = 1
USAGE = 2  # click's own status for a usage error
UNFINISHED = 3  # the crawl did not finish: see `crawls`
DAMAGED = 65  # EX_DATAERR: the archive file is not a database or is damaged (`verify` says where)
CANNOT_WRITE = 73  # EX_CANTCREAT: an output file could not be written (any old one is left as it was)
LOCKED = 75  # EX_TEMPFAIL: another crawl holds the archive; cron may simply try again later
