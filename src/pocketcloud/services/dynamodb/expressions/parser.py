"""One recursive-descent parser for every DynamoDB expression grammar: condition (also filter and key
condition), update and projection. It only builds the AST; meaning is checked by the passes in validate.py.

https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Expressions.OperatorsAndFunctions.html
https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Expressions.UpdateExpressions.html
"""

from __future__ import annotations

from pocketcloud.services.dynamodb.errors import ValidationException
from pocketcloud.services.dynamodb.expressions import ast
from pocketcloud.services.dynamodb.expressions.tokenizer import (
    ATTR_NAME,
    ATTR_VALUE,
    EOF,
    NAME,
    NUMBER,
    Token,
    near,
    tokenize,
)

MAX_EXPRESSION_BYTES = 4096
COMPARATORS = ("=", "<>", "<", "<=", ">", ">=")
CONDITION_KEYWORDS = frozenset({"AND", "OR", "NOT", "BETWEEN", "IN"})
UPDATE_KEYWORDS = frozenset({"SET", "REMOVE", "ADD", "DELETE"})
# Real DynamoDB takes a[4294967294] and refuses a[4294967295] as out of range (captures by floci-io/floci, 2026-09).
MAX_LIST_INDEX = 4294967294
# Deep nesting is bounded well inside Python's recursion limit; 4 KB of "(" would otherwise overflow it.
MAX_NESTING = 150


class _SyntaxError(Exception):
    def __init__(self, index: int) -> None:
        super().__init__(index)
        self.index = index


class Parser:
    def __init__(self, source: str, kind: str) -> None:
        self.source = source
        self.kind = kind
        self.tokens: list[Token] = tokenize(source)
        self.pos = 0
        self.depth = 0
        self.keywords = UPDATE_KEYWORDS if kind == "UpdateExpression" else CONDITION_KEYWORDS
        self.paren_spans: set[tuple[int, int]] = set()
        self.redundant_parens = False
        # KeyConditionExpression only minds a doubled pair around the whole expression: real DynamoDB accepts
        # "((#pk = :pk)) AND ((#sk = :sk))" there (nubo-db/dynamodb-conformance captures).
        self.redundant_whole = False

    # -- token helpers -------------------------------------------------------------------------------------
    def peek(self, offset: int = 0) -> Token:
        return self.tokens[min(self.pos + offset, len(self.tokens) - 1)]

    def advance(self) -> Token:
        token = self.tokens[self.pos]
        if token.kind != EOF:
            self.pos += 1
        return token

    def fail(self) -> _SyntaxError:
        return _SyntaxError(self.pos)

    def expect_punct(self, text: str) -> Token:
        if not self.peek().is_punct(text):
            raise self.fail()
        return self.advance()

    def is_keyword(self, token: Token) -> bool:
        return token.kind == NAME and token.text.upper() in self.keywords

    def syntax_error(self, index: int) -> ValidationException:
        token = self.tokens[index]
        return ValidationException(
            f'Invalid {self.kind}: Syntax error; token: "{token.text}", near: "{near(self.source, self.tokens, index)}"'
        )

    def run(self, rule) -> object:
        try:
            tree = rule()
            if self.peek().kind != EOF:
                raise self.fail()
        except _SyntaxError as err:
            raise self.syntax_error(err.index) from None
        return tree

    def enter(self) -> None:
        self.depth += 1
        if self.depth > MAX_NESTING:
            raise self.fail()

    # -- paths and operands ------------------------------------------------------------------------------
    def path(self) -> ast.Path:
        parts: list[str | ast.NameRef | int] = [self.path_element()]
        while True:
            if self.peek().is_punct("."):
                self.advance()
                parts.append(self.path_element())
            elif self.peek().is_punct("["):
                self.advance()
                token = self.peek()
                if token.kind != NUMBER:
                    raise self.fail()
                if len(token.text) > 10 or int(token.text) > MAX_LIST_INDEX:
                    raise ValidationException(
                        f"Invalid {self.kind}: List index is not within the allowable range; index: [{token.text}]"
                    )
                self.advance()
                parts.append(int(token.text))
                self.expect_punct("]")
            else:
                return ast.Path(tuple(parts))

    def path_element(self) -> str | ast.NameRef:
        token = self.peek()
        if token.kind == ATTR_NAME:
            self.advance()
            return ast.NameRef(token.text)
        if token.kind == NAME and not self.is_keyword(token):
            self.advance()
            return token.text
        raise self.fail()

    def operand(self) -> ast.Operand:
        token = self.peek()
        if token.is_punct("("):
            start = self.pos
            self.enter()
            self.advance()
            inner = self.operand()
            self.expect_punct(")")
            self.depth -= 1
            self.note_parens(start)
            return inner
        if token.kind == ATTR_VALUE:
            self.advance()
            return ast.ValueRef(token.text)
        if token.kind == NAME and not self.is_keyword(token) and self.peek(1).is_punct("("):
            return self.call()
        return self.path()

    def call(self) -> ast.Call:
        name = self.advance().text
        self.expect_punct("(")
        self.enter()
        args = [self.operand()]
        while self.peek().is_punct(","):
            self.advance()
            args.append(self.operand())
        self.expect_punct(")")
        self.depth -= 1
        return ast.Call(name, tuple(args))

    def note_parens(self, start: int) -> None:
        """Remember a parenthesised span; `((x))` is an error AWS reports after parsing succeeds."""
        end = self.pos - 1
        if (start + 1, end - 1) in self.paren_spans:
            self.redundant_parens = True
            if start == 0 and end == len(self.tokens) - 2:  # the last token before EOF
                self.redundant_whole = True
        self.paren_spans.add((start, end))

    # -- conditions --------------------------------------------------------------------------------------
    def condition(self) -> ast.Condition:
        left = self.and_condition()
        while self.peek().is_word("OR"):
            self.advance()
            left = ast.Or(left, self.and_condition())
        return left

    def and_condition(self) -> ast.Condition:
        left = self.not_condition()
        while self.peek().is_word("AND"):
            self.advance()
            left = ast.And(left, self.not_condition())
        return left

    def not_condition(self) -> ast.Condition:
        negations = 0
        while self.peek().is_word("NOT"):
            self.advance()
            negations += 1
        node = self.primary_condition()
        for _ in range(negations):
            node = ast.Not(node)
        return node

    def primary_condition(self) -> ast.Condition:
        if not self.peek().is_punct("("):
            return self.comparison()
        # "(" opens either a grouped condition or a parenthesised operand: try the group, fall back.
        start, depth = self.pos, self.depth
        spans, redundant, whole = set(self.paren_spans), self.redundant_parens, self.redundant_whole
        try:
            self.enter()
            self.advance()
            inner = self.condition()
            self.expect_punct(")")
            self.depth -= 1
            if not self.continues_comparison():
                self.note_parens(start)
                return inner
            group_error = self.fail()
        except _SyntaxError as err:
            group_error = err
        self.pos, self.depth, self.paren_spans, self.redundant_parens = start, depth, spans, redundant
        self.redundant_whole = whole
        try:
            return self.comparison()
        except _SyntaxError as err:
            raise err if err.index >= group_error.index else group_error from None

    def continues_comparison(self) -> bool:
        token = self.peek()
        return (token.kind == "PUNCT" and token.text in COMPARATORS) or token.is_word("BETWEEN") or token.is_word("IN")

    def comparison(self) -> ast.Condition:
        left = self.operand()
        token = self.peek()
        if token.kind == "PUNCT" and token.text in COMPARATORS:
            self.advance()
            return ast.Compare(token.text, left, self.operand())
        if token.is_word("BETWEEN"):
            self.advance()
            low = self.operand()
            if not self.peek().is_word("AND"):
                raise self.fail()
            self.advance()
            return ast.Between(left, low, self.operand())
        if token.is_word("IN"):
            self.advance()
            self.expect_punct("(")
            choices = [self.operand()]
            while self.peek().is_punct(","):
                self.advance()
                choices.append(self.operand())
            self.expect_punct(")")
            return ast.In(left, tuple(choices))
        if isinstance(left, ast.Call):
            return left
        raise self.fail()

    # -- update ------------------------------------------------------------------------------------------
    def update(self) -> tuple[ast.UpdateExpression, str | None]:
        actions: list[ast.Action] = []
        seen: set[str] = set()
        repeated: str | None = None
        while True:
            token = self.peek()
            section = token.text.upper() if self.is_keyword(token) else None
            if section is None:
                raise self.fail()
            self.advance()
            if section in seen and repeated is None:
                repeated = section
            seen.add(section)
            actions.append(self.update_action(section))
            while self.peek().is_punct(","):
                self.advance()
                actions.append(self.update_action(section))
            if self.peek().kind == EOF:
                return ast.UpdateExpression(tuple(actions)), repeated

    def update_action(self, section: str) -> ast.Action:
        path = self.path()
        if section == "SET":
            self.expect_punct("=")
            return ast.SetAction(path, self.set_value())
        if section == "REMOVE":
            return ast.RemoveAction(path)
        token = self.peek()
        if token.kind != ATTR_VALUE:
            raise self.fail()
        self.advance()
        value = ast.ValueRef(token.text)
        return ast.AddAction(path, value) if section == "ADD" else ast.DeleteAction(path, value)

    def set_value(self) -> ast.Operand:
        if self.peek().is_punct("("):
            start = self.pos
            try:
                self.advance()
                value = self.set_value_unparenthesised()
                self.expect_punct(")")
                if not (self.peek().kind == "PUNCT" and self.peek().text in "+-"):
                    return value
            except _SyntaxError:
                pass
            self.pos = start
        return self.set_value_unparenthesised()

    def set_value_unparenthesised(self) -> ast.Operand:
        left = self.operand()
        token = self.peek()
        if token.is_punct("+") or token.is_punct("-"):
            self.advance()
            return ast.Arithmetic(token.text, left, self.operand())
        return left

    # -- projection --------------------------------------------------------------------------------------
    def projection(self) -> ast.ProjectionExpression:
        paths = [self.path()]
        while self.peek().is_punct(","):
            self.advance()
            paths.append(self.path())
        return ast.ProjectionExpression(tuple(paths))


def check_size(source: str, kind: str) -> None:
    """AWS checks emptiness and the 4 KB limit before parsing; only condition/filter quote the size."""
    if not source.strip():
        raise ValidationException(f"Invalid {kind}: The expression can not be empty;")
    size = len(source.encode("utf-8"))
    if size > MAX_EXPRESSION_BYTES:
        suffix = f" expression size: {size}" if kind in ("ConditionExpression", "FilterExpression") else ""
        raise ValidationException(f"Invalid {kind}: Expression size has exceeded the maximum allowed size;{suffix}")


def parse_condition(source: str, kind: str = "ConditionExpression") -> tuple[ast.Condition, bool]:
    """The condition tree and whether AWS would reject it for redundant parentheses."""
    check_size(source, kind)
    parser = Parser(source, kind)
    tree = parser.run(parser.condition)
    redundant = parser.redundant_whole if kind == "KeyConditionExpression" else parser.redundant_parens
    return tree, redundant  # type: ignore[return-value]


def parse_update(source: str) -> tuple[ast.UpdateExpression, str | None]:
    """The update tree and the first section keyword used twice, if any."""
    check_size(source, "UpdateExpression")
    parser = Parser(source, "UpdateExpression")
    return parser.run(parser.update)  # type: ignore[return-value]


def parse_projection(source: str) -> ast.ProjectionExpression:
    check_size(source, "ProjectionExpression")
    parser = Parser(source, "ProjectionExpression")
    return parser.run(parser.projection)  # type: ignore[return-value]
