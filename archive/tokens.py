"""Search tokens for Chinese text: one token per CJK character, ASCII-style words kept whole.

Each CJK character becomes the bigram it starts (itself and the next character of the same
run) or, at the end of a run, itself alone. Tokens therefore sit one per character position,
so a run of query characters is a phrase of consecutive tokens, and any substring of a run
is found: 教育 is the token 教育, 学前教育 the phrase 学前 前教 教育, a lone 教 the prefix
教*. Words of letters and digits (``V``, ``2022``) are single tokens, NFKC-normalised and
case-folded (full-width ``Ｖ`` and ``Ⅴ`` both become ``v``). Everything else separates.

The same functions tokenize documents for the index, queries for MATCH and documents again
to find what to highlight, so the three cannot disagree.
"""

from __future__ import annotations

import re
import unicodedata
from typing import NamedTuple

# Han (with 々 〇 and Hangzhou numerals), kana, Hangul: scripts written without spaces.
_CJK = "\u3005\u3007\u3021-\u3029\u3038-\u303b\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff\U00020000-\U0003134f"
_UNIT = re.compile(f"(?P<cjk>[{_CJK}]+)|(?P<word>[^\\W_{_CJK}]+)")
_WORD = re.compile(f"[^\\W_{_CJK}]+")
_CJK_CHAR = re.compile(f"[{_CJK}]")


class Token(NamedTuple):
    text: str
    start: int  # span in the original text, for highlighting
    end: int

    @property
    def is_cjk_unigram(self) -> bool:
        return len(self.text) == 1 and _CJK_CHAR.match(self.text) is not None


class Phrase(NamedTuple):
    """Consecutive tokens; with ``prefix`` the last one need only start the document's token."""

    tokens: tuple[str, ...]
    prefix: bool

    def fts5(self) -> str:
        # Tokens hold only letters and digits, so quoting them cannot inject FTS5 syntax.
        return '"' + " ".join(self.tokens) + '"' + ("*" if self.prefix else "")


def _nfkc(text: str) -> str:
    normal = unicodedata.normalize("NFKC", text)
    # Compatibility ideographs map one to one; anything else that changes length keeps its form
    # so that token positions stay those of the original text.
    return normal if len(normal) == len(text) else text


def tokenize(text: str) -> list[Token]:
    tokens: list[Token] = []
    for match in _UNIT.finditer(text):
        start, run = match.start(), match.group()
        if match.lastgroup == "cjk":
            run = _nfkc(run)
            tokens.extend(Token(run[i:i + 2], start + i, start + min(i + 2, len(run))) for i in range(len(run)))
        else:
            tokens.extend(Token(word, start, match.end())
                          for word in _WORD.findall(unicodedata.normalize("NFKC", run).casefold()))
    return tokens


def index_text(text: str) -> str:
    """What the index stores for a text: its tokens separated by spaces."""
    return " ".join(token.text for token in tokenize(text))


def query_phrases(query: str) -> list[Phrase]:
    """One phrase per whitespace-separated term; punctuation and FTS5 operators are plain separators."""
    phrases = []
    for term in query.split():
        tokens = tokenize(term)
        if not tokens:
            continue
        words, prefix = [token.text for token in tokens], False
        last = tokens[-1]
        if last.is_cjk_unigram:
            if len(tokens) > 1 and tokens[-2].end == last.end:
                words.pop()  # already covered by the bigram before it; the document's run may go on
            else:
                prefix = True  # a lone character: the bigram it starts, or itself at a run's end
        phrases.append(Phrase(tuple(words), prefix))
    return phrases


def find_phrase(tokens: list[Token], phrase: Phrase) -> list[tuple[int, int]]:
    """Spans in the original text where ``phrase`` occurs among a document's ``tokens``."""
    size, spans = len(phrase.tokens), []
    for i in range(len(tokens) - size + 1):
        window = tokens[i:i + size]
        if all(token.text == word for token, word in zip(window[:-1], phrase.tokens)) and (
            window[-1].text.startswith(phrase.tokens[-1]) if phrase.prefix else window[-1].text == phrase.tokens[-1]
        ):
            last = window[-1]
            spans.append((window[0].start, last.start + len(phrase.tokens[-1]) if phrase.prefix else last.end))
    return spans
