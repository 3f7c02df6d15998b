"""List-page parsing time against the page's size: generated column pages of 1,000 to 100,000
dated entries (a table row each, a side list and a pager), CPU seconds per page and per
1,000 links. The goal: linear, so the time per 1,000 links stays flat as the page grows.

    .venv/bin/python benchmarks/list_parse.py [--sizes 1000,8000,100000]
"""

from __future__ import annotations

import argparse
import time

from parsers import parse_list

# Time per 1,000 links on the largest page may exceed the smallest's by this much (noise, cache).
GOAL_GROWTH = 2.0


def column_page(links: int) -> bytes:
    rows = "".join(f'<tr><td>·<a href="/ShowArticle.asp?ArticleID={n}" title="关于我区第{n}项工作情况的审议意见">'
                   f'关于我区第{n}项工作情况的审议意见</a></td><td align="right">2022-{n % 12 + 1:02d}-{n % 28 + 1:02d}</td></tr>'
                   for n in range(links))
    side = "".join(f'<li><a href="/ShowArticle.asp?ArticleID={9000 + n}">区人大常委会召开第{n}次主任会议</a> 2022-10-20</li>'
                   for n in range(6))
    pages = max(1, links // 20)
    pager = (f'<div>共{links * 3}条记录 <a href="?page=1">首页</a> <a href="?page=2">下一页</a> '
             f'<a href="?page={pages}">尾页</a> 页次:1/{pages * 3}页</div>')
    return (f'<html><head><meta charset="utf-8"><title>审议意见</title></head><body>'
            f'<div class="side"><h4>最新更新</h4><ul>{side}</ul></div>'
            f'<table>{rows}</table>{pager}</body></html>').encode("utf-8")


def seconds(body: bytes) -> float:
    started = time.process_time()
    page = parse_list(body, "http://jjrd.example/list.asp?ClassID=5")
    elapsed = time.process_time() - started
    assert page.next_url and len(page.entries) >= 1000 or len(page.entries) > 0
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,8000,100000")
    sizes = [int(size) for size in parser.parse_args().sizes.split(",")]
    per_thousand = []
    for links in sizes:
        body = column_page(links)
        cpu = min(seconds(body) for _ in range(2 if links <= 10000 else 1))
        per_thousand.append(cpu / links * 1000)
        print(f"{links:>7,} links  {len(body) / 1e6:6.1f} MB  {cpu:7.2f} s CPU  {per_thousand[-1] * 1000:6.1f} ms per 1,000 links")
    growth = per_thousand[-1] / per_thousand[0]
    print(f"growth of the time per 1,000 links, {sizes[0]:,} -> {sizes[-1]:,}: {growth:.2f}x "
          f"(goal <= {GOAL_GROWTH}x: {'met' if growth <= GOAL_GROWTH else 'NOT met'})")


if __name__ == "__main__":
    main()
