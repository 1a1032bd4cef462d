"""Bad input against REAL Lambda resources: a function, a version, an alias and a permission exist, every
operation is fed wrong-typed / out-of-range / missing / oversized members with those real names, and each answer
must be a 4xx AWS error that boto3 parses into an error code the operation may answer — and afterwards the
function still invokes and reads back exactly as it was (nothing lost).

Requests go out raw (requests + botocore's own rest-json parser), so values of any JSON type reach the server;
the explicit cases below (bad code, bad qualifiers, function errors, policies) say which error AWS answers.
"""

from __future__ import annotations

import base64
import io
import json
import random
import uuid
import zipfile
from typing import Any
from urllib.parse import quote

import pytest
import requests
from botocore.parsers import RestJSONParser

from pocketcloud.protocols.specs import service_model
from pocketcloud.services.lambda_.operations import OPERATIONS

from lambda_helpers import ECHO_PY, ROLE, make_zip

MODEL = service_model("lambda")
SIGNED = ("AWS4-HMAC-SHA256 Credential=AKIDPOCKETCLOUDTEST/20260101/us-east-1/lambda/aws4_request, "
          "SignedHeaders=host, Signature=0")
# Errors any Lambda operation may answer besides its modelled ones: the model-validation pair (constraint,
# JSON type), a path no operation has, and the 413 Lambda answers for an oversized request body.
COMMON = {"ValidationException", "SerializationException", "UnknownOperationException",
          "InvalidParameterValueException", "RequestEntityTooLargeException"}
ACCOUNT = "000000000000"


# -- a raw rest-json client ---------------------------------------------------------------------------------------

def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (dict, list)):
        return json.dumps(value)
    return str(value)


class Answer:
    def __init__(self, op: str, params: dict[str, Any], response: requests.Response) -> None:
        self.op, self.params, self.status = op, params, response.status_code
        self.headers, self.body = response.headers, response.content
        parsed = RestJSONParser().parse(
            {"status_code": response.status_code, "headers": response.headers, "body": response.content},
            MODEL.operation_model(op).output_shape)
        self.code = parsed.get("Error", {}).get("Code") if response.status_code >= 300 else None
        self.message = parsed.get("Error", {}).get("Message", "")

    def __repr__(self) -> str:
        shown = {k: (v[:60] + "..." if isinstance(v, (str, bytes)) and len(v) > 60 else v)
                 for k, v in self.params.items()}
        return f"{self.op}({shown}) -> {self.status} {self.code}: {self.message[:200]!r}"


def send(endpoint: str, op: str, params: dict[str, Any], *, raw_body: bytes | None = None,
         headers: dict[str, str] | None = None) -> Answer:
    """One request for `op` with `params` placed where the model says (URI, query, header, body), any JSON type."""
    om = MODEL.operation_model(op)
    shape = om.input_shape
    path, _, fixed = om.http["requestUri"].partition("?")
    query: list[tuple[str, str]] = [tuple(q.split("=", 1)) for q in fixed.split("&") if q]  # type: ignore[misc]
    out_headers = {"Authorization": SIGNED, "Content-Type": "application/json", **(headers or {})}
    body: dict[str, Any] = {}
    payload: bytes | None = None
    payload_name = shape.serialization.get("payload") if shape is not None else None
    for name, value in params.items():
        member = shape.members[name]
        loc, wire = member.serialization.get("location"), member.serialization.get("name", name)
        if loc == "uri":
            path = path.replace("{%s+}" % wire, quote(_text(value), safe="")).replace(
                "{%s}" % wire, quote(_text(value), safe=""))
        elif loc == "querystring":
            many = member.type_name == "list" and isinstance(value, list)
            query += [(wire, _text(v)) for v in value] if many else [(wire, _text(value))]
        elif loc == "header":
            out_headers[wire] = _text(value)
        elif name == payload_name:
            payload = value if isinstance(value, bytes) else _text(value).encode()
        else:
            body[wire] = value
    for placeholder in [p for p in path.split("/") if p.startswith("{")]:
        path = path.replace(placeholder, "")  # a missing path member: the route loses a segment
    data = raw_body if raw_body is not None else payload if payload is not None else json.dumps(body).encode()
    r = requests.request(om.http["method"], endpoint + path, params=query, data=data, headers=out_headers,
                         timeout=30)
    return Answer(op, params, r)


def problem(answer: Answer, status: int | None = None, code: str | None = None) -> str | None:
    """Why `answer` breaks the rules (None when it does not): a 5xx, an error code the operation cannot answer,
    or not the status/code AWS answers for this input."""
    if answer.status >= 500:
        return f"5xx: {answer}"
    if answer.status >= 300:
        allowed = {e.name for e in MODEL.operation_model(answer.op).error_shapes} | COMMON
        if answer.code not in allowed:
            return f"unmodelled error code: {answer}"
    if status is not None and answer.status != status:
        return f"expected {status} {code}: {answer}"
    if code is not None and answer.code != code:
        return f"expected {code}: {answer}"
    return None


def check_all(cases: list[tuple[Answer, int | None, str | None]]) -> None:
    failures = [p for p in (problem(a, s, c) for a, s, c in cases) if p]
    assert not failures, "\n".join(failures[:15]) + f"\n({len(failures)} of {len(cases)} cases failed)"


# -- the resources every case points at ---------------------------------------------------------------------------

class Live:
    """The function made for this module: its name, ARN, published version and alias."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.arn = f"arn:aws:lambda:us-east-1:{ACCOUNT}:function:{name}"
        self.version = "1"
        self.alias = "live"
        self.sid = "allow-s3"


def _snapshot(client: Any, live: Live) -> dict[str, Any]:
    config = client.get_function_configuration(FunctionName=live.name)
    config.pop("ResponseMetadata")
    return {
        "config": config,
        "versions": [v["Version"] for v in client.list_versions_by_function(FunctionName=live.name)["Versions"]],
        "alias": {k: v for k, v in client.get_alias(FunctionName=live.name, Name=live.alias).items()
                  if k != "ResponseMetadata"},
        "policy": json.loads(client.get_policy(FunctionName=live.name)["Policy"]),
        "tags": client.list_tags(Resource=live.arn)["Tags"],
        "concurrency": client.get_function_concurrency(FunctionName=live.name).get("ReservedConcurrentExecutions"),
    }


@pytest.fixture(scope="module")
def live(lambda_client) -> Live:
    fn = Live("stateful-" + uuid.uuid4().hex[:10])
    lambda_client.create_function(FunctionName=fn.name, Runtime="python3.12", Role=ROLE, Handler="app.handler",
                                  Code={"ZipFile": make_zip({"app.py": ECHO_PY})}, Tags={"team": "robustness"},
                                  Environment={"Variables": {"GREETING": "hi"}})
    assert lambda_client.publish_version(FunctionName=fn.name)["Version"] == fn.version
    lambda_client.create_alias(FunctionName=fn.name, Name=fn.alias, FunctionVersion=fn.version)
    lambda_client.add_permission(FunctionName=fn.name, StatementId=fn.sid, Action="lambda:InvokeFunction",
                                 Principal="s3.amazonaws.com")
    before = _snapshot(lambda_client, fn)
    yield fn
    # Nothing any case sent may have changed the function, its version, alias, policy or tags.
    assert _snapshot(lambda_client, fn) == before
    for qualifier in (None, fn.version, fn.alias):
        kwargs = {"Qualifier": qualifier} if qualifier else {}
        out = lambda_client.invoke(FunctionName=fn.name, Payload=b'{"k": 1}', **kwargs)
        assert "FunctionError" not in out, out["Payload"].read()
        assert json.loads(out["Payload"].read())["echo"] == {"k": 1}
    lambda_client.delete_function(FunctionName=fn.name)


# -- every operation, one bad member at a time ------------------------------------------------------------------

def _valid(op: str, live: Live) -> dict[str, Any]:
    """Minimal valid parameters of `op` naming the live resources; cases spoil one member of these."""
    f = {"FunctionName": live.name}
    return {
        "AddPermission": {**f, "StatementId": "fuzz", "Action": "lambda:InvokeFunction", "Principal": "s3.amazonaws.com"},
        "CreateAlias": {**f, "Name": "fuzz-alias", "FunctionVersion": live.version},
        "CreateFunction": {"FunctionName": "fuzz-" + live.name, "Runtime": "python3.12", "Role": ROLE,
                           "Handler": "app.handler", "Code": {"ZipFile": base64.b64encode(make_zip({"app.py": ECHO_PY})).decode()}},
        "DeleteAlias": {**f, "Name": "no-such-alias"},
        "DeleteFunction": {**f, "Qualifier": "999"},
        "DeleteFunctionConcurrency": {"FunctionName": live.name + "-absent"},
        "GetAlias": {**f, "Name": live.alias},
        "PutFunctionConcurrency": {"FunctionName": live.name + "-absent", "ReservedConcurrentExecutions": 1},
        "RemovePermission": {**f, "StatementId": "no-such-sid"},
        "TagResource": {"Resource": live.arn + "-absent", "Tags": {"k": "v"}},
        "UntagResource": {"Resource": live.arn + "-absent", "TagKeys": ["team"]},
        "UpdateAlias": {**f, "Name": live.alias, "RevisionId": "stale"},
        "UpdateFunctionCode": {**f, "RevisionId": "stale", "ZipFile": base64.b64encode(make_zip({"app.py": ECHO_PY})).decode()},
        "UpdateFunctionConfiguration": {**f, "RevisionId": "stale"},
        "PublishVersion": {**f, "RevisionId": "stale"},
        "ListTags": {"Resource": live.arn},
        "Invoke": {**f, "Payload": b"{}"},
        "InvokeAsync": {"FunctionName": live.name + "-absent", "InvokeArgs": b"{}"},
        "ListFunctions": {},
        "GetAccountSettings": {},
    }.get(op, dict(f))


def _bad_values(member: Any, rng: random.Random) -> list[Any]:
    """Values `member` must refuse, whatever else is right: wrong JSON types, and breaches of its constraints."""
    kind, meta = member.type_name, member.metadata
    wrong_type = {
        "string": [5, True, [], {"a": 1}, 1.5],
        "integer": ["abc", 1.5, True, [], {}, 2 ** 63],
        "long": ["abc", 1.5, [], {}],
        "boolean": ["yes", 1, [], {}],
        "structure": ["text", [], 7, [{"a": 1}]],
        "list": ["text", {}, 7, True],
        "map": ["text", [], 7, {"k": {"nested": 1}}],
        "blob": [123, [], {}, "!!not base64!!"],
        "timestamp": ["yesterday", [], {}],
    }.get(kind, [])
    values = rng.sample(wrong_type, min(3, len(wrong_type)))
    if kind == "string":
        if "max" in meta:
            values.append("a" * (int(meta["max"]) + 1))
        if int(meta.get("min", 0)) > 0:
            values.append("")
        if "enum" in meta:
            values.append("NotAnEnumValue")
        if "pattern" in meta:
            values.append("has space/and?query#frag")
    if kind in ("integer", "long"):
        if "min" in meta:
            values.append(int(meta["min"]) - 1)
        if "max" in meta:
            values.append(int(meta["max"]) + 1)
    if kind == "list" and "max" in meta:
        values.append(["x86_64"] * (int(meta["max"]) + 1))
    return values


def _uri_safe(member: Any, value: Any) -> bool:
    # A path/query/header member only carries text: None would drop it (DeleteFunction without its Qualifier
    # deletes the whole function — a valid request, not a bad one), and a type it turns into valid text is no
    # bad input there.
    loc = member.serialization.get("location")
    if loc in ("uri", "querystring", "header"):
        return value is not None and not isinstance(value, (bool, int, float))
    return True


def test_every_operation_refuses_bad_members_with_a_modelled_4xx(endpoint, live):
    rng = random.Random(20260101)
    cases = []
    for op in sorted(OPERATIONS):
        if op not in MODEL.operation_names:
            continue
        shape = MODEL.operation_model(op).input_shape
        valid = _valid(op, live)
        for name, member in (shape.members.items() if shape is not None else []):
            for value in _bad_values(member, rng):
                if _uri_safe(member, value):
                    cases.append((send(endpoint, op, {**valid, name: value}), None, None))
        for name in (shape.required_members if shape is not None else []):
            cases.append((send(endpoint, op, {k: v for k, v in valid.items() if k != name}), None, None))
    check_all(cases)


# -- names and qualifiers --------------------------------------------------------------------------------------

def test_odd_qualifiers_and_function_names_get_the_answers_aws_gives(endpoint, live):
    n, other_region = live.name, live.arn.replace("us-east-1", "eu-west-1")
    cases = []
    for op in ("GetFunction", "GetFunctionConfiguration", "Invoke", "GetPolicy"):
        valid = _valid(op, live)
        for qualifier in ("0", "-1", "nope", "01", "007", "99999999999999999999", "$LATEST.PUBLISHED"):
            cases.append((send(endpoint, op, {**valid, "Qualifier": qualifier}), 404, "ResourceNotFoundException"))
        cases.append((send(endpoint, op, {**valid, "Qualifier": "x" * 200}), 400, "ValidationException"))
        cases.append((send(endpoint, op, {**valid, "FunctionName": f"{n}:1", "Qualifier": "live"}), 400,
                      "InvalidParameterValueException"))
        cases.append((send(endpoint, op, {**valid, "FunctionName": other_region}), 404, "ResourceNotFoundException"))
        cases.append((send(endpoint, op, {**valid, "FunctionName": f"{n}:$LATEST.PUBLISHED"}), 404,
                      "ResourceNotFoundException"))
        for name in (live.arn, f"{ACCOUNT}:function:{n}", f"{n}:1", f"{n}:{live.alias}", f"{n}:$LATEST"):
            if op != "GetPolicy" or not name.endswith((":1", ":live")):
                cases.append((send(endpoint, op, {**valid, "FunctionName": name}), 200, None))
    cases.append((send(endpoint, "GetFunction", {"FunctionName": other_region}), 404, "ResourceNotFoundException"))
    assert "Functions from 'eu-west-1' are not reachable in this region ('us-east-1')" in cases[-1][0].message
    check_all(cases)


def test_operations_on_the_function_itself_refuse_a_version_or_alias_in_its_name(endpoint, live):
    """UpdateFunctionCode("fn:1") used to update $LATEST; AWS refuses a qualifier other than $LATEST there."""
    zipped = base64.b64encode(make_zip({"app.py": ECHO_PY + "\n# changed\n"})).decode()
    spoiled = {
        "UpdateFunctionCode": {"ZipFile": zipped},
        "UpdateFunctionConfiguration": {"Description": "changed"},
        "PublishVersion": {},
        "PutFunctionConcurrency": {"ReservedConcurrentExecutions": 5},
        "DeleteFunctionConcurrency": {},
        "CreateAlias": {"Name": "from-qualified", "FunctionVersion": live.version},
        "UpdateAlias": {"Name": live.alias, "Description": "changed"},
        "DeleteAlias": {"Name": live.alias},
        "ListAliases": {},
        "ListVersionsByFunction": {},
    }
    cases = []
    for op, params in spoiled.items():
        for name in (f"{live.name}:{live.version}", f"{live.arn}:{live.alias}"):
            answer = send(endpoint, op, {"FunctionName": name, **params})
            cases.append((answer, 400, "InvalidParameterValueException"))
    for op, params in (("TagResource", {"Tags": {"k": "v"}}), ("UntagResource", {"TagKeys": ["team"]})):
        cases.append((send(endpoint, op, {"Resource": f"{live.arn}:{live.version}", **params}), 400,
                      "InvalidParameterValueException"))
    assert "does not support versions other than $LATEST" in cases[0][0].message
    check_all(cases)


def test_a_version_written_with_leading_zeros_names_no_version(endpoint, live):
    """Read as int, "01" was version 1: DeleteFunction(Qualifier="01") removed version 1 under its alias."""
    check_all([
        (send(endpoint, "DeleteFunction", {"FunctionName": live.name, "Qualifier": "01"}), 404,
         "ResourceNotFoundException"),
        (send(endpoint, "CreateAlias", {"FunctionName": live.name, "Name": "zeros", "FunctionVersion": "01"}), 404,
         "ResourceNotFoundException"),
        (send(endpoint, "AddPermission", {**_valid("AddPermission", live), "Qualifier": "01"}), 404,
         "ResourceNotFoundException"),
        (send(endpoint, "DeleteFunction", {"FunctionName": live.name, "Qualifier": live.version}), 409,
         "ResourceConflictException"),
    ])


# -- bad code and bad configuration ------------------------------------------------------------------------------

def _zip(entries: list[tuple[str, str]]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for name, text in entries:
            z.writestr(name, text)
    return buf.getvalue()


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


BAD_CODE = [
    ("not base64", {"ZipFile": "!!!not base64!!!"}, "SerializationException"),
    ("nothing", {"ZipFile": ""}, "InvalidParameterValueException"),
    ("an empty zip", {"ZipFile": _b64(_zip([]))}, "InvalidParameterValueException"),
    ("a zip of one empty file", {"ZipFile": _b64(_zip([(".placeholder", "")]))}, "InvalidParameterValueException"),
    ("a zip header and junk", {"ZipFile": _b64(b"PK\x03\x04 not really a zip")}, "InvalidParameterValueException"),
    ("plain text", {"ZipFile": _b64(b"def handler(e, c): pass")}, "InvalidParameterValueException"),
    ("a ../../ entry", {"ZipFile": _b64(_zip([("../../evil.py", "x = 1"), ("app.py", ECHO_PY)]))},
     "InvalidParameterValueException"),
    ("an absolute entry", {"ZipFile": _b64(_zip([("/tmp/evil.py", "x = 1")]))}, "InvalidParameterValueException"),
    ("S3 (not served)", {"S3Bucket": "bucket", "S3Key": "code.zip"}, "InvalidParameterValueException"),
    ("an image", {"ImageUri": f"{ACCOUNT}.dkr.ecr.us-east-1.amazonaws.com/x:latest"}, "InvalidParameterValueException"),
    ("no source", {}, "InvalidParameterValueException"),
]


def _huge_unzipped_zip() -> bytes:
    # 251 MB of zeros deflate to ~250 KB: over AWS's 262144000-byte unzipped limit without being big on the wire.
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        with z.open("app.py", "w", force_zip64=True) as f:
            block = b"\0" * (1 << 20)
            for _ in range(251):
                f.write(block)
    return buf.getvalue()


def test_bad_code_is_refused_by_create_function_and_update_function_code(endpoint, live):
    good = {"Runtime": "python3.12", "Role": ROLE, "Handler": "app.handler"}
    cases = []
    for i, (label, code, error) in enumerate(BAD_CODE + [("251 MB unzipped", {"ZipFile": _b64(_huge_unzipped_zip())},
                                                          "InvalidParameterValueException")]):
        create = send(endpoint, "CreateFunction", {"FunctionName": f"{live.name}-code{i}", **good, "Code": code})
        update = send(endpoint, "UpdateFunctionCode", {"FunctionName": live.name, **code})
        cases += [(create, 400, error), (update, 400, error)]
    check_all(cases)
    assert {a.message for a, _, _ in cases[4:8]} == {"Uploaded file must be a non-empty zip"}


BAD_CONFIG = [
    ({"Handler": "app handler"}, "ValidationException"),
    ({"Handler": "x" * 129}, "ValidationException"),
    ({"Runtime": "python9.9"}, "ValidationException"),
    ({"Runtime": "java21"}, "InvalidParameterValueException"),
    ({"Role": "my-role"}, "ValidationException"),
    ({"Role": "arn:aws:iam::123:role/x"}, "ValidationException"),
    ({"MemorySize": 64}, "ValidationException"),
    ({"MemorySize": 10241}, "ValidationException"),
    ({"MemorySize": "big"}, "SerializationException"),
    ({"Timeout": 0}, "ValidationException"),
    ({"Timeout": 901}, "ValidationException"),
    ({"Environment": {"Variables": {"AWS_REGION": "eu-west-1"}}}, "InvalidParameterValueException"),
    ({"Environment": {"Variables": {"AWS_LAMBDA_FUNCTION_NAME": "x"}}}, "InvalidParameterValueException"),
    ({"Environment": {"Variables": {"BIG": "x" * 4100}}}, "InvalidParameterValueException"),
    ({"Environment": {"Variables": {f"K{i}": "v" * 90 for i in range(50)}}}, "InvalidParameterValueException"),
    ({"Environment": {"Variables": {"1BAD": "x"}}}, "ValidationException"),
    ({"Environment": {"Variables": {"K": 5}}}, "SerializationException"),
    ({"Layers": ["not-a-layer-arn"]}, "ValidationException"),
    ({"EphemeralStorage": {"Size": 100}}, "ValidationException"),
    ({"TracingConfig": {"Mode": "Sometimes"}}, "ValidationException"),
    ({"Architectures": ["x86_64", "arm64"]}, "ValidationException"),
    ({"DeadLetterConfig": {"TargetArn": "not-an-arn"}}, "ValidationException"),
]


def test_bad_configuration_is_refused_by_create_and_update(endpoint, live):
    base = {"Runtime": "python3.12", "Role": ROLE, "Handler": "app.handler",
            "Code": {"ZipFile": _b64(make_zip({"app.py": ECHO_PY}))}}
    cases = []
    for i, (spoiled, error) in enumerate(BAD_CONFIG):
        cases.append((send(endpoint, "CreateFunction", {"FunctionName": f"{live.name}-cfg{i}", **base, **spoiled}),
                      400, error))
        if set(spoiled) <= set(MODEL.operation_model("UpdateFunctionConfiguration").input_shape.members):
            cases.append((send(endpoint, "UpdateFunctionConfiguration", {"FunctionName": live.name, **spoiled}),
                          400, error))
    image = {"FunctionName": f"{live.name}-image", "Role": ROLE, "PackageType": "Image", "Code": {}}
    cases.append((send(endpoint, "CreateFunction", image), 400, "InvalidParameterValueException"))
    check_all(cases)


# -- invoke ----------------------------------------------------------------------------------------------------

def test_invoke_refuses_bad_requests(endpoint, live):
    invoke = _valid("Invoke", live)
    context = lambda raw: {**invoke, "ClientContext": _b64(raw)}  # noqa: E731
    check_all([
        (send(endpoint, "Invoke", {**invoke, "Payload": b"{not json"}), 400, "InvalidRequestContentException"),
        (send(endpoint, "Invoke", {**invoke, "Payload": b'{"a": NaN}'}), 400, "InvalidRequestContentException"),
        (send(endpoint, "Invoke", {**invoke, "Payload": b"\xff\xfe\x00"}), 400, "InvalidRequestContentException"),
        (send(endpoint, "Invoke", {**invoke, "Payload": b'"' + b"x" * (6 * 1024 * 1024) + b'"'}), 413,
         "RequestEntityTooLargeException"),
        (send(endpoint, "Invoke", {**invoke, "InvocationType": "Event", "Payload": b'"' + b"x" * 262144 + b'"'}),
         413, "RequestEntityTooLargeException"),
        (send(endpoint, "Invoke", {**invoke, "InvocationType": "Later"}), 400, "ValidationException"),
        (send(endpoint, "Invoke", {**invoke, "LogType": "Everything"}), 400, "ValidationException"),
        (send(endpoint, "Invoke", {**invoke, "ClientContext": "!!!"}), 400, "InvalidRequestContentException"),
        (send(endpoint, "Invoke", context(b"not json")), 400, "InvalidRequestContentException"),
        (send(endpoint, "Invoke", context(b"[1, 2]")), 400, "InvalidRequestContentException"),
        (send(endpoint, "Invoke", context(b'"text"')), 400, "InvalidRequestContentException"),
        (send(endpoint, "Invoke", {**invoke, "Qualifier": "no-such-alias"}), 404, "ResourceNotFoundException"),
        (send(endpoint, "Invoke", {**invoke, "InvocationType": "DryRun", "Qualifier": "nope"}), 404,
         "ResourceNotFoundException"),
        (send(endpoint, "InvokeAsync", {"FunctionName": live.name, "InvokeArgs": b"{nope"}), 400,
         "InvalidRequestContentException"),
        (send(endpoint, "Invoke", {**invoke, "Payload": b"[1, 2]"}), 200, None),  # any JSON is an event
    ])


FAULTY = [  # (files, handler, errorType, errorMessage as AWS's Python runtime words it)
    ({"other.py": "x = 1"}, "app.handler", "Runtime.ImportModuleError", "Unable to import module 'app': No module named 'app'"),
    ({"app.py": "x = 1"}, "app.handler", "Runtime.HandlerNotFound", "Handler 'handler' missing on module 'app'"),
    ({"app.py": "def handler(e, c): return 1"}, "apphandler", "Runtime.MalformedHandlerName",
     "Bad handler 'apphandler': not enough values to unpack (expected 2, got 1)"),
    ({"app.py": "def handler(e, c) return 1"}, "app.handler", "Runtime.UserCodeSyntaxError", None),
    ({"app.py": "raise ValueError('boom at import')"}, "app.handler", "ValueError", "boom at import"),
    ({"app.py": "def handler(e, c): return {1, 2}"}, "app.handler", "Runtime.MarshalError",
     "Unable to marshal response: Object of type set is not JSON serializable"),
    ({"app.py": "def handler(e, c): return 'x' * (7 * 1024 * 1024)"}, "app.handler", "Function.ResponseSizeTooLarge",
     "Response payload size exceeded maximum allowed payload size (6291556 bytes)."),
    ({"app.py": "import os\ndef handler(e, c): os._exit(3)"}, "app.handler", "Runtime.ExitError", None),
]


def test_functions_that_cannot_run_answer_200_with_a_function_error(lambda_client, live):
    failures = []
    for i, (files, handler, error_type, message) in enumerate(FAULTY):
        name = f"{live.name}-fault{i}"
        lambda_client.create_function(FunctionName=name, Runtime="python3.12", Role=ROLE, Handler=handler,
                                      Code={"ZipFile": make_zip(files)})
        try:
            out = lambda_client.invoke(FunctionName=name, Payload=b"{}")
            body = json.loads(out["Payload"].read())
            if (out["StatusCode"], out.get("FunctionError"), body.get("errorType")) != (200, "Unhandled", error_type) \
                    or message is not None and body.get("errorMessage") != message:
                failures.append((handler, files, out["StatusCode"], out.get("FunctionError"), body))
        finally:
            lambda_client.delete_function(FunctionName=name)
    assert not failures, failures


# -- permissions, versions, aliases ----------------------------------------------------------------------------------

def test_permission_version_and_alias_mistakes_get_their_aws_errors(endpoint, live):
    add = _valid("AddPermission", live)
    alias = {"FunctionName": live.name, "Name": "weights", "FunctionVersion": live.version}
    check_all([
        (send(endpoint, "AddPermission", {**add, "StatementId": live.sid}), 409, "ResourceConflictException"),
        (send(endpoint, "AddPermission", {**add, "Principal": "two words"}), 400, "ValidationException"),
        (send(endpoint, "AddPermission", {**add, "SourceArn": "not-an-arn"}), 400, "ValidationException"),
        (send(endpoint, "AddPermission", {**add, "SourceAccount": "12"}), 400, "ValidationException"),
        (send(endpoint, "AddPermission", {**add, "Action": "s3:GetObject"}), 400, "ValidationException"),
        (send(endpoint, "AddPermission", {**add, "RevisionId": "stale"}), 412, "PreconditionFailedException"),
        (send(endpoint, "AddPermission", {**add, "Qualifier": "nope"}), 404, "ResourceNotFoundException"),
        (send(endpoint, "RemovePermission", {"FunctionName": live.name, "StatementId": "nope"}), 404,
         "ResourceNotFoundException"),
        (send(endpoint, "RemovePermission", {"FunctionName": live.name, "StatementId": live.sid, "RevisionId": "x"}),
         412, "PreconditionFailedException"),
        (send(endpoint, "RemovePermission", {"FunctionName": live.name, "StatementId": live.sid, "Qualifier": "1"}),
         404, "ResourceNotFoundException"),
        (send(endpoint, "GetPolicy", {"FunctionName": live.name, "Qualifier": live.alias}), 404,
         "ResourceNotFoundException"),
        (send(endpoint, "PublishVersion", {"FunctionName": live.name, "CodeSha256": "wrong"}), 400,
         "InvalidParameterValueException"),
        (send(endpoint, "PublishVersion", {"FunctionName": live.name, "RevisionId": "wrong"}), 412,
         "PreconditionFailedException"),
        (send(endpoint, "CreateAlias", {**alias, "Name": live.alias}), 409, "ResourceConflictException"),
        (send(endpoint, "CreateAlias", {**alias, "Name": "123"}), 400, "ValidationException"),
        (send(endpoint, "CreateAlias", {**alias, "FunctionVersion": "42"}), 404, "ResourceNotFoundException"),
        (send(endpoint, "CreateAlias", {**alias, "RoutingConfig": {"AdditionalVersionWeights": {"1": 1.5}}}), 400,
         "ValidationException"),
        (send(endpoint, "CreateAlias", {**alias, "RoutingConfig": {"AdditionalVersionWeights": {"7": 0.5}}}), 404,
         "ResourceNotFoundException"),
        (send(endpoint, "CreateAlias", {**alias, "RoutingConfig": {"AdditionalVersionWeights": {"$LATEST": 0.5}}}),
         400, "ValidationException"),
        (send(endpoint, "CreateAlias", {**alias, "RoutingConfig": {"AdditionalVersionWeights": {"1": "half"}}}), 400,
         "SerializationException"),
        (send(endpoint, "UpdateAlias", {**alias, "Name": "nope"}), 404, "ResourceNotFoundException"),
        (send(endpoint, "UpdateAlias", {**alias, "Name": live.alias, "RevisionId": "stale"}), 412,
         "PreconditionFailedException"),
        (send(endpoint, "UpdateAlias", {**alias, "Name": live.alias, "FunctionVersion": "77"}), 404,
         "ResourceNotFoundException"),
        (send(endpoint, "PutFunctionConcurrency", {"FunctionName": live.name, "ReservedConcurrentExecutions": 10**6}),
         400, "InvalidParameterValueException"),
        (send(endpoint, "DeleteFunction", {"FunctionName": live.name, "Qualifier": "$LATEST"}), 400,
         "InvalidParameterValueException"),
        (send(endpoint, "DeleteFunction", {"FunctionName": live.name, "Qualifier": live.alias}), 400,
         "InvalidParameterValueException"),
    ])
