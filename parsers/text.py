"""The parsers' text normaliser: what texts are matched and compared by.

NFKC folds the full-width forms of Chinese text (``：`` -> ``:``, ``１`` -> ``1``), so a cue
or a title matches however the page typed its punctuation and digits. (What a reader sees,
whitespace collapsed as a browser does, is ``lines.clean_text``: that text is kept, this is
only compared.)
"""

from __future__ import annotations

import re
import unicodedata

# The full-width punctuation of Chinese text, as NFKC folds it. Replacing it first gives the
# same NFKC result, and leaves most paragraphs already normalized, which NFKC then sees by a
# quick check instead of decomposing every character (10x faster). Rarer forms are left to NFKC.
_COMMON_FULL_WIDTH = [(char, unicodedata.normalize("NFKC", char)) for char in "，：；（）！？　"]


# The rest of the full-width ASCII forms (％, －, digits, letters): NFKC gives their ASCII twin.
_FULL_WIDTH_ASCII = re.compile("[\uff01-\uff5e]")
# Where a text may be cut and each piece folded alone: NFKC neither composes nor reorders across
# a line break or a NUL.
_PIECE_END = re.compile("([\n\x00])")


def _ascii_twin(match: re.Match[str]) -> str:
    return chr(ord(match.group()) - 0xFEE0)


def fold(text: str) -> str:
    """``text`` after NFKC, which folds full-width forms."""
    if unicodedata.is_normalized("NFKC", text):  # most lines and labels: a quick check, no copies
        return text
    for full_width, folded in _COMMON_FULL_WIDTH:
        text = text.replace(full_width, folded)
    if unicodedata.is_normalized("NFKC", text):
        return text
    # NFKC costs some 350 ns a Chinese character once it cannot skip a text: fold what is left in
    # the pieces that need it (a stray ③ in a 12,000-character body cost 3 ms).
    text = _FULL_WIDTH_ASCII.sub(_ascii_twin, text)
    if unicodedata.is_normalized("NFKC", text):
        return text
    return "".join(piece if unicodedata.is_normalized("NFKC", piece) else unicodedata.normalize("NFKC", piece)
                   for piece in _PIECE_END.split(text))


def match_key(text: str) -> str:
    """``text`` folded and without whitespace (str.split's whitespace is regex ``\\s``; it is
    3x faster): two texts that differ only there match."""
    return "".join(fold(text).split())


def match_keys(texts: list[str]) -> list[str]:
    """``match_key`` of each text, folded and stripped of whitespace in one pass over them all (a
    paragraph's fold is mostly its calls' overhead). A NUL stands between them: NFKC neither makes
    one nor composes across one, so each text folds as it would alone, and it is no whitespace,
    so it outlasts the whitespace's removal. A text with a NUL of its own is keyed alone."""
    if not texts:
        return []
    joined = "\x00".join(texts)
    if joined.count("\x00") != len(texts) - 1:
        return [match_key(text) for text in texts]
    return "".join(fold(joined).split()).split("\x00")
