"""Article pages per second on one core: our parser vs trafilatura, GNE and the floor
(bare decoding + lxml.html.fromstring), over the same replica pages of every markup (the
replica's own two and its CMS families), with each one's accuracy on title, date and body
against the replica's ground truth, and the goals' ratios markup by markup. Then the same
extractors over the real article pages of other government sites (../shared/real-pages, when
it is there), scored on their hand-checked labels: title, date, and where the body starts and ends.

    .venv/bin/python benchmarks/parse.py [--synthetic 20] [--rounds 3] [--markups table,div,...] [--real-pages DIR] [--profile]
"""

from __future__ import annotations

import argparse
import codecs
import cProfile
import json
import os
import pstats
import re
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

import lxml.html

from parsers import ParseError, parse_article
from replica.site import MARKUPS, Site
from replica.truth import expected_record

GOAL_VS_TRAFILATURA = 20.0
GOAL_VS_FLOOR = 0.25
# CPU seconds each extractor spends on a markup's pages in a round (at least one pass).
ROUND_CPU_SECONDS = 0.3
_DATE = re.compile(r"((?:19|20)\d{2})\D{1,2}(\d{1,2})\D{1,2}(\d{1,2})")
_SPACE = re.compile(r"\s+")
_META_CHARSET = re.compile(rb"""<meta[^>]+charset=["']?([\w-]+)""", re.I)
REAL_PAGES = Path(__file__).resolve().parent.parent.parent / "shared" / "real-pages"


@dataclass
class Page:
    markup: str
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


def replica_pages(synthetic: int, markups: list[str]) -> list[Page]:
    """Every opinion of the replica, in each markup, as a client without gzip gets it."""
    pages = []
    for markup in markups:
        site = Site(synthetic=synthetic, markup=markup)
        for article in site.opinions():
            path = site.article_path(article)
            reply = site.handle(path)
            if reply.status in (301, 302):  # a family that redirects to the article's page
                path = dict(reply.headers)["Location"]
                reply = site.handle(path)
            truth = expected_record(article, site.views[article.id])  # scored on title, day and body only
            pages.append(Page(markup, reply.body, "http://jjrd.example" + path, dict(reply.headers).get("Content-Type") or "", truth))
    return pages


def real_pages(directory: Path) -> list[Page]:
    """The labelled real article pages, as saved (no HTTP header: the charset is the page's own),
    each its own markup."""
    labels = json.loads((directory / "labels.json").read_text(encoding="utf-8"))["articles"]
    return [Page(name, (directory / name).read_bytes(), "http://example.gov.cn/article.html", "", truth)
            for name, truth in sorted(labels.items())]


def bare_decode(page: Page) -> str:
    """Decode with the charset the HTTP header declares, else the <meta> (a static page's header
    may have none), as a browser would (gb2312 read as GBK)."""
    if "charset=" in page.content_type:
        charset = page.content_type.rpartition("charset=")[2].strip().lower()
    else:
        meta = _META_CHARSET.search(page.body[:2048])
        charset = meta[1].decode().lower() if meta else "utf-8"
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


def trafilatura_index(candidates: list[Extractor]) -> int | None:
    """Where trafilatura's default mode stands among the extractors (None: not installed)."""
    return next((index for index, extractor in enumerate(candidates)
                 if extractor.name.startswith("trafilatura") and not extractor.name.endswith("fast")), None)


def ours_or_refusal(page: Page) -> dict | None:
    """``ours`` where a page may be refused (NotAnArticle): None, scored as found nothing."""
    try:
        return ours(page)
    except ParseError:
        return None


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


def fastest_passes(extractors: list[Extractor], groups: dict[str, list[Page]], rounds: int) -> tuple[list[dict[str, float]], list[list[Any]]]:
    """Each extractor's CPU seconds of its fastest pass over each markup's pages, and its results
    (in the order of the groups' pages).

    Extractors take turns, round after round; in a round each makes passes over a markup's
    pages until it has used ROUND_CPU_SECONDS on them (at least one pass). CPU time, not wall
    time: on a busy machine every extractor loses the same share, and waiting for a core is not
    counted.
    """
    best: list[dict[str, float]] = [dict.fromkeys(groups, float("inf")) for _ in extractors]
    results: list[dict[str, list[Any]]] = [{} for _ in extractors]
    for _ in range(rounds):
        for index, extractor in enumerate(extractors):
            for markup, pages in groups.items():
                spent = 0.0
                while spent < ROUND_CPU_SECONDS:
                    started = time.process_time()
                    results[index][markup] = [extractor.run(page) for page in pages]
                    seconds = time.process_time() - started
                    best[index][markup], spent = min(best[index][markup], seconds), spent + seconds
    return best, [[result for markup in groups for result in by_markup[markup]] for by_markup in results]


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


def body_ends(body: str, truth: dict) -> float:
    """1 if the body starts and ends as the labels say (whitespace aside), 0.5 for one end of two."""
    body = _SPACE.sub("", body)
    starts = body.startswith(_SPACE.sub("", truth["body_first"]))
    ends = body.endswith(_SPACE.sub("", truth["body_last"]))
    return (starts + ends) / 2


def real_accuracy(extractor: Extractor, results: list[Any], pages: list[Page]) -> tuple[float, float, float] | None:
    """Share of exact titles, of right publish days, and of the body's ends right, against the labels."""
    if extractor.fields is None:
        return None
    titles = dates = ends = 0.0
    for result, page in zip(results, pages):
        fields = extractor.fields(result) if result is not None else Fields("", None, "")
        titles += _SPACE.sub("", fields.title) == _SPACE.sub("", page.truth["title"])
        dates += fields.date == (page.truth["published"] or "")[:10] or (fields.date is None and page.truth["published"] is None)
        ends += body_ends(fields.body, page.truth)
    return titles / len(pages), dates / len(pages), ends / len(pages)


def measure_real_pages(directory: Path, rounds: int) -> None:
    pages = real_pages(directory)
    candidates = [Extractor(extractor.name, ours_or_refusal, extractor.fields) if index == 0 else extractor
                  for index, extractor in enumerate(extractors())]
    average = sum(len(page.body) for page in pages) / len(pages)
    print(f"\nReal pages: {len(pages)} article pages of other government sites ({directory}), {average:,.0f} bytes on "
          f"average, scored on their labels\n")
    print(f"{'extractor':<40} {'pages/s':>9} {'ours is':>9} {'title':>7} {'date':>7} {'body ends':>10}")
    best, results = fastest_passes(candidates, {page.markup: [page] for page in pages}, rounds)
    speeds = [len(pages) / sum(seconds.values()) for seconds in best]
    for extractor, speed, result in zip(candidates, speeds, results):
        scores = real_accuracy(extractor, result, pages)
        scored = f"{scores[0]:>7.1%} {scores[1]:>7.1%} {scores[2]:>10.1%}" if scores else f"{'-':>7} {'-':>7} {'-':>10}"
        print(f"{extractor.name:<40} {speed:>9,.0f} {speeds[0] / speed:>8.2f}x {scored}")
    trafilatura = trafilatura_index(candidates)
    ours_seconds = best[0]
    if trafilatura is not None:
        ratio, name = min((best[trafilatura][page.markup] / ours_seconds[page.markup], page.markup) for page in pages)
        print(f"\nOurs against trafilatura page by page: {ratio:.1f}x on the slowest page ({name})")
    ratio, name = min((best[-1][page.markup] / ours_seconds[page.markup], page.markup) for page in pages)
    print(f"Ours against the floor page by page: {ratio:.2f} on the slowest page ({name})")


def _verdict(ratio: float, goal: float) -> str:
    return "met" if ratio >= goal else "MISSED"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--synthetic", type=int, default=20, help="synthetic opinions besides the 45 hand-written ones, per markup")
    parser.add_argument("--rounds", type=int, default=3, help="rounds of turns over the extractors; the fastest pass counts")
    parser.add_argument("--markups", default=",".join(MARKUPS), help="comma-separated markups (default: every one the replica has)")
    parser.add_argument("--real-pages", type=Path, default=REAL_PAGES,
                        help="labelled real article pages to measure too (default: ../shared/real-pages; skipped where absent)")
    parser.add_argument("--profile", action="store_true", help="also print a cProfile of our parser")
    args = parser.parse_args()

    if hasattr(os, "sched_setaffinity"):  # one core (Linux): the figures compare per-core throughput
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    markups = args.markups.split(",")
    pages = replica_pages(args.synthetic, markups)
    groups = {markup: [page for page in pages if page.markup == markup] for markup in markups}
    pages = [page for markup in markups for page in groups[markup]]
    average = sum(len(page.body) for page in pages) / len(pages)
    print(f"{len(pages)} article pages ({len(pages) // len(markups)} opinions: 45 hand-written + {args.synthetic} synthetic; "
          f"in {len(markups)} markups), {average:,.0f} bytes on average; one core, CPU time of each one's fastest pass "
          f"over each markup's pages in {args.rounds} rounds\n")
    print(f"{'extractor':<40} {'pages/s':>9} {'ours is':>9} {'title':>7} {'date':>7} {'body F1':>8}")
    candidates = extractors()
    best, results = fastest_passes(candidates, groups, args.rounds)
    speeds = [len(pages) / sum(seconds.values()) for seconds in best]
    ours_speed = speeds[0]
    for extractor, speed, result in zip(candidates, speeds, results):
        scores = accuracy(extractor, result, pages)
        scored = "".join(f"{value:>7.1%}" + " " for value in scores[:2]) + f"{scores[2]:>8.3f}" if scores else f"{'-':>7} {'-':>7} {'-':>8}"
        print(f"{extractor.name:<40} {speed:>9,.0f} {ours_speed / speed:>8.2f}x {scored}")

    # Ratios of pages/s on the same pages are ratios of the passes' CPU times.
    trafilatura = trafilatura_index(candidates)
    floor_index = len(candidates) - 1
    print(f"\n{'markup':<18} {'bytes':>7} {'ours pages/s':>13} {'vs trafilatura':>15} {'vs floor':>9}")
    worst_trafilatura = worst_floor = float("inf")
    for markup, group in groups.items():
        ours_seconds = best[0][markup]
        vs_trafilatura = best[trafilatura][markup] / ours_seconds if trafilatura is not None else float("nan")
        vs_floor = best[floor_index][markup] / ours_seconds
        worst_trafilatura, worst_floor = min(worst_trafilatura, vs_trafilatura), min(worst_floor, vs_floor)
        size = sum(len(page.body) for page in group) / len(group)
        print(f"{markup:<18} {size:>7,.0f} {len(group) / ours_seconds:>13,.0f} {vs_trafilatura:>14.1f}x {vs_floor:>9.2f}")
    print()
    if trafilatura is not None:
        ratio = ours_speed / speeds[trafilatura]
        print(f"Goal: ours >= {GOAL_VS_TRAFILATURA:.0f}x trafilatura's pages/s: {ratio:.1f}x over all pages, "
              f"{worst_trafilatura:.1f}x on the slowest markup  {_verdict(worst_trafilatura, GOAL_VS_TRAFILATURA)}")
    ratio = ours_speed / speeds[floor_index]
    print(f"Goal: ours >= 1/4 of the floor's pages/s: {ratio:.2f} over all pages, {worst_floor:.2f} on the slowest markup  "
          f"{_verdict(worst_floor, GOAL_VS_FLOOR)}")
    if (args.real_pages / "labels.json").exists():
        measure_real_pages(args.real_pages, args.rounds)
    else:
        print(f"\nNo labelled real pages at {args.real_pages} (--real-pages DIR): skipped")
    if args.profile:
        profile_ours(pages, 25)


if __name__ == "__main__":
    main()
