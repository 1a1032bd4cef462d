"""AWS's `query` protocol (IAM, STS): form-encoded `Action=...&Version=...` in, XML out.

https://smithy.io/2.0/aws/protocols/aws-query-protocol.html
"""

from __future__ import annotations

from typing import Any
from xml.sax.saxutils import escape

from botocore.model import ServiceModel, Shape

from .base import ParsedRequest, Request, Response
from .errors import ServiceError
from .rest import convert_text
from .validate import Compiler, Options, validate
from .xmlwriter import members_xml


class InvalidAction(ServiceError):
    pass


class QueryProtocol:
    name = "query"

    def __init__(self, model: ServiceModel, *, options: Options | None = None) -> None:
        self.model = model
        self.options = options or Options()
        self.compiler = Compiler(self.options)
        self.xmlns = model.metadata.get("xmlNamespace") or f"https://{model.endpoint_prefix}.amazonaws.com/doc/{model.api_version}/"
        self._operations = set(model.operation_names)

    def params(self, request: Request) -> dict[str, str]:
        from urllib.parse import parse_qsl

        flat = dict(request.query)
        if request.body and request.method == "POST":
            flat.update(parse_qsl(request.body.decode("utf-8", "replace"), keep_blank_values=True))
        return flat

    def parse(self, request: Request) -> ParsedRequest:
        flat = self.params(request)
        action = flat.get("Action", "")
        if action not in self._operations:
            raise InvalidAction(f"Could not find operation {action} for version {flat.get('Version', '')}")
        shape = self.model.operation_model(action).input_shape
        data = _read_structure(shape, flat, "") if shape is not None else {}
        return ParsedRequest(action, validate(self.compiler, shape, data))

    def serialize(self, operation: str, result: dict[str, Any] | None, request_id: str) -> Response:
        op = self.model.operation_model(operation)
        out = [f'<{operation}Response xmlns="{self.xmlns}">']
        shape = op.output_shape
        if shape is not None:
            wrapper = shape.serialization.get("resultWrapper", f"{operation}Result")
            out.append(f"<{wrapper}>")
            members_xml(shape, result or {}, out)
            out.append(f"</{wrapper}>")
        out.append(f"<ResponseMetadata><RequestId>{request_id}</RequestId></ResponseMetadata></{operation}Response>")
        return Response(200, "".join(out).encode(), {"content-type": "text/xml", "x-amzn-requestid": request_id})

    def serialize_error(self, error: ServiceError, request_id: str) -> Response:
        kind = "Sender" if error.sender_fault else "Receiver"
        body = (
            f'<ErrorResponse xmlns="{self.xmlns}"><Error><Type>{kind}</Type><Code>{escape(error.code)}</Code>'
            f"<Message>{escape(error.message)}</Message></Error><RequestId>{request_id}</RequestId></ErrorResponse>"
        )
        return Response(error.status_code, body.encode(), {"content-type": "text/xml", "x-amzn-requestid": request_id})


def _read(shape: Shape, flat: dict[str, str], key: str) -> Any:
    kind = shape.type_name
    if kind == "structure":
        return _read_structure(shape, flat, key + ".")
    if kind == "list":
        if key in flat and flat[key] == "":
            return []
        base = key if shape.serialization.get("flattened") else key + "." + shape.member.serialization.get("name", "member")
        items = []
        i = 1
        while any(k == f"{base}.{i}" or k.startswith(f"{base}.{i}.") for k in flat):
            items.append(_read(shape.member, flat, f"{base}.{i}"))
            i += 1
        return items if items else None
    if kind == "map":
        base = key if shape.serialization.get("flattened") else key + ".entry"
        kname = shape.key.serialization.get("name", "key")
        vname = shape.value.serialization.get("name", "value")
        out = {}
        i = 1
        while f"{base}.{i}.{kname}" in flat:
            out[flat[f"{base}.{i}.{kname}"]] = _read(shape.value, flat, f"{base}.{i}.{vname}")
            i += 1
        return out if out else None
    if key not in flat:
        return None
    if kind == "blob":
        return flat[key]
    return convert_text(shape, flat[key])


def _read_structure(shape: Shape, flat: dict[str, str], prefix: str) -> dict[str, Any] | None:
    out = {}
    for name, member in shape.members.items():
        wire = member.serialization.get("name", name)
        value = _read(member, flat, prefix + wire)
        if value is not None:
            out[name] = value
    if prefix and not out:
        return None
    return out
