"""``npc-archive evaluate``: how well the parser reads an opinion's structure, measured on the
replica's labelled opinions (``replica/data``) as the replica renders them in each markup."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

import click

from parsers import DocumentRecord, Facts, ParseError, Section, parse_article
from parsers.sections import KINDS
from parsers.text import fold
from replica.content import Article
from replica.site import Site
from replica.truth import expected_paragraphs, expected_sections

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
    if misses:
        for markup, score in scores.items():
            for title, name in score.misses:
                click.echo(f"miss [{markup}] {name}: {title}")
