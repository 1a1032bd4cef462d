"""DynamoDB's PartiQL: tokenizer, parser (to statements.py), key planning, and SELECT / write execution.

https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/ql-reference.html
Our own small parser rather than py-partiql-parser: DynamoDB accepts a narrow dialect whose conditions and
updates must mean exactly what ConditionExpression/UpdateExpression mean, so statements parse straight into
the expression engine's AST and run on its evaluator and updater (one set of comparison rules for both).
"""

from __future__ import annotations

from .parser import parse
from .statements import Delete, Exists, Insert, Select, Statement, Update

__all__ = ["Delete", "Exists", "Insert", "Select", "Statement", "Update", "parse"]
