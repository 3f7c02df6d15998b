"""The replica's articles: hand-written opinions (with ground truth) and synthetic ones."""

from __future__ import annotations

import json
import random
from dataclasses import dataclass, field
from importlib import resources


@dataclass
class Article:
    id: int
    title: str
    published: str  # "YYYY-MM-DD HH:MM:SS", China time
    source: str
    views: int
    sections: list[dict]
    attachments: list[dict] = field(default_factory=list)
    images: list[str] = field(default_factory=list)
    facts: dict = field(default_factory=dict)
    column: str = "审议意见"
    counter_script: bool = False
    encoding: str = "gb2312"
    # The file type ("pdf", "doc") of a document the column publishes as a file alone: the
    # lists link the file, not a page.
    published_as: str | None = None

    @property
    def paragraphs(self) -> list[str]:
        return [text for section in self.sections for text in section["paragraphs"]]


def load_opinions() -> list[dict]:
    """The hand-written opinions, oldest first."""
    records: list[dict] = []
    for entry in sorted(resources.files("replica").joinpath("data").iterdir(), key=lambda p: p.name):
        if entry.name.startswith("opinions-") and entry.name.endswith(".json"):
            records.extend(json.loads(entry.read_text(encoding="utf-8")))
    return sorted(records, key=lambda record: record["published"])


OTHER_COLUMN_PAGES = [
    {
        "title": "区人大常委会召开第五次主任会议",
        "published": "2022-10-20 16:40:12",
        "source": "椒江人大网",
        "views": 1210,
        "column": "工作动态",
        "sections": [{"kind": "other", "paragraphs": [
            "10月20日下午，区人大常委会召开第五次主任会议，研究区十一届人大常委会第六次会议有关事项。",
            "会议听取了关于区十一届人大常委会第六次会议议程和日程安排的汇报，审议了有关议题的准备情况。",
        ]}],
    },
    {
        "title": "区人大代表开展“代表联络站开放日”活动",
        "published": "2022-09-16 10:02:33",
        "source": "椒江人大网",
        "views": 980,
        "column": "代表工作",
        "sections": [{"kind": "other", "paragraphs": [
            "9月16日，海门街道人大工委组织辖区内区人大代表在代表联络站开展开放日活动，接待选民来访。",
            "活动中，代表们认真倾听群众意见建议，对能够当场解答的问题当场答复，其余问题记录在案并跟踪督办。",
        ]}],
    },
]

# Photos some opinions show in their body (file names; the replica serves stand-in bytes).
BODY_IMAGES = {
    "台州市椒江区人大常委会关于我区“五水共治”工作情况的审议意见": ["视察现场.jpg"],
    "关于我区“四好农村路”建设情况的审议意见": ["农村公路.jpg", "养护现场.jpg"],
}

_TOPICS = ["学前教育", "城市管理", "文化事业", "职业教育", "水环境治理", "休闲农业", "养老服务", "食品安全",
           "安全生产", "公共交通", "社区治理", "科技创新", "招商引资", "法治政府", "乡村振兴", "医疗卫生"]
_NUMERALS = "一二三四五六七八九十"


def synthetic_article(index: int, rng: random.Random) -> dict:
    """An opinion in the column's shape, for load tests (``--articles N``)."""
    topic = rng.choice(_TOPICS)
    year = 2012 + index % 11
    month, day = 1 + index % 12, 1 + index % 28
    title = f"关于我区{topic}工作情况的审议意见（{index}）"
    points = [f"{_NUMERALS[i]}是进一步加强{topic}第{i + 1}项工作，要{rng.choice(['健全机制', '压实责任', '加大投入', '强化督查'])}。" +
              f"区政府要围绕{topic}目标任务，细化措施，确保取得实效。" for i in range(rng.randint(3, 5))]
    return {
        "title": title,
        "published": f"{year}-{month:02d}-{day:02d} {9 + index % 8:02d}:{index % 60:02d}:{(index * 7) % 60:02d}",
        "source": "椒江人大网",
        "views": rng.randint(100, 60000),
        "sections": [
            {"kind": "heading", "paragraphs": ["台州市椒江区人大常委会", title]},
            {"kind": "addressee", "paragraphs": ["区人民政府："]},
            {"kind": "preamble", "paragraphs": [f"{year}年{month}月{day}日，区人大常委会会议听取和审议了区政府关于{topic}工作情况的报告。"]},
            {"kind": "assessment", "paragraphs": [f"会议认为，区政府高度重视{topic}工作，取得了一定成效。"]},
            {"kind": "problems", "paragraphs": ["会议指出，一是统筹不够。二是投入不足。三是监管不严。"]},
            {"kind": "opinions", "paragraphs": ["根据会议审议情况，提出如下审议意见："] + points},
            {"kind": "closing", "paragraphs": ["以上审议意见请区政府认真研究处理，并将审议意见落实情况于2个月内向区人大常委会提交书面报告。"]},
            {"kind": "signature", "paragraphs": ["台州市椒江区人大常委会", f"{year}年{month}月{day}日"]},
        ],
    }


def build_articles(synthetic: int = 0, seed: int = 20221115) -> list[Article]:
    """All replica articles with stable ids (oldest first), the opinions' variants assigned."""
    rng = random.Random(seed)
    records = load_opinions() + [synthetic_article(i, rng) for i in range(synthetic)]
    records.sort(key=lambda record: record["published"])
    articles = []
    for number, record in enumerate(records, start=1):
        article = Article(id=1000 + number, **{k: v for k, v in record.items() if k in Article.__dataclass_fields__ and k != "id"})
        text = json.dumps(record, ensure_ascii=False)
        needs_gbk = _needs_gbk(text)
        # Vary what real sites of this kind vary: most pages gb2312 (GBK bytes), some UTF-8;
        # the view count inline on most pages, written by a counter script on others.
        article.encoding = "gb2312" if needs_gbk or number % 4 else "utf-8"
        article.counter_script = number % 3 == 0 and article.published != "2022-11-15 17:21:10"
        article.images = list(BODY_IMAGES.get(article.title, []))
        articles.append(article)
    next_id = 9001
    for record in OTHER_COLUMN_PAGES:
        articles.append(Article(id=next_id, **record))
        next_id += 1
    return articles


def _needs_gbk(text: str) -> bool:
    try:
        text.encode("gb2312")
    except UnicodeEncodeError:
        return True
    return False
