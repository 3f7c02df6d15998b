"""Article pages per second on one core: our parser vs trafilatura, GNE and the floor
(bare decoding + lxml.html.fromstring), over the same replica pages, with each one's
accuracy on title, date and body against the replica's ground truth.

    .venv/bin/python benchmarks/parse.py [--synthetic 100] [--rounds 3] [--profile]
"""

from __future__ import annotations

import argparse
import codecs
import cProfile
import os
import pstats
import re
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from importlib import metadata
from typing import Any

import lxml.html

from parsers import parse_article
from replica.site import Site
from replica.truth import expected_record

MARKUPS = ("table", "div")
GOAL_VS_TRAFILATURA = 20.0
GOAL_VS_FLOOR = 0.25
ROUND_CPU_SECONDS = 1.0
_DATE = re.compile(r"((?:19|20)\d{2})\D{1,2}(\d{1,2})\D{1,2}(\d{1,2})")
_SPACE = re.compile(r"\s+")


@dataclass
class Page:
    body: bytes
    url: str
    content_type: str
    truth: dict


@dataclass
class Fields:
    """What accuracy is scored on: title, publish date (YYYY-MM-DD) and body text."""

    title: str
    date: str | None
    body: str


@dataclass
class Extractor:
    name: str
    run: Callable[[Page], Any]  # the timed work
    fields: Callable[[Any], Fields] | None  # result -> scored fields (None: nothing to score)


def replica_pages(synthetic: int) -> list[Page]:
    """Every opinion of the replica, in both markups, as a client without gzip gets it."""
    pages = []
    for markup in MARKUPS:
        site = Site(synthetic=synthetic, markup=markup)
        for article in site.opinions():
            path = f"/ShowArticle.asp?ArticleID={article.id}"
            reply = site.handle(path)
            truth = expected_record(article, site.views[article.id])
            pages.append(Page(reply.body, "http://jjrd.example" + path, dict(reply.headers)["Content-Type"], truth))
    return pages


def bare_decode(page: Page) -> str:
    """Decode with the charset the HTTP header declares, as a browser would (gb2312 read as GBK)."""
    charset = page.content_type.rpartition("charset=")[2].strip().lower() or "utf-8"
    codec = "gbk" if charset in ("gb2312", "gbk") else codecs.lookup(charset).name
    return page.body.decode(codec, errors="replace")


def _date(text: str | None) -> str | None:
    match = _DATE.search(text or "")
    return f"{int(match[1]):04d}-{int(match[2]):02d}-{int(match[3]):02d}" if match else None


# The extractors ----------------------------------------------------------------------


def ours(page: Page) -> dict:
    """Everything the spider stores for an article page. When the parser grows fields
    (sections, facts), make this return the full record so they are timed too."""
    return parse_article(page.body, page.url, page.content_type).to_dict()


def floor(page: Page) -> Any:
    return lxml.html.fromstring(bare_decode(page))


def extractors() -> list[Extractor]:
    found = [
        Extractor("ours (full record)", ours,
                  lambda record: Fields(record["title"], _date(record["published_at"]), record["body_text"])),
    ]
    try:
        import trafilatura
    except ImportError:
        print("trafilatura is not installed (pip install -e '.[bench]'): skipped")
    else:
        def traf_fields(document: Any) -> Fields:
            return Fields(document.title or "", _date(document.date), document.text or "") if document else Fields("", None, "")

        version = metadata.version("trafilatura")
        found.append(Extractor(f"trafilatura {version}", lambda page: trafilatura.bare_extraction(
            bare_decode(page), url=page.url, with_metadata=True), traf_fields))
        found.append(Extractor(f"trafilatura {version} fast", lambda page: trafilatura.bare_extraction(
            bare_decode(page), url=page.url, with_metadata=True, fast=True), traf_fields))
    try:
        from gne import GeneralNewsExtractor
    except ImportError:
        print("GNE is not installed (pip install -e '.[bench]'): skipped")
    else:
        gne = GeneralNewsExtractor()
        found.append(Extractor(f"GNE {metadata.version('gne')}", lambda page: gne.extract(bare_decode(page)),
                               lambda result: Fields(result.get("title", ""), _date(result.get("publish_time")),
                                                     result.get("content", ""))))
    found.append(Extractor("floor (decode + lxml.html.fromstring)", floor, None))
    return found


# Measuring ---------------------------------------------------------------------------


def pages_per_second(extractors: list[Extractor], pages: list[Page], rounds: int) -> tuple[list[float], list[list[Any]]]:
    """Each extractor's pages per CPU second in its fastest pass over the pages, and its results.

    Extractors take turns, round after round; in a round each makes passes until it has
    used a CPU second (at least one pass). CPU time, not wall time: on a busy machine every
    extractor loses the same share, and waiting for a core is not counted.
    """
    best = [float("inf")] * len(extractors)
    results: list[list[Any]] = [[] for _ in extractors]
    for _ in range(rounds):
        for index, extractor in enumerate(extractors):
            spent = 0.0
            while spent < ROUND_CPU_SECONDS:
                started = time.process_time()
                results[index] = [extractor.run(page) for page in pages]
                seconds = time.process_time() - started
                best[index], spent = min(best[index], seconds), spent + seconds
    return [len(pages) / seconds for seconds in best], results


def char_f1(found: str, expected: str) -> float:
    """F1 of the multisets of non-space characters."""
    got, want = Counter(_SPACE.sub("", found)), Counter(_SPACE.sub("", expected))
    common = sum((got & want).values())
    if not common:
        return 0.0
    precision, recall = common / sum(got.values()), common / sum(want.values())
    return 2 * precision * recall / (precision + recall)


def accuracy(extractor: Extractor, results: list[Any], pages: list[Page]) -> tuple[float, float, float] | None:
    """Share of exact titles, share of right publish dates, mean body character F1."""
    if extractor.fields is None:
        return None
    titles = dates = f1 = 0.0
    for result, page in zip(results, pages):
        fields = extractor.fields(result)
        titles += _SPACE.sub("", fields.title) == _SPACE.sub("", page.truth["title"])
        dates += fields.date == page.truth["published_at"][:10]
        f1 += char_f1(fields.body, page.truth["body_text"])
    return titles / len(pages), dates / len(pages), f1 / len(pages)


def profile_ours(pages: list[Page], top: int) -> None:
    profiler = cProfile.Profile()
    profiler.enable()
    for page in pages:
        ours(page)
    profiler.disable()
    print(f"\nProfile of ours over {len(pages)} pages (cProfile; its overhead inflates Python code against C):")
    pstats.Stats(profiler).sort_stats("cumulative").print_stats(r"parsers|lxml|\(ours\)", top)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--synthetic", type=int, default=100, help="synthetic opinions besides the 45 hand-written ones")
    parser.add_argument("--rounds", type=int, default=3, help="rounds of turns over the extractors; the fastest pass counts")
    parser.add_argument("--profile", action="store_true", help="also print a cProfile of our parser")
    args = parser.parse_args()

    if hasattr(os, "sched_setaffinity"):  # one core (Linux): the figures compare per-core throughput
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    pages = replica_pages(args.synthetic)
    average = sum(len(page.body) for page in pages) / len(pages)
    print(f"{len(pages)} article pages ({len(pages) // 2} opinions: 45 hand-written + {args.synthetic} synthetic; "
          f"markups {' and '.join(MARKUPS)}), {average:,.0f} bytes on average; one core, CPU time of each one's fastest pass in {args.rounds} rounds\n")
    print(f"{'extractor':<40} {'pages/s':>9} {'ours is':>9} {'title':>7} {'date':>7} {'body F1':>8}")
    candidates = extractors()
    speeds, results = pages_per_second(candidates, pages, args.rounds)
    measured = [(extractor, speed, accuracy(extractor, result, pages))
                for extractor, speed, result in zip(candidates, speeds, results)]
    ours_speed = measured[0][1]
    for extractor, speed, scores in measured:
        scored = "".join(f"{value:>7.1%}" + " " for value in scores[:2]) + f"{scores[2]:>8.3f}" if scores else f"{'-':>7} {'-':>7} {'-':>8}"
        print(f"{extractor.name:<40} {speed:>9,.0f} {ours_speed / speed:>8.2f}x {scored}")

    by_name = {extractor.name: speed for extractor, speed, _ in measured}
    trafilatura = next((speed for name, speed in by_name.items() if name.startswith("trafilatura") and not name.endswith("fast")), None)
    floor_speed = measured[-1][1]
    print()
    if trafilatura:
        ratio = ours_speed / trafilatura
        print(f"Goal: ours >= {GOAL_VS_TRAFILATURA:.0f}x trafilatura's pages/s: {ratio:.1f}x  "
              f"{'met' if ratio >= GOAL_VS_TRAFILATURA else 'MISSED'}")
    ratio = ours_speed / floor_speed
    print(f"Goal: ours >= 1/4 of the floor's pages/s: {ratio:.2f}  {'met' if ratio >= GOAL_VS_FLOOR else 'MISSED'}")
    if args.profile:
        profile_ours(pages, 25)


if __name__ == "__main__":
    main()
