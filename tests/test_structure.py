"""An opinion's structure: sections, numbered items and document facts, read from its text."""

from __future__ import annotations

import random
from html import escape

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from npc_archive.evaluate import comparable
from parsers import parse_article
from parsers.facts import _FACT_KINDS, _lines, _split, document_facts
from parsers.sections import KINDS, enumerate_items, split_sections
from parsers.text import fold
from replica.content import build_articles
from replica.truth import expected_paragraphs, expected_sections


def parse(pages, article):
    return parse_article(*pages.article(article)).to_dict()


def test_reference_page_sections_and_facts(pages):
    record = parse(pages, pages.reference)
    sections = record["sections"]
    assert [s["kind"] for s in sections] == [
        "heading", "addressee", "preamble", "assessment", "problems", "opinions", "closing", "signature"]
    heading, addressee, preamble, assessment, problems, opinions, closing, signature = sections
    assert heading["text"] == "台州市椒江区人大常委会\n关于区十一届人大一次会议代表建议办理情况的审议意见"
    assert addressee["text"] == "区人民政府:"
    assert preamble["text"].startswith("2022年10月27日,台州市椒江区十一届人大常委会第五次会议听取和审议了")
    assert assessment["text"].startswith("会议认为,") and not assessment["items"]
    assert problems["heading"] == ("会议指出,代表建议办理过程中还存在一些薄弱环节,基本满意件还存在一定数量,"
                                   "需要引起高度重视,主要体现在:")
    assert [(i["ordinal"], fold(i["heading"])) for i in problems["items"]] == [
        (1, "思想上还不够重视"), (2, "办理上还不够规范"), (3, "实效上还不够突出")]
    assert problems["items"][0]["text"] == (
        "一是思想上还不够重视。部分承办单位“一把手”和分管领导责任缺位,不过问、不把关、不协调,"
        "存在由经验不足的工作人员全程操作现象,办理效果不够好。")
    assert fold(opinions["heading"]) == "根据会议审议情况,提出如下审议意见:"
    assert [(i["ordinal"], fold(i["heading"])) for i in opinions["items"]] == [
        (1, "进一步提高政治站位,思想上要再重视"), (2, "进一步创新工作方法,工作上要再压实"),
        (3, "进一步提升办理实效,督办上要再跟进")]
    assert all(i["text"].startswith(f"{n}是进一步") for i, n in zip(opinions["items"], "一二三"))
    assert closing["text"] == "以上审议意见请区政府认真研究处理,并将审议意见落实情况于2个月内向区人大常委会提交书面报告。"
    assert signature["text"] == "台州市椒江区人大常委会\n2022年11月15日"
    assert record["facts"] == {
        "issuer": "台州市椒江区人大常委会", "addressee": "区人民政府", "subject": "区十一届人大一次会议代表建议办理情况",
        "meeting": "台州市椒江区十一届人大常委会第五次会议", "meeting_date": "2022-10-27", "signed_date": "2022-11-15",
        "report_deadline": "2个月内", "report_due": "2023-01-15",
    }


def test_every_replica_opinion_matches_its_labels(pages):
    for article in pages.site.opinions():
        record = parse(pages, article)
        assert comparable(record["sections"]) == comparable(expected_sections(article)), article.title
        assert record["facts"] == article.facts, article.title
        assert "\n".join(s["text"] for s in record["sections"]) == record["body_text"]


def test_labels_cover_the_variants_the_genre_has(table_site):
    """The labelled set holds each variant the parser must read (issue 3's list)."""
    opinions = table_site.opinions()
    texts = {a.id: "\n".join(expected_paragraphs(a)) for a in opinions}
    kinds = {a.id: [s["kind"] for s in a.sections] for a in opinions}
    assert any("\n一、" in texts[a.id] for a in opinions) and any("\n（一）" in texts[a.id] for a in opinions)
    assert any("problems" not in kinds[a.id] and "opinions" in kinds[a.id] for a in opinions)
    assert any(a.attachments for a in opinions)
    assert any("〇" in a.sections[-1]["paragraphs"][-1] for a in opinions)  # signed in Chinese numerals
    assert any("closing" in kinds[a.id] and a.facts["report_deadline"] is None for a in opinions)


def test_labels_agree_with_their_own_text(table_site):
    """The labelled set checked on its own: items in order inside their section, each heading
    the start of its item, each fact written in the text it comes from."""
    for article in table_site.opinions():
        sections = {section["kind"]: "\n".join(section["paragraphs"]) for section in article.sections}
        for section in article.sections:
            text, position = "\n".join(section["paragraphs"]), 0
            for item in section.get("items", []):
                position = text.index(item["text"], position) + len(item["text"])
                assert fold(item["heading"]) in fold(item["text"][:len(item["heading"]) + 6]), article.title
        facts = article.facts
        assert facts["meeting"] in sections.get("preamble", "\n".join(sections.values())), article.title
        assert facts["addressee"] is None or sections["addressee"].startswith(facts["addressee"]), article.title
        assert facts["subject"] is None or f"关于{facts['subject']}的审议意见" in article.title, article.title
        assert facts["report_deadline"] is None or facts["report_deadline"] in sections["closing"], article.title
        assert facts["signed_date"] < article.published and facts["meeting_date"] < facts["signed_date"], article.title


def test_attachment_lines_are_other(pages):
    article = next(a for a in pages.site.opinions() if len(a.attachments) == 2)
    last = parse(pages, article)["sections"][-1]
    assert last["kind"] == "other"
    assert last["text"] == "\n".join(f"附件:{a['name']}" for a in article.attachments)


def sections_of(*paragraphs, title=""):
    return split_sections(list(paragraphs), title)


def test_inline_points_split_into_items():
    problems = sections_of("会议指出，还存在问题：一是统筹不够。二是投入不足，一是指资金。三是监管不严。")[0]
    assert problems["kind"] == "problems"
    assert problems["heading"] == "会议指出，还存在问题："
    assert [(i["ordinal"], i["heading"], i["text"]) for i in problems["items"]] == [
        (1, "统筹不够", "一是统筹不够。"), (2, "投入不足，一是指资金", "二是投入不足，一是指资金。"), (3, "监管不严", "三是监管不严。")]


def test_points_opening_paragraphs_win_over_inline_ones():
    opinions = sections_of("根据会议审议情况，提出如下审议意见：", "（一）加强领导", "要做到：一是压实责任；二是强化考核。",
                           "（二）加大投入。要保障经费。")[0]
    assert [(i["heading"], i["text"]) for i in opinions["items"]] == [
        ("加强领导", "（一）加强领导\n要做到：一是压实责任；二是强化考核。"), ("加大投入", "（二）加大投入。要保障经费。")]


def test_a_lone_numbered_point_is_no_enumeration():
    assert sections_of("会议指出，一是要注意安全。")[0]["items"] == []


def test_item_without_a_short_lead_phrase_has_no_heading():
    long_point = "一是" + "要" * 60 + "。"
    items = sections_of("会议指出：", long_point, "二是短。")[0]["items"]
    assert [i["heading"] for i in items] == [None, "短"]


def test_letter_without_heading_and_with_one_line_signature():
    sections = sections_of("区人民政府、区监察委员会：", "2021年3月2日，区人大常委会第三十次会议听取了报告。",
                           "常委会组成人员认为，工作有成效。", "会议要求：", "1.加强统筹。", "2.加大投入。",
                           "请于2021年6月30日前将落实情况书面报告区人大常委会。", "台州市椒江区人大常委会 2021年3月9日")
    assert [s["kind"] for s in sections] == ["addressee", "preamble", "assessment", "opinions", "closing", "signature"]
    assert [i["heading"] for i in sections[3]["items"]] == ["加强统筹", "加大投入"]
    facts = document_facts(split_sections([s["text"] for s in sections]))
    assert facts == {
        "issuer": "台州市椒江区人大常委会", "addressee": "区人民政府、区监察委员会", "subject": None,
        "meeting": "区人大常委会第三十次会议", "meeting_date": "2021-03-02", "signed_date": "2021-03-09",
        "report_deadline": "2021年6月30日前", "report_due": "2021-06-30",
    }


def test_variant_wordings_of_each_part():
    sections = sections_of(
        "椒人大常〔2022〕15号", "台州市椒江区人民代表大会常务委员会关于我区养老服务工作情况的审议意见", "区人民政府：",
        "2022年3月1日，区十一届人大常委会第三次会议对区政府关于养老服务工作情况的报告进行了审议。",
        "会议充分肯定了区政府的工作。", "同时，会议也指出：", "（一）设施不足；", "（二）人才短缺。",
        "现提出以下几点审议意见：", "1、加强规划。", "2、加大投入。",
        "上述意见，请区政府研究处理，并于2022年6月底前报告区人大常委会。",
        "台州市椒江区人民代表大会常务委员会", "二〇二二年三月十日", "抄送：区政协办公室。")
    assert [s["kind"] for s in sections] == [
        "heading", "addressee", "preamble", "assessment", "problems", "opinions", "closing", "signature", "other"]
    assert [i["heading"] for i in sections[4]["items"]] == ["设施不足", "人才短缺"]
    assert [i["heading"] for i in sections[5]["items"]] == ["加强规划", "加大投入"]
    facts = document_facts(split_sections([s["text"] for s in sections]))
    assert (facts["issuer"], facts["subject"], facts["meeting"], facts["report_deadline"], facts["report_due"], facts["signed_date"]) == (
        "台州市椒江区人民代表大会常务委员会", "我区养老服务工作情况", "区十一届人大常委会第三次会议", "2022年6月底前",
        "2022-06-30", "2022-03-10")


def test_facts_not_stated_are_none():
    facts = document_facts(split_sections(["会议认为，工作有成效。", "以上审议意见请区政府研究处理。"]))
    assert facts == dict.fromkeys(facts)


def test_facts_read_only_the_sections_they_keep():
    # The facts split the sections they read and leave the rest (most of the text) unsplit: a
    # fact that asked for another kind would find no lines, so asking fails loudly instead.
    split = _split(split_sections(["会议认为，工作有成效。", "会议要求：", "一、加强管理。", "二、完善制度。"]))
    assert {kind for kind, _ in split} <= _FACT_KINDS
    with pytest.raises(ValueError, match="opinions"):
        _lines(split, "closing", "opinions")

def test_meeting_named_before_its_date():
    sections = split_sections(["区人民政府:", "区十一届人大常委会第五次会议于2022年10月27日听取和审议了报告。"])
    facts = document_facts(sections, "关于代表建议办理情况的审议意见")
    assert (facts["meeting"], facts["meeting_date"], facts["subject"]) == ("区十一届人大常委会第五次会议", "2022-10-27", "代表建议办理情况")


def test_meeting_without_a_year_has_no_date():
    facts = document_facts(split_sections(["区人民政府:", "10月27日，区十一届人大常委会第五次会议听取和审议了报告。"]))
    assert (facts["meeting"], facts["meeting_date"]) == ("区十一届人大常委会第五次会议", None)


def test_deadline_is_the_one_the_report_is_due_by():
    sections = split_sections(["会议认为，好。", "以上审议意见请区政府在1个月内研究，并于3个月内提交书面报告。", "区人大常委会", "2022年1月10日"])
    facts = document_facts(sections)
    assert (facts["report_deadline"], facts["report_due"], facts["signed_date"]) == ("3个月内", "2022-04-10", "2022-01-10")


# Robustness: bodies the parser has never seen must neither raise nor lose text. -----------


def assert_sound(paragraphs, title=""):
    sections = split_sections(paragraphs, title)
    assert "\n".join(section["text"] for section in sections) == "\n".join(paragraphs)
    for section in sections:
        assert section["kind"] in KINDS
        assert section["heading"] is None or section["text"].startswith(section["heading"])
        position = len(section["heading"] or "")
        for ordinal, item in enumerate(section["items"], start=1):
            assert item["ordinal"] == ordinal
            found = section["text"].find(item["text"], position)
            assert found >= position, (section["text"], item["text"])
            position = found + len(item["text"])
    facts = document_facts(sections, title)
    for value in facts.values():
        assert value is None or (isinstance(value, str) and value)
    return sections, facts


def test_shuffled_and_truncated_replica_bodies():
    rng = random.Random(3)
    for article in build_articles(synthetic=20):
        paragraphs = expected_paragraphs(article)
        for _ in range(5):
            variant = paragraphs[:]
            rng.shuffle(variant)
            assert_sound(variant, article.title)
            cut = rng.randrange(len(paragraphs))
            assert_sound(paragraphs[cut:], article.title)
            assert_sound(paragraphs[:cut], article.title)
            merged = "".join(paragraphs[cut:cut + 3])
            assert_sound(paragraphs[:cut] + [merged] + paragraphs[cut + 3:], article.title)


FRAGMENTS = ["会议认为", "会议指出", "提出如下审议意见：", "以上审议意见", "书面报告", "于2个月内", "两个月内", "年底前",
             "一是", "二是", "三是", "一、", "二、", "（一）", "（二）", "1.", "2.", "区人民政府：", "台州市椒江区人大常委会",
             "2022年11月15日", "二〇一八年五月十一日", "十三月", "听取和审议了", "第五次会议", "附件:", "关于", "的审议意见",
             "。", "，", ":", "\n", " ", "\u3000", "99999999个月内", "〇〇〇〇年二月三十日", "12月底前"]
paragraph = st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=6)), max_size=10).map("".join)


@settings(max_examples=300, deadline=None)
@given(st.lists(paragraph, max_size=14), st.one_of(paragraph, st.just("")))
def test_arbitrary_text_never_raises_nor_loses_text(paragraphs, title):
    assert_sound(paragraphs, title)


def unseen_markup_page(article, style):
    """The article as CMSs the replica does not imitate render it: paragraphs split into
    Word's spans, or one block with <br> between lines, full-width indents, signature on the right."""
    if style == "word":
        def paragraph(text):
            half = len(text) // 2
            return (f'<p class="MsoNormal" style="text-indent:32.0pt"><span style="font-family:仿宋_GB2312">{escape(text[:half])}'
                    f'</span><span lang="EN-US">{escape(text[half:])}</span></p>')
        body = "\n".join(paragraph(text) for text in expected_paragraphs(article))
    else:
        lines = [f'<div style="text-align:right">{escape(text)}</div>' if kind == "signature" else f"&emsp;&emsp;{escape(text)}<br/>"
                 for kind, text in ((section["kind"], text) for section in article.sections for text in section["paragraphs"])]
        lines += [f'附件：<a href="/files/{n}.doc">{escape(a["name"])}</a><br/>' for n, a in enumerate(article.attachments)]
        body = '<font face="仿宋_GB2312" size="4">' + "\n".join(lines) + "</font>"
    return (f'<html><head><meta charset="utf-8"><title>{escape(article.title)}_椒江人大</title></head><body>'
            f'<div class="nav"><a href="/">首页</a> &gt; <a href="/col/5">审议意见</a></div>'
            f'<div class="detail"><h2>{escape(article.title)}</h2>'
            f'<div class="meta">发布日期：{article.published} &nbsp; 浏览次数：{article.views}</div>'
            f'<div class="TRS_Editor">{body}</div><div class="pn">上一篇：没有了</div></div></body></html>').encode("utf-8")


@pytest.mark.parametrize("style", ["word", "br"])
def test_markup_never_seen(table_site, style):
    for article in table_site.opinions():
        record = parse_article(unseen_markup_page(article, style), "http://example.org/a.html").to_dict()
        expected = expected_sections(article)
        if style == "br" and article.attachments:  # written with a full-width colon here
            expected[-1]["text"] = expected[-1]["text"].replace("附件:", "附件：")
        assert comparable(record["sections"]) == comparable(expected), article.title
        assert record["facts"] == article.facts, article.title


@pytest.mark.parametrize("first, second", [("一是", "二是"), ("一、", "二、"), ("（一）", "（二）"), ("1.", "2."), ("(1)", "(2)")])
def test_each_paragraph_marker_numbers_the_items(first, second):
    lead, items = enumerate_items(f"会议提出如下意见:\n{first}加强监督。\n{second}完善制度。")
    assert lead == "会议提出如下意见:"
    assert [(item["ordinal"], item["text"]) for item in items] == [(1, f"{first}加强监督。"), (2, f"{second}完善制度。")]


# Wordings of other counties and cities (a test bed of 31 opinions written after their documents
# found these; the texts below are shortened).
@pytest.mark.parametrize("opening", ["审议认为，县政府高度重视。", "常委会组成人员在审议中一致认为，县政府高度重视。",
                                     "常委会组成人员和列席人员认为，县政府高度重视。", "审议中，常委会组成人员认为，县政府高度重视。"])
def test_other_openings_of_the_assessment(opening):
    sections = sections_of("县人民政府：", "2023年6月28日，县人大常委会第十二次会议听取和审议了县政府的报告。", opening,
                           "会议指出，还存在不足。")
    assert [s["kind"] for s in sections] == ["addressee", "preamble", "assessment", "problems"]


@pytest.mark.parametrize("opening", ["现将常委会组成人员的审议意见综合如下：", "为此，建议县人民政府："])
def test_other_openings_of_the_opinions(opening):
    sections = sections_of("县人民政府：", "2023年6月28日，县人大常委会第十二次会议听取和审议了县政府的报告。", opening,
                           "1.加强规划。", "2.加大投入。")
    assert [s["kind"] for s in sections] == ["addressee", "preamble", "opinions"]
    assert [item["heading"] for item in sections[2]["items"]] == ["加强规划", "加大投入"]


def test_a_request_to_report_back_by_other_words_closes_and_an_opinions_report_does_not():
    sections = sections_of(
        "会议要求：", "（一）县人民政府每年要向县人大常委会书面报告政府债务情况。", "（二）加强监管。",
        "县人民政府应当自收到审议意见之日起两个月以内，将研究处理情况以书面形式报告县人大常委会。", "县人大常委会", "2023年5月9日")
    assert [s["kind"] for s in sections] == ["opinions", "closing", "signature"]
    facts = document_facts(sections)
    assert (facts["report_deadline"], facts["report_due"]) == ("两个月以内", "2023-07-09")


@pytest.mark.parametrize("preamble, meeting, date", [
    ("在2023年6月28日召开的缙云县第十七届人大常委会第十二次会议上，常委会组成人员听取和审议了县政府的报告。",
     "缙云县第十七届人大常委会第十二次会议", "2023-06-28"),
    ("2023年6月27日至28日，县第十七届人大常委会第十二次会议听取和审议了县政府的报告。", "县第十七届人大常委会第十二次会议", "2023-06-27"),
    ("县第十七届人大常委会第二十三次主任会议于2023年5月15日听取和审议了县政府的报告。", "县第十七届人大常委会第二十三次主任会议", "2023-05-15"),
])
def test_other_ways_of_naming_the_meeting(preamble, meeting, date):
    facts = document_facts(split_sections(["县人民政府：", preamble, "会议认为，好。"]))
    assert (facts["meeting"], facts["meeting_date"]) == (meeting, date)


def test_the_meeting_of_a_preamble_that_opens_the_opinions_is_read():
    sections = split_sections(["县人民政府：", "2023年10月25日，德清县第十七届人大常委会第十四次会议听取和审议了县政府的报告，并提出了以下审议意见：",
                               "一、加强规划。", "二、加大投入。"])
    facts = document_facts(sections)
    assert (facts["meeting"], facts["meeting_date"]) == ("德清县第十七届人大常委会第十四次会议", "2023-10-25")


@pytest.mark.parametrize("closing, deadline, due", [
    ("以上审议意见请县政府研究处理，并于2024年6月底向县人大常委会书面报告。", "2024年6月底", "2024-06-30"),
    ("以上审议意见请县政府研究处理，并于11月30日前向县人大常委会书面报告。", "11月30日前", "2023-11-30"),
    ("以上审议意见请县政府研究处理，并于3月1日前向县人大常委会书面报告。", "3月1日前", "2024-03-01"),
    # The next sitting's day is not known when the opinion is signed.
    ("以上审议意见请县政府研究处理，并在下次常委会会议前向县人大常委会书面报告。", "下次常委会会议前", None),
    ("请县政府认真研究办理，于常委会下一次会议召开前报告研究处理情况。", "下一次会议召开前", None),
])
def test_other_deadlines(closing, deadline, due):
    facts = document_facts(split_sections(["会议认为，好。", closing, "县人大常委会", "2023年8月10日"]))
    assert (facts["report_deadline"], facts["report_due"]) == (deadline, due)


def test_an_issuer_with_no_date_under_it_then_the_copies_line_signs():
    sections = split_sections(["会议认为，好。", "以上审议意见请县政府研究处理。", "遂昌县人大常委会", "抄送：县政协办公室。"])
    assert [s["kind"] for s in sections] == ["assessment", "closing", "signature", "other"]
    assert document_facts(sections)["issuer"] == "遂昌县人大常委会"


def test_a_header_that_names_the_document_and_a_preamble_that_names_no_meeting():
    title = "关于对市人民政府全市数字经济发展情况报告的审议意见"
    sections = split_sections(["审议意见书", "龙人大常审〔2023〕3号", "市人民政府：",
                               "2023年6月29日，市人大常委会听取和审议了市政府的报告。", "会议认为，好。"], title)
    assert [s["kind"] for s in sections] == ["heading", "addressee", "preamble", "assessment"]
    facts = document_facts(sections, title)
    assert (facts["addressee"], facts["subject"]) == ("市人民政府", "市人民政府全市数字经济发展情况报告")


@pytest.mark.parametrize("opening", ["同时也要清醒地看到，工作还存在一些不足。", "存在的主要问题：", "会议在肯定成绩的同时，也指出了存在的问题。"])
def test_other_openings_of_the_problems(opening):
    sections = sections_of("会议认为，县政府高度重视。", opening, "一是设施不足。", "根据会议审议情况，提出如下审议意见：", "1.加强规划。")
    assert [s["kind"] for s in sections] == ["assessment", "problems", "opinions"]


def test_parts_headed_on_lines_of_their_own():
    sections = sections_of("一、基本评价", "常委会组成人员认为，市政府工作有成效。", "二、存在的主要问题", "（一）规模偏小。", "（二）意愿不强。",
                           "三、意见和建议", "（一）做大做强。", "（二）推进改造。")
    assert [s["kind"] for s in sections] == ["assessment", "problems", "opinions"]
    assert [len(s["items"]) for s in sections[1:]] == [2, 2]


def test_an_opinion_dated_under_its_title_and_signed_nowhere():
    title = "关于全县文物保护工作情况的审议意见"
    sections = split_sections([title, "（2023年7月28日）", "县人民政府：", "会议认为，好。",
                               "以上审议意见请县政府研究处理，并于2023年10月31日前书面报告县人大常委会。"], title)
    facts = document_facts(sections, title)
    assert (facts["signed_date"], facts["report_deadline"], facts["report_due"]) == ("2023-07-28", "2023年10月31日前", "2023-10-31")
    unsigned = document_facts(split_sections(["会议认为，好。", "以上审议意见请县政府于2023年10月31日前书面报告。"]))
    assert (unsigned["signed_date"], unsigned["report_due"]) == (None, "2023-10-31")  # a day of its own needs no signing date
