"""The parsers' text normaliser: what texts are matched and compared by.

NFKC folds the full-width forms of Chinese text (``：`` -> ``:``, ``１`` -> ``1``), so a cue
or a title matches however the page typed its punctuation and digits. (What a reader sees,
whitespace collapsed as a browser does, is ``lines.clean_text``: that text is kept, this is
only compared.)
"""

from __future__ import annotations

import unicodedata

# The full-width punctuation of Chinese text, as NFKC folds it. Replacing it first gives the
# same NFKC result, and leaves most paragraphs already normalized, which NFKC then sees by a
# quick check instead of decomposing every character (10x faster). Rarer forms are left to NFKC.
_COMMON_FULL_WIDTH = [(char, unicodedata.normalize("NFKC", char)) for char in "，：；（）！？　"]


def fold(text: str) -> str:
    """``text`` after NFKC, which folds full-width forms."""
    if unicodedata.is_normalized("NFKC", text):  # most lines and labels: a quick check, no copies
        return text
    for full_width, folded in _COMMON_FULL_WIDTH:
        text = text.replace(full_width, folded)
    return unicodedata.normalize("NFKC", text)


def match_key(text: str) -> str:
    """``text`` folded and without whitespace (str.split's whitespace is regex ``\\s``; it is
    3x faster): two texts that differ only there match."""
    return "".join(fold(text).split())
