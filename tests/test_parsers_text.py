"""The parsers' text normaliser: texts that differ only in full-width forms or whitespace match."""

from __future__ import annotations

import random
import unicodedata

from parsers.text import fold, match_key, match_keys


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


def test_fold_is_nfkc_wherever_it_cuts_the_text():
    # fold normalizes piece by piece (at line breaks and NULs) what its short cuts leave: the
    # result must be NFKC of the whole, whatever marks, jamo or compatibility forms sit at the cuts.
    rng = random.Random(17)
    pool = ([chr(code) for code in range(0x4E00, 0x4E20)] + [chr(code) for code in range(0xFF01, 0xFF5F)] + list("aeAE1,.: \n\x00\u3000")
            + list("\u0301\u0308\u0323\u0327\u1100\u1161\u11a8\uac00\u2460\u00bd\u2122\u33a1\u2026\uf900\ufb01\u212b\u1e9b\u0344\u3099\u304b\uff76\uff9e"))
    for _ in range(20000):
        text = "".join(rng.choice(pool) for _ in range(rng.randrange(40)))
        assert fold(text) == unicodedata.normalize("NFKC", text), repr(text)
    body = "\n".join(["会议认为，区政府高度重视。"] * 500 + ["③加强监督－"] + ["一是加强领导。"] * 500)
    assert fold(body) == unicodedata.normalize("NFKC", body)
