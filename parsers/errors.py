"""Typed errors raised by the parsers."""


class ParseError(ValueError):
    """A page could not be parsed; ``reason`` is a short machine-readable code."""

    def __init__(self, reason: str, detail: str = "") -> None:
        self.reason = reason
        self.detail = detail
        super().__init__(f"{reason}: {detail}" if detail else reason)


class NotAnArticle(ParseError):
    """The page is not an article page (error page, soft 404, list page...)."""


class DecodeError(ParseError):
    """The bytes could not be decoded as text in any plausible encoding."""
