"""SELECT: a Query per pinned partition key value when the WHERE pins the partition key, else a Scan.

https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/ql-reference.select.html
The whole WHERE clause filters the rows the key range yields (evaluated on what the index holds, for an
index read), so key terms narrow the read and never change the answer. Limit bounds the evaluated rows, as
in Query/Scan; NextToken carries the position (the partition value being read and its last evaluated key).
"""

from __future__ import annotations

import base64
from typing import Any

import orjson

from .. import keycodec
from ..errors import ValidationException
from ..expressions import Condition, ast
from ..expressions.attributes import get_path
from ..expressions.keycondition import to_key_condition
from ..expressions.validate import walk
from ..items import index_view
from ..operations.query import _bounds, _start_position
from ..reads import Shaper, key_names_of, page, shaper
from ..tables import Schema, get_table, schema
from .parser import check_table_name
from .plan import KeyTerms, check_overlap, key_terms
from .statements import Select

INVALID_TOKEN = "Invalid NextToken"
ORDER_BY_NEEDS_WHERE = "Must have WHERE clause in the statement when using ORDER BY clause."
ORDER_BY_NEEDS_KEY = "Must have at least one non-optional hash key condition in WHERE clause when using ORDER BY clause."
ORDER_BY_NEEDS_HASH = ("Must have hash key in ORDER BY clause when more than one hash key condition specified in WHERE "
                       "clause.")


class _OnView:
    """A WHERE clause tested against what an index holds of an item, not the whole item."""

    def __init__(self, condition: Condition, sch: Schema, index: Any) -> None:
        self.condition, self.sch, self.index = condition, sch, index

    def evaluate(self, item: dict[str, Any]) -> bool:
        return self.condition.evaluate(index_view(self.sch, self.index, item))


def project(paths: tuple[ast.Path, ...]) -> Any:
    """PartiQL names a projected value by its last path step: SELECT m.nested returns {"nested": ...}."""

    def apply(item: dict[str, Any]) -> dict[str, Any]:
        out = {}
        for path in paths:
            value = get_path(item, path.parts)
            if value is not None:
                name = next((p for p in reversed(path.parts) if isinstance(p, str)), path.parts[0])
                out[str(name)] = value
        return out

    return apply


def find_target(ctx: Any, stmt: Select) -> tuple[Any, Schema, Any]:
    check_table_name(stmt.target.table)
    table = get_table(ctx, stmt.target.table)
    sch = schema(table)
    index = None
    if stmt.target.index is not None:
        index = sch.indexes.get(stmt.target.index)
        if index is None:
            raise ValidationException("The table does not have the specified index")
    return table, sch, index


def run_select(ctx: Any, stmt: Select, params: dict[str, Any]) -> dict[str, Any]:
    table, sch, index = find_target(ctx, stmt)
    if index is not None and index.is_global and params.get("ConsistentRead"):
        raise ValidationException("Strongly consistent read is not supported on Global Secondary Indexes")
    hash_name, range_name = (index.hash_name, index.range_name) if index else (sch.hash_name, sch.range_name)
    hash_type, range_type = (index.hash_type, index.range_type) if index else (sch.hash_type, sch.range_type)
    terms = key_terms(stmt.where, hash_name, range_name)
    check_overlap(stmt.where, hash_name, range_name, keycodec.encode, hash_type, range_type)
    forward, terms = _order(stmt, terms, hash_name, hash_type, range_name)
    condition: Any = Condition(stmt.where) if stmt.where is not None else None
    projected = _projected_names(sch, index)
    if projected is not None:
        _check_index_attributes(stmt, index, projected, keyed=bool(terms.hash_values))
    if condition is not None and index is not None:
        condition = _OnView(condition, sch, index)
    shape = shaper(sch, index, None, None)
    if stmt.paths is not None:
        # A local index fetches what it does not project from the table; a global one was refused above.
        shape = Shaper(None if index is not None and not index.is_global else shape.index_names, project(stmt.paths), False)
    position, esk = _read_token(params.get("NextToken"), _token_scope(stmt))
    read = dict(params)
    if terms.hash_values:
        result = _query(ctx, table, sch, index, terms, (hash_name, range_name, hash_type, range_type), forward,
                        condition, shape, read, position, esk, _token_scope(stmt))
    else:
        start = _scan_start(sch, index, esk) if esk is not None else None
        rows = ctx.state.storage.dynamodb.scan(table, index.iid if index else None, 0, keycodec.BUCKETS - 1, start)
        result = _finish(page(rows, read, condition, shape, key_names_of(sch, index), table, index), 0, _token_scope(stmt))
    scanned = result.pop("ScannedCount")
    if (projected is not None and stmt.paths is not None and "ConsumedCapacity" in result
            and any(p.head not in projected for p in stmt.paths)):
        _charge_reach_back(result["ConsumedCapacity"], scanned, bool(params.get("ConsistentRead")))
    return result


def _charge_reach_back(capacity: dict[str, Any], rows: int, consistent: bool) -> None:
    """A local index read naming attributes it does not project fetches each row it walked from the table:
    the table arm pays a read per row walked, so Limit bounds it and a filter does not (real DynamoDB, as
    captured by nubo-db/dynamodb-conformance; a read unit per row assumes rows under 4 KB)."""
    units = rows * (1.0 if consistent else 0.5)
    capacity["CapacityUnits"] += units
    if "Table" in capacity:
        capacity["Table"] = {"CapacityUnits": capacity["Table"]["CapacityUnits"] + units}


def _query(ctx: Any, table: Any, sch: Schema, index: Any, terms: Any, names: tuple[Any, ...], forward: bool,
           condition: Any, shape: Shaper, read: dict[str, Any], position: int, esk: dict[str, Any] | None,
           scope: str) -> dict[str, Any]:
    hash_name, range_name, hash_type, range_type = names
    limit = read.get("Limit")
    items: list[Any] = []
    capacity: dict[str, Any] | None = None
    scanned = 0
    values = terms.hash_values
    for at in range(position, len(values)):
        value = values[at]
        if hash_type not in value:
            continue  # a partition key of another type matches nothing
        tree: ast.Condition = ast.Compare("=", ast.Path((hash_name,)), ast.Literal(value))
        range_term = terms.range_term
        if range_term is not None and all(
            range_type in n.value for n in ast.children(range_term) if isinstance(n, ast.Literal)
        ):
            tree = ast.And(tree, range_term)
        key_types = {hash_name: hash_type, **({range_name: range_type} if range_name else {})}
        cond = to_key_condition(tree, hash_name, range_name, key_types)
        hk = keycodec.encode(hash_type, value[hash_type])
        lower, upper = _bounds(cond, range_type)
        start = _start_position(esk, cond, sch, index, hk, lower, upper, range_type) if esk is not None and at == position else None
        if limit is not None:
            read["Limit"] = limit - scanned
        rows = ctx.state.storage.dynamodb.query(
            table, index.iid if index else None, keycodec.hash_bucket(hk), hk, lower, upper, forward, start
        )
        out = page(rows, read, condition, shape, key_names_of(sch, index), table, index)
        items.extend(out.get("Items", ()))
        scanned += out["ScannedCount"]
        capacity = _add_capacity(capacity, out.get("ConsumedCapacity"))
        if "LastEvaluatedKey" in out:
            return _finish({"Items": items, "LastEvaluatedKey": out["LastEvaluatedKey"], "ConsumedCapacity": capacity,
                            "ScannedCount": scanned}, at, scope)
        if limit is not None and scanned >= limit and at + 1 < len(values):
            return _finish({"Items": items, "ConsumedCapacity": capacity, "ScannedCount": scanned}, at + 1, scope, more=True)
    if capacity is None and read.get("ReturnConsumedCapacity") in ("TOTAL", "INDEXES"):
        capacity = page(iter(()), read, None, shape, (), table, index).get("ConsumedCapacity")
    return _finish({"Items": items, "ConsumedCapacity": capacity, "ScannedCount": scanned}, 0, scope)


def _order(stmt: Select, terms: KeyTerms, hash_name: str, hash_type: str,
           range_name: str | None) -> tuple[bool, KeyTerms]:
    """ORDER BY on the key: the sort key's direction within a partition, the partition key's across the
    partition values an IN names. Returns (forward, the key terms with their partition values in order)."""
    if not stmt.order_by:
        return True, terms
    for path, _ in stmt.order_by:
        if path.parts not in ((hash_name,), (range_name,)):
            name = ".".join(str(p) for p in path.parts)
            raise ValidationException(f"Variable reference {name} in ORDER BY clause must be part of the primary key")
    if stmt.where is None:
        raise ValidationException(ORDER_BY_NEEDS_WHERE)
    if not terms.hash_values:
        raise ValidationException(ORDER_BY_NEEDS_KEY)
    directions = {path.parts[0]: descending for path, descending in stmt.order_by}
    if len(terms.hash_values) > 1:
        if hash_name not in directions:
            raise ValidationException(ORDER_BY_NEEDS_HASH)
        typed = [v for v in terms.hash_values if hash_type in v]
        typed.sort(key=lambda v: keycodec.encode(hash_type, v[hash_type]), reverse=directions[hash_name])
        terms = KeyTerms(tuple(typed), terms.range_term)
    return not directions.get(range_name or "", False), terms


def _add_capacity(total: dict[str, Any] | None, part: dict[str, Any] | None) -> dict[str, Any] | None:
    if total is None or part is None:
        return total or part
    out = dict(total)
    out["CapacityUnits"] = total["CapacityUnits"] + part["CapacityUnits"]
    for group in ("Table", "GlobalSecondaryIndexes", "LocalSecondaryIndexes"):
        if group == "Table" and "Table" in part:
            out["Table"] = {"CapacityUnits": total.get("Table", {}).get("CapacityUnits", 0.0) + part["Table"]["CapacityUnits"]}
        elif group in part:
            merged = dict(total.get(group, {}))
            for name, units in part[group].items():
                merged[name] = {"CapacityUnits": merged.get(name, {}).get("CapacityUnits", 0.0) + units["CapacityUnits"]}
            out[group] = merged
    return out


def _finish(out: dict[str, Any], position: int, scope: str, *, more: bool = False) -> dict[str, Any]:
    result: dict[str, Any] = {"Items": out.get("Items", []), "ScannedCount": out.get("ScannedCount", 0)}
    last = out.get("LastEvaluatedKey")
    if last is not None or more:
        token = {"p": position, "k": last, "s": scope}
        result["NextToken"] = base64.b64encode(orjson.dumps(token)).decode()
        if last is not None:
            result["LastEvaluatedKey"] = last
    if out.get("ConsumedCapacity") is not None:
        result["ConsumedCapacity"] = out["ConsumedCapacity"]
    return result


def _token_scope(stmt: Select) -> str:
    """What a NextToken belongs to: a token minted for one table or index is refused by another."""
    return f"{stmt.target.table}\u0000{stmt.target.index or ''}"


def _read_token(token: str | None, scope: str) -> tuple[int, dict[str, Any] | None]:
    if token is None:
        return 0, None
    try:
        data = orjson.loads(base64.b64decode(token, validate=True))
        position, last, minted = int(data["p"]), data["k"], data["s"]
    except Exception:
        raise ValidationException(INVALID_TOKEN) from None
    if minted != scope:
        raise ValidationException("NextToken does not match request")
    return position, last


def _projected_names(sch: Schema, index: Any) -> frozenset[str] | None:
    """The attributes an index holds, or None when it holds them all (or there is no index)."""
    if index is None:
        return None
    kind = index.projection.get("ProjectionType", "ALL")
    if kind == "ALL":
        return None
    names = {n for n in (sch.hash_name, sch.range_name, index.hash_name, index.range_name) if n}
    if kind == "INCLUDE":
        names.update(index.projection.get("NonKeyAttributes") or ())
    return frozenset(names)


def _check_index_attributes(stmt: Select, index: Any, projected: frozenset[str], *, keyed: bool) -> None:
    """A global index cannot fetch what it does not project; a keyed index read cannot filter on it either
    (an unkeyed one scans the index, where such a filter just sees nothing)."""
    if index.is_global and stmt.paths is not None:
        missing = _unique(p.head for p in stmt.paths if p.head not in projected)
        if missing:
            raise ValidationException(
                f"One or more parameter values were invalid: Global secondary index {index.name} does not project "
                f"[{', '.join(missing)}]"
            )
    if keyed and stmt.where is not None:
        missing = _unique(n.head for n in walk(stmt.where) if isinstance(n, ast.Path) and n.head not in projected)
        if missing:
            raise ValidationException(
                f"One or more parameter values were invalid: Secondary index {index.name} does not project one or "
                f"more filter attributes: [{', '.join(missing)}]"
            )


def _unique(names: Any) -> list[str]:
    out: list[str] = []
    for name in names:
        if name not in out:
            out.append(name)
    return out


def _scan_start(sch: Schema, index: Any, esk: dict[str, Any]) -> tuple[bytes, ...]:
    try:
        hk = keycodec.encode(sch.hash_type, esk[sch.hash_name][sch.hash_type])
        rk = keycodec.encode(sch.range_type, esk[sch.range_name][sch.range_type]) if sch.range_name else b""
        if index is None:
            return (keycodec.hash_bucket(hk), hk, rk)
        ihk = keycodec.encode(index.hash_type, esk[index.hash_name][index.hash_type])
        irk = keycodec.encode(index.range_type, esk[index.range_name][index.range_type]) if index.range_name else b""
    except (KeyError, TypeError):
        raise ValidationException(INVALID_TOKEN) from None
    return (keycodec.hash_bucket(ihk), ihk, irk, hk, rk)
