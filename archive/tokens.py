"""Search tokens for Chinese text: one token per CJK character, other words kept whole.

Text is first folded character by character (NFKC, then case-folded: full-width ``Ｖ`` and
Roman ``Ⅴ`` become ``v``), keeping its length so positions stay those of the original. Each
CJK character then becomes the bigram it starts (itself and the next character of the same
run) or, at the end of a run, itself alone. Tokens thus sit one per character position and
any substring of a run is a phrase of consecutive tokens: 教育 is the token 教育, 学前教育
the phrase 学前 前教 教育, a lone 教 the prefix 教*. Words of letters and digits (``v``,
``2022``) are one token each. Everything else separates.

A query term compiles to the FTS5 phrase and to a regular expression with the same meaning
over folded text, which finds what to highlight.
"""

from __future__ import annotations

import re
import unicodedata
from typing import NamedTuple

# Han (with 々 〇 and Hangzhou numerals), kana, Hangul: scripts written without spaces.
_CJK = "\u3005\u3007\u3021-\u3029\u3038-\u303b\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff\U00020000-\U0003134f"
_WORD_CHAR = f"[^\\W_{_CJK}]"
_UNIT = re.compile(f"(?P<cjk>[{_CJK}]+)|(?P<word>{_WORD_CHAR}+)")
_SEPARATORS = r"[\W_]*"


class _Folding(dict):
    """str.translate table filled on first use: a character's NFKC case fold when that is one character."""

    def __missing__(self, code: int) -> str:
        char = chr(code)
        folded = unicodedata.normalize("NFKC", char).casefold()
        self[code] = folded if len(folded) == 1 else char
        return self[code]


_FOLDING = _Folding()
# Characters folding leaves as they are (common Han, lower-case ASCII, digits, ASCII punctuation, line
# breaks) are skipped, which makes folding Chinese text several times faster.
_NEEDS_FOLDING = re.compile("[^a-z0-9 \t\r\n!-@\\[-`{-~\u3400-\u4dbf\u4e00-\u9fff]+")


def fold(text: str) -> str:
    return _NEEDS_FOLDING.sub(lambda match: match.group().translate(_FOLDING), text)


def _units(text: str) -> list[tuple[bool, str]]:
    """(is_cjk, text) of each CJK run and each word of folded text."""
    return [(match.lastgroup == "cjk", match.group()) for match in _UNIT.finditer(fold(text))]


def _tokens(units: list[tuple[bool, str]]) -> list[str]:
    tokens: list[str] = []
    for is_cjk, text in units:
        if is_cjk:
            tokens += [text[i:i + 2] for i in range(len(text))]
        else:
            tokens.append(text)
    return tokens


def index_text(text: str) -> str:
    """What the index stores for a text: its tokens separated by spaces."""
    return " ".join(_tokens(_units(text)))


class Phrase(NamedTuple):
    """Consecutive tokens; with ``prefix`` the last one need only begin the document's token."""

    tokens: tuple[str, ...]
    prefix: bool
    pattern: re.Pattern  # the same match over folded text

    def fts5(self) -> str:
        # Tokens hold only letters and digits, so quoting them cannot inject FTS5 syntax.
        return '"' + " ".join(self.tokens) + '"' + ("*" if self.prefix else "")

    def spans(self, text: str) -> list[tuple[int, int]]:
        """Where the phrase occurs in ``text`` (positions in ``text`` itself)."""
        return [match.span() for match in self.pattern.finditer(fold(text))]


def query_phrases(query: str) -> list[Phrase]:
    """One phrase per whitespace-separated term; punctuation and FTS5 operators are plain separators."""
    phrases = []
    for term in query.split():
        units = _units(term)
        if not units:
            continue
        tokens = _tokens(units)
        ends_in_cjk, last = units[-1]
        prefix = ends_in_cjk and len(last) == 1  # a lone character: the bigram it starts, or itself at a run's end
        if ends_in_cjk and not prefix:
            tokens.pop()  # already in the bigram before it; the document's run may go on
        phrases.append(Phrase(tuple(tokens), prefix, re.compile(_pattern(units))))
    return phrases


def _pattern(units: list[tuple[bool, str]]) -> str:
    parts = []
    for position, (is_cjk, text) in enumerate(units):
        if not is_cjk:
            parts.append(f"(?<!{_WORD_CHAR}){re.escape(text)}(?!{_WORD_CHAR})")
        elif position < len(units) - 1:
            parts.append(f"{re.escape(text)}(?![{_CJK}])")  # the term goes on: the document's run must end here
        else:
            parts.append(re.escape(text))
    return _SEPARATORS.join(parts)
