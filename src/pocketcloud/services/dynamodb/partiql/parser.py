"""A recursive-descent parser for DynamoDB's PartiQL subset: SELECT, INSERT, UPDATE, DELETE, EXISTS.

https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/ql-reference.html
Literals and `?` parameters become AttributeValues as they are read ('s' → S, 1 → N, <<...>> → a set,
{...} → M, [...] → L, TRUE/FALSE → BOOL, NULL → NULL); conditions become expression-engine nodes.
"""

from __future__ import annotations

import re
from typing import Any

from ..errors import ValidationException
from ..expressions import ast
from ..expressions.validate import walk
from ..values import normalize_value, validate_attribute_value
from . import statements as st
from .tokenizer import MALFORMED, Token, tokenize

PARAMETER_COUNT = "Number of parameters in request and statement don't match."
LEFTOVER = "Unexpected token after expression"
_TABLE_NAME = re.compile(r"[a-zA-Z0-9_.-]{3,255}")
ALIASING = "Aliasing is not supported"
_OPERATOR_WORDS = {"IS", "LIKE", "AND", "OR", "IN", "BETWEEN"}
_ORDERING = ("<", "<=", ">", ">=")
_COMPARISONS = ("=", "<>", "!=", *_ORDERING)
_CONDITION_FUNCTIONS = {"BEGINS_WITH": "begins_with", "CONTAINS": "contains", "ATTRIBUTE_TYPE": "attribute_type"}
# Nested (, NOT, function calls and [ { << literals are bounded well inside Python's recursion limit (each level
# costs up to four frames). AWS's own limit is not documented; its 8 KB statement could nest far deeper.
MAX_NESTING = 100
TOO_DEEP = "Statement nesting is too deep"
_RESERVED_WORDS = {"SELECT", "FROM", "WHERE", "AND", "OR", "NOT", "SET", "REMOVE", "RETURNING", "VALUE", "INTO",
                   "BETWEEN", "IN", "IS", "ORDER", "BY", "AS", "LIKE"}


def parse(statement: str, parameters: list[dict[str, Any]] | None = None) -> st.Statement:
    parser = _Parser(tokenize(statement), parameters or [])
    result = parser.statement()
    if parser.used != len(parser.parameters):
        raise ValidationException(PARAMETER_COUNT)
    _check_operands(result)
    return result


_CONDITION_CALLS = {"begins_with", "contains", "attribute_type", "attribute_exists", "attribute_not_exists", "size"}
_UPDATE_CALLS = {"if_not_exists", "list_append"}


def _check_operands(stmt: st.Statement) -> None:
    """Only what the evaluator and updater can run: size() inside conditions, no arithmetic there; SET values
    of paths, literals, + and -, if_not_exists(path, v) and list_append."""
    select = stmt.select if isinstance(stmt, st.Exists) else stmt
    where = getattr(select, "where", None)
    for node in walk(where) if where is not None else ():
        if isinstance(node, ast.Arithmetic):
            raise ValidationException(f"Unsupported operator in Condition Expression. Operator: {node.op}")
        if isinstance(node, ast.Call) and node.name not in _CONDITION_CALLS:
            raise ValidationException(f"Unsupported operator in Condition Expression. Operator: {node.name}")
    for action in getattr(stmt, "actions", ()):
        if isinstance(action, ast.SetAction):
            for node in walk(action.value):
                if isinstance(node, ast.Call) and (
                    node.name not in _UPDATE_CALLS
                    or (node.name == "if_not_exists" and not isinstance(node.args[0], ast.Path))
                ):
                    raise ValidationException(f"Unsupported operator in Update Expression. Operator: {node.name}")


def _malformed(what: str) -> ValidationException:
    return ValidationException(MALFORMED + what)


def _number(text: str, where: str) -> dict[str, Any]:
    """A number literal as DynamoDB stores it. An exponent past a 32-bit integer is unreadable to AWS's parser
    (the bare envelope); a readable number outside DynamoDB's range says where in the value it sits."""
    mantissa, _, exponent = text.lower().partition("e")
    scale = len(mantissa.partition(".")[2]) - int(exponent or 0)
    if not -(2**31) <= int(exponent or 0) < 2**31 or not -(2**31) <= scale < 2**31:
        raise ValidationException(MALFORMED)
    try:
        return normalize_value({"N": text})
    except ValidationException as err:
        raise ValidationException(f"{err.message} under {where}") from None


class _Parser:
    def __init__(self, tokens: list[Token], parameters: list[dict[str, Any]]) -> None:
        self.tokens = tokens
        self.at = 0
        self.parameters = parameters
        self.used = 0
        self.depth = 0

    # -- token helpers -------------------------------------------------------------------------------------

    @property
    def token(self) -> Token:
        return self.tokens[self.at]

    def advance(self) -> Token:
        token = self.tokens[self.at]
        if token.kind != "END":
            self.at += 1
        return token

    def accept_word(self, *words: str) -> Token | None:
        return self.advance() if self.token.is_word(*words) else None

    def accept_op(self, *ops: str) -> Token | None:
        return self.advance() if self.token.is_op(*ops) else None

    def expect_word(self, word: str) -> None:
        if not self.accept_word(word):
            raise _malformed(self._unexpected())

    def expect_op(self, op: str) -> None:
        if not self.accept_op(op):
            raise _malformed(self._unexpected())

    def nested(self, rule: Any, *args: Any) -> Any:
        """`rule(*args)` one nesting level deeper, refusing statements nested past MAX_NESTING."""
        self.depth += 1
        if self.depth > MAX_NESTING:
            raise _malformed(TOO_DEEP)
        try:
            return rule(*args)
        finally:
            self.depth -= 1

    def _unexpected(self) -> str:
        token = self.token
        if token.kind == "ID" and token.text.upper() in _OPERATOR_WORDS:
            return "Unexpected operator"
        if token.kind == "ID" and token.text.upper() in _RESERVED_WORDS:
            return "Unexpected keyword"
        return "Unexpected term"

    def no_alias(self) -> None:
        """A name or AS right after the table is an alias, which DynamoDB refuses in words of its own."""
        token = self.token
        if token.is_word("AS") or (token.kind in ("ID", "QID") and token.text.upper() not in _RESERVED_WORDS):
            raise ValidationException(ALIASING)

    # -- statements ----------------------------------------------------------------------------------------

    def statement(self) -> st.Statement:
        token = self.token
        if token.is_word("SELECT"):
            result: st.Statement = self.select()
        elif token.is_word("INSERT"):
            result = self.insert()
        elif token.is_word("UPDATE"):
            result = self.update()
        elif token.is_word("DELETE"):
            result = self.delete()
        elif token.is_word("FROM"):
            result = self.from_update()
        elif token.is_word("EXISTS"):
            self.advance()
            self.expect_op("(")
            result = st.Exists(self.select())
            self.expect_op(")")
        else:
            raise _malformed("Expected data manipulation")
        if self.token.kind != "END":
            raise _malformed(LEFTOVER)
        return result

    def select(self) -> st.Select:
        self.expect_word("SELECT")
        paths: list[ast.Path] | None = None
        if not self.accept_op("*"):
            paths = [self.path()]
            while self.accept_op(","):
                if self.token.is_op("*"):
                    raise ValidationException("Other attributes should not be present in the projection when '*' is used.")
                paths.append(self.path())
            _check_distinct_names(paths)
        elif self.accept_op(","):
            raise ValidationException("Other attributes should not be present in the projection when '*' is used.")
        self.expect_word("FROM")
        target = self.target()
        self.no_alias()
        where = self.condition() if self.accept_word("WHERE") else None
        order_by: list[tuple[ast.Path, bool]] = []
        if self.accept_word("ORDER"):
            self.expect_word("BY")
            while True:
                path = self.path()
                descending = bool(self.accept_word("DESC"))
                if not descending:
                    self.accept_word("ASC")
                order_by.append((path, descending))
                if not self.accept_op(","):
                    break
        return st.Select(target, tuple(paths) if paths is not None else None, where, tuple(order_by))

    def insert(self) -> st.Insert:
        self.expect_word("INSERT")
        self.expect_word("INTO")
        target = self.target()
        if target.index is not None:
            raise ValidationException("FROM clause may only contain a single table name in data manipulation statements")
        if not self.accept_word("VALUE"):
            raise _malformed(LEFTOVER if self.token.kind != "END" else "Unexpected term")
        item = self.value("")
        if "M" not in item:
            raise ValidationException(
                "Unsupported format in item expression. Please use struct format {...} to express item values for "
                "insert statement.")
        if self.token.is_word("RETURNING"):
            raise ValidationException("RETURNING is not supported in INSERT")
        return st.Insert(target, item["M"])

    def update(self) -> st.Update:
        self.expect_word("UPDATE")
        target = self.target()
        self.no_alias()
        actions = self.update_actions()
        where = self.condition() if self.accept_word("WHERE") else None
        return st.Update(target, tuple(actions), where, self.returning())

    def update_actions(self) -> list[ast.Action]:
        actions: list[ast.Action] = []
        while True:
            if self.accept_word("SET"):
                actions.append(self.assignment())
                while self.accept_op(","):
                    actions.append(self.assignment())
            elif self.accept_word("REMOVE"):
                actions.append(ast.RemoveAction(self.path()))
                while self.accept_op(","):
                    actions.append(ast.RemoveAction(self.path()))
            else:
                break
        if not actions:
            raise _malformed(self._unexpected())
        return actions

    def from_update(self) -> st.Update:
        """The FROM-first form of UPDATE: FROM t [WHERE ...] SET ... | REMOVE ... (the WHERE comes first)."""
        self.expect_word("FROM")
        target = self.target()
        self.no_alias()
        where = self.condition() if self.accept_word("WHERE") else None
        actions = self.update_actions()
        return st.Update(target, tuple(actions), where, self.returning())

    def delete(self) -> st.Delete:
        self.expect_word("DELETE")
        self.expect_word("FROM")
        if self.token.kind not in ("ID", "QID") or self.token.text.upper() in _RESERVED_WORDS:
            raise _malformed("Expected identifier for simple path")
        target = self.target()
        self.no_alias()
        where = self.condition() if self.accept_word("WHERE") else None
        return st.Delete(target, where, self.returning())

    def returning(self) -> st.Returning | None:
        if not self.accept_word("RETURNING"):
            return None
        which = self.accept_word("ALL", "MODIFIED")
        age = self.accept_word("OLD", "NEW")
        if which is None or age is None:
            raise _malformed(self._unexpected())
        self.expect_op("*")
        return st.Returning(which.text.upper(), age.text.upper())

    def target(self) -> st.Target:
        parts = [self.name()]
        while self.accept_op("."):
            parts.append(self.name())
        if len(parts) > 2:
            raise ValidationException("A path may contain at most 2 components in the FROM clause")
        if any(part == "" for part in parts):
            raise ValidationException("Path component cannot be an empty string")

        return st.Target(parts[0], parts[1] if len(parts) == 2 else None)

    def name(self) -> str:
        token = self.token
        if token.kind == "QID" or (token.kind == "ID" and token.text.upper() not in _RESERVED_WORDS):
            self.advance()
            return token.text
        raise _malformed(self._unexpected())

    # -- update actions ------------------------------------------------------------------------------------

    def assignment(self) -> ast.Action:
        path = self.path()
        self.expect_op("=")
        value = self.set_value()
        for node in walk(value):
            if isinstance(node, ast.Literal):
                # What INSERT's item check refuses (a set with duplicates, ...) must not reach the item by SET.
                validate_attribute_value(node.value)
        if isinstance(value, ast.Call) and value.name in ("set_add", "set_delete"):
            label = value.name.upper()
            if len(value.args) != 2:
                raise ValidationException(f"{label} must have exactly two arguments")
            subject, operand = value.args
            if subject != path:
                raise ValidationException(f"The first argument to {label} must equal the assignment value")
            if not isinstance(operand, ast.Literal) or next(iter(operand.value)) not in ("SS", "NS", "BS"):
                raise ValidationException(f"The second argument to {label} must be a value with type SET")
            return (ast.AddAction if value.name == "set_add" else ast.DeleteAction)(path, operand)
        return ast.SetAction(path, value)

    def set_value(self) -> ast.Operand:
        left = self.operand()
        op = self.accept_op("+", "-")
        if op is None:
            return left
        return ast.Arithmetic(op.text, left, self.operand())

    # -- conditions ----------------------------------------------------------------------------------------

    def condition(self) -> ast.Condition:
        left = self.conjunction()
        while self.accept_word("OR"):
            self._right_hand_side()
            left = ast.Or(left, self.conjunction())
        return left

    def _right_hand_side(self) -> None:
        if self.token.kind == "END":
            raise _malformed("Missing right-hand side expression of infix operator")

    def conjunction(self) -> ast.Condition:
        left = self.negation()
        while self.accept_word("AND"):
            self._right_hand_side()
            left = ast.And(left, self.negation())
        return left

    def negation(self) -> ast.Condition:
        if self.accept_word("NOT"):
            return ast.Not(self.nested(self.negation))
        return self.predicate()

    def predicate(self) -> ast.Condition:
        if self.accept_op("("):
            inner = self.nested(self.condition)
            self.expect_op(")")
            return inner
        token = self.token
        if token.kind == "ID" and token.text.upper() in _CONDITION_FUNCTIONS and self.tokens[self.at + 1].is_op("("):
            self.advance()
            self.advance()
            args = [self.operand()]
            while self.accept_op(","):
                args.append(self.operand())
            self.expect_op(")")
            if len(args) != 2:
                raise _malformed("Unexpected term")
            return ast.Call(_CONDITION_FUNCTIONS[token.text.upper()], tuple(args))
        left = self.operand()
        op = self.accept_op(*_COMPARISONS)
        if op is not None:
            right = self.operand()
            symbol = "<>" if op.text == "!=" else op.text
            if symbol in _ORDERING:
                _check_ordered(symbol, left, right)
            return ast.Compare(symbol, left, right)
        negated = bool(self.accept_word("NOT"))
        if self.accept_word("BETWEEN"):
            low = self.operand()
            self.expect_word("AND")
            high = self.operand()
            _check_ordered("BETWEEN", low, high)
            result: ast.Condition = ast.Between(left, low, high)
        elif self.accept_word("IN"):
            result = ast.In(left, tuple(self.choices()))
        elif not negated and self.accept_word("IS"):
            negated = bool(self.accept_word("NOT"))
            if self.accept_word("MISSING"):
                result = ast.Call("attribute_not_exists", (left,))
            elif self.accept_word("NULL"):
                # PartiQL: a missing attribute IS NULL too.
                result = ast.Or(ast.Call("attribute_not_exists", (left,)),
                                ast.Call("attribute_type", (left, ast.Literal({"S": "NULL"}))))
            else:
                raise _malformed("Expected type name")
        else:
            raise _malformed(self._unexpected())
        return ast.Not(result) if negated else result

    def choices(self) -> list[ast.Operand]:
        if self.token.is_op("?"):
            value = self.parameter()
            if "L" not in value:
                raise _malformed("Unexpected term")
            return [ast.Literal(v) for v in value["L"]]
        closing = "]" if self.accept_op("[") else ")" if self.accept_op("(") else None
        if closing is None:
            raise _malformed(self._unexpected())
        choices = [self.operand()]
        while self.accept_op(","):
            choices.append(self.operand())
        self.expect_op(closing)
        return choices

    # -- operands and values -------------------------------------------------------------------------------

    def operand(self) -> ast.Operand:
        token = self.token
        if token.kind == "ID" and self.tokens[self.at + 1].is_op("("):
            name = token.text.lower()
            if name not in ("size", "list_append", "if_not_exists", "set_add", "set_delete"):
                raise ValidationException(f"Unrecognized function: {token.text}")
            self.advance()
            self.advance()
            args = [self.nested(self.operand)]
            while self.accept_op(","):
                args.append(self.nested(self.operand))
            self.expect_op(")")
            if name not in ("set_add", "set_delete") and len(args) != (1 if name == "size" else 2):
                raise _malformed("Unexpected term")
            return ast.Call(name, tuple(args))
        if token.is_word("MISSING"):
            raise ValidationException("MISSING must be compared using IS operator")
        if token.kind == "QID" or (token.kind == "ID" and not token.is_word("TRUE", "FALSE", "NULL")):
            return self.path()
        return ast.Literal(self.value())

    def path(self) -> ast.Path:
        parts: list[str | int] = [self.name()]
        while True:
            if self.accept_op("."):
                parts.append(self.name())
            elif self.accept_op("["):
                token = self.advance()
                if token.kind == "NUM" and token.text.isdigit():
                    parts.append(int(token.text))
                elif token.kind == "STR":
                    parts.append(token.text)
                else:
                    raise _malformed("Unexpected term")
                self.expect_op("]")
            else:
                return ast.Path(tuple(parts))

    def parameter(self) -> dict[str, Any]:
        self.expect_op("?")
        if self.used >= len(self.parameters):
            raise ValidationException(PARAMETER_COUNT)
        value = self.parameters[self.used]
        self.used += 1
        validate_attribute_value(value)
        return normalize_value(value)

    def value(self, where: str = "root") -> dict[str, Any]:
        token = self.token
        if token.is_op("?"):
            return self.parameter()
        if token.kind == "END":
            raise _malformed(self._unexpected())
        self.advance()
        if token.kind == "STR":
            return {"S": token.text}
        if token.kind == "NUM":
            return _number(token.text, where)
        if token.is_op("-", "+") and self.token.kind == "NUM":
            return _number(("-" if token.text == "-" else "") + self.advance().text, where)
        if token.is_word("TRUE", "FALSE"):
            return {"BOOL": token.text.upper() == "TRUE"}
        if token.is_word("NULL"):
            return {"NULL": True}
        if token.is_op("["):
            members = [] if self.accept_op("]") else self.nested(self.members, "]", where)
            return {"L": members}
        if token.is_op("<<"):
            if self.accept_op(">>"):
                raise ValidationException("Empty bags are not supported")
            return _set(self.nested(self.members, ">>", where))
        if token.is_op("{"):
            return {"M": self.nested(self.map_members, where)}
        self.at -= 1
        raise _malformed(self._unexpected())

    def members(self, closing: str, where: str) -> list[dict[str, Any]]:
        members = [self.value(f"{where}[0]")]
        while self.accept_op(","):
            members.append(self.value(f"{where}[{len(members)}]"))
        self.expect_op(closing)
        return members

    def map_members(self, where: str) -> dict[str, Any]:
        out: dict[str, Any] = {}
        if self.accept_op("}"):
            return out
        while True:
            key = self.advance()
            if key.kind not in ("STR", "QID"):
                raise _malformed("Unexpected term")
            self.expect_op(":")
            # The item of an INSERT is no value itself: each attribute's value is a root of its own.
            out[key.text] = self.value(f"{where}.{key.text}" if where else "root")
            if self.accept_op("}"):
                return out
            self.expect_op(",")


def _set(members: list[dict[str, Any]]) -> dict[str, Any]:
    kinds = {next(iter(m)) for m in members}
    if len(kinds) != 1 or next(iter(kinds)) not in ("S", "N", "B"):
        raise ValidationException("Unsupported data type in Bag. DynamoDB only supports either numbers or strings in bags")
    kind = kinds.pop()
    return {kind + "S": [m[kind] for m in members]}


def check_table_name(name: str) -> None:
    """Checked when the table is looked up (the parser accepts any identifier)."""
    if not _TABLE_NAME.fullmatch(name):
        raise ValidationException(
            "Table name should be within the length [3, 255] and only contain 'a-z', 'A-Z', '0-9', '-', '_', '.'.")


def _check_distinct_names(paths: list[ast.Path]) -> None:
    seen: set[str] = set()
    for path in paths:
        name = str(next((p for p in reversed(path.parts) if isinstance(p, str)), path.parts[0]))
        if name in seen:
            raise ValidationException(f"Duplicate identifiers in select clause: {name}")
        seen.add(name)


def _check_ordered(op: str, *operands: ast.Operand) -> None:
    """An ordering operator refuses a literal whose type has no order, whatever the other side is."""
    for operand in operands:
        if isinstance(operand, ast.Literal):
            kind = next(iter(operand.value))
            if kind not in ("S", "N", "B"):
                raise ValidationException(
                    f"Incorrect operand type for operator or function; operator or function: {op}, operand type: {kind}"
                )
