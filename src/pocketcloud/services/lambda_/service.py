"""Lambda as the server sees it: rest-json over botocore's model, Lambda's error body, and the operation registry.

Besides AWS's routes, GET /2015-03-31/functions/<name>/pocketcloud-code/<sha256>.zip serves a function's zip:
the Code.Location that GetFunction answers (on AWS a presigned S3 URL).
"""

from __future__ import annotations

import re
from urllib.parse import unquote

from pocketcloud.protocols.base import ParsedRequest, Request
from pocketcloud.protocols.rest_json import RestJsonProtocol
from pocketcloud.protocols.specs import service_model
from pocketcloud.protocols.validate import Options
from pocketcloud.services.base import Service

from .errors import error_body
from .operations import CODE_ZIP_OPERATION, OPERATIONS
from .queue import start_queue

_CODE_ZIP = re.compile(r"^/2015-03-31/functions/([^/]+)/pocketcloud-code/([0-9a-f]{64})\.zip$")


class LambdaProtocol(RestJsonProtocol):
    def parse(self, request: Request) -> ParsedRequest:
        if request.method in ("GET", "HEAD"):
            m = _CODE_ZIP.match(request.raw_path)
            if m:
                query = request.query_dict()
                return ParsedRequest(CODE_ZIP_OPERATION, {
                    "name": unquote(m.group(1)), "sha": m.group(2),
                    "account": query.get("account", ""), "region": query.get("region", ""),
                })
        return super().parse(request)


# Limits Lambda enforces on Zip functions beyond the published model (its MemorySize max of 32768 is for
# functions on capacity providers); AWS words them as model violations ("Member must have value less than or
# equal to 10240"). https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html
_LIMITS = {"MemorySize": {"max": 10240}, "Timeout": {"max": 900}}

PROTOCOL = LambdaProtocol(service_model("lambda"), options=Options(overrides=_LIMITS), error_body=error_body)

SERVICE = Service(name="lambda", protocol=PROTOCOL, operations=OPERATIONS, on_startup=[start_queue])
