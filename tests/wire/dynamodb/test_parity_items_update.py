"""UpdateItem parity: raw requests and the exact error AWS gives (dynalite's AWS-run suite, newer AWS wording)."""

from __future__ import annotations

import pytest
from test_parity_items_support import CONDITIONAL, NOT_FOUND, VALIDATION, call, check_error, fill, tables, unique

__all__ = ["tables"]

_INVALID = "One or more parameter values were invalid: "
_EMPTY = "Supplied AttributeValue is empty, must contain exactly one of the supported datatypes"
_SCALARS = "Key attributes must be scalars; list random access '[]' and map lookup '.' are not allowed: "
_VALUES = {":a": {"S": "a"}, ":b": {"S": "a"}}
_NAMES = {"#a": "a", "#b": "b"}


def _expr(update: str, **extra) -> dict:
    return {"TableName": "abc", "Key": {}, "UpdateExpression": update, **extra}


VALIDATIONS = [
    ("mixed expression and legacy parameters",
     {"TableName": "abc", "Key": {"a": {}}, "Expected": {"a": {}}, "AttributeUpdates": {},
      "ExpressionAttributeNames": {}, "ExpressionAttributeValues": {}, "ConditionExpression": "", "UpdateExpression": ""},
     "Can not use both expression and non-expression parameters in the same request: "
     "Non-expression parameters: {AttributeUpdates, Expected} Expression parameters: {UpdateExpression, ConditionExpression}"),
    ("names without expressions",
     {"TableName": "abc", "Key": {"a": {}}, "Expected": {"a": {}}, "ExpressionAttributeNames": {},
      "ExpressionAttributeValues": {}},
     "ExpressionAttributeNames can only be specified when using expressions"),
    ("values without expressions",
     {"TableName": "abc", "Key": {"a": {}}, "Expected": {"a": {}}, "ExpressionAttributeValues": {}},
     "ExpressionAttributeValues can only be specified when using expressions: UpdateExpression and ConditionExpression are null"),
    ("empty key value", {"TableName": "abc", "Key": {"a": {}}, "UpdateExpression": "", "ConditionExpression": "",
                         "ExpressionAttributeNames": {}, "ExpressionAttributeValues": {}}, _EMPTY),
    ("empty map member in key", {"TableName": "abc", "Key": {"a": {"M": {"a": {}}}}}, _EMPTY),
    ("empty list member in key", {"TableName": "abc", "Key": {"a": {"L": [{"a": {}}]}}}, _EMPTY),
    ("empty string set in key", {"TableName": "abc", "Key": {"a": {"SS": []}}, "Expected": {"a": {}},
                                 "AttributeUpdates": {"a": {"x": "whatever"}}}, _INVALID + "An string set  may not be empty"),
    ("empty number set in key", {"TableName": "abc", "Key": {"a": {"NS": []}}}, _INVALID + "An number set  may not be empty"),
    ("empty binary set in key", {"TableName": "abc", "Key": {"a": {"BS": []}}}, _INVALID + "Binary sets should not be empty"),
    ("duplicate strings in key", {"TableName": "abc", "Key": {"a": {"SS": ["a", "a"]}}},
     _INVALID + "Input collection [a, a] contains duplicates."),
    ("duplicate binaries in key", {"TableName": "abc", "Key": {"a": {"BS": ["Yg==", "Yg=="]}}},
     _INVALID + "Input collection [Yg==, Yg==]of type BS contains duplicates."),
    ("bad number", {"TableName": "abc", "Key": {"a": {"N": "b"}}}, "The parameter cannot be converted to a numeric value: b"),
    ("empty number in set", {"TableName": "abc", "Key": {"a": {"NS": ["1", ""]}}},
     "The parameter cannot be converted to a numeric value"),
    ("duplicate numbers", {"TableName": "abc", "Key": {"a": {"NS": ["1", "1.0"]}}}, "Input collection contains duplicates"),
    ("too many digits", {"TableName": "abc", "Key": {"a": {"N": "-1.23456789012345678901234567890123456789"}}},
     "Attempting to store more than 38 significant digits in a Number"),
    ("overflow", {"TableName": "abc", "Key": {"a": {"N": "-1e126"}}},
     "Number overflow. Attempting to store a number with magnitude larger than supported range"),
    ("underflow", {"TableName": "abc", "Key": {"a": {"N": "1e-131"}}},
     "Number underflow. Attempting to store a number with magnitude smaller than supported range"),
    ("two types", {"TableName": "abc", "Key": {"a": {"S": "a", "N": "1"}}},
     "Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes"),
    ("update without value", {"TableName": "abc", "Key": {}, "Expected": {"a": {}}, "AttributeUpdates": {"a": {"x": "y"}}},
     _INVALID + "Only DELETE action is allowed when no attribute value is specified"),
    *[(f"legacy DELETE of {t}", {"TableName": "abc", "Key": {}, "AttributeUpdates": {"a": {"Action": "DELETE", "Value": v}}},
       _INVALID + f"DELETE action with value is not supported for the type {t}")
      for t, v in (("S", {"S": "1"}), ("N", {"N": "1"}), ("B", {"B": "Yg=="}), ("NULL", {"NULL": True}),
                   ("BOOL", {"BOOL": True}), ("M", {"M": {}}), ("L", {"L": []}))],
    *[(f"legacy ADD of {t}", {"TableName": "abc", "Key": {}, "AttributeUpdates": {"a": {"Action": "ADD", "Value": v}}},
       _INVALID + f"ADD action is not supported for the type {t}")
      for t, v in (("S", {"S": "1"}), ("B", {"B": "Yg=="}), ("NULL", {"NULL": True}), ("BOOL", {"BOOL": True}),
                   ("M", {"M": {}}))],
    ("expected without value", {"TableName": "abc", "Key": {}, "Expected": {"a": {}}},
     _INVALID + "Value must be provided when Exists is null for Attribute: a"),
    ("exists true without value", {"TableName": "abc", "Key": {}, "Expected": {"a": {"Exists": True}}},
     _INVALID + "Value must be provided when Exists is true for Attribute: a"),
    ("exists false with value", {"TableName": "abc", "Key": {}, "Expected": {"a": {"Exists": False, "Value": {"S": "a"}}}},
     _INVALID + "Value cannot be used when Exists is false for Attribute: a"),
    ("empty names", _expr("", ExpressionAttributeNames={}, ExpressionAttributeValues={}, ConditionExpression=""),
     "ExpressionAttributeNames must not be empty"),
    ("bad name key", _expr("", ExpressionAttributeNames={"a": "a"}, ExpressionAttributeValues={}, ConditionExpression=""),
     'ExpressionAttributeNames contains invalid key: Syntax error; key: "a"'),
    ("empty values", _expr("", ExpressionAttributeValues={}, ConditionExpression=""),
     "ExpressionAttributeValues must not be empty"),
    ("bad value key", _expr("", ExpressionAttributeValues={":b": {"a": ""}, "b": {"S": "a"}}, ConditionExpression=""),
     'ExpressionAttributeValues contains invalid key: Syntax error; key: "b"'),
    ("empty value", _expr("", ExpressionAttributeValues={":b": {}}, ConditionExpression=""),
     f"ExpressionAttributeValues contains invalid value: {_EMPTY} for key :b"),
    ("empty set value", _expr("", ExpressionAttributeValues={":b": {"SS": []}}, ConditionExpression=""),
     f"ExpressionAttributeValues contains invalid value: {_INVALID}An string set  may not be empty for key :b"),
    ("bad number value", _expr("", ExpressionAttributeValues={":b": {"NS": ["1", "b"]}}, ConditionExpression=""),
     "ExpressionAttributeValues contains invalid value: The parameter cannot be converted to a numeric value: b for key :b"),
    ("empty update expression", _expr("", ConditionExpression=""), "Invalid UpdateExpression: The expression can not be empty;"),
    ("empty condition expression", {"TableName": "abc", "Key": {}, "ConditionExpression": ""},
     "Invalid ConditionExpression: The expression can not be empty;"),
    *[(f"syntax error in {e!r}", _expr(e), None) for e in (
        "whatever", "set a", "add a", "delete a", "set a=set", "remove a = b", "add a = b", "delete a b",
        "add abort b", "remove a b", "set a b", "set :a = b", "add :a b", "remove :a", "set a = b / c",
        'set a[1] = "eight"', "SET if_not_exist(a, b) = a", "set (a = (b + c))", "set a = (b.c).d + e",
        "set a = b + c + d")],
    ("reserved word", _expr(" set #c = :c set abOrt = true ", ExpressionAttributeValues=_VALUES, ExpressionAttributeNames=_NAMES),
     "Invalid UpdateExpression: Attribute name is a reserved keyword; reserved keyword: abOrt"),
    ("reserved word in remove", _expr(" remove Absolute ", ExpressionAttributeValues=_VALUES, ExpressionAttributeNames=_NAMES),
     "Invalid UpdateExpression: Attribute name is a reserved keyword; reserved keyword: Absolute"),
    ("unknown function", _expr("set #c = if_not_exist(:c) set c = d", ExpressionAttributeValues=_VALUES,
                               ExpressionAttributeNames=_NAMES),
     "Invalid UpdateExpression: Invalid function name; function: if_not_exist"),
    *[(f"{section} section twice", _expr(e, ExpressionAttributeValues=_VALUES, ExpressionAttributeNames=_NAMES),
       f'Invalid UpdateExpression: The "{section}" section can only be used once in an update expression;')
      for e, section in (("set a = #c set c = :d", "SET"), ("remove #d set a = b remove e", "REMOVE"),
                         ("add #d :e set a = b add e :f", "ADD"), ("delete #d :e set a = b delete #e :f", "DELETE"))],
    ("undefined name", _expr("SET #c = if_not_exists(:c)", ExpressionAttributeValues=_VALUES, ExpressionAttributeNames=_NAMES),
     "Invalid UpdateExpression: An expression attribute name used in the document path is not defined; attribute name: #c"),
    ("undefined value", _expr("SET #a = if_not_exists(:c)", ExpressionAttributeValues=_VALUES, ExpressionAttributeNames=_NAMES),
     "Invalid UpdateExpression: An expression attribute value used in expression is not defined; attribute value: :c"),
    *[(f"overlapping paths in {e!r}", _expr(e, ExpressionAttributeNames={"#c": "c", "#d": "[3]"}),
       "Invalid UpdateExpression: Two document paths overlap with each other; must remove or rewrite one of these paths; "
       f"path one: {one}, path two: {two}")
      for e, one, two in (
          ("set d[1] = a, d.b = a, c[1].a = a, #c = if_not_exists(a)", "[c, [1], a]", "[c]"),
          ("set c.b.#c = a, c = a, #d = a", "[c, b, c]", "[c]"),
          ("set a = b remove a, #c, #d", "[a]", "[a]"),
          ("set #c[3].#d = a, #c[3] = a", "[c, [3], [3]]", "[c, [3]]"),
          ("remove c, #c.a, #d", "[c]", "[c, a]"))],
    *[(f"conflicting paths in {e!r}", _expr(e, ExpressionAttributeNames={"#b": "b", "#c": "c", "#d": "[3]"}),
       "Invalid UpdateExpression: Two document paths conflict with each other; must remove or rewrite one of these paths; "
       f"path one: {one}, path two: {two}")
      for e, one, two in (("set #c[3].#d = a, #c.#d[3] = if_not_exists(a)", "[c, [3], [3]]", "[c, [3], [3]]"),
                          ("remove a.#c set a[1] = #d", "[a, c]", "[a, [1]]"))],
    *[(f"{op} of {word}", _expr(e, ExpressionAttributeValues={":a": v, ":b": {"S": "a"}}),
       f"Invalid UpdateExpression: Incorrect operand type for operator or function; operator: {op}, operand type: {word}")
      for e, v, op, word in (
          ("set b = list_append(:a, a), c = if_not_exists(a) add a.b :a", {"S": "a"}, "ADD", "STRING"),
          ("delete a.b :a", {"S": "a"}, "DELETE", "STRING"),
          ("add a.b :a", {"NULL": True}, "ADD", "NULL"),
          ("delete a.b :a", {"BOOL": False}, "DELETE", "BOOLEAN"),
          ("add a.b :a", {"B": "YQ=="}, "ADD", "BINARY"),
          ("delete a.b :a", {"M": {"a": {"L": [{"N": "1"}]}}}, "DELETE", "MAP"),
          ("add a.b :a", {"L": [{"N": "1"}]}, "ADD", "LIST"),
          ("delete a.b :a", {"N": "1"}, "DELETE", "NUMBER"))],
    ("if_not_exists with one operand", _expr("set a = if_not_exists(c)", ExpressionAttributeValues=_VALUES,
                                             ExpressionAttributeNames=_NAMES),
     "Invalid UpdateExpression: Incorrect number of operands for operator or function; operator or function: if_not_exists, "
     "number of operands: 1"),
    ("if_not_exists of a value", _expr("set a = if_not_exists(:a, c)", ExpressionAttributeValues=_VALUES,
                                       ExpressionAttributeNames=_NAMES),
     "Invalid UpdateExpression: Operator or function requires a document path; operator or function: if_not_exists"),
    *[(f"{fn} of {t}", _expr(e, ExpressionAttributeValues={
        ":a": {"S": "a"}, ":b": {"N": "1"}, ":c": {"B": "YQ=="}, ":d": {"BOOL": False}, ":e": {"NULL": True},
        ":f": {"SS": ["a"]}, ":g": {"NS": ["1"]}, ":h": {"BS": ["YQ=="]}, ":i": {"M": {}}, ":j": {"L": []}}),
       f"Invalid UpdateExpression: Incorrect operand type for operator or function; operator or function: {fn}, "
       f"operand type: {t}")
      for e, fn, t in (
          ("set a = list_append(:a, a)", "list_append", "S"), ("set a = list_append(a, :b)", "list_append", "N"),
          ("set a = list_append(:i, a)", "list_append", "M"), ("set a = a + :a", "+", "S"),
          ("set a = :c + a", "+", "B"), ("set a = a + :j", "+", "L"), ("set a = a - :f", "-", "SS"),
          ("set a = a - :e", "-", "NULL"))],
    ("unused names", _expr("remove a set b = list_append(b, if_not_exists(a, :a))", ConditionExpression="a = :b",
                           ExpressionAttributeValues=_VALUES, ExpressionAttributeNames=_NAMES),
     "Value provided in ExpressionAttributeNames unused in expressions: keys: {#a, #b}"),
    ("unused values", _expr("remove a", ConditionExpression="a = :b",
                            ExpressionAttributeValues={":a": {"S": "a"}, ":b": {"S": "a"}, ":c": {"S": "a"}}),
     "Value provided in ExpressionAttributeValues unused in expressions: keys: {:a, :c}"),
]


@pytest.mark.parametrize("request_, message", [c[1:] for c in VALIDATIONS], ids=[c[0] for c in VALIDATIONS])
def test_update_item_refuses_invalid_requests_as_aws_does(endpoint, tables, request_, message):
    status, body = call(endpoint, "UpdateItem", fill(request_, tables))
    assert status == 400 and body["__type"] == VALIDATION, body
    if message is None:
        assert body["message"].startswith("Invalid UpdateExpression: Syntax error; "), body
    else:
        assert body["message"] == message


def _k() -> dict:
    return {"a": {"S": unique()}}


def _rk() -> dict:
    return {"a": {"S": unique()}, "b": {"S": unique()}}


TABLE_CHECKS = [
    ("missing table", {"TableName": "no_such_table_" + unique(), "Key": {}}, NOT_FOUND, "Requested resource not found"),
    *[(f"key {k}", {"TableName": "$hash", "Key": k}, VALIDATION, "The provided key element does not match the schema")
      for k in ({}, {"b": {"S": "a"}}, {"a": {"S": "a"}, "b": {"S": "a"}}, {"a": {"N": "1"}}, {"a": {"BOOL": True}},
                {"a": {"SS": ["a"]}}, {"a": {"M": {}}}, {"a": {"L": []}})],
    ("range key missing", {"TableName": "$range", "Key": {"a": {"S": "a"}}}, VALIDATION,
     "The provided key element does not match the schema"),
    *[(f"key update {u}", {"TableName": "$hash", "Key": _k(), **u}, VALIDATION,
       _INVALID + "Cannot update attribute a. This attribute is part of the key")
      for u in ({"AttributeUpdates": {"a": {"Value": {"S": "x"}}}},
                {"UpdateExpression": "add a.b :a", "ExpressionAttributeValues": {":a": {"N": "1"}}},
                {"UpdateExpression": "delete a :a", "ExpressionAttributeValues": {":a": {"NS": ["1"]}}},
                {"UpdateExpression": "remove d set b = :a, a = :a", "ExpressionAttributeValues": {":a": {"N": "1"}}},
                {"UpdateExpression": "set a = a.b + a[1]"})],
    *[(f"range key update {u}", {"TableName": "$range", "Key": _rk(), **u}, VALIDATION,
       _INVALID + "Cannot update attribute b. This attribute is part of the key")
      for u in ({"AttributeUpdates": {"d": {"Value": {"N": "1"}}, "b": {"Value": {"S": "x"}}}},
                {"UpdateExpression": "set d[1] = :a add b.b :a", "ExpressionAttributeValues": {":a": {"N": "1"}}})],
    *[(f"index key type {u}", {"TableName": "$range", "Key": _rk(), **u}, VALIDATION,
       _INVALID + "Type mismatch for Index Key c Expected: S Actual: N IndexName: index3")
      for u in ({"AttributeUpdates": {"d": {"Value": {"N": "1"}}, "c": {"Value": {"N": "1"}}}},
                {"UpdateExpression": "set d.a = a add c :a", "ExpressionAttributeValues": {":a": {"N": "1"}}},
                {"UpdateExpression": "set e = c[1], c = a + :a", "ExpressionAttributeValues": {":a": {"N": "1"}}})],
    *[(f"nested index key path {u}", {"TableName": "$range", "Key": _rk(), **u}, VALIDATION, _SCALARS + "IndexKey: d")
      for u in ({"UpdateExpression": "add d.b :a", "ExpressionAttributeValues": {":a": {"N": "1"}}},
                {"UpdateExpression": "set d[1] = :a", "ExpressionAttributeValues": {":a": {"N": "1"}}},
                {"UpdateExpression": "set e = list_append(a, b), f = d[1]"})],
    *[(f"missing operand {e}", {"TableName": "$hash", "Key": _k(), "UpdateExpression": e}, VALIDATION,
       "The provided expression refers to an attribute that does not exist in the item")
      for e in ("set c = b", "set e = list_append(b, c)")],
    *[(f"nested path in new item {e}", {"TableName": "$hash", "Key": _k(), "UpdateExpression": e}, VALIDATION,
       "The document path provided in the update expression is invalid for update")
      for e in ("set b.a = a", "set b[1] = a")],
    ("too large", {"TableName": "$hash", "Key": _k(), "AttributeUpdates": {
        "b": {"Action": "PUT", "Value": {"S": "a" * 409599}},
        "c": {"Action": "PUT", "Value": {"N": "1" * 38 + "0" * 88}}}},
     VALIDATION, "Item size to update has exceeded the maximum allowed size"),
    *[(f"condition on missing item {c}", {"TableName": "$hash", "Key": _k(), **c}, CONDITIONAL, "The conditional request failed")
      for c in ({"Expected": {"a": {"Value": {"S": "x"}}}}, {"Expected": {"a": {"ComparisonOperator": "NOT_NULL"}}},
                {"ConditionExpression": "a = :a", "ExpressionAttributeValues": {":a": {"S": "x"}}},
                {"ConditionExpression": "attribute_exists(#a)", "ExpressionAttributeNames": {"#a": "a"}})],
]


@pytest.mark.parametrize("request_, kind, message", [c[1:] for c in TABLE_CHECKS], ids=[c[0] for c in TABLE_CHECKS])
def test_update_item_checks_against_the_table_as_aws_does(endpoint, tables, request_, kind, message):
    check_error(endpoint, tables, "UpdateItem", request_, kind, message)


def _update(endpoint, tables, **request) -> dict:
    status, body = call(endpoint, "UpdateItem", fill({"TableName": "$hash", **request}, tables))
    assert status == 200, body
    return body


def test_update_item_existing_index_key_set_to_the_wrong_type_from_the_item_is_refused(endpoint, tables):
    key = _rk()
    status, _ = call(endpoint, "UpdateItem", {"TableName": tables["range"], "Key": key, "UpdateExpression": "set e = :a",
                                             "ExpressionAttributeValues": {":a": {"N": "1"}}})
    assert status == 200
    for expression in ("set c = e", "set d = e"):
        check_error(endpoint, tables, "UpdateItem", {"TableName": "$range", "Key": key, "UpdateExpression": expression},
                    VALIDATION, "The update expression attempted to update the secondary index key to unsupported type")


def test_update_item_add_and_delete_of_the_wrong_type_on_existing_attributes(endpoint, tables):
    key = _k()
    _update(endpoint, tables, Key=key, UpdateExpression="set b = :b, c = :c, d = :d",
            ExpressionAttributeValues={":b": {"M": {"a": {"SS": ["1"]}}}, ":c": {"N": "1"}, ":d": {"NS": ["1"]}})
    for expression, value in (("delete d :a", {"SS": ["1"]}), ("delete b :a", {"NS": ["1"]}),
                              ("delete b.a :a", {"NS": ["1"]}), ("delete c :a", {"NS": ["1"]}),
                              ("add b :a", {"NS": ["1"]}), ("add d :a", {"N": "1"}), ("set e = a + :a", {"N": "1"}),
                              ("set e = b - :a", {"N": "1"}),
                              ("set e = list_append(d, if_not_exists(f, :a))", {"L": []})):
        check_error(endpoint, tables, "UpdateItem", {"TableName": "$hash", "Key": key, "UpdateExpression": expression,
                                                     "ExpressionAttributeValues": {":a": value}},
                    VALIDATION, "An operand in the update expression has an incorrect data type")
    for updates in ({"b": {"Action": "ADD", "Value": {"NS": ["1"]}}}, {"c": {"Action": "DELETE", "Value": {"NS": ["1"]}}}):
        check_error(endpoint, tables, "UpdateItem", {"TableName": "$hash", "Key": key, "AttributeUpdates": updates},
                    VALIDATION, "Type mismatch for attribute to update")


def test_update_item_paths_through_missing_or_scalar_values_are_invalid(endpoint, tables):
    key = _k()
    _update(endpoint, tables, Key=key, UpdateExpression="set b = a, c = :c, d = :d",
            ExpressionAttributeValues={":c": {"M": {"1": {"S": "a"}}}, ":d": {"L": [{"S": "a"}, {"S": "b"}]}})
    for expression in ("set b.a = :a, #1 = :a", "set y[1] = :a, #1 = :a", "set c[1] = :a, #1 = :a", "set d.#1 = :a",
                       "remove b.a set #1 = :a", "remove c[1] set #1 = :a", "remove d.#1 set #1 = :a",
                       "delete b.a :a set #1 = :a", "delete y.a :a set #1 = :a", "delete d.#1 :a",
                       "add b[1] :a set #1 = :a", "add y.a :a set #1 = :a", "add d.#1 :a"):
        check_error(endpoint, tables, "UpdateItem", {
            "TableName": "$hash", "Key": key, "UpdateExpression": expression, "ExpressionAttributeNames": {"#1": "1"},
            "ExpressionAttributeValues": {":a": {"SS": ["a"]}}},
            VALIDATION, "The document path provided in the update expression is invalid for update")


def test_update_item_return_values_follow_aws(endpoint, tables):
    key = _k()
    assert _update(endpoint, tables, Key=key, ReturnValues="ALL_OLD") == {}
    _update(endpoint, tables, Key=key, AttributeUpdates={"b": {"Value": {"M": {"a": {"S": "a"}, "b": {"L": []}}}},
                                                          "c": {"Value": {"N": "1"}}})
    out = _update(endpoint, tables, Key=key, ReturnValues="UPDATED_OLD",
                  AttributeUpdates={"b": {"Value": {"M": {"a": {"S": "b"}}}}, "c": {"Action": "ADD", "Value": {"N": "1"}}})
    assert out == {"Attributes": {"b": {"M": {"a": {"S": "a"}, "b": {"L": []}}}, "c": {"N": "1"}}}
    out = _update(endpoint, tables, Key=key, ReturnValues="ALL_NEW", UpdateExpression="set b.a = :v",
                  ExpressionAttributeValues={":v": {"N": "01.50"}})
    assert out == {"Attributes": {**key, "b": {"M": {"a": {"N": "1.5"}}}, "c": {"N": "2"}}}
    out = _update(endpoint, tables, Key=key, ReturnValues="UPDATED_NEW", UpdateExpression="set b.a = b.a + :v remove c",
                  ExpressionAttributeValues={":v": {"N": "1"}})
    assert out == {"Attributes": {"b": {"M": {"a": {"N": "2.5"}}}}}
    new_key = _k()
    out = _update(endpoint, tables, Key=new_key, ReturnValues="UPDATED_NEW",
                  UpdateExpression="REMOVE b DELETE c :c ADD d :d, e :e SET f = :f",
                  ExpressionAttributeValues={":c": {"SS": ["a", "b"]}, ":d": {"N": "5"}, ":e": {"SS": ["a", "b"]},
                                             ":f": {"L": [{"S": "a"}, {"N": "1"}]}})
    assert out == {"Attributes": {"d": {"N": "5"}, "e": {"SS": ["a", "b"]}, "f": {"L": [{"S": "a"}, {"N": "1"}]}}}
    assert _update(endpoint, tables, Key=_k(), ReturnValues="ALL_NEW", UpdateExpression="set b = a")["Attributes"]["b"]


def test_update_item_legacy_add_appends_lists_and_merges_sets(endpoint, tables):
    key = _k()
    _update(endpoint, tables, Key=key, AttributeUpdates={"l": {"Value": {"L": [{"S": "a"}]}}, "s": {"Value": {"NS": ["1", "2"]}}})
    out = _update(endpoint, tables, Key=key, ReturnValues="UPDATED_NEW", AttributeUpdates={
        "l": {"Action": "ADD", "Value": {"L": [{"S": "b"}]}}, "s": {"Action": "ADD", "Value": {"NS": ["2", "3"]}}})
    assert out["Attributes"]["l"] == {"L": [{"S": "a"}, {"S": "b"}]}
    assert sorted(out["Attributes"]["s"]["NS"]) == ["1", "2", "3"]
    out = _update(endpoint, tables, Key=key, ReturnValues="UPDATED_NEW",
                  AttributeUpdates={"s": {"Action": "DELETE", "Value": {"NS": ["1", "2", "3"]}}})
    assert out == {}


def test_update_item_consumed_capacity_counts_the_larger_item_in_kilobytes(endpoint, tables):
    key = _k()
    body = "b" * (1009 - len(key["a"]["S"]))
    updates = {"b": {"Value": {"S": body}}, "c": {"Value": {"N": "12.3456"}}, "d": {"Value": {"B": "AQI="}},
               "e": {"Value": {"BS": ["AQI=", "Ag==", "AQ=="]}}}
    out = _update(endpoint, tables, Key=key, AttributeUpdates=updates, ReturnConsumedCapacity="TOTAL")
    assert out == {"ConsumedCapacity": {"CapacityUnits": 1.0, "TableName": tables["hash"]}}
    out = _update(endpoint, tables, Key=key, AttributeUpdates=updates, ReturnConsumedCapacity="INDEXES")
    assert out == {"ConsumedCapacity": {"CapacityUnits": 1.0, "Table": {"CapacityUnits": 1.0}, "TableName": tables["hash"]}}
    out = _update(endpoint, tables, Key=key, ReturnConsumedCapacity="TOTAL",
                  AttributeUpdates={"f": {"Value": {"S": "x" * 20}}})
    assert out["ConsumedCapacity"]["CapacityUnits"] == 2.0
