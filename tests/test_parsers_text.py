"""The parsers' text normaliser: texts that differ only in full-width forms or whitespace match."""

from __future__ import annotations

from parsers.text import match_key, match_keys


def test_match_key_folds_full_width_forms_and_drops_whitespace():
    assert match_key("会议认为：　１、加强监督（试行）") == "会议认为:1、加强监督(试行)"
    assert match_key(" 椒江区 人大\u00a0常委会 ") == "椒江区人大常委会"


def test_match_keys_are_each_texts_own_key():
    # Folded in one pass: a combining mark or a Hangul vowel that opens a text must not join the
    # text before it, and compatibility forms fold in every text alike.
    texts = ["会议指出，", "\u0301e", "\u1100", "\u1161한", "㈠加强ﬁ", "ｶﾞ\u3099", "提出如下审议意见：", "a\u2028b\u0085c"]
    assert match_keys(texts) == [match_key(text) for text in texts]
    assert match_keys(["一\n二", "三"]) == ["一二", "三"]  # a newline inside a text is whitespace, dropped
    assert match_keys(["一\x00二", "三 "]) == ["一\x00二", "三"]  # a text with its own NUL (the separator) is keyed alone


def test_match_keys_of_no_texts_is_no_keys():
    assert match_keys([]) == []
