from __future__ import annotations

import pytest

from pocketcloud.services.apigateway.execute.routing import (
    ResourceRouter,
    RouteMatch,
    match_route,
    select_method,
)

RESOURCES = [
    "/",
    "/movies",
    "/movies/add-movie",
    "/movies/{id}",
    "/movies/{id}/cast",
    "/files/{proxy+}",
    "/{proxy+}",
]


@pytest.fixture(scope="module")
def router() -> ResourceRouter:
    return ResourceRouter(RESOURCES)


def test_root_path_matches_the_root_resource(router):
    assert router.match("/") == RouteMatch("/", {})


def test_literal_segment_wins_over_a_path_parameter(router):
    assert router.match("/movies/add-movie") == RouteMatch("/movies/add-movie", {})


def test_path_parameter_captures_one_segment(router):
    assert router.match("/movies/42") == RouteMatch("/movies/{id}", {"id": "42"})


def test_path_parameter_wins_over_a_greedy_parameter(router):
    assert router.match("/movies/42/cast") == RouteMatch("/movies/{id}/cast", {"id": "42"})


def test_greedy_parameter_captures_the_rest_of_the_path(router):
    assert router.match("/files/a/b/c.txt") == RouteMatch("/files/{proxy+}", {"proxy": "a/b/c.txt"})


def test_greedy_parameter_at_the_root_catches_unknown_paths(router):
    assert router.match("/movies/42/crew/x") == RouteMatch("/{proxy+}", {"proxy": "movies/42/crew/x"})


def test_greedy_parameter_needs_at_least_one_segment():
    assert match_route("/files", ["/files/{proxy+}"]) is None
    assert match_route("/files/", ["/files/{proxy+}"]) is None


def test_trailing_slash_is_tolerated(router):
    assert router.match("/movies/") == RouteMatch("/movies", {})
    assert router.match("/movies/7/") == RouteMatch("/movies/{id}", {"id": "7"})


def test_path_parameters_are_url_decoded(router):
    assert router.match("/movies/hello%20world") == RouteMatch("/movies/{id}", {"id": "hello world"})


def test_greedy_parameter_is_url_decoded_segment_by_segment(router):
    assert router.match("/files/a%20b/c%C3%A9") == RouteMatch("/files/{proxy+}", {"proxy": "a b/cé"})


def test_unknown_path_without_greedy_resource_matches_nothing():
    assert match_route("/nope", ["/movies", "/movies/{id}"]) is None


def test_query_string_is_ignored_when_present_in_the_path():
    assert match_route("/movies?x=1", ["/movies"]) == RouteMatch("/movies", {})


def test_matching_backtracks_to_a_parameter_when_the_literal_branch_dead_ends():
    resources = ["/a/b", "/{x}/c"]
    assert match_route("/a/c", resources) == RouteMatch("/{x}/c", {"x": "a"})


def test_greedy_parameter_under_a_parameter_resource():
    resources = ["/users/{uid}/{proxy+}"]
    assert match_route("/users/9/x/y", resources) == RouteMatch("/users/{uid}/{proxy+}", {"uid": "9", "proxy": "x/y"})


def test_empty_segment_does_not_fill_a_path_parameter():
    assert match_route("/movies//cast", ["/movies/{id}/cast"]) is None


def test_method_lookup_prefers_the_exact_method():
    assert select_method({"GET": "get", "ANY": "any"}, "GET") == "get"


def test_method_lookup_falls_back_to_any():
    assert select_method({"GET": "get", "ANY": "any"}, "DELETE") == "any"


def test_method_lookup_without_match_returns_none():
    assert select_method({"GET": "get"}, "POST") is None


def _stage(paths: list[str]):
    from pocketcloud.services.apigateway.execute.deployment import compile_stage

    resources = {f"r{i}": {"id": f"r{i}", "path": path, "resourceMethods": {"GET": {"httpMethod": "GET"}}}
                 for i, path in enumerate(paths)}
    stage = {"stageName": "prod", "deploymentId": "d1", "variables": {"v": "1"}}
    return compile_stage("api", "000000000000", "us-east-1", stage, {"resources": resources})


def test_a_stage_routes_a_method_and_path_once_and_answers_the_same_after():
    from pocketcloud.services.apigateway.execute.chain import route_request
    from pocketcloud.services.apigateway.execute.context import InvocationRequest

    deployed = _stage(["/", "/movies", "/movies/{id}"])
    first = route_request(deployed, InvocationRequest("GET", "/movies/42"))
    again = route_request(deployed, InvocationRequest("GET", "/movies/42"))
    other = route_request(deployed, InvocationRequest("GET", "/movies/7"))
    assert again == first
    assert first[2].resource_path == "/movies/{id}" and first[2].path_parameters == {"id": "42"}
    assert other[2].path_parameters == {"id": "7"}
    assert first[2].stage_variables == {"v": "1"}
    assert set(deployed.routes) == {("GET", "/movies/42"), ("GET", "/movies/7")}


def test_a_path_that_routes_nowhere_is_not_remembered_and_stays_a_403():
    from pocketcloud.services.apigateway.execute.chain import route_request
    from pocketcloud.services.apigateway.execute.context import InvocationRequest
    from pocketcloud.services.apigateway.execute.errors import GatewayError

    deployed = _stage(["/", "/movies"])
    for method, path in (("GET", "/nothing"), ("POST", "/movies"), ("GET", "/nothing")):
        with pytest.raises(GatewayError) as raised:
            route_request(deployed, InvocationRequest(method, path))
        assert raised.value.status == 403
    assert deployed.routes == {}


def test_the_route_memory_is_bounded(monkeypatch):
    from pocketcloud.services.apigateway.execute import chain
    from pocketcloud.services.apigateway.execute.context import InvocationRequest

    monkeypatch.setattr(chain, "ROUTES_REMEMBERED", 3)
    deployed = _stage(["/", "/movies/{id}"])
    for i in range(10):
        chain.route_request(deployed, InvocationRequest("GET", f"/movies/{i}"))
        assert len(deployed.routes) <= 3
