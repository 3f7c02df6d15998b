"""``npc-archive evaluate``: how well the parser reads an opinion's structure, measured on the
replica's labelled opinions (``replica/data``) as the replica renders them in each markup."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

import click

from archive import Archive
from archive.followups import followup_links, followup_statuses
from parsers import DocumentRecord, Facts, ParseError, Section, parse_article
from parsers.sections import KINDS
from parsers.text import fold
from replica.content import Article
from replica.followups import AS_OF, NEWS_COLUMN, REPORTS_COLUMN
from replica.site import Site
from replica.truth import expected_paragraphs, expected_sections, followup_truth
from spiders.followups import relink

MARKUPS = ("table", "div")
BASE_URL = "http://jjrd.example"
FACTS = tuple(Facts.__annotations__)
FIELDS = ("section order", *(f"section {kind}" for kind in KINDS), "items", *(f"fact {fact}" for fact in FACTS))


@dataclass
class Score:
    """Exact matches per field, and the body's characters found and expected, over one markup's pages."""

    pages: int = 0
    matched: Counter = field(default_factory=Counter)
    compared: Counter = field(default_factory=Counter)
    misses: list[tuple[str, str]] = field(default_factory=list)
    common_chars: int = 0
    parsed_chars: int = 0
    expected_chars: int = 0

    def rate(self, name: str) -> float | None:
        return self.matched[name] / self.compared[name] if self.compared[name] else None

    @property
    def body_f1(self) -> float:
        if not self.common_chars:
            return 0.0
        precision, recall = self.common_chars / self.parsed_chars, self.common_chars / self.expected_chars
        return 2 * precision * recall / (precision + recall)

    def add(self, name: str, matched: bool, title: str) -> None:
        self.compared[name] += 1
        self.matched[name] += matched
        if not matched:
            self.misses.append((title, name))


def _chars(text: str) -> Counter:
    return Counter(char for char in text if not char.isspace())


def comparable(sections: list[Section]) -> list[Section]:
    """Sections as compared with the labels: headings folded (full-width punctuation as the
    parser matches it), texts exact. Here, not in the replica: the replica imports no parser."""
    def folded(text: str | None) -> str | None:
        return fold(text) if text else text

    return [{**section, "heading": folded(section["heading"]),
             "items": [{**item, "heading": folded(item["heading"])} for item in section["items"]]}
            for section in sections]


def field_matches(record: DocumentRecord | None, article: Article) -> dict[str, bool]:
    """Each field compared (a section kind only where the page or its labels have it)."""
    expected = comparable(expected_sections(article))
    parsed = comparable(record["sections"]) if record else []
    results = {"section order": [s["kind"] for s in parsed] == [s["kind"] for s in expected]}
    for kind in KINDS:
        mine, theirs = [s for s in parsed if s["kind"] == kind], [s for s in expected if s["kind"] == kind]
        if mine or theirs:
            results[f"section {kind}"] = mine == theirs
    results["items"] = [s["items"] for s in parsed] == [s["items"] for s in expected]
    for fact in FACTS:
        results[f"fact {fact}"] = record is not None and record["facts"][fact] == article.facts.get(fact)
    return results


def score_markup(markup: str) -> Score:
    site = Site(markup=markup)
    score = Score()
    for article in site.opinions():
        if not article.facts:
            continue  # not labelled
        path = f"/ShowArticle.asp?ArticleID={article.id}"
        reply = site.handle(path)
        try:
            record = parse_article(reply.body, BASE_URL + path, dict(reply.headers).get("Content-Type")).to_dict()
        except ParseError:
            record = None
        score.pages += 1
        for name, matched in field_matches(record, article).items():
            score.add(name, matched, article.title)
        parsed, expected = _chars(record["body_text"] if record else ""), _chars("\n".join(expected_paragraphs(article)))
        score.common_chars += sum((parsed & expected).values())
        score.parsed_chars += sum(parsed.values())
        score.expected_chars += sum(expected.values())
    return score


def report(scores: dict[str, Score]) -> list[str]:
    markups = list(scores)
    lines = [f"{'field':<22}" + "".join(f"{markup:>20}" for markup in markups)]
    for name in FIELDS:
        cells = []
        for markup in markups:
            rate = scores[markup].rate(name)
            cells.append("-" if rate is None else f"{scores[markup].matched[name]}/{scores[markup].compared[name]} {rate:7.1%}")
        lines.append(f"{name:<22}" + "".join(f"{cell:>20}" for cell in cells))
    lines.append(f"{'body character F1':<22}" + "".join(f"{scores[m].body_f1:>20.2%}" for m in markups))
    return lines


def score_followups(markup: str = "table") -> dict:
    """Links and statuses made from the replica's pages (opinions, reports and news, parsed as a
    crawl parses them, into an archive in memory) against its labelled follow-ups."""
    site = Site(markup=markup)
    archive = Archive(":memory:")
    try:
        for article in site.articles:
            path = site.article_path(article)
            reply = site.handle(path)
            record = parse_article(reply.body, BASE_URL + path, dict(reply.headers).get("Content-Type")).to_dict()
            capture_id, _ = archive.add_capture(url=BASE_URL + path, status=200, headers=list(reply.headers), body=reply.body)
            kind = {REPORTS_COLUMN: "reports", NEWS_COLUMN: "news"}.get(article.column, "opinions")
            archive.save_document(record, capture_id=capture_id, crawl_id=None, column_kind=kind, column_url=None)
        relink(archive)
        links = {(row["opinion_url"], row["followup_url"]) for row in followup_links(archive)
                 if not row["ambiguous"] or row["decision"] == "link"}
        statuses = {row["url"]: (row["status"], row["days"]) for row in followup_statuses(archive, AS_OF)}
    finally:
        archive.close()
    truth = followup_truth(site)
    expected = {(BASE_URL + opinion, BASE_URL + page) for opinion, labels in truth.items() for page in labels["followups"]}
    right = len(links & expected)
    status_right = sum(statuses.get(BASE_URL + opinion) == (labels["status"], labels["days"]) for opinion, labels in truth.items())
    return {"links": len(links), "expected": len(expected), "right": right,
            "precision": right / len(links) if links else 0.0, "recall": right / len(expected) if expected else 0.0,
            "opinions": len(truth), "status_right": status_right}


@click.command()
@click.option("--markup", "markups", type=click.Choice(MARKUPS), multiple=True, help="only this markup (repeatable; default: all)")
@click.option("--misses", is_flag=True, help="list each page and field that did not match")
def evaluate(markups: tuple[str, ...], misses: bool) -> None:
    """Score the parser's sections, items and facts against the replica's labelled opinions."""
    scores = {markup: score_markup(markup) for markup in markups or MARKUPS}
    pages = ", ".join(f"{score.pages} {markup}" for markup, score in scores.items())
    click.echo(f"Labelled opinions (replica/data) parsed from the replica's pages: {pages}")
    click.echo("Exact-match rate per field; headings compared after NFKC.\n")
    for line in report(scores):
        click.echo(line)
    followups = score_followups()
    click.echo(f"\nFollow-ups (replica/data/followups.json, as of {AS_OF}): {followups['links']} links made, "
               f"{followups['expected']} labelled")
    click.echo(f"link precision {followups['precision']:.1%}, recall {followups['recall']:.1%}; "
               f"status right for {followups['status_right']}/{followups['opinions']} opinions")
    if misses:
        for markup, score in scores.items():
            for title, name in score.misses:
                click.echo(f"miss [{markup}] {name}: {title}")
