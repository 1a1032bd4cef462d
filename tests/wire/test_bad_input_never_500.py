"""Bad input of any kind gets a 4xx AWS error, never a 500: every operation of every JSON and REST service,
fed values of the wrong type for each of its members (a fixed, bounded set of cases)."""

from __future__ import annotations

import json
import random

import pytest
import requests

from pocketcloud.protocols.specs import service_model

SIGNED = "AWS4-HMAC-SHA256 Credential=AKID/20260101/us-east-1/{svc}/aws4_request, SignedHeaders=host, Signature=0"
WRONG = [None, True, -1, 1.5, "", "x" * 300, [], [1, "a"], {}, {"S": 1}, {"nested": {"deep": [None]}}]


def _bodies(shape, rng):
    members = list(shape.members) if shape is not None else []
    yield {}
    for name in members:
        for value in rng.sample(WRONG, 3):
            yield {name: value}
    yield {name: rng.choice(WRONG) for name in members}


@pytest.mark.parametrize("service, prefix", [("dynamodb", "DynamoDB_20120810"), ("logs", "Logs_20140328")])
def test_json_services_answer_malformed_requests_with_4xx(endpoint, service, prefix):
    model = service_model(service)
    rng = random.Random(7)
    version = model.metadata.get("jsonVersion", "1.0")
    failures = []
    for op in model.operation_names:
        for body in _bodies(model.operation_model(op).input_shape, rng):
            r = requests.post(endpoint, data=json.dumps(body), timeout=10, headers={
                "X-Amz-Target": f"{prefix}.{op}", "Content-Type": f"application/x-amz-json-{version}",
                "Authorization": SIGNED.format(svc=service)})
            if r.status_code >= 500 and r.status_code != 501:
                failures.append((op, body, r.status_code, r.text[:200]))
    assert not failures, failures[:5]


@pytest.mark.parametrize("service", ["lambda", "apigateway"])
def test_rest_services_answer_malformed_requests_with_4xx(endpoint, service):
    model = service_model(service)
    rng = random.Random(11)
    failures = []
    for op in model.operation_names:
        om = model.operation_model(op)
        uri = om.http["requestUri"].split("?")[0]
        path = uri.replace("{", "").replace("+}", "").replace("}", "")  # placeholders become their own names
        for body in list(_bodies(om.input_shape, rng))[:6]:
            r = requests.request(om.http["method"], endpoint + path, data=json.dumps(body), timeout=10,
                                 headers={"Authorization": SIGNED.format(svc=service), "Content-Type": "application/json"})
            if r.status_code >= 500 and r.status_code != 501:
                failures.append((op, path, body, r.status_code, r.text[:200]))
    assert not failures, failures[:5]


def test_garbage_bodies_get_4xx(endpoint):
    rng = random.Random(3)
    for _ in range(50):
        body = bytes(rng.getrandbits(8) for _ in range(rng.randint(0, 200)))
        r = requests.post(endpoint, data=body, timeout=10, headers={
            "X-Amz-Target": "DynamoDB_20120810.PutItem", "Content-Type": "application/x-amz-json-1.0",
            "Authorization": SIGNED.format(svc="dynamodb")})
        assert 400 <= r.status_code < 500, (body, r.status_code, r.text)
