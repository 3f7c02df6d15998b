"""The Datasette pages and the report as an analyst sees them: headless Chromium (Debian's
/usr/bin/chromium, which .ci/run installs), driven by Playwright, over an archive of three crawls."""

from __future__ import annotations

import random
import socket
import subprocess
import sys
import time
import urllib.request

import pytest
from playwright.sync_api import sync_playwright

from replica.server import ReplicaServer
from replica.site import Site

CHROMIUM = "/usr/bin/chromium"
FOLD = 900  # the first screen of a 1280 x 900 window
CRAWLS = 3


@pytest.fixture(scope="module")
def history(tmp_path_factory, crawl):
    """An archive of CRAWLS crawls of the replica, views growing between them, as a column's archive after weeks."""
    db = tmp_path_factory.mktemp("browser") / "archive.db"
    site, rng = Site(markup="table"), random.Random(14)
    with ReplicaServer(site) as server:
        for number in range(CRAWLS):
            crawl(db, server, "--mode", "new" if number == 0 else "refresh")
            site.pass_time(rng)
    return db


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def datasette(history):
    """``datasette ARCHIVE`` as a user starts it (no -m: the installed plugin brings the metadata); its base URL."""
    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "datasette", str(history), "--host", "127.0.0.1", "--port", str(port)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                urllib.request.urlopen(base + "/-/versions.json", timeout=1)
                break
            except OSError:
                assert server.poll() is None, server.stderr.read().decode()
                time.sleep(0.1)
        yield base
    finally:
        server.terminate()
        server.wait(timeout=10)


@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    """A 1280 x 900 page that records script errors and console errors (``page.errors``)."""
    context = browser.new_context(viewport={"width": 1280, "height": FOLD})
    opened = context.new_page()
    opened.errors = []
    opened.on("pageerror", lambda error: opened.errors.append(str(error)))
    opened.on("console", lambda message: message.type == "error" and opened.errors.append(message.text))
    yield opened
    context.close()


def test_the_search_page_shows_the_box_and_hits_for_a_two_character_query_in_the_first_screen(page, datasette):
    page.goto(f"{datasette}/archive/search?q=教育")
    box = page.locator("input[name=q]").bounding_box()
    rows = page.locator("table.rows-and-columns tbody tr")
    assert rows.count() > 0
    assert box["y"] + box["height"] < FOLD
    first = rows.first.bounding_box()
    assert first["y"] + first["height"] < FOLD
    assert "教育" in page.locator("table.rows-and-columns tbody tr mark").first.inner_text()
    assert page.errors == []


def test_the_documents_table_fits_each_row_in_a_few_lines(page, datasette):
    page.goto(f"{datasette}/archive/documents")
    rows = page.locator("table.rows-and-columns tbody tr")
    assert rows.count() > 0
    line = page.evaluate("parseFloat(getComputedStyle(document.querySelector('table.rows-and-columns td')).lineHeight)")
    assert max(rows.nth(i).bounding_box()["height"] for i in range(rows.count())) <= 4 * line + 16
    assert page.locator("table.rows-and-columns tbody tr").first.bounding_box()["y"] < FOLD
    assert page.errors == []


def test_a_row_page_shows_the_title_on_a_line_and_the_facts_in_the_first_screen(page, datasette):
    page.goto(f"{datasette}/archive/documents/1")
    title = page.locator("td.col-title")
    line = page.evaluate("parseFloat(getComputedStyle(document.querySelector('td.col-title')).lineHeight)")
    assert title.bounding_box()["height"] <= 2 * line + 12
    assert page.locator("td.col-body_text").bounding_box()["width"] > 600
    for fact in ("subject", "addressee", "report_deadline", "report_due"):
        assert page.locator(f"td.col-{fact}").bounding_box()["y"] < FOLD
    label = page.evaluate("""(() => { const cell = document.querySelector('td.col-title'), label = getComputedStyle(cell, ':before');
        return {content: label.content, left: cell.getBoundingClientRect().left + parseFloat(label.left) + parseFloat(label.marginLeft)}; })()""")
    assert label["content"] == '"title"' and label["left"] >= 0  # the column's name, on screen
    assert page.errors == []


def test_every_dashboard_chart_draws_marks(page, datasette):
    page.goto(f"{datasette}/-/dashboards/archive")
    charts = page.locator(".dashboard-card-chart")
    assert charts.count() == 4
    for index in range(charts.count()):
        charts.nth(index).locator("svg g.role-mark path, svg g.role-mark line").first.wait_for(timeout=15000)
    assert page.errors == []


def test_every_chart_of_the_report_draws_marks_offline(browser, history, cli, tmp_path):
    report = tmp_path / "report.html"
    cli("report", "--db", str(history), "-o", str(report))
    context = browser.new_context(viewport={"width": 1280, "height": FOLD}, offline=True)
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    page.goto(report.as_uri())
    sections = page.locator("section")
    assert sections.count() >= 7
    for index in range(sections.count()):
        marks = sections.nth(index).locator("svg .mark")
        assert marks.count() > 0 and marks.first.bounding_box()["width"] > 0
    # The curves move: the replica's readers read between the crawls.
    points = page.locator("#column-views svg circle.mark")
    assert points.count() == CRAWLS and len({points.nth(i).get_attribute("cy") for i in range(CRAWLS)}) == CRAWLS
    assert errors == []
    context.close()
