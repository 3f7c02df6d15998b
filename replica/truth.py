"""Ground truth for the replica's pages: what a correct parser reads off each article."""

from __future__ import annotations

from .content import Article
from .render import COLUMN, count_meant


def expected_paragraphs(article: Article) -> list[str]:
    return article.paragraphs + [f"附件:{attachment['name']}" for attachment in article.attachments]


def expected_record(article: Article, views: int) -> dict:
    """The fields of the article's record; ``views`` is the count the page shows or the counter wrote."""
    paragraphs = expected_paragraphs(article)
    return {
        "title": article.title,
        "published_at": article.published.replace(" ", "T") + "+08:00",
        "source": article.source,
        "view_count": views,
        "paragraphs": paragraphs,
        "body_text": "\n".join(paragraphs),
        "column": article.column,
    }


def expected_sections(article: Article) -> list[dict]:
    """The labelled sections as the parser reports them: text joined by newlines, items numbered,
    the section's lead-in (text before its first item) as its heading, and the rendered
    attachment lines (``附件:NAME``, which fit no section of an opinion) as ``other``."""
    sections = []
    for section in article.sections:
        text = "\n".join(section["paragraphs"])
        items = [{"ordinal": number, "heading": item["heading"], "text": item["text"]}
                 for number, item in enumerate(section.get("items", []), start=1)]
        lead = text[:text.index(items[0]["text"])].rstrip("\n") if items else ""
        sections.append({"kind": section["kind"], "heading": lead or None, "text": text, "items": items})
    if article.attachments:
        lines = "\n".join(f"附件:{attachment['name']}" for attachment in article.attachments)
        sections.append({"kind": "other", "heading": None, "text": lines, "items": []})
    return sections


def published_at(article: Article, precision: str = "second") -> str:
    """The publish time as precise as a page shows it: a date (no offset, a date has none),
    or a China time to the minute or second."""
    date, time = article.published.split(" ")
    if precision == "day":
        return date
    return f"{date}T{time[:5] if precision == 'minute' else time}+08:00"


def family_truth(site) -> list[dict]:
    """What a crawl of ``site`` (a ``Site`` in a CMS family's markup) must have archived, newest
    first: one record per listed opinion and nothing else, with the URL path it has in that
    markup, the publish time at the precision the page shows (``published_precision``), and the
    view count: the one its page or counter last showed (None where the family shows none).
    ``view_count_includes_own_fetch`` says whether fetching that count added a view that the
    count includes (PHPCMS writes the count read before its own update). Call it after the crawl:
    the counts are the site's at that moment."""
    family = site.family
    records = []
    for article in site.opinions():
        shown = site.shown_views.get(article.id)
        views = shown if shown is not None else site.listed_views.get(article.id)
        if not family.has_view_count:
            views = None
        approximate = None
        if views is not None:
            views, approximate = count_meant(views, site.counts_in_ten_thousands)
        records.append({
            "path": family.article_path(article),
            **expected_record(article, views),
            "published_at": published_at(article, family.precision),
            "published_precision": family.precision,
            "view_count_includes_own_fetch": shown is not None and not family.counter_shows_count_before_this_view,
            "view_count_approximate": approximate,
        })
    return records


def other_paths(site) -> list[str]:
    """Article pages of the other columns, linked from side lists: a crawl must archive none."""
    return [site.article_path(a) for a in site.articles if a.column != COLUMN]


def followup_truth(site, published: set[int] | None = None) -> dict[str, dict]:
    """The labelled follow-ups of ``site`` (table or div markup), per opinion's URL path: the
    paths of the reports and hearings that follow it up, and its status and days as of the
    replica's date (replica/data/followups.json). ``published``: the follow-up ids the site
    serves (default: those it serves now)."""
    from datetime import date

    from .followups import AS_OF, expected_status, opinions_of

    published = published if published is not None else {a.id for a in site.articles}
    truth = {}
    for opinion in opinions_of(site.articles):
        opinion.followups = [f for f in site.followup_pages if opinion.article.id in f.opinions]
        status, days = expected_status(opinion, published, date.fromisoformat(AS_OF))
        truth[site.article_path(opinion.article)] = {
            "title": opinion.article.title, "status": status, "days": days,
            "followups": {site.article_path(f.article) for f in opinion.followups if f.article.id in published},
        }
    return truth
