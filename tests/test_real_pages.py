"""Label-anchored header extraction, and where the body starts and ends, over real pages of
other Chinese government sites (``../shared/real-pages``, hand-checked labels). They are a test bed
for markup we have never seen; the misses we know of are listed, and a fix makes their xfail fail
loudly."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest

from parsers import ParseError, parse_article, parse_list

SHARED = Path(os.environ.get("NPC_SHARED_DIR", Path(__file__).resolve().parent.parent.parent / "shared"))
PAGES = SHARED / "real-pages"
ALL_LABELS = json.loads((PAGES / "labels.json").read_text(encoding="utf-8")) if PAGES.exists() else {}
LABELS = ALL_LABELS.get("articles", {})
LIST_LABELS = ALL_LABELS.get("lists", {})
FIELDS = {"title": "title", "published": "published_at", "source": "source", "view_count": "view_count"}
KNOWN_MISSES: set[tuple[str, str]] = set()


def cases(checks, known_misses: set[tuple[str, str]]) -> list:
    """Each page with each check, a known miss marked as a strict xfail."""
    return [pytest.param(name, check, marks=[pytest.mark.xfail(strict=True, reason="known miss")] if (name, check) in known_misses else [])
            for name in sorted(LABELS) for check in checks]


CASES = cases(FIELDS, KNOWN_MISSES)
# Where the body starts and ends: the labels' first and last 20 characters.
BODY_KNOWN_MISSES = {
    # The title repeated at the top of the body is kept, as the heading section (the labels leave it out).
    ("05_gov_wanzai-county_tjgb_2017.html", "first"),
    ("07_gov_yichun-city_xxgk_2023.html", "first"),
    ("10_gov_jilin-prov_xxgk_2022.html", "first"),
    ("12_edu_sxmu-jijian_2018.html", "first"),
    # The agency's credit on a line of its own under the body, kept: （万载县统计局） looks as
    # （此件公开发布） does, which is the document's own.
    ("05_gov_wanzai-county_tjgb_2017.html", "last"),
}
BODY_CASES = cases(("first", "last"), BODY_KNOWN_MISSES)


# The column a government site's page names in its metadata (<meta name="ColumnName">, which
# 《政府网站发展指引》 asks every page to carry): the trail a reader sees must name the same.
COLUMN_META = re.compile(rb'<meta\s+name="ColumnName"\s+content="([^"]+)"', re.I)
COLUMN_NAMED = {name: match.group(1).decode("utf-8") for name in sorted(LABELS)
                if (match := COLUMN_META.search((PAGES / name).read_bytes()))}


def published_matches(actual: str | None, expected: str | None) -> bool:
    """Labels give the time only as precisely as the page shows it."""
    if expected is None or actual is None:
        return actual == expected
    return actual.startswith(expected) and (len(expected) == 10 or actual[len(expected):] in ("+08:00", ":00+08:00"))


@pytest.mark.skipif(not PAGES.exists(), reason=f"shared real pages not found at {PAGES}")
@pytest.mark.parametrize("name, field", CASES)
def test_real_page_header_field(name, field):
    labels = LABELS[name]
    try:
        record = parse_article((PAGES / name).read_bytes(), "http://example.gov.cn/article.html").to_dict()
    except ParseError as error:
        pytest.fail(f"refused: {error}")
    actual = record[FIELDS[field]]
    if field == "published":
        assert published_matches(actual, labels["published"]), (actual, labels["published"])
    else:
        assert actual == labels[field]


@pytest.mark.skipif(not PAGES.exists(), reason=f"shared real pages not found at {PAGES}")
@pytest.mark.parametrize("name, end", BODY_CASES)
def test_real_page_body_starts_and_ends_where_the_labels_say(name, end):
    """The body runs from the text under the header to the furniture below it: toolbars, credits,
    related items, QR codes, share widgets and footers stay out (whitespace aside)."""
    try:
        body = "".join(parse_article((PAGES / name).read_bytes(), "http://example.gov.cn/article.html").body_text.split())
    except ParseError as error:
        pytest.fail(f"refused: {error}")
    expected = "".join(LABELS[name][f"body_{end}"].split())
    assert (body.startswith(expected) if end == "first" else body.endswith(expected)), (body[:40], body[-40:])


@pytest.mark.skipif(not PAGES.exists(), reason=f"shared real pages not found at {PAGES}")
@pytest.mark.parametrize("name", sorted(COLUMN_NAMED) or ["(no pages)"])
def test_real_page_column_is_the_one_its_trail_and_metadata_name(name):
    record = parse_article((PAGES / name).read_bytes(), "http://example.gov.cn/article.html")
    assert record.column == COLUMN_NAMED[name]


@pytest.mark.skipif(not PAGES.exists(), reason=f"shared real pages not found at {PAGES}")
@pytest.mark.parametrize("name", sorted(LIST_LABELS))
def test_real_list_page(name):
    """Entries, the page's place in the column, and the next page: a 下一页 that is only a script
    (javascript:void(0);) is named as a pager we cannot follow, so that the crawl says it is incomplete."""
    labels = LIST_LABELS[name]
    listing = parse_list((PAGES / name).read_bytes(), "http://example.gov.cn/list/index.html")
    first = listing.entries[0]
    shown = labels["first_item_title"].removesuffix("...")  # the list cuts long titles
    assert len(listing.entries) == labels["item_count"]
    assert first.title.startswith(shown) and first.truncated == labels["first_item_title"].endswith("...")
    assert first.published_at.startswith(labels["first_item_date"])
    assert (listing.page, listing.total_pages) == (labels["current_page"], labels["total_pages"])
    if labels["next_page_href"].startswith("javascript:"):
        assert listing.next_requests == [] and listing.unreadable_pager
    else:
        assert listing.next_requests[0].url == "http://example.gov.cn/list/" + labels["next_page_href"]
