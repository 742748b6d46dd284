"""The results of a sheet's own formulas, for the value a workbook stores with each formula.

A formula cell carries its last result. Excel and WPS calculate again on opening, but
LibreOffice (by default, for xlsx) and viewers that do not calculate (previews, phone apps)
show the stored result, and LibreOffice recalculates later only the cells that depend on an
edited one: a wrong stored result would stay wrong beside a right one. XlsxWriter stores 0
unless told otherwise, so the results are computed here.

The self-assessment template's formulas are few and simple: arithmetic, comparisons, ``&``,
SUM, MIN, MAX, IF, IFERROR, INDEX, MATCH, ROUND, over cells of the same sheet. They are
evaluated as Excel does: a blank cell is 0 in arithmetic and "" in comparisons; SUM, MIN
and MAX skip texts and blanks in references; texts compare without case; a number is less
than any text; errors propagate, and IFERROR catches them. A formula using anything else
raises ``Unknown``: the caller stores no result then (an empty text), never a wrong one.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

TOKEN = re.compile(
    r"""\s*(?:
    (?P<number>\d+(?:\.\d*)?(?:[eE][+-]?\d+)?|\.\d+)
    |(?P<string>"(?:[^"]|"")*")
    |(?P<ref>\$?[A-Z]{1,3}\$?\d+(?::\$?[A-Z]{1,3}\$?\d+)?)(?![A-Za-z(])
    |(?P<name>[A-Za-z][A-Za-z0-9.]*)
    |(?P<op><>|<=|>=|[-+*/^&=<>(),])
    )""",
    re.X,
)
CELL = re.compile(r"\$?([A-Z]{1,3})\$?(\d+)")


class Unknown(Exception):
    """A formula this module cannot evaluate (a function or syntax it does not know)."""


@dataclass(frozen=True)
class Error:
    """A spreadsheet error value (#N/A, #VALUE!, #DIV/0!)."""

    code: str


NA = Error("#N/A")
VALUE = Error("#VALUE!")
DIV0 = Error("#DIV/0!")

Scalar = float | str | bool | None | Error  # None: a blank cell


@dataclass(frozen=True)
class Cells:
    """A rectangle of cells, as a reference names it (a single cell is a 1×1 rectangle)."""

    values: tuple[tuple[Scalar, ...], ...]

    def flat(self) -> Iterator[Scalar]:
        for row in self.values:
            yield from row


Value = Scalar | Cells


def column_number(letters: str) -> int:
    number = 0
    for ch in letters:
        number = number * 26 + ord(ch) - 64
    return number


def column_letters(number: int) -> str:
    letters = ""
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


# --- parsing ------------------------------------------------------------------------------


def tokens(text: str) -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    position = 0
    text = text.strip()
    while position < len(text):
        match = TOKEN.match(text, position)
        if match is None or match.end() == position:
            raise Unknown(f"cannot read {text[position:]!r}")
        kind = match.lastgroup
        assert kind is not None
        found.append((kind, match.group(kind)))
        position = match.end()
    return found


Node = tuple  # ("num", x) ("str", s) ("ref", a, b) ("call", name, args) ("op", op, l, r) ("neg", x)


class _Parser:
    COMPARE = ("=", "<>", "<", ">", "<=", ">=")

    def __init__(self, text: str) -> None:
        self.items = tokens(text.removeprefix("="))
        self.at = 0

    def peek(self) -> tuple[str, str] | None:
        return self.items[self.at] if self.at < len(self.items) else None

    def take(self, op: str | None = None) -> tuple[str, str]:
        token = self.peek()
        if token is None or (op is not None and token != ("op", op)):
            raise Unknown(f"expected {op or 'more'}")
        self.at += 1
        return token

    def parse(self) -> Node:
        node = self.comparison()
        if self.peek() is not None:
            raise Unknown("unexpected text")
        return node

    def _binary(self, operators: tuple[str, ...], below: Callable[[], Node]) -> Node:
        node = below()
        while (token := self.peek()) is not None and token[0] == "op" and token[1] in operators:
            self.at += 1
            node = ("op", token[1], node, below())
        return node

    def comparison(self) -> Node:
        return self._binary(self.COMPARE, self.concat)

    def concat(self) -> Node:
        return self._binary(("&",), self.additive)

    def additive(self) -> Node:
        return self._binary(("+", "-"), self.term)

    def term(self) -> Node:
        return self._binary(("*", "/"), self.unary)

    def unary(self) -> Node:
        token = self.peek()
        if token in (("op", "-"), ("op", "+")):
            self.at += 1
            operand = self.unary()
            return ("neg", operand) if token[1] == "-" else ("pos", operand)
        return self._binary(("^",), self.primary)

    def primary(self) -> Node:
        kind, text = self.take()
        if kind == "number":
            return ("num", float(text))
        if kind == "string":
            return ("str", text[1:-1].replace('""', '"'))
        if kind == "ref":
            first, _, last = text.partition(":")
            return ("ref", first, last or first)
        if kind == "name":
            name = text.upper()
            if self.peek() != ("op", "("):
                if name in ("TRUE", "FALSE"):
                    return ("bool", name == "TRUE")
                raise Unknown(f"name {text}")
            self.take("(")
            args: list[Node] = []
            if self.peek() != ("op", ")"):
                args.append(self.comparison())
                while self.peek() == ("op", ","):
                    self.take(",")
                    args.append(self.comparison())
            self.take(")")
            return ("call", name, tuple(args))
        if (kind, text) == ("op", "("):
            node = self.comparison()
            self.take(")")
            return node
        raise Unknown(f"unexpected {text!r}")


# --- values -------------------------------------------------------------------------------


def _scalar(value: Value) -> Scalar:
    if isinstance(value, Cells):
        if len(value.values) == 1 and len(value.values[0]) == 1:
            return value.values[0][0]
        return VALUE
    return value


def _number(value: Value) -> float | Error:
    value = _scalar(value)
    if isinstance(value, Error):
        return value
    if value is None:
        return 0.0
    if isinstance(value, bool):
        return float(value)
    if isinstance(value, float):
        return value
    try:
        return float(value.strip())
    except ValueError:
        return VALUE


def _text(value: Scalar) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    return str(value)


def _compare(op: str, left: Value, right: Value) -> bool | Error:
    a, b = _scalar(left), _scalar(right)
    if isinstance(a, Error):
        return a
    if isinstance(b, Error):
        return b
    # a blank is "" beside a text, else 0
    if a is None:
        a = "" if isinstance(b, str) else 0.0
    if b is None:
        b = "" if isinstance(a, str) else 0.0
    rank = {bool: 2, str: 1, float: 0}
    ka, kb = (rank[type(a)], a), (rank[type(b)], b)
    if isinstance(a, str) and isinstance(b, str):
        ka, kb = (1, a.lower()), (1, b.lower())
    results = {
        "=": ka == kb,
        "<>": ka != kb,
        "<": ka < kb,
        ">": ka > kb,
        "<=": ka <= kb,
        ">=": ka >= kb,
    }
    return results[op]


def _arith(op: str, left: Value, right: Value) -> Scalar:
    if op == "&":
        a, b = _scalar(left), _scalar(right)
        for v in (a, b):
            if isinstance(v, Error):
                return v
        return _text(a) + _text(b)
    x, y = _number(left), _number(right)
    if isinstance(x, Error):
        return x
    if isinstance(y, Error):
        return y
    if op == "+":
        return x + y
    if op == "-":
        return x - y
    if op == "*":
        return x * y
    if op == "/":
        return DIV0 if y == 0 else x / y
    return float(x**y)


def _numbers(args: tuple[Value, ...]) -> list[float] | Error:
    """The numbers SUM, MIN and MAX take: from references only numbers; given values
    converted."""
    found: list[float] = []
    for arg in args:
        if isinstance(arg, Cells):
            for value in arg.flat():
                if isinstance(value, Error):
                    return value
                if isinstance(value, float):
                    found.append(value)
        else:
            number = _number(arg)
            if isinstance(number, Error):
                return number
            found.append(number)
    return found


def _round(value: float, digits: int) -> float:
    quantum = Decimal(1).scaleb(-digits)
    return float(Decimal(repr(value)).quantize(quantum, rounding=ROUND_HALF_UP))


# --- evaluation ---------------------------------------------------------------------------


class Sheet:
    """One sheet's cells by A1 name ("H12"): ``constants`` (numbers, texts, bools; absent is
    blank) and ``formulas`` (their text, with or without the leading "=").
    ``result(ref)`` is what a spreadsheet shows in a formula's cell."""

    def __init__(self, constants: Mapping[str, object], formulas: Mapping[str, str]) -> None:
        self.constants = constants
        self.formulas = formulas
        self.results: dict[str, Scalar] = {}
        self.busy: set[str] = set()

    def result(self, ref: str) -> float | str | bool | Error:
        """The result of the cell ``ref`` (a blank result shows as 0); raises ``Unknown``."""
        result = self._cell(ref.replace("$", ""))
        return 0.0 if result is None else result

    def _cell(self, ref: str) -> Scalar:
        if ref in self.results:
            return self.results[ref]
        formula = self.formulas.get(ref)
        raw = self.constants.get(ref)
        if formula is not None:
            if ref in self.busy:
                raise Unknown(f"circular reference at {ref}")
            self.busy.add(ref)
            try:
                result = _scalar(self._eval(_Parser(formula).parse()))
            finally:
                self.busy.discard(ref)
        elif raw is None or isinstance(raw, str):
            result = raw if raw != "" else None
        elif isinstance(raw, bool):
            result = raw
        elif isinstance(raw, int | float | Decimal):
            result = float(raw)
        else:
            raise Unknown(f"a value of type {type(raw).__name__} at {ref}")
        self.results[ref] = result
        return result

    def _range(self, first: str, last: str) -> Cells:
        a, b = CELL.fullmatch(first), CELL.fullmatch(last)
        assert a is not None and b is not None
        c1, c2 = sorted((column_number(a.group(1)), column_number(b.group(1))))
        r1, r2 = sorted((int(a.group(2)), int(b.group(2))))
        return Cells(
            tuple(
                tuple(self._cell(f"{column_letters(c)}{r}") for c in range(c1, c2 + 1))
                for r in range(r1, r2 + 1)
            )
        )

    def _eval(self, node: Node) -> Value:
        kind = node[0]
        if kind in ("num", "str", "bool"):
            return node[1]
        if kind == "ref":
            return self._range(node[1], node[2])
        if kind == "neg":
            return _arith("-", 0.0, self._eval(node[1]))
        if kind == "pos":
            return self._eval(node[1])
        if kind == "op":
            op, left, right = node[1], self._eval(node[2]), self._eval(node[3])
            if op in _Parser.COMPARE:
                return _compare(op, left, right)
            return _arith(op, left, right)
        return self._call(node[1], node[2])

    def _call(self, name: str, args: tuple[Node, ...]) -> Value:
        if name == "IF":
            if not 2 <= len(args) <= 3:
                raise Unknown("IF takes 2 or 3 arguments")
            test = _scalar(self._eval(args[0]))
            if isinstance(test, Error):
                return test
            if isinstance(test, str):
                return VALUE
            if test:
                return self._eval(args[1])
            return self._eval(args[2]) if len(args) == 3 else False
        if name == "IFERROR":
            if len(args) != 2:
                raise Unknown("IFERROR takes 2 arguments")
            first = self._eval(args[0])
            return self._eval(args[1]) if isinstance(_scalar(first), Error) else first
        if name == "CHOOSE":
            if len(args) < 2:
                raise Unknown("CHOOSE takes an index and at least one value")
            index = _number(self._eval(args[0]))
            if isinstance(index, Error):
                return index
            if not 1 <= int(index) < len(args):
                return VALUE
            return self._eval(args[int(index)])
        values = tuple(self._eval(arg) for arg in args)
        if name == "N" and len(values) == 1:
            value = _scalar(values[0])
            if isinstance(value, Error):
                return value
            if isinstance(value, bool):
                return 1.0 if value else 0.0
            return float(value) if isinstance(value, int | float) else 0.0
        if name in ("SUM", "MIN", "MAX"):
            numbers = _numbers(values)
            if isinstance(numbers, Error):
                return numbers
            if name == "SUM":
                return float(sum(numbers))
            return (min if name == "MIN" else max)(numbers, default=0.0)
        if name == "ROUND" and len(values) == 2:
            x, digits = _number(values[0]), _number(values[1])
            if isinstance(x, Error):
                return x
            if isinstance(digits, Error):
                return digits
            return _round(x, int(digits))
        if name == "MATCH" and len(values) == 3 and _number(values[2]) == 0:
            wanted, where = _scalar(values[0]), values[1]
            if isinstance(wanted, Error):
                return wanted
            if not isinstance(where, Cells):
                return NA
            for position, value in enumerate(where.flat(), start=1):
                if _compare("=", value, wanted) is True and value is not None:
                    return float(position)
            return NA
        if name == "INDEX" and len(values) in (2, 3) and isinstance(values[0], Cells):
            table = values[0].values
            row = _number(values[1])
            column = _number(values[2]) if len(values) == 3 else 1.0
            if isinstance(row, Error):
                return row
            if isinstance(column, Error):
                return column
            if len(table) == 1 and len(values) == 2:  # one row: the number counts across
                row, column = 1.0, row
            r, c = int(row), int(column)
            if not (1 <= r <= len(table) and 1 <= c <= len(table[0])):
                return Error("#REF!")
            return table[r - 1][c - 1]
        raise Unknown(f"function {name}")
