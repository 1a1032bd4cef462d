"""XML writing from botocore shapes, for the `query` and `rest-xml` protocols."""

from __future__ import annotations

import base64
import datetime as _dt
from typing import Any
from xml.sax.saxutils import escape

from botocore.model import Shape

from .serialize import iso8601


def scalar_text(shape: Shape, value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, _dt.datetime):
        return iso8601(value)
    if isinstance(value, (bytes, bytearray)):
        return base64.b64encode(bytes(value)).decode()
    return str(value)


def members_xml(shape: Shape, value: dict[str, Any], out: list[str]) -> None:
    for name, member in shape.members.items():
        v = value.get(name)
        if v is None or member.serialization.get("location"):
            continue
        element_xml(member, v, member.serialization.get("name", name), out)


def element_xml(shape: Shape, value: Any, tag: str, out: list[str]) -> None:
    kind = shape.type_name
    if kind == "structure":
        out.append(f"<{tag}>")
        members_xml(shape, value, out)
        out.append(f"</{tag}>")
    elif kind == "list":
        item_tag = shape.member.serialization.get("name", "member")
        if shape.serialization.get("flattened"):
            for item in value:
                element_xml(shape.member, item, tag if item_tag == "member" else item_tag, out)
        else:
            out.append(f"<{tag}>")
            for item in value:
                element_xml(shape.member, item, item_tag, out)
            out.append(f"</{tag}>")
    elif kind == "map":
        key_tag = shape.key.serialization.get("name", "key")
        value_tag = shape.value.serialization.get("name", "value")
        flat = shape.serialization.get("flattened")
        if not flat:
            out.append(f"<{tag}>")
        for k, v in value.items():
            out.append(f"<{tag}>" if flat else "<entry>")
            element_xml(shape.key, k, key_tag, out)
            element_xml(shape.value, v, value_tag, out)
            out.append(f"</{tag}>" if flat else "</entry>")
        if not flat:
            out.append(f"</{tag}>")
    else:
        out.append(f"<{tag}>{escape(scalar_text(shape, value))}</{tag}>")
