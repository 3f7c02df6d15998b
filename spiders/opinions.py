"""The ``opinions`` spider: the list pages of the site's columns (the 审议意见 column, and with
COLUMNS its reports and news columns too), then each listed article.

Modes (setting CRAWL_MODE or ``-a mode=``): ``new`` stops at the first list page whose
articles are all archived and fetches unseen ones; ``refresh`` walks every list page and
refetches every archived article (edits, removals, view counts); ``full`` fetches every
listed article as on a fresh archive.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from typing import Any

import scrapy
from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import CloseSpider, DontCloseSpider
from scrapy.http import Response
from scrapy.utils.defer import maybe_deferred_to_future
from twisted.internet.defer import Deferred
from twisted.internet.threads import deferToThread
from w3lib.url import canonicalize_url

from archive.plan import CrawlPlan
from parsers import (
    MAX_PARTS,
    ListEntry,
    PageRequest,
    ParseError,
    ViewCount,
    parse_counter_script,
    parse_list,
    parse_list_and_requisites,
    same_document,
)
from parsers.article import NO_ARTICLE_REASONS
from parsers.bot_checks import bot_check_message
from parsers.counter import counter_counts_own_view
from parsers.files import file_record, file_type
from parsers.pages import classify_page, names_column, start_url_problem
from parsers.requisites import stylesheet_requisites
from spiders.column import Column, ColumnWalk
from spiders.failures import answered_bot_check, attempts, failure_detail, failure_reason, first_url
from spiders.items import DocumentItem, FailureItem, FileItem, RemovalItem
from spiders.reading import ArticleReading, document_url, joined_reading
from spiders.session import ArchiveSession, archive_session

GONE_STATUSES = (404, 410)


def _content_type(response: Response) -> str | None:
    value = response.headers.get("Content-Type")
    return value.decode("latin-1") if value else None


def _listed_count(entry: ListEntry) -> ViewCount | None:
    """The count a list's row shows, or None."""
    return None if entry.view_count is None else ViewCount(entry.view_count, bool(entry.view_count_approximate))


def _counted_by_list(count: ViewCount) -> dict:
    """The view count a list showed, laid over a record: reading it there costs the site no view."""
    return {"view_count": count.count, "view_count_source": "list", "view_count_includes_own_fetch": False,
            "view_count_approximate": count.approximate}


def _request_key(page: PageRequest) -> tuple[str, str, bytes]:
    return canonicalize_url(page.url), page.method, page.body


@dataclass
class PagedArticle:
    """An article the site pages (共3页 上一页 1 2 3 下一页), while its later pages are fetched."""

    item: DocumentItem  # its first page's
    first: Response
    list_view_count: ViewCount | None
    readings: list[ArticleReading] = field(default_factory=list)
    seen: set[str] = field(default_factory=set)  # its pages' URLs: a 下一页 back to one ends it


class OpinionsSpider(scrapy.Spider):
    name = "opinions"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.counted: set[str] = set()  # documents whose counter this crawl fetched: each costs the site a view
        self.counter_forbidden = False  # robots.txt forbade a counter (said once a crawl)
        self.plan: CrawlPlan | None = None
        self.session: ArchiveSession | None = None
        self.requested_list_pages: set[tuple[str, str, bytes]] = set()
        # Per column (by its first list page's URL): each walk is complete or not on its own.
        self.columns: dict[str, Column] = {}
        self.walks: dict[str, ColumnWalk] = {}
        # The name a column with none configured (a reports or news column) shows on its first page.
        self.shown_names: dict[str, str] = {}
        self.seen_list_pages: dict[str, set[frozenset[str]]] = {}
        self.incomplete: dict[str, str] = {}
        self.requested_requisites: set[str] = set()
        self.revisits_sent = False

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, start_url: str | None = None, mode: str | None = None,
                     **kwargs: Any) -> OpinionsSpider:
        spider = super().from_crawler(crawler, *args, **kwargs)
        # `scrapy crawl -a start_url= -a mode=` win over the settings, for the archive session too
        # (it is built after the spider, before the settings freeze).
        # An empty -a start_url= (an unset variable) is refused by the session, never replaced by the default.
        for setting, value in (("START_URL", start_url), ("CRAWL_MODE", mode or None)):
            if value is not None:
                crawler.settings.set(setting, value, priority="cmdline")
        crawler.signals.connect(spider._revisit_when_idle, signal=signals.spider_idle)
        return spider

    async def start(self) -> AsyncIterator[scrapy.Request]:
        session = archive_session(self.crawler)
        if session.refused:
            return  # closed with the reason at spider_opened, before anything is fetched
        self.plan, self.session = session.plan, session
        for column in session.columns:
            self.columns[column.url] = column
            self.walks[column.url] = ColumnWalk()
            self.seen_list_pages[column.url] = set()
        for column in session.columns:
            yield self._list_request(column, PageRequest(column.url), (), start=True)

    def _send_revisits(self) -> bool:
        """The articles fetched whatever the lists say, once every list walk is over: an article a
        list shows is then always asked for as the list links it, with the list's title and view
        count, never by its archived URL first (which of the two the duplicate filter kept
        depended on timing). The revisits of listed articles are dropped as duplicates. Whether
        any were sent now."""
        if self.revisits_sent or self.plan is None:
            return False
        self.revisits_sent = True
        for url in self.plan.revisit:
            self.crawler.engine.crawl(self._article_request(self.columns[self.plan.column_of[url]], url, list_title=None))
        return bool(self.plan.revisit)

    def _revisit_when_idle(self) -> None:
        # A walk that ended without saying so (a list request dropped on the way) must not keep the revisits back.
        if self._send_revisits():
            raise DontCloseSpider

    def _article_request(self, column: Column, url: str, list_title: str | None, list_view_count: ViewCount | None = None,
                         listed_at: str | None = None, list_title_cut: bool = False) -> scrapy.Request:
        return scrapy.Request(
            url, callback=self.parse_article_page, errback=self.request_failed,
            cb_kwargs={"list_title": list_title, "list_view_count": list_view_count, "listed_at": listed_at,
                       "list_title_cut": list_title_cut},
            meta={"page_kind": "article", "handle_httpstatus_list": list(GONE_STATUSES), "column": column.url},
        )

    # List pages ------------------------------------------------------------------------

    def _list_request(self, column: Column, page: PageRequest, later: tuple[PageRequest, ...],
                      start: bool = False, asked_by: str | None = None) -> scrapy.Request:
        """A list page; ``later``: the pages the column page named already (a datastore's groups);
        ``asked_by``: the column page whose script asks for this one (a platform unit's answer)."""
        self.requested_list_pages.add(_request_key(page))
        headers = {"Content-Type": "application/x-www-form-urlencoded; charset=UTF-8"} if page.method == "POST" else {}
        if page.by_script:
            headers["X-Requested-With"] = "XMLHttpRequest"  # as jQuery's request says, not as a form is sent
        return scrapy.Request(page.url, method=page.method, body=page.body or None, headers=headers or None,
                              callback=self.parse_list_page, errback=self.list_failed, cb_kwargs={"later": later},
                              meta={"page_kind": "list", "start": start, "column": column.url, "asked_by": asked_by})

    async def parse_list_page(self, response: Response, later: tuple[PageRequest, ...] = ()) -> AsyncIterator[Any]:
        column = self.columns[response.meta["column"]]
        walk = self.walks[column.url]
        asked_by = response.meta.get("asked_by")
        if response.meta.get("start"):
            self._refuse_a_wrong_start(response, column)
        try:
            if len(response.body) > self.settings.getint("LIST_PARSE_THREAD_BYTES"):
                # A long page parses for a while: off the reactor thread, so downloads go on.
                page, requisites = await maybe_deferred_to_future(
                    deferToThread(parse_list_and_requisites, response.body, response.url, _content_type(response), asked_by))
            else:
                page, requisites = parse_list_and_requisites(response.body, response.url, _content_type(response), asked_by)
        except ParseError as error:
            yield self._failure(response, error.reason, str(error))
            self._end_of_column(column, failed=f"list page {response.url} could not be read ({error.reason})")
            return
        canonical = [canonicalize_url(entry.url) for entry in page.entries]  # once each: it costs ~30 µs
        entries = frozenset(canonical)
        if not entries and page.rows_by_script:
            # The page holds no rows: its script asks for them (a unit of the Zhejiang platform).
            for request in self._requisite_requests(requisites):
                yield request
            walk.read(page, set())
            self.crawler.stats.inc_value("npc/list_pages")
            yield self._list_request(column, page.next_requests[0], tuple(page.next_requests[1:]), asked_by=response.url)
            return
        if not entries:
            if walk.last is not None and (page.total_entries is not None or page.script_answer):
                self._end_of_column(column)  # a datastore group or a unit's page past the last record
                return
            check = answered_bot_check(response)
            if check:
                yield self._failure(response, "bot_check", bot_check_message(check))
                self._end_of_column(column, failed=f"list page {response.url}: {bot_check_message(check)}")
                return
            yield self._failure(response, "no_list_entries", "no title links in rows on the list page")
            self._end_of_column(column, failed=f"list page {response.url} shows no entries")
            return
        if entries in self.seen_list_pages[column.url]:
            # Past the last page, sites of this kind answer with the last page again.
            self.logger.info("List page %s repeats an earlier page: end of the column", response.url)
            self._end_of_column(column, repeated=response.url)
            return
        self.seen_list_pages[column.url].add(entries)
        for request in self._requisite_requests(requisites):
            yield request
        walk.read(page, set(entries))
        self.crawler.stats.inc_value("npc/list_pages")
        if page.total_pages:  # 共N页: what the progress display counts down
            self.crawler.stats.max_value("npc/list_pages_total", page.total_pages)
        wanted = [entry for entry, url in zip(page.entries, canonical) if self.plan.wants(url)]
        for entry in wanted:
            yield self._article_request(column, response.urljoin(entry.url), entry.title, _listed_count(entry), entry.published_at,
                                        entry.truncated)
        if not wanted and self.plan.stops_at_known_page(column.part_of or column.url):
            self.logger.info("Every article on %s is archived: stopping here (mode new)", response.url)
            walk.stopped_early = True
            self._end_of_column(column)
            return
        following = tuple(page.next_requests) or later
        if following and _request_key(following[0]) in self.requested_list_pages:
            # A 下一页 to this page or back to an earlier one: the pager loops.
            self._end_of_column(column, repeated=following[0].url)
        elif following:
            yield self._list_request(column, following[0], following[1:], asked_by=asked_by)
        else:
            self._end_of_column(column)

    def _end_of_column(self, column: Column, failed: str | None = None, repeated: str | None = None) -> None:
        walk = self.walks[column.url]
        incomplete = walk.end(failed=failed, repeated=repeated)
        if all(walk.over for walk in self.walks.values()):
            self._send_revisits()
        if incomplete is None and walk.last is None and failed and len(self.columns) > 1:
            # No list page of this column read: with one column the run's outcome says it; with
            # several, the others' pages were read, so the run must say this column was not.
            incomplete = walk.incomplete = failed
        if incomplete:
            self.logger.info("The crawl did not see the whole %s column: %s", column.kind, incomplete)  # the command says it
            # One column of several says which it is; the run is incomplete if any column is.
            self.incomplete[column.url] = incomplete if len(self.columns) == 1 else f"{column.kind} column: {incomplete}"
            self.crawler.stats.set_value("npc/incomplete", "; ".join(self.incomplete.values()))

    def list_failed(self, failure: Any) -> Iterator[FailureItem]:
        yield from self.request_failed(failure)
        reason = failure_reason(failure.value)
        why = failure_detail(failure.value) if reason == "bot_check" else reason  # which check, and what it means
        self._end_of_column(self.columns[failure.request.meta["column"]], failed=f"list page {first_url(failure.request)} failed ({why})")

    def _refuse_a_wrong_start(self, response: Response, column: Column) -> None:
        """An article, the home page or another column given as the start: stop, saying so. A
        column without a name to check (a reports or news column) may be any column's list."""
        try:
            kind = classify_page(response.body, response.url, _content_type(response), column.name or "审议意见")
        except ParseError:
            return  # an unreadable page (empty, say): the list parse that follows records it
        if column.name is None and kind.kind in ("column", "other_column") and kind.column:
            self.shown_names[column.url] = kind.column  # what its parts' pages name it (监督工作 > 2023年)
        if kind.kind == "other_column" and column.name is None:
            return
        problem = start_url_problem(response.url, kind)
        if problem:
            self.crawler.stats.set_value("npc/wrong_start_url", problem)
            raise CloseSpider("wrong_start_url")

    # Article pages ---------------------------------------------------------------------

    async def parse_article_page(self, response: Response, list_title: str | None, list_view_count: ViewCount | None = None,
                                 listed_at: str | None = None, list_title_cut: bool = False) -> AsyncIterator[Any]:
        url = document_url(response.url)
        first = first_url(response.request)
        asked = url if first == response.url else canonicalize_url(first)  # a removal concerns the page asked for
        column = self.columns[response.meta["column"]]
        in_column = {"column_kind": column.kind, "column_url": column.url}
        if response.status in GONE_STATUSES:
            yield RemovalItem(url=asked, reason=f"http_{response.status}", capture_id=response.meta.get("capture_id"),
                              list_title=list_title, listed_at=listed_at, **in_column)
            return
        if file_type(response.body, _content_type(response)):
            for output in self._published_as_file(response, column, url, list_title, list_title_cut, list_view_count, listed_at):
                yield output
            return
        read = self.session.read_article(response.meta.get("capture_id"), response.body, response.url, _content_type(response))
        reading, record = (await maybe_deferred_to_future(read)) if isinstance(read, Deferred) else read
        if reading.soft_404:
            yield RemovalItem(url=asked, reason="soft_404", capture_id=response.meta.get("capture_id"), detail=reading.error[1],
                              list_title=list_title, listed_at=listed_at, **in_column)
            return
        if self._lists_the_column(response, reading, column):
            async for output in self._walk_as_part(response, column):
                yield output
            return
        if reading.error:
            yield self._failure(response, *reading.error)
            return
        if reading.column and column.name and not names_column(reading.column, column.name):
            yield self._failure(response, "other_column", f"breadcrumb names {reading.column!r}, not {column.name!r}")
            return
        item = DocumentItem(record=record, capture_id=response.meta.get("capture_id"), list_title=list_title, url=url,
                            **in_column)
        if reading.published_at is None and listed_at is not None:
            # The list dates what its page does not (a template that prints no date on the article).
            item.read_elsewhere.update({"published_at": listed_at, "published_at_source": "list"})
        if reading.next_part:
            paged = PagedArticle(item=item, first=response, list_view_count=list_view_count, readings=[reading],
                                 seen={url, canonicalize_url(reading.next_part)})
            yield self._part_request(paged, reading.next_part)
            return
        for output in self._finish_article(response, item, reading, list_view_count):
            yield output

    def _lists_the_column(self, response: Response, reading: ArticleReading, column: Column) -> bool:
        """Whether a page a list's row led to is a list of the column: a year or a term it is
        divided into (审议意见 > 2023年), whose page names the column (a reports or news column:
        as its first page does) and lists entries. Asked of pages that read as no article, and of
        those titled by the column's name (some CMSs' lists read as an article of that title,
        whose text is a row's summary)."""
        name = column.name or self.shown_names.get(column.part_of or column.url)
        if not name or (reading.error is None and not names_column(reading.title, name)) \
                or (reading.error is not None and reading.error[0] not in NO_ARTICLE_REASONS):
            return False
        try:
            kind = classify_page(response.body, response.url, _content_type(response), name)
            return kind.kind == "column" and bool(parse_list(response.body, response.url, _content_type(response)).entries)
        except ParseError:
            return False

    async def _walk_as_part(self, response: Response, column: Column) -> AsyncIterator[Any]:
        """Walk a list of the column that its list links (a year of it) as a part of the column,
        with a walk of its own: its pages, its articles and whether it was seen whole."""
        part = Column(column.kind, response.url, column.name, part_of=column.part_of or column.url)
        if part.url in self.columns:
            return
        self.logger.info("%s lists a part of the %s column: walking it too", response.url, column.kind)
        self.crawler.stats.inc_value("npc/column_parts")
        self.columns[part.url], self.walks[part.url], self.seen_list_pages[part.url] = part, ColumnWalk(), set()
        self.requested_list_pages.add(_request_key(PageRequest(response.url)))
        response.meta["column"] = part.url
        async for output in self.parse_list_page(response):
            yield output

    def _published_as_file(self, response: Response, column: Column, url: str, list_title: str | None, list_title_cut: bool,
                           list_view_count: ViewCount | None, listed_at: str | None) -> Iterator[Any]:
        """A list's link that leads to a file (a PDF, a Word file), not a page: the file is the
        document, its record what the list's row shows (a revisit: the title a list showed
        before), and its capture the document's one file."""
        self.crawler.stats.inc_value("npc/documents/published_as_file")
        capture_id = response.meta.get("capture_id")
        record = file_record(url, list_title or self.plan.file_titles.get(url), listed_at, list_title_cut)
        item = DocumentItem(record=record, capture_id=capture_id, list_title=list_title, url=url, column_kind=column.kind,
                            column_url=column.url)
        if list_view_count is not None:
            item.read_elsewhere.update(_counted_by_list(list_view_count))
        yield item
        yield FileItem(document_url=url, url=url, kind="attachment", name=record["attachments"][0]["name"], capture_id=capture_id)

    def _finish_article(self, response: Response, item: DocumentItem, reading: ArticleReading,
                        list_view_count: ViewCount | None) -> Iterator[Any]:
        """The document of an article read whole (``response``: its first page), with its view
        count, files and requisites; or its failure, where it stops before its signature."""
        url = item.url
        column = self.columns[item.column_url]
        # (A news item or a report ends without an opinion's signature.)
        if column.kind == "opinions" and reading.ends_before_signature:
            failure = self._failure(response, "incomplete_page", f"the text ends before its signature, after "
                                    f"{reading.body_text_length} characters: {reading.body_text_end!r}")
            if self.plan.incomplete_pages.get(failure.url) != failure.detail:
                # Stored, it would pass for the whole opinion; left unarchived, the next run fetches it again.
                failure.part_capture_ids = item.part_capture_ids
                yield failure
                return
            # Stopped at the same place as last time: a cut in transfer falls elsewhere each time, so
            # this is the page as the site publishes it, archived as it is (its signature fields empty).
            self.crawler.stats.inc_value("documents/unsigned")
            self.logger.warning("%s ends before its signature as on its last fetch: archived as published", url)
        if reading.view_count is None and list_view_count is not None:
            item.read_elsewhere.update(_counted_by_list(list_view_count))
            yield item
        elif reading.view_count is None and reading.view_count_url and self._fetch_counter(url):
            self.counted.add(url)
            yield scrapy.Request(
                reading.view_count_url, callback=self.parse_counter, errback=self.counter_failed,
                cb_kwargs={"item": item}, dont_filter=True, meta={"page_kind": "counter"},
            )
        else:
            yield item
        for request in self._file_requests(url, reading):
            yield request
        for request in self._requisite_requests(reading.requisites):
            yield request

    def _part_request(self, paged: PagedArticle, url: str) -> scrapy.Request:
        # Not filtered: a page the duplicate filter dropped would leave the document unfinished,
        # and the pages seen already end the chain.
        return scrapy.Request(url, callback=self.parse_article_part, errback=self.part_failed, cb_kwargs={"paged": paged},
                              dont_filter=True, meta={"page_kind": "article", "column": paged.item.column_url})

    async def parse_article_part(self, response: Response, paged: PagedArticle) -> AsyncIterator[Any]:
        """A later page of a paged article: read, then the next page asked for, or the document
        finished from all of them."""
        number, capture_id = len(paged.readings) + 1, response.meta.get("capture_id")
        read = self.session.read_article(capture_id, response.body, response.url, _content_type(response))
        reading, record = (await maybe_deferred_to_future(read)) if isinstance(read, Deferred) else read
        if reading.error:
            yield self._part_failure(paged, response.request, reading.error[0], reading.error[1], number, capture_id)
            return
        if not same_document(paged.readings[0].title, reading.title):  # a 下一页 to the next article
            yield self._part_failure(paged, response.request, "other_document", f"its title is {reading.title!r}, "
                                     f"not the article's {paged.readings[0].title!r}", number, capture_id)
            return
        repeated = next((page for page, earlier in enumerate(paged.readings, start=1)
                         if earlier.body_text_digest == reading.body_text_digest), None)
        if repeated is not None:  # a server that ignores the page asked for, or redirects it to the first
            yield self._part_failure(paged, response.request, "repeated_part", f"it shows the text of page {repeated} again",
                                     number, capture_id)
            return
        self.crawler.stats.inc_value("npc/article_parts")
        paged.readings.append(reading)
        paged.item.part_capture_ids.append(capture_id)
        if record is not None:
            paged.item.part_records.append(record)
        following = reading.next_part
        if following and canonicalize_url(following) not in paged.seen:
            if number >= MAX_PARTS:
                yield self._part_failure(paged, response.request, "too_many_parts",
                                         f"the pager goes on past {MAX_PARTS} pages", number, capture_id)
                return
            paged.seen.add(canonicalize_url(following))
            yield self._part_request(paged, following)
            return
        for output in self._finish_article(paged.first, paged.item, joined_reading(paged.readings), paged.list_view_count):
            yield output

    def part_failed(self, failure: Any) -> Iterator[FailureItem]:
        paged = failure.request.cb_kwargs["paged"]
        yield self._part_failure(paged, failure.request, failure_reason(failure.value), failure_detail(failure.value),
                                 len(paged.readings) + 1, failure.request.meta.get("capture_id"))

    def _part_failure(self, paged: PagedArticle, request: scrapy.Request, reason: str, detail: str, number: int,
                      capture_id: int | None) -> FailureItem:
        """A later page that failed fails its document, recorded under the document's URL: an
        article archived without part of its text would pass for the whole; the next run fetches
        it again."""
        return FailureItem(url=first_url(paged.first.request), reason=reason,
                           detail=f"page {number} of the article, {first_url(request)}: {detail}", capture_id=capture_id,
                           page_kind="article", attempts=attempts(request), **self._column_of(request),
                           part_capture_ids=[paged.item.capture_id, *paged.item.part_capture_ids])

    # Page requisites -------------------------------------------------------------------

    def _requisite_requests(self, urls: list[str]) -> Iterator[scrapy.Request]:
        """The stylesheets and images pages show (their banner, their CSS): fetched once per crawl, and
        only when not captured yet, except by ``refresh`` runs, so that pages replay as a reader saw them."""
        for url in urls:
            if url in self.requested_requisites or url in self.plan.stored_requisites:
                continue
            self.requested_requisites.add(url)
            yield scrapy.Request(url, callback=self.parse_requisite, errback=self.requisite_failed,
                                 meta={"page_kind": "requisite", "handle_httpstatus_all": True})

    def parse_requisite(self, response: Response) -> Iterator[scrapy.Request]:
        """A stylesheet's own images and imports are requisites too. The capture is the record."""
        self.crawler.stats.inc_value("npc/requisites")
        content_type = (_content_type(response) or "").lower()
        if response.status == 200 and (content_type.startswith("text/css") or response.url.lower().endswith(".css")):
            yield from self._requisite_requests(stylesheet_requisites(response.body, response.url))

    def requisite_failed(self, failure: Any) -> None:
        # A page without its stylesheet is still the page: no failure row, no failed crawl; not
        # captured, the requisite is asked for again by the next run.
        self.crawler.stats.inc_value("npc/requisites_failed")
        self.logger.info("Page requisite %s not fetched: %s", first_url(failure.request), failure_reason(failure.value))

    def _file_requests(self, document_url: str, reading: ArticleReading) -> Iterator[Any]:
        """Attachments and body images: fetched once, then only linked."""
        files = [(a["url"], "attachment", a["name"]) for a in reading.attachments] + [(src, "image", None) for src in reading.images]
        for file_url, kind, name in files:
            file_item = FileItem(document_url=document_url, url=file_url, kind=kind, name=name, capture_id=None)
            if file_url in self.plan.stored_files:
                yield file_item
            else:
                yield scrapy.Request(file_url, callback=self.parse_file, errback=self.request_failed,
                                     cb_kwargs={"item": file_item}, meta={"page_kind": kind})

    def parse_file(self, response: Response, item: FileItem) -> Iterator[FileItem]:
        item.capture_id = response.meta.get("capture_id")
        yield item

    def _fetch_counter(self, url: str) -> bool:
        # Fetching a counter script may count a view: only when the count is not archived yet.
        # Never twice in one crawl, whatever the settings.
        return url not in self.counted and (self.settings.get("COUNTER_FETCH") == "always" or self.plan.mode == "full"
                                            or url not in self.plan.known or url in self.plan.unfinished)

    def parse_counter(self, response: Response, item: DocumentItem) -> Iterator[Any]:
        try:
            count = parse_counter_script(response.body, _content_type(response))
            item.read_elsewhere.update({"view_count": count.count, "view_count_source": "counter", "view_count_approximate": count.approximate,
                                        "view_count_includes_own_fetch": counter_counts_own_view(first_url(response.request))})
        except ParseError as error:
            yield self._failure(response, error.reason, str(error))
        yield item

    def counter_failed(self, failure: Any) -> Iterator[Any]:
        if failure_reason(failure.value) == "robots_forbidden" and not self.counter_forbidden:
            self.counter_forbidden = True
            self.logger.warning("robots.txt forbids the view counter %s: view counts the pages do not show stay unknown",
                                failure.request.url)
        yield from self.request_failed(failure)
        # The article itself is fine: keep it, with the view count unknown until a later run gets it.
        yield failure.request.cb_kwargs["item"]

    # Failures --------------------------------------------------------------------------

    def request_failed(self, failure: Any) -> Iterator[FailureItem]:
        request = failure.request
        yield FailureItem(url=first_url(request), reason=failure_reason(failure.value), detail=failure_detail(failure.value),
                          capture_id=request.meta.get("capture_id"), page_kind=request.meta.get("page_kind"),
                          attempts=attempts(request), **self._column_of(request))

    def _failure(self, response: Response, reason: str, detail: str) -> FailureItem:
        # Recorded under the URL asked for: a redirect's target (a login page) is not the page that failed.
        if response.url != first_url(response.request):
            detail = f"{detail} (redirected to {response.url})"
        return FailureItem(url=first_url(response.request), reason=reason, detail=detail,
                           capture_id=response.meta.get("capture_id"), page_kind=response.meta.get("page_kind"),
                           attempts=attempts(response.request), **self._column_of(response.request))

    def _column_of(self, request: scrapy.Request) -> dict:
        """The column a failed page was requested for (a counter or file: its document's)."""
        column = self.columns.get(request.meta.get("column"))
        return {"column_kind": column.kind, "column_url": column.url} if column else {}
