from __future__ import annotations

import json

import pytest

from pocketcloud.services.apigateway.execute.context import InvocationRequest, MatchedRoute
from pocketcloud.services.apigateway.execute.vtl import (
    InvalidRequestBody,
    MappingTemplateError,
    UtilVariable,
    compile_template,
    escape_javascript,
    render_request_template,
    render_response_template,
)

# Seed 000 (AWS Compute Blog, "Powering Mobile Backend Services with AWS Lambda and Amazon API Gateway"),
# with the closing braces and #end lines the blog's rendering lost.
SEED_000_TEMPLATE = """{
  "method": "$context.httpMethod",
  "body" : $input.json('$'),
  "headers": {
    #foreach($param in $input.params().header.keySet())
    "$param": "$util.escapeJavaScript($input.params().header.get($param))" #if($foreach.hasNext),#end
    #end
  },
  "queryParams": {
    #foreach($param in $input.params().querystring.keySet())
    "$param": "$util.escapeJavaScript($input.params().querystring.get($param))" #if($foreach.hasNext),#end
    #end
  },
  "pathParams": {
    #foreach($param in $input.params().path.keySet())
    "$param": "$util.escapeJavaScript($input.params().path.get($param))" #if($foreach.hasNext),#end
    #end
  },
  "resourcePath": "$context.resourcePath"
}"""


def request(body: bytes = b"", headers=(), query=(), method="POST", path="/movies/add-movie") -> InvocationRequest:
    return InvocationRequest(
        http_method=method,
        path=path,
        headers=tuple(headers),
        query=tuple(query),
        body=body,
        source_ip="203.0.113.7",
        user_agent="curl/8.4.0",
        api_id="a1b2c3d4e5",
        stage="dev",
        account_id="123456789012",
        domain_name="a1b2c3d4e5.execute-api.us-east-1.amazonaws.com",
        request_id="req-1",
        extended_request_id="ext-1",
        request_time_epoch=1795258800000,
    )


def route(path_parameters=None, stage_variables=None, authorizer=None, resource_path="/movies/add-movie") -> MatchedRoute:
    return MatchedRoute(
        resource_id="res1",
        resource_path=resource_path,
        path_parameters=path_parameters or {},
        stage_variables=stage_variables or {},
        authorizer=authorizer,
    )


def render(template: str, body: bytes = b"", **kwargs) -> str:
    route_kwargs = {k: kwargs.pop(k) for k in ("path_parameters", "stage_variables", "authorizer") if k in kwargs}
    return render_request_template(template, request(body, **kwargs), route(**route_kwargs)).body


# ------------------------------------------------------------------------------------------------ seed 000


def test_seed_000_template_renders_json_with_the_request_data():
    movie = {"title": "Godzilla vs. Dynamo", "year": "2016", "info": "New from Acme Films"}
    output = render(
        SEED_000_TEMPLATE,
        json.dumps(movie).encode(),
        headers=[("Content-Type", "application/json"), ("X-Note", 'say "hi" / it\'s')],
        query=[("TableName", "movies")],
        path_parameters={"id": "7"},
    )
    rendered = json.loads(output.replace("\\'", "'"))  # escapeJavaScript's \' is not JSON, as AWS warns
    assert rendered == {
        "method": "POST",
        "body": movie,
        "headers": {"Content-Type": "application/json", "X-Note": 'say "hi" / it\'s'},
        "queryParams": {"TableName": "movies"},
        "pathParams": {"id": "7"},
        "resourcePath": "/movies/add-movie",
    }


def test_seed_000_template_with_empty_body_and_no_params_parses_as_json():
    rendered = json.loads(render(SEED_000_TEMPLATE, b"", method="GET"))
    assert rendered == {
        "method": "GET",
        "body": {},
        "headers": {},
        "queryParams": {},
        "pathParams": {},
        "resourcePath": "/movies/add-movie",
    }


def test_compiled_templates_are_cached():
    assert compile_template(SEED_000_TEMPLATE) is compile_template(SEED_000_TEMPLATE)


# ------------------------------------------------------------------------------------------------ $input


def test_input_json_of_root_renders_the_body_as_compact_json():
    assert render("$input.json('$')", b'{"a": [1, 2], "b": {"c": true}}') == '{"a":[1,2],"b":{"c":true}}'


def test_input_json_of_empty_body_renders_an_empty_object():
    assert render("$input.json('$')", b"") == "{}"


def test_input_json_of_a_nested_path():
    assert render("$input.json('$.a.b')", b'{"a": {"b": {"c": 1}}}') == '{"c":1}'


def test_input_json_of_a_string_value_is_quoted():
    assert render("$input.json('$.name')", b'{"name": "Ann"}') == '"Ann"'


def test_input_json_of_a_missing_path_is_an_empty_string_literal():
    assert render("$input.json('$.nope')", b'{"name": "Ann"}') == '""'


def test_input_json_with_bracket_index_and_wildcard_paths():
    body = b'{"pets": [{"id": 1}, {"id": 2}], "my key": 5}'
    assert render("$input.json('$.pets[0]')", body) == '{"id":1}'
    assert render("$input.json('$.pets[*].id')", body) == "[1,2]"
    assert render("$input.json(\"$['my key']\")", body) == "5"


def test_input_json_on_an_invalid_json_body_raises_for_a_400():
    with pytest.raises(InvalidRequestBody) as error:
        render("$input.json('$')", b"{not json")
    assert error.value.message.startswith("Could not parse request body into json")


def test_input_path_returns_an_object_usable_in_the_template():
    assert render("$input.path('$').foo", b'{"foo": "bar"}') == "bar"
    assert render("$input.path('$.pets').size()", b'{"pets": [1, 2, 3]}') == "3"
    assert render("#foreach($p in $input.path('$.pets'))$p.id;#end", b'{"pets": [{"id": 1}, {"id": 2}]}') == "1;2;"


def test_input_path_of_things_has_size_as_in_the_aws_documented_example():
    template = '{"id": "$input.params(\'id\')", "count": "$input.path(\'$.things\').size()", "things": $input.json(\'$.things\')}'
    output = render(template, b'{"things": {"1": {}, "2": {}, "3": {}}}', path_parameters={"id": "abc"})
    assert json.loads(output) == {"id": "abc", "count": "3", "things": {"1": {}, "2": {}, "3": {}}}


def test_input_path_booleans_print_as_java_does():
    assert render("$input.path('$.a')", b'{"a": true}') == "true"
    assert render("#if($input.path('$.a'))yes#{else}no#end", b'{"a": false}') == "no"


def test_input_path_map_prints_as_a_java_map_with_json_lists():
    assert render("$input.path('$')", b'{"a": 1, "b": [{"c": 5}]}') == '{a=1, b=[{"c":5}]}'


def test_input_path_of_a_missing_value_renders_empty():
    assert render("[$input.path('$.nope')]", b"{}") == "[]"


def test_input_path_of_root_on_a_form_body_returns_the_raw_text():
    template = "#foreach($kv in $input.path('$').split('&'))$kv.split('=').get(0);#end"
    assert render(template, b"a=1&b=2") == "a;b;"


def test_input_body_is_the_raw_payload():
    assert render("$input.body", b'{"x": 1}') == '{"x": 1}'


def test_input_params_by_name_searches_path_then_querystring_then_header():
    kwargs = dict(path_parameters={"n": "path"}, query=[("n", "query"), ("q", "query")], headers=[("N", "header"), ("h", "header")])
    assert render("$input.params('n')", **kwargs) == "path"
    assert render("$input.params('q')", **kwargs) == "query"
    assert render("$input.params('h')", **kwargs) == "header"
    assert render("[$input.params('missing')]", **kwargs) == "[]"


def test_input_params_map_exposes_path_querystring_and_header_in_that_order():
    assert render("#foreach($t in $input.params().keySet())$t,#end") == "path,querystring,header,"


def test_multi_valued_query_parameter_gives_its_last_value_in_params():
    assert render("$input.params().querystring.get('t')", query=[("t", "a"), ("t", "b")]) == "b"


def test_documented_all_params_template_renders_valid_json():
    template = """#set($allParams = $input.params())
{
  "params" : {
    #foreach($type in $allParams.keySet())
    #set($params = $allParams.get($type))
    "$type" : {
      #foreach($paramName in $params.keySet())
      "$paramName" : "$util.escapeJavaScript($params.get($paramName))"
      #if($foreach.hasNext),#end
      #end
    }
    #if($foreach.hasNext),#end
    #end
  }
}"""
    output = render(template, query=[("q", "1")], headers=[("h", "2")], path_parameters={"p": "3"})
    assert json.loads(output) == {"params": {"path": {"p": "3"}, "querystring": {"q": "1"}, "header": {"h": "2"}}}


# ------------------------------------------------------------------------------------------------ $context


@pytest.mark.parametrize(
    "expression, expected",
    [
        ("$context.httpMethod", "POST"),
        ("$context.resourcePath", "/movies/add-movie"),
        ("$context.resourceId", "res1"),
        ("$context.requestId", "req-1"),
        ("$context.extendedRequestId", "ext-1"),
        ("$context.stage", "dev"),
        ("$context.path", "/dev/movies/add-movie"),
        ("$context.protocol", "HTTP/1.1"),
        ("$context.requestTime", "21/Nov/2026:11:00:00 +0000"),
        ("$context.requestTimeEpoch", "1795258800000"),
        ("$context.domainName", "a1b2c3d4e5.execute-api.us-east-1.amazonaws.com"),
        ("$context.domainPrefix", "a1b2c3d4e5"),
        ("$context.apiId", "a1b2c3d4e5"),
        ("$context.accountId", "123456789012"),
        ("$context.identity.sourceIp", "203.0.113.7"),
        ("$context.identity.userAgent", "curl/8.4.0"),
        ("[$context.identity.user]", "[]"),
        ("[$context.authorizer.principalId]", "[]"),
    ],
)
def test_context_variable_renders_its_value(expression, expected):
    assert render(expression) == expected


def test_authorizer_context_values_are_stringified_as_documented():
    authorizer = {"principalId": "me", "key": "value", "numKey": 1, "boolKey": True, "claims": {"sub": "u-1"}}
    template = "$context.authorizer.principalId|$context.authorizer.key|$context.authorizer.numKey|$context.authorizer.boolKey|$context.authorizer.claims.sub"
    assert render(template, authorizer=authorizer) == "me|value|1|true|u-1"


def test_stage_variables_by_dot_and_bracket():
    assert render("$stageVariables.table ${stageVariables['table']}", stage_variables={"table": "t1"}) == "t1 t1"


def test_response_override_set_in_a_template_is_returned():
    result = render_request_template(
        '#set($context.responseOverride.status = 400)#set($context.responseOverride.header.reason = "bad")ok',
        request(),
        route(),
    )
    assert result.body == "ok"
    assert result.response_override == {"header": {"reason": "bad"}, "status": 400}


# ------------------------------------------------------------------------------------------------ directives


def test_set_if_else_and_foreach_with_has_next():
    template = "#set($n = $input.path('$.n'))#if($n > 2)big#{else}small#end:#foreach($i in [1, 2, 3])$i#if($foreach.hasNext),#end#end"
    assert render(template, b'{"n": 5}') == "big:1,2,3"


@pytest.mark.parametrize(
    "expression, expected",
    [
        ("$s.toLowerCase()", "hello world"),
        ("$s.toUpperCase()", "HELLO WORLD"),
        ("$s.length()", "11"),
        ("$s.replaceAll('o', '0')", "Hell0 W0rld"),
        ("$s.replaceAll('([a-zA-Z]+) ([a-zA-Z]+)', '$2 $1')", "World Hello"),
        ("$s.substring(0, 5)", "Hello"),
        ("$s.indexOf('W')", "6"),
        ("$s.contains('lo W')", "true"),
        ("$s.startsWith('He')", "true"),
        ("$s.endsWith('x')", "false"),
        ("$s.trim()", "Hello World"),
        ("$s.isEmpty()", "false"),
        ("$s.split(' ').size()", "2"),
        ("$s.matches('H.*d')", "true"),
    ],
)
def test_java_string_methods_work_on_template_values(expression, expected):
    assert render("#set($s = $input.path('$.s'))" + expression, b'{"s": "Hello World"}') == expected


def test_map_methods_size_is_empty_and_contains_key():
    body = b'{"m": {"a": 1}}'
    assert render("#set($m = $input.path('$.m'))$m.size() $m.isEmpty() $m.containsKey('a')", body) == "1 false true"


def test_documented_replace_all_idiom_turns_escaped_single_quotes_back():
    template = """$util.escapeJavaScript($input.path('$.s')).replaceAll("\\\\'","'")"""
    assert render(template, json.dumps({"s": "it's"}).encode()) == "it's"


def test_undefined_reference_renders_empty_like_aws():
    assert render("[$nothing.here]") == "[]"


def test_syntax_error_raises_mapping_template_error():
    with pytest.raises(MappingTemplateError):
        render("#if($x)")


def test_response_template_reads_the_integration_body_and_keeps_request_params():
    result = render_response_template(
        '{"greeting": "$input.path(\'$.msg\')", "q": "$input.params(\'q\')"}',
        request(query=[("q", "1")]),
        route(),
        b'{"msg": "hi"}',
    )
    assert json.loads(result.body) == {"greeting": "hi", "q": "1"}


# ------------------------------------------------------------------------------------------------ $util


@pytest.mark.parametrize(
    "text, expected",
    [
        ("it's", "it\\'s"),
        ('say "hi"', 'say \\"hi\\"'),
        ("a\\b", "a\\\\b"),
        ("a/b", "a\\/b"),
        ("line1\nline2\r\t", "line1\\nline2\\r\\t"),
        ("\b\f", "\\b\\f"),
        ("\x01\x1f", "\\u0001\\u001F"),
        ("é", "\\u00E9"),
        ("€", "\\u20AC"),
        ("😀", "\\uD83D\\uDE00"),
        ("plain", "plain"),
    ],
)
def test_escape_javascript_follows_java_string_escape_rules(text, expected):
    assert escape_javascript(text) == expected


def test_escape_javascript_of_null_is_empty():
    assert escape_javascript(None) == ""


def test_parse_json_returns_navigable_objects_as_in_the_documented_example():
    body = json.dumps({"errorMessage": json.dumps({"key1": "var1", "key2": {"arr": [1, 2, 3]}})}).encode()
    template = """#set ($errorMessageObj = $util.parseJson($input.path('$.errorMessage')))
{
   "errorMessageObjKey2ArrVal" : $errorMessageObj.key2.arr[0]
}"""
    assert json.loads(render(template, body)) == {"errorMessageObjKey2ArrVal": 1}


@pytest.mark.parametrize(
    "text, expected",
    [("a b&c=d/é", "a+b%26c%3Dd%2F%C3%A9"), ("*._-", "*._-"), ("~", "%7E")],
)
def test_url_encode_is_form_encoding_like_java_url_encoder(text, expected):
    assert UtilVariable().urlEncode(text) == expected


def test_url_decode_turns_plus_into_space():
    assert UtilVariable().urlDecode("a+b%26c%C3%A9") == "a b&cé"


def test_base64_round_trip_is_utf8():
    util = UtilVariable()
    assert util.base64Encode("héllo") == "aMOpbGxv"
    assert util.base64Decode("aMOpbGxv") == "héllo"


def test_util_functions_render_from_a_template():
    assert render("$util.base64Encode('hi') $util.urlEncode('a b')") == "aGk= a+b"
