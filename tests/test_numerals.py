"""Chinese numerals, written dates and the reporting deadline's arithmetic."""

from __future__ import annotations

import pytest

from parsers.facts import report_due
from parsers.numerals import add_months, chinese_number, parse_date


@pytest.mark.parametrize("text, number", [
    ("2", 2), ("12", 12), ("１２", 12), ("一", 1), ("两", 2), ("十", 10), ("十二", 12), ("二十", 20),
    ("三十一", 31), ("一百二十", 120), ("一百零五", 105), ("二〇一八", 2018), ("二○二二", 2022), ("二零一二", 2012),
])
def test_chinese_numbers(text, number):
    assert chinese_number(text) == number


@pytest.mark.parametrize("text", ["", "十十", "二二十", "百十百", "几", "二十x"])
def test_not_numbers(text):
    assert chinese_number(text) is None


@pytest.mark.parametrize("text, iso", [
    ("2022年11月15日", "2022-11-15"),
    ("二〇一八年五月十一日", "2018-05-11"),
    ("二○二二年十一月十五日", "2022-11-15"),
    ("２０２２年１０月２７日,台州市", "2022-10-27"),
    ("于 2022 年 1 月 5 日", "2022-01-05"),
    ("二〇二〇年二月二十九日", "2020-02-29"),
])
def test_written_dates(text, iso):
    assert parse_date(text) == iso


@pytest.mark.parametrize("text", ["2022年2月30日", "二〇二一年二月二十九日", "2022年13月1日", "11月15日", "2022-11-15"])
def test_no_real_day_is_no_date(text):
    assert parse_date(text) is None


@pytest.mark.parametrize("start, months, end", [
    ("2022-11-15", 2, "2023-01-15"),
    ("2022-08-31", 6, "2023-02-28"),
    ("2023-08-31", 6, "2024-02-29"),
    ("2012-12-31", 2, "2013-02-28"),
    ("2022-01-31", 1, "2022-02-28"),
    ("2022-05-10", 12, "2023-05-10"),
])
def test_add_months_keeps_the_day_or_takes_the_month_end(start, months, end):
    assert add_months(start, months) == end


@pytest.mark.parametrize("deadline, due", [
    ("2个月内", "2023-01-15"),
    ("两个月内", "2023-01-15"),
    ("三个月之内", "2023-02-15"),
    ("半年内", "2023-05-15"),
    ("1年内", "2023-11-15"),
    ("30日内", "2022-12-15"),
    ("两周内", "2022-11-29"),
    ("年底前", "2022-12-31"),
    ("今年年底前", "2022-12-31"),
    ("年内", "2022-12-31"),
    ("2023年3月31日前", "2023-03-31"),
    ("二〇二三年三月一日前", "2023-03-01"),
    ("12月底前", "2022-12-31"),
    ("6月底前", "2023-06-30"),
    ("2023年6月底前", "2023-06-30"),
    ("10个工作日内", None),
])
def test_report_due_counts_from_the_signing_date(deadline, due):
    assert report_due(deadline, "2022-11-15") == due


def test_no_due_date_without_a_deadline_or_a_signing_date():
    assert report_due(None, "2022-11-15") is None
    assert report_due("2个月内", None) is None


def test_deadline_past_the_calendar_is_no_date():
    assert report_due("九九九九九九九九个月内", "2022-11-15") is None
    assert report_due("99999999999日内", "2022-11-15") is None
