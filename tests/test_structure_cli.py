"""The structure on the command line: ``parse --outline`` and ``evaluate`` (per-field exact-match
rates and body character F1 on the labelled set)."""

from __future__ import annotations

import re

from npc_archive.evaluate import FIELDS, Score, field_matches
from parsers import parse_article


def test_evaluate_reports_every_field_on_both_markups(cli):
    result = cli("evaluate")
    lines = result.output.splitlines()
    assert re.search(r"(\d+) table, \1 div", lines[0])
    rows = {line[:22].strip(): line[22:].split() for line in lines if line[:22].strip() in FIELDS}
    assert set(rows) == set(FIELDS)
    for name, cells in rows.items():
        assert cells[1::2] == ["100.0%", "100.0%"], name  # the replica's labelled set is read exactly
    [f1] = [line for line in lines if line.startswith("body character F1")]
    assert f1.split()[-2:] == ["100.00%", "100.00%"]
    assert "link precision 100.0%, recall 100.0%" in lines[-1]  # every labelled follow-up linked right


def test_a_wrong_record_is_scored_as_a_miss(table_pages):
    article = table_pages.reference
    record = parse_article(*table_pages.article(article)).to_dict()
    assert all(field_matches(record, article).values())
    record["sections"][4]["items"].pop()
    record["sections"][6]["kind"] = "other"
    record["facts"]["report_due"] = "2023-01-16"
    misses = {name for name, matched in field_matches(record, article).items() if not matched}
    assert misses == {"section order", "section closing", "section other", "section problems", "items", "fact report_due"}


def test_unparsed_page_misses_everything(table_pages):
    article = table_pages.reference
    score = Score()
    for name, matched in field_matches(None, article).items():
        score.add(name, matched, article.title)
    assert score.rate("fact meeting") == 0 and score.rate("section order") == 0
    assert score.body_f1 == 0.0


def test_parse_outline_of_the_reference_page(table_pages, cli, tmp_path):
    page = tmp_path / "page.html"
    body, url, content_type = table_pages.article(table_pages.reference)
    page.write_bytes(body)
    result = cli("parse", page, "--url", url, "--outline")
    lines = result.output.splitlines()
    assert [line.split()[0] for line in lines[1:16]] == [
        "heading", "addressee", "preamble", "assessment", "problems", "1.", "2.", "3.",
        "opinions", "1.", "2.", "3.", "closing", "signature", "facts"]
    assert lines[11].split() == ["2.", "进一步创新工作方法,工作上要再压实"]
    assert lines[-4:] == ["  meeting_date     2022-10-27", "  signed_date      2022-11-15",
                          "  report_deadline  2个月内", "  report_due       2023-01-15"]
