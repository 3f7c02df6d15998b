"""What a page's scripts compute where a pager needs it: the small expressions that join a
page's URL (``p == 1 ? 'index.html' : 'index_' + p + '.html'``), the ``var``s they name, the
options of a widget's call and the body of the function a link calls.

Nothing here runs a script: an expression of strings, numbers, names, ``+ - * / %``,
comparisons, ``?:``, ``parseInt``/``Number``/``String`` and the value of a form field
(``$('#id').val()``, ``document.getElementById('id').value``) is evaluated; anything else
is unknown (None), and the pager that needs it is reported as unread.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Mapping

Value = str | int

_GAP = r"(?:\s|//[^\n]*|/\*.*?\*/)*"  # spaces and comments
_TOKEN = re.compile(_GAP + r"""(?:
    (?P<field>(?:\$|jQuery)\(\s*(?P<q1>['"])\#(?P<id1>[\w-]+)(?P=q1)\s*\)\.val\(\s*\)
             |document\.getElementById\(\s*(?P<q2>['"])(?P<id2>[\w-]+)(?P=q2)\s*\)\.value)
    |(?P<number>\d+(?:\.\d+)?)
    |(?P<string>'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*")
    |(?P<op>===|!==|==|!=|<=|>=|[-+*/%?:(),<>])
    |(?P<name>[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)*(?:\(\s*\))?)
    |(?P<end>\Z))""", re.X | re.S)
_FUNCTIONS = {"parseInt", "Number", "String", "encodeURI", "encodeURIComponent", "escape"}
MAX_DEPTH = 32
_COMPARISONS = {"==", "===", "!=", "!==", "<", "<=", ">", ">="}


class _Unknown(Exception):
    """The expression needs what the page does not say (a name no ``var`` gives, a construct not read)."""


def _tokens(expression: str) -> list[tuple[str, str]]:
    tokens, position = [], 0
    expression = expression.strip()
    while position < len(expression):
        match = _TOKEN.match(expression, position)
        if match is None or match.end() == position:
            raise _Unknown(expression[position:position + 20])
        kind = match.lastgroup
        if kind == "end":  # a comment after the expression
            break
        text = match.group("id1") or match.group("id2") if kind == "field" else match.group(kind)
        tokens.append((kind, text))
        position = match.end()
    return tokens


class _Reader:
    """A recursive-descent reading of one expression's tokens, JavaScript's precedence and ``+``."""

    def __init__(self, tokens: list[tuple[str, str]], names: Mapping[str, Value], field: Callable[[str], str | None]):
        self.tokens, self.position, self.names, self.field = tokens, 0, names, field
        self.depth = 0

    def peek(self) -> str | None:
        return self.tokens[self.position][1] if self.position < len(self.tokens) and self.tokens[self.position][0] == "op" else None

    def take(self, op: str) -> None:
        if self.peek() != op:
            raise _Unknown(op)
        self.position += 1

    def expression(self) -> Value:
        self.depth += 1
        if self.depth > MAX_DEPTH:  # a page's brackets nested past any URL's
            raise _Unknown("nesting")
        condition = self.comparison()
        if self.peek() != "?":
            self.depth -= 1
            return condition
        self.take("?")
        chosen = self.expression()
        self.take(":")
        other = self.expression()
        self.depth -= 1
        return chosen if _truthy(condition) else other

    def comparison(self) -> Value:
        left = self.additive()
        op = self.peek()
        if op not in _COMPARISONS:
            return left
        self.position += 1
        right = self.additive()
        if op in ("==", "===", "!=", "!=="):
            same = str(left) == str(right) if op in ("==", "!=") else left == right
            return int(same == (op in ("==", "===")))
        a, b = _number(left), _number(right)
        return int({"<": a < b, "<=": a <= b, ">": a > b, ">=": a >= b}[op])

    def additive(self) -> Value:
        value = self.multiplicative()
        while (op := self.peek()) in ("+", "-"):
            self.position += 1
            other = self.multiplicative()
            if op == "+" and (isinstance(value, str) or isinstance(other, str)):
                value = f"{value}{other}"
            else:
                value = _number(value) + _number(other) if op == "+" else _number(value) - _number(other)
        return value

    def multiplicative(self) -> Value:
        value = self.unary()
        while (op := self.peek()) in ("*", "/", "%"):
            self.position += 1
            other = _number(self.unary())
            if other == 0 or (op == "/" and _number(value) % other):
                raise _Unknown("a fraction")  # page numbers and offsets are whole
            value = _number(value) * other if op == "*" else _number(value) // other if op == "/" else _number(value) % other
        return value

    def unary(self) -> Value:
        signs = 0
        while self.peek() == "-":
            self.position += 1
            signs += 1
        value = self.primary()
        return (-1) ** signs * _number(value) if signs else value

    def primary(self) -> Value:
        if self.position >= len(self.tokens):
            raise _Unknown("the end")
        kind, text = self.tokens[self.position]
        self.position += 1
        if kind == "op" and text == "(":
            value = self.expression()
            self.take(")")
            return value
        if kind == "number":
            if "." in text:
                raise _Unknown(text)
            return int(text)
        if kind == "string":
            return re.sub(r"\\(.)", r"\1", text[1:-1])
        if kind == "field":
            value = self.field(text)
            if value is None:
                raise _Unknown(f"#{text}")
            return value
        if kind == "name" and text in _FUNCTIONS and self.peek() == "(":
            self.take("(")
            value = self.expression()
            if self.peek() == ",":  # parseInt(x, 10)
                self.take(",")
                self.expression()
            self.take(")")
            return _number(value) if text in ("parseInt", "Number") else str(value)
        if kind == "name" and text in self.names:
            return self.names[text]
        raise _Unknown(text)


def _number(value: Value) -> int:
    if isinstance(value, int):
        return value
    if re.fullmatch(r"\s*-?\d+\s*", value):
        return int(value)
    raise _Unknown(repr(value))


def _truthy(value: Value) -> bool:
    return value not in (0, "")


def _no_field(_: str) -> str | None:
    return None


def evaluate(expression: str, names: Mapping[str, Value], field: Callable[[str], str | None] = _no_field) -> Value | None:
    """The value of a script's ``expression``, ``names`` giving its names' values and ``field`` a form
    field's by its id; None where it needs anything else."""
    try:
        reader = _Reader(_tokens(expression), names, field)
        value = reader.expression()
        return value if reader.position == len(reader.tokens) else None
    except _Unknown:
        return None


def url_of(expression: str, names: Mapping[str, Value], field: Callable[[str], str | None] = _no_field) -> str | None:
    """``evaluate`` of an expression that makes a URL: a string, or None."""
    value = evaluate(expression, names, field)
    return value if isinstance(value, str) and value else None


_VAR = re.compile(r"\b(?:var|let|const)\s+([A-Za-z_$][\w$]*)\s*=\s*(?![=>])")
_NEXT_DECLARATION = re.compile(r",\s*([A-Za-z_$][\w$]*)\s*=\s*(?![=>])")


def variables(scripts: list[str], field: Callable[[str], str | None] = _no_field) -> dict[str, Value]:
    """The page's ``var``s whose value can be read, in the scripts' order, each able to name the ones before."""
    names: dict[str, Value] = {}
    for script in scripts:
        for match in _VAR.finditer(script):
            name, position = match.group(1), match.end()
            while True:  # var pages = 6, now = 3;
                expression = _statement_end(script, position)
                value = evaluate(expression, names, field)
                if value is not None:
                    names.setdefault(name, value)
                following = _NEXT_DECLARATION.match(script, position + len(expression))
                if following is None:
                    break
                name, position = following.group(1), following.end()
    return names


def _scan(text: str, start: int) -> Iterator[tuple[int, str, int]]:
    """(position, character, bracket depth) of the characters of ``text`` from ``start`` that no
    string and no ``//`` comment holds."""
    depth, quote, position = 0, None, start
    while position < len(text):
        char = text[position]
        if quote:
            if char == "\\":
                position += 1
            elif char == quote:
                quote = None
        elif char in "'\"":
            quote = char
        elif char == "/" and text.startswith("//", position) and text[position - 1:position] != ":":
            position = text.find("\n", position)
            if position < 0:
                return
            continue
        else:
            if char in ")]}":
                depth -= 1
            yield position, char, depth
            if char in "([{":
                depth += 1
        position += 1


def until(text: str, start: int, stops: str) -> str:
    """The text from ``start`` to the first of ``stops`` outside brackets, or to a bracket it did not open."""
    for position, char, depth in _scan(text, start):
        if depth < 0 or (depth == 0 and char in stops):
            return text[start:position]
    return text[start:]


def _statement_end(text: str, start: int) -> str:
    """A statement's expression from ``start``: to its ``;``, its line's end or a ``,``."""
    return until(text, start, ";,\n")


def block_after(text: str, start: int) -> str | None:
    """The text inside the braces that open at or after ``start`` (a function's body, an object's entries)."""
    opening = text.find("{", start)
    if opening < 0:
        return None
    for position, char, depth in _scan(text, opening + 1):
        if depth < 0:
            return text[opening + 1:position] if char == "}" else None
    return None


_ENTRY = re.compile(rf"""(?:^|,){_GAP}['"]?([A-Za-z_$][\w$]*)['"]?\s*:\s*""", re.S)


def object_entries(text: str) -> dict[str, str]:
    """The entries of an object literal's text (what its braces hold): each key with its value's
    expression as written (a function's whole), the first of a repeated key."""
    entries: dict[str, str] = {}
    position = 0
    while (match := _ENTRY.match(text, position)) is not None:
        value = until(text, match.end(), ",")
        entries.setdefault(match.group(1), value.strip())
        position = match.end() + len(value)
    return entries


def function_body(scripts: list[str], name: str) -> tuple[list[str], str] | None:
    """(The parameters, the body) of the page's function ``name`` (``function name(p) {…}``,
    ``name = function (p) {…}``)."""
    header = re.compile(rf"(?:\bfunction\s+{re.escape(name)}|\b{re.escape(name)}\s*=\s*function)\s*\(([^)]*)\)")
    for script in scripts:
        found = header.search(script)
        if found:
            body = block_after(script, found.end())
            if body is not None:
                return [parameter.strip() for parameter in found.group(1).split(",") if parameter.strip()], body
    return None


# Where a script sends the browser: location.href = …, location.assign(…), window.open(…), return … (a callback's URL).
_GOES_TO = re.compile(r"(?:\blocation(?:\.href)?\s*=(?!=)|\blocation\.(?:assign|replace)\s*\(|\bwindow\.open\s*\(|\breturn\b)\s*")


def destinations(body: str, names: Mapping[str, Value], field: Callable[[str], str | None] = _no_field) -> Iterator[str]:
    """The URLs a function's ``body`` can send the browser to, in its order, its own ``var``s
    (var url = …;) read on the way."""
    local = dict(names)
    marks = sorted([(match.start(), match) for match in _VAR.finditer(body)] + [(match.start(), match) for match in _GOES_TO.finditer(body)],
                   key=lambda mark: mark[0])
    for _, match in marks:
        expression = _statement_end(body, match.end()).strip()
        if match.re is _VAR:
            value = evaluate(expression, local, field)
            if value is not None:
                local[match.group(1)] = value
        else:
            url = url_of(expression, local, field)
            if url:
                yield url


def destination_of_page(body: str, names: Mapping[str, Value], keys: Iterable[str], number: int,
                        field: Callable[[str], str | None] = _no_field) -> str | None:
    """The URL a function's ``body`` goes to for page ``number`` (``keys`` naming it): of its
    destinations, the first that changes with the page, not the first page's own URL
    (if (p == 1) location.href = 'index.html'; else location.href = 'index_' + p + '.html')."""
    keys = tuple(keys)
    at = destinations(body, {**names, **dict.fromkeys(keys, number)}, field)
    after = destinations(body, {**names, **dict.fromkeys(keys, number + 1)}, field)
    return next((url for url, other in zip(at, after) if url != other), None)
