"""An opinion's report-back deadline: the phrase (于2个月内, 两个月内, 三十日内, 六个月内, 年底前),
the date it is counted from, and which date that is: the one the text names with 交办之日起
(handed over) or 收到之日起 (received), else the signing date. Numerals as parsers/numerals.py
reads them (两个月 = 2个月 = 二个月)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .facts import DEADLINE, report_due
from .numerals import DATE_TEXT, parse_date

# 自2022年11月1日交办之日起 / 自收到之日起: the start a deadline is counted from, dated or not.
_COUNTED_FROM = re.compile(rf"(?:自|从)?\s*(?P<date>{DATE_TEXT})?\s*(?:审议意见)?(?P<event>交办|收到|送达)(?:审议意见)?之日起")
COUNTED_FROM = {"交办": "handed_over", "收到": "received", "送达": "received"}


@dataclass(frozen=True)
class Deadline:
    """``counted_from``: ``handed_over``, ``received`` or ``signed``; ``start``: the date counted
    from (the signing date where the text names an event but no date: a stand-in, and
    ``start_stated`` is False); ``due``: None when the phrase gives no date (工作日)."""

    phrase: str
    counted_from: str
    start: str | None
    start_stated: bool
    due: str | None


def opinion_deadline(closing: str, signed_date: str | None) -> Deadline | None:
    """The deadline of the clause of ``closing`` (the opinion's closing text) that asks for the
    report, else its first; None when the text sets none."""
    clauses = [clause for clause in re.split(r"[。；;]", closing) if DEADLINE.search(clause)]
    if not clauses:
        return None
    clause = next((c for c in clauses if "报告" in c), clauses[0])
    phrase = DEADLINE.search(clause).group()
    event = _COUNTED_FROM.search(clause)
    counted_from = COUNTED_FROM[event["event"]] if event else "signed"
    stated = parse_date(event["date"]) if event and event["date"] else None
    start = stated or signed_date
    return Deadline(phrase, counted_from, start, stated is not None, report_due(phrase, start))
