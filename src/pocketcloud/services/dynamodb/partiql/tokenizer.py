"""Splits a DynamoDB PartiQL statement into tokens.

https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/ql-reference.html
'single quotes' are strings ('' inside one is a quote), "double quotes" are identifiers, `?` a parameter.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..errors import ValidationException

MALFORMED = "Statement wasn't well formed, can't be processed: "

_TOKEN = re.compile(
    r"""\s*(?:
      (?P<STR>'(?:[^']|'')*')
    | (?P<QID>"(?:[^"]|"")*")
    | (?P<NUM>(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)
    | (?P<ID>[A-Za-z_$][A-Za-z0-9_$]*)
    | (?P<OP><<|>>|<=|>=|<>|!=|[=<>()\[\]{},.:?*+\-])
    )""",
    re.VERBOSE,
)


@dataclass(frozen=True)
class Token:
    kind: str  # STR QID NUM ID OP END
    text: str  # the string's or identifier's content, unquoted; the operator; the number as written
    position: int

    def is_word(self, *words: str) -> bool:
        return self.kind == "ID" and self.text.upper() in words

    def is_op(self, *ops: str) -> bool:
        return self.kind == "OP" and self.text in ops


def tokenize(statement: str) -> list[Token]:
    tokens: list[Token] = []
    position = 0
    end = len(statement.rstrip().rstrip(";").rstrip())
    while position < end:
        match = _TOKEN.match(statement, position)
        if match is None or match.end() == position:
            # What AWS's lexer cannot read (an unterminated quote, a # comment) gets the bare envelope.
            raise ValidationException(MALFORMED)
        kind = match.lastgroup
        assert kind is not None
        text = match.group(kind)
        if kind == "STR":
            text = text[1:-1].replace("''", "'")
        elif kind == "QID":
            text = text[1:-1].replace('""', '"')
        tokens.append(Token(kind, text, match.start(kind)))
        position = match.end()
        while position < end and statement[position].isspace():
            position += 1
    tokens.append(Token("END", "", end))
    return tokens
