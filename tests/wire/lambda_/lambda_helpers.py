"""Helpers for the Lambda wire tests: the role ARN, a small echo function, zips made in memory."""

from __future__ import annotations

import io
import textwrap
import zipfile

ROLE = "arn:aws:iam::000000000000:role/LambdaServiceRole"

ECHO_PY = """
import json, os, time

def handler(event, context):
    print("event", json.dumps(event))
    if event.get("fail"):
        raise ValueError(event["fail"])
    if event.get("sleep"):
        time.sleep(event["sleep"])
    return {"echo": event, "greeting": os.environ.get("GREETING"), "version": context.function_version}
"""


def make_zip(files: dict[str, str]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, text in files.items():
            z.writestr(name, textwrap.dedent(text))
    return buf.getvalue()


