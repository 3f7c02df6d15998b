"""Scrapy settings for npc-archive. Polite by default; see README "Crawling the live site"."""

import os

BOT_NAME = "npc-archive"
SPIDER_MODULES = ["spiders"]
COMMANDS_MODULE = "spiders.commands"
NEWSPIDER_MODULE = "spiders"

# The live site's column address. We cannot reach the site from where this project is
# built, so this is unconfirmed: check it as the README explains and override it with
# NPC_ARCHIVE_START_URL, `npc-archive crawl --start-url`, or `scrapy crawl opinions -a start_url=`.
START_URL = os.environ.get("NPC_ARCHIVE_START_URL", "http://www.jjrd.gov.cn/list.asp?ClassID=5")
# The column whose articles are archived, as its breadcrumb names it.
COLUMN_NAME = "审议意见"
# The site's columns crawled, each {"kind": "opinions" | "reports" | "news", "url": its first list
# page} (spiders/column.py); empty: START_URL as the one opinions column. A reports or news column's
# breadcrumb is not checked: its list pages say what it holds. `npc-archive crawl --column KIND=URL`.
COLUMNS: list[dict] = []
# The registered site crawled (archive/sites.py), whose name the crawl's rows carry; "default"
# for a crawl of START_URL or COLUMNS without a site. `npc-archive crawl --site NAME` sets it.
SITE = "default"
ARCHIVE_DB = os.environ.get("NPC_ARCHIVE_DB", "data/archive.db")
# The crawl takes the archive's lock itself (spiders/session.py), as `scrapy crawl` needs.
# `npc-archive crawl` and `demo` take it before starting Scrapy (to exit 75 on a busy archive,
# and for the demo to delete the old one) and set this, since a second flock() would fail.
ARCHIVE_LOCK_HELD = False
# Seconds a write waits for another process's write (a hand edit, a `reindex`) before it fails;
# a failed write is a recorded failure, exit status 4, and refetched by the next run.
ARCHIVE_BUSY_TIMEOUT = 30.0
# new: stop at the first list page holding only archived articles, fetch unseen ones;
# refresh: walk every list page and refetch every archived article; full: as on a fresh archive.
CRAWL_MODE = "new"
# Counter scripts may count our fetch as a public view: fetch them for new documents only,
# unless "always" (every refresh then observes those pages' counts, adding one view each time).
COUNTER_FETCH = "new"

# ASCII only: HTTP headers are bytes, and robots.txt matching decodes the agent as UTF-8.
# One for every site crawled: it names the work, not one county's column.
USER_AGENT = "npc-archive/0.1 (archival crawler of local People's Congress review opinions; obeys robots.txt)"
ROBOTSTXT_OBEY = True
CONCURRENT_REQUESTS_PER_DOMAIN = 1
DOWNLOAD_DELAY = 2.0
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 2.0
AUTOTHROTTLE_MAX_DELAY = 60.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0
# Limits for this site: its pages weigh 10-60 KB, a slow answer takes a few seconds.
DOWNLOAD_TIMEOUT = 30
DOWNLOAD_WARNSIZE = 2 * 1024 * 1024
# Also caps what a gzip body may inflate to (Scrapy decompresses in bounded chunks), so a
# gzip bomb is refused at 32 MB, not when memory runs out.
DOWNLOAD_MAXSIZE = 32 * 1024 * 1024
# A list page longer than this is parsed on a thread of its own, so that downloads go on meanwhile
# (100,000 entries take about 4 s: BENCHMARKS.md).
LIST_PARSE_THREAD_BYTES = 256 * 1024
REDIRECT_MAX_TIMES = 5
# A body shorter than its Content-Length comes as a response flagged 'dataloss' rather than an
# error, so that its capture keeps what was received; spiders/retry.py retries it, then
# records it as `truncated`: no document is made from it.
DOWNLOAD_FAIL_ON_DATALOSS = False
# Transient faults (5xx, 408, 429, timeouts, cut connections) are retried after 2, 4, 8 s,
# or the server's Retry-After if longer, at most RETRY_BACKOFF_MAX (spiders/retry.py).
RETRY_TIMES = 3
RETRY_BACKOFF_BASE = 2.0
RETRY_BACKOFF_MAX = 120.0
COOKIES_ENABLED = False
TELNETCONSOLE_ENABLED = False

# Loopback hosts (the replica, tests) get no delay and more concurrency; see LoopbackFastLane.
LOOPBACK_CONCURRENCY = 8
DOWNLOAD_SLOTS = {
    host: {"delay": 0, "concurrency": LOOPBACK_CONCURRENCY} for host in ("127.0.0.1", "localhost", "::1")
}

# Hosts fetched besides the start URL's (`crawl --allow-host`), e.g. a CDN for attachments.
ALLOWED_HOSTS: list[str] = []
# Only http(s) is fetched (spiders.middlewares.SiteHostsOnly); without these handlers a
# `file://` or `s3://` link that got past it could still not be read.
DOWNLOAD_HANDLERS = {"file": None, "data": None, "ftp": None, "s3": None}

DOWNLOADER_MIDDLEWARES = {
    "spiders.middlewares.SiteHostsOnly": 50,
    # After RobotsTxtMiddleware (100): a request reaches it once its host's robots.txt is read.
    "spiders.middlewares.RobotsCrawlDelay": 110,
    "spiders.middlewares.LoopbackFastLane": 390,
    "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
    "spiders.retry.BackoffRetryMiddleware": 550,
    "spiders.middlewares.UnstoredCaptures": 950,
}
# Who writes captures and items to the archive (pipelines/writer.py): "process", one writer
# process beside the crawl, shared by every site of `crawl --all`, so that packing and writing
# run on another core than Scrapy; or "inline", on Scrapy's own thread.
ARCHIVE_WRITER = "process"
ITEM_PIPELINES = {
    "pipelines.documents.DocumentPipeline": 300,
}
EXTENSIONS = {
    # The archive session first: the lock, the archive and the plan before anything else.
    "spiders.session.ArchiveSession": 100,
    "pipelines.captures.CaptureRecorder": 110,
    "spiders.progress.CrawlProgress": 500,
}
# Progress on stderr (spiders/progress.py): "live" (one line rewritten, for a terminal), "lines"
# (one line every PROGRESS_INTERVAL seconds, for a log), or off. `npc-archive crawl` chooses.
PROGRESS = ""
PROGRESS_INTERVAL = 60.0

# Scrapy re-reads a callback's source to warn about generators that return values; ours
# return none, and the check cost ~4% of a crawl's CPU (BENCHMARKS.md).
WARN_ON_GENERATOR_RETURN_VALUE = False
# Items are written one at a time to SQLite; more parallel item tasks only cost scheduling.
CONCURRENT_ITEMS = 16
FEED_EXPORT_ENCODING = "utf-8"
LOG_LEVEL = "INFO"
