"""Chinese full-text search: tokens, the index kept with the documents, queries and snippets."""

from __future__ import annotations

import json
import sqlite3

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from archive import Archive
from archive.search import search
from archive.tokens import index_text, query_phrases
from npc_archive.exit_codes import NO_ARCHIVE
from tests.old_archives import before, old_archive

TEXTS = {
    "a": ("关于我区学前教育工作情况的审议意见", "会议认为，我区学前教育发展迅速。"),
    "b": ("关于职业教育的审议意见", "要加大对职业教育的投入。"),
    "c": ("关于财政预算执行情况的审议意见", "财政收入增长，教学质量提升。"),
    "d": ("关于剿灭劣V类水工作情况的审议意见", "全区劣Ⅴ类水质断面全部消除。"),
    "e": ("关于IV类水的审议意见", "IV类水体。2022年10月审计。"),
    "f": ("关于审计工作的审议意见", "审计查出的问题要整改到位。教"),
}


def _record(key: str, title: str, body: str) -> dict:
    return {"url": f"http://jjrd.example/{key}", "title": title, "published_at": "2020-01-01T00:00:00+08:00",
            "source": "椒江人大网", "view_count": 1, "body_text": body, "paragraphs": [body]}


def fill(archive: Archive, texts: dict[str, tuple[str, str]]) -> None:
    capture_id, _ = archive.add_capture(url="http://jjrd.example/", status=200, headers=[], body=b"x")
    for key, (title, body) in texts.items():
        archive.save_document(_record(key, title, body), capture_id=capture_id, crawl_id=None)


@pytest.fixture
def archive(tmp_path):
    archive = Archive(tmp_path / "search.db")
    fill(archive, TEXTS)
    yield archive
    archive.close()


def found(archive: Archive, query: str) -> set[str]:
    return {hit.url.rsplit("/", 1)[1] for hit in search(archive.conn, query, limit=100).hits}


def containing(text: str) -> set[str]:
    return {key for key, (title, body) in TEXTS.items() if text in title or text in body}


@pytest.mark.parametrize("query", ["教", "审", "教育", "财政", "审计", "职业教", "教育工", "学前教育", "职业教育", "工作情况"])
def test_chinese_queries_of_one_to_four_characters_find_every_document_containing_them(archive, query):
    assert found(archive, query) == containing(query) != set()


def test_one_character_query_finds_a_character_at_the_end_of_a_run(archive):
    assert "f" in found(archive, "教")  # the body ends with a lone 教


def test_mixed_query_matches_the_word_and_the_characters(archive):
    # Ⅴ (Roman numeral five) and V are one word after normalisation; IV is another word.
    assert found(archive, "V类水") == {"d"}
    assert found(archive, "v类") == {"d"}
    assert found(archive, "IV类水") == {"e"}
    assert found(archive, "2022年10月") == {"e"}


def test_terms_separated_by_spaces_must_all_occur(archive):
    assert found(archive, "财政 教学") == {"c"}
    assert found(archive, "财政 职业") == set()


@pytest.mark.parametrize("query", ['"教育', '教育"', '"教育"', "教育*", "*教育", "-教育", "教育-", "(教育)", "教育 AND", "教育 OR",
                                   "NOT 教育", "NEAR(教育", "NEAR(教育 财政, 2)", "title:教育", "^教育", "教育 +", "'教育'"])
def test_fts5_syntax_in_queries_is_text_not_operators(archive, query):
    words = [word for word in ("and", "or", "not", "near", "title") if word in query.lower()]
    expected = set() if words else containing("教育")
    assert found(archive, query) == expected


@pytest.mark.parametrize("query", ["", "   ", '"', "*", "-", "()", "，。"])
def test_queries_with_nothing_to_search_return_nothing(archive, query):
    results = search(archive.conn, query)
    assert results.total == 0 and results.hits == []


def test_snippet_marks_every_match_in_its_window(archive):
    assert search(archive.conn, "学前 发展").hits[0].snippet == "会议认为，我区[学前]教育[发展]迅速。"
    assert search(archive.conn, "V类水").hits[0].snippet == "全区劣[Ⅴ类水]质断面全部消除。"


def test_snippet_falls_back_to_the_title(archive):
    hit = search(archive.conn, "剿灭").hits[0]
    assert hit.snippet == "关于[剿灭]劣V类水工作情况的审议意见"


def test_title_matches_rank_first(archive):
    assert search(archive.conn, "审计").hits[0].url.endswith("/f")


def test_limit_keeps_the_best_and_total_counts_all(archive):
    results = search(archive.conn, "审议意见", limit=2)
    assert results.total == len(TEXTS) and len(results.hits) == 2


def test_index_follows_document_updates(archive):
    assert found(archive, "财政") == {"c"}
    fill(archive, {"c": ("关于审计的审议意见", "新的正文。")})
    assert found(archive, "财政") == set()
    assert found(archive, "新的正文") == {"c"}


def test_failed_document_write_leaves_the_index_unchanged(archive):
    with pytest.raises(sqlite3.IntegrityError):
        archive.save_document(_record("z", "关于环境保护的审议意见", "环保"), capture_id=999, crawl_id=None)
    assert found(archive, "环境保护") == set()
    assert archive.conn.execute("SELECT count(*) FROM search_index").fetchone()[0] == len(TEXTS)


def test_reindex_rebuilds_from_the_documents(archive):
    archive.conn.execute("UPDATE documents SET title = '关于森林防火的审议意见' WHERE url LIKE '%/a'")
    assert found(archive, "森林防火") == set()
    assert archive.reindex() == len(TEXTS)
    assert found(archive, "森林防火") == {"a"}


def test_older_archive_is_upgraded_with_its_documents_indexed(tmp_path):
    conn = old_archive(tmp_path / "old.db", before("search"))
    conn.execute("INSERT INTO blobs (sha256, size, compression, stored_size, data) VALUES ('0', 1, 'none', 1, x'00')")
    conn.execute("INSERT INTO snapshots (url, fetched_at, status, headers, sha256, size) VALUES ('u', 't', 200, '[]', '0', 1)")
    conn.execute("INSERT INTO documents (url, title, body_text, paragraphs, snapshot_id, first_seen_at, last_seen_at) "
                  "VALUES ('http://jjrd.example/old', '关于教育的审议意见', '正文', '[]', 1, 't', 't')")
    conn.close()
    archive = Archive(tmp_path / "old.db")
    try:
        assert found(archive, "教育") == {"old"}
        assert archive.conn.execute("SELECT count(*) FROM audits").fetchone()[0] == 0
        assert archive.conn.execute("SELECT year, documents FROM documents_by_year").fetchall() == [(None, 1)]
    finally:
        archive.close()


CJK_SAMPLE = "教育财政审计学前职业"
texts = st.text(alphabet=CJK_SAMPLE + "V2，。 \n", max_size=40)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(documents=st.lists(st.tuples(texts, texts), min_size=1, max_size=6),
       query=st.text(alphabet=CJK_SAMPLE, min_size=1, max_size=4))
def test_chinese_query_finds_exactly_the_documents_containing_it(tmp_path_factory, documents, query):
    generated = {str(i): pair for i, pair in enumerate(documents)}
    archive = Archive(tmp_path_factory.mktemp("prop") / "p.db")
    try:
        fill(archive, generated)
        expected = {key for key, (title, body) in generated.items() if query in title or query in body}
        assert found(archive, query) == expected
    finally:
        archive.close()


def test_index_text_is_one_token_per_character_and_whole_words():
    assert index_text("劣Ⅴ类水质，ＡＢＣ① 2022年") == "劣 v 类水 水质 质 abc1 2022 年"


mixed = st.text(alphabet="教育审计人⼈V2vＶⅤⒶa①1ßİ，。 -\"*", max_size=30)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(documents=st.lists(st.tuples(mixed, mixed), min_size=1, max_size=5), query=mixed)
def test_highlighting_agrees_with_the_index(tmp_path_factory, documents, query):
    generated = {str(i): pair for i, pair in enumerate(documents)}
    archive = Archive(tmp_path_factory.mktemp("prop") / "p.db")
    try:
        fill(archive, generated)
        phrases = query_phrases(query)
        highlighted = {key for key, (title, body) in generated.items()
                       if phrases and all(phrase.spans(title) or phrase.spans(body) for phrase in phrases)}
        assert found(archive, query) == highlighted
    finally:
        archive.close()


def test_search_command_table_and_json(tmp_path, archive, cli):
    table = cli("search", "--db", archive.path, "职业教育")
    assert table.output.splitlines()[0] == "1 document matches 职业教育"
    assert "[职业教育]" in table.output and "http://jjrd.example/b" in table.output
    result = cli("search", "--db", archive.path, "审议意见", "--limit", "2", "--format", "json")
    payload = json.loads(result.output)
    assert payload["total"] == len(TEXTS) and len(payload["hits"]) == 2
    assert set(payload["hits"][0]) == {"id", "url", "title", "published_at", "source", "score", "snippet"}


def test_search_command_refuses_a_missing_archive(tmp_path, cli):
    result = cli("search", "--db", tmp_path / "none.db", "教育", check=False)
    assert result.exit_code == NO_ARCHIVE and "no archive" in result.output
    assert not (tmp_path / "none.db").exists()


@pytest.mark.parametrize("word", ["教育", "教", "审计", "学前教育", "人大常委会"])
def test_search_of_a_real_crawl_finds_exactly_the_documents_containing_the_word(recrawled, word):
    _, db = recrawled
    archive = Archive(db)
    try:
        expected = {url for (url,) in archive.conn.execute(
            "SELECT url FROM documents WHERE instr(title, ?) OR instr(body_text, ?)", (word, word))}
        results = search(archive.conn, word, limit=10_000)
        assert {hit.url for hit in results.hits} == expected != set()
        assert results.total == len(expected)
        assert all(f"[{word}]" in hit.snippet for hit in results.hits)
    finally:
        archive.close()


def test_fast_folding_equals_folding_every_character():
    from archive.tokens import _FOLDING, fold
    characters = "".join(chr(code) for code in range(0x10000) if not 0xD800 <= code < 0xE000)
    assert fold(characters) == characters.translate(_FOLDING)
