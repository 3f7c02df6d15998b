"""A page's lines, read lazily: whatever way they are read, they are the lines of a full walk."""

from __future__ import annotations

from itertools import islice

from parsers.lines import page_lines
from tests.conftest import article_path, fetch, reference_article


def texts(lines) -> list[str]:
    return [line.text for line in lines]


def test_lazy_lines_read_any_way_are_the_full_walks_lines(site):
    page = fetch(site, article_path(reference_article(site)))
    full = texts(page_lines(*page).lines)
    assert len(full) > 20

    def fresh():
        return page_lines(*page).lines

    assert fresh()[5].text == full[5]
    assert texts(fresh()[3:9]) == full[3:9]
    assert texts(islice(fresh(), 10, None)) == full[10:]
    assert fresh()[-1].text == full[-1]
    assert texts(fresh()[-4:]) == full[-4:]
    assert len(fresh()) == len(full)
    lines = fresh()
    assert [lines[index].text for index in (7, 2, 12)] == [full[7], full[2], full[12]]  # back and forth
    assert texts(lines) == full
