"""Request parameter mappings (integration requestParameters): where each kind of source reads its value."""

from __future__ import annotations

from test_apigw_proxy_event import sample_request, sample_route

from pocketcloud.services.apigateway.execute.integration_request import map_request_parameters

AUTHORIZER = {"principalId": "me", "numKey": 1, "boolKey": True, "claims": {"sub": "u-1"}}


def mapped_headers(**sources: str) -> dict[str, str]:
    integration = {"requestParameters": {f"integration.request.header.{k}": v for k, v in sources.items()}}
    out = map_request_parameters(integration, sample_request(), sample_route(authorizer=AUTHORIZER), b"", {})
    return dict(out.headers)


def test_method_request_sources_and_literals():
    assert mapped_headers(a="method.request.header.User-Agent", b="method.request.querystring.tag",
                          c="method.request.multivaluequerystring.tag", d="method.request.path.id",
                          e="stageVariables.table", f="'fixed'") == {
        "a": "curl/8.4.0", "b": "b", "c": "a,b", "d": "42", "e": "movies-dev", "f": "fixed"}


def test_context_sources_are_stringified_as_in_templates_and_access_logs():
    # AWS documents $context.authorizer.<key> as the stringified value: "1" and "true" (not Python's "True").
    assert mapped_headers(a="context.authorizer.principalId", b="context.authorizer.numKey",
                          c="context.authorizer.boolKey", d="context.authorizer.claims.sub",
                          e="context.identity.sourceIp", f="context.requestTimeEpoch") == {
        "a": "me", "b": "1", "c": "true", "d": "u-1", "e": "203.0.113.7",
        "f": str(sample_request().request_time_epoch)}


def test_sources_without_a_value_map_nothing():
    assert mapped_headers(a="context.authorizer.claims", b="context.nothing", c="method.request.header.X-None",
                          d="stageVariables.none") == {}
