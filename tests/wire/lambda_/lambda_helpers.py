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
            # A fixed timestamp: the same files always make the same bytes (tests compare zips).
            info = zipfile.ZipInfo(name, date_time=(2020, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            z.writestr(info, textwrap.dedent(text))
    return buf.getvalue()


