"""Label-anchored header extraction over real pages of other Chinese government sites
(``../shared/real-pages``, hand-checked labels). They are a test bed for markup we have
never seen; the misses we know of are listed, and a fix makes their xfail fail loudly."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from parsers import ParseError, parse_article

SHARED = Path(os.environ.get("NPC_SHARED_DIR", Path(__file__).resolve().parent.parent.parent / "shared"))
PAGES = SHARED / "real-pages"
LABELS = json.loads((PAGES / "labels.json").read_text(encoding="utf-8"))["articles"] if PAGES.exists() else {}
FIELDS = {"title": "title", "published": "published_at", "source": "source", "view_count": "view_count"}
KNOWN_MISSES = {
    # No visible publish date at all: we refuse the page rather than guess.
    ("03_gov_govcn_gongbao_npc-resolution_2007.html", "title"),
    ("03_gov_govcn_gongbao_npc-resolution_2007.html", "published"),
    ("03_gov_govcn_gongbao_npc-resolution_2007.html", "source"),
    ("03_gov_govcn_gongbao_npc-resolution_2007.html", "view_count"),
    # The source label sits below the body, next to 打印/关闭; we read header lines only.
    ("08_gov_nmg-prov_2022.html", "source"),
    ("09_gov_bynr-city_2022.html", "source"),
}
CASES = [
    pytest.param(name, field, marks=[pytest.mark.xfail(strict=True, reason="known miss")] if (name, field) in KNOWN_MISSES else [])
    for name in sorted(LABELS) for field in FIELDS
]


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
