"""Splits an expression string into tokens, keeping offsets so syntax errors can quote AWS's `near:` window.

https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Expressions.OperatorsAndFunctions.html
"""

from __future__ import annotations

import re
from dataclasses import dataclass

NAME = "NAME"  # bare identifier: attribute name, keyword or function name
ATTR_NAME = "ATTR_NAME"  # #placeholder
ATTR_VALUE = "ATTR_VALUE"  # :placeholder
NUMBER = "NUMBER"  # digits, only meaningful as a list index
PUNCT = "PUNCT"
UNKNOWN = "UNKNOWN"  # a character no rule accepts; the parser reports it as the offending token
EOF = "EOF"

_TOKEN = re.compile(
    r"""
    (?P<ws>[ \t\r\n]+)
  | (?P<NAME>[A-Za-z_][A-Za-z0-9_]*)
  | (?P<ATTR_NAME>\#[A-Za-z0-9_]+)
  | (?P<ATTR_VALUE>:[A-Za-z0-9_]+)
  | (?P<NUMBER>[0-9]+)
  | (?P<PUNCT><>|<=|>=|[=<>()\[\],.+\-])
    """,
    re.VERBOSE,
)


@dataclass(frozen=True)
class Token:
    kind: str
    text: str
    start: int
    end: int

    def is_word(self, word: str) -> bool:
        """Keywords (AND, SET, BETWEEN ...) are case-insensitive."""
        return self.kind == NAME and self.text.upper() == word

    def is_punct(self, text: str) -> bool:
        return self.kind == PUNCT and self.text == text


def tokenize(source: str) -> list[Token]:
    """All non-blank tokens of `source`, ending with one EOF token."""
    tokens: list[Token] = []
    pos, length = 0, len(source)
    while pos < length:
        match = _TOKEN.match(source, pos)
        if match is None:
            tokens.append(Token(UNKNOWN, source[pos], pos, pos + 1))
            pos += 1
            continue
        kind = match.lastgroup
        if kind != "ws":
            tokens.append(Token(kind or UNKNOWN, match.group(), pos, match.end()))
        pos = match.end()
    tokens.append(Token(EOF, "<EOF>", length, length))
    return tokens


def near(source: str, tokens: list[Token], index: int) -> str:
    """AWS's `near:` text: the token before the offending one through the token after it, blanks included."""
    start = tokens[index - 1].start if index > 0 else tokens[index].start
    if tokens[index].kind == EOF:
        return source[start:]
    after = tokens[index + 1]
    end = after.end if after.kind != EOF else tokens[index].end
    return source[start:end]
