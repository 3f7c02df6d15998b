"""List parser over the replica's column pages, in both markups."""

from __future__ import annotations

from parsers import parse_list
from tests.conftest import BASE, fetch


def list_page(site, page):
    return parse_list(*fetch(site, f"/list.asp?ClassID=5&page={page}" if page > 1 else "/list.asp?ClassID=5"))


def test_first_page_entries_and_next(site):
    page = list_page(site, 1)
    newest = site.opinions()[:15]
    assert [entry.url for entry in page.entries] == [f"{BASE}/ShowArticle.asp?ArticleID={a.id}" for a in newest]
    assert page.entries[0].published_at[:10] == newest[0].published[:10]
    assert page.next_url == f"{BASE}/list.asp?ClassID=5&page=2"
    assert (page.page, page.total_pages) == (1, 3)


def test_following_next_links_reaches_every_opinion_once(site):
    seen, url, pages = [], f"{BASE}/list.asp?ClassID=5", 0
    while url:
        page = parse_list(*fetch(site, url.removeprefix(BASE)))
        seen += [entry.url for entry in page.entries]
        url, pages = page.next_url, pages + 1
    assert pages == 3
    assert sorted(seen) == sorted(f"{BASE}/ShowArticle.asp?ArticleID={a.id}" for a in site.opinions())


def test_cut_titles_are_flagged(table_site):
    entries = [entry for n in (1, 2, 3) for entry in list_page(table_site, n).entries]
    cut = [entry for entry in entries if entry.truncated]
    assert cut, "the replica cuts long titles in its lists"
    for entry in cut:
        full = next(a.title for a in table_site.opinions() if entry.url.endswith(f"={a.id}"))
        assert full.startswith(entry.title) and full != entry.title


def test_side_lists_are_not_entries(site):
    other_columns = {a.id for a in site.articles if a.column != "审议意见"}
    for n in (1, 2, 3):
        assert not any(entry.url.endswith(f"={i}") for entry in list_page(site, n).entries for i in other_columns)


def test_last_page_has_no_next(site):
    page = list_page(site, 3)
    assert page.next_url is None
    assert (page.page, page.total_pages) == (3, 3)
