"""The resource-policy check the invoker makes for API Gateway (principal + AWS:SourceArn with * wildcards)."""

from __future__ import annotations

from pocketcloud.services.lambda_.invoker import allowed, arn_like
from pocketcloud.services.lambda_.operations._policy import build_statement

ACCOUNT = "000000000000"
API = "arn:aws:execute-api:us-east-1:000000000000:abc123"


def _function(*statements):
    return {"policies": {"": {"Version": "2012-10-17", "Id": "default", "Statement": list(statements)}}}


def _statement(**params):
    base = {"StatementId": "s", "Action": "lambda:InvokeFunction", "Principal": "apigateway.amazonaws.com"}
    return build_statement(ACCOUNT, "us-east-1", "fn", {**base, **params})


def test_arn_like_star_matches_across_stage_method_and_path_segments():
    assert arn_like(f"{API}/*/POST/db-api", f"{API}/prod/POST/db-api")
    assert arn_like(f"{API}/*", f"{API}/prod/GET/a/b")
    assert not arn_like(f"{API}/*/POST/db-api", f"{API}/prod/GET/db-api")


def test_a_statement_for_the_api_allows_that_api_and_no_other():
    fn = _function(_statement(SourceArn=f"{API}/*/*/*"))
    assert allowed(fn, None, "apigateway.amazonaws.com", f"{API}/prod/GET/x", ACCOUNT)
    assert not allowed(fn, None, "apigateway.amazonaws.com", "arn:aws:execute-api:us-east-1:000000000000:other/prod/GET/x", ACCOUNT)


def test_a_statement_for_another_principal_does_not_allow_api_gateway():
    fn = _function(_statement(Principal="s3.amazonaws.com"))
    assert not allowed(fn, None, "apigateway.amazonaws.com", f"{API}/prod/GET/x", ACCOUNT)


def test_a_statement_without_conditions_allows_any_source():
    assert allowed(_function(_statement()), None, "apigateway.amazonaws.com", f"{API}/prod/GET/x", ACCOUNT)


def test_an_empty_policy_allows_nobody():
    assert not allowed(_function(), None, "apigateway.amazonaws.com", f"{API}/prod/GET/x", ACCOUNT)


def test_a_source_account_condition_compares_the_account_of_the_source_arn():
    fn = _function(_statement(SourceAccount="111111111111"))
    assert not allowed(fn, None, "apigateway.amazonaws.com", f"{API}/prod/GET/x", ACCOUNT)
