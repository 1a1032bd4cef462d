"""Lambda's control plane through boto3: functions, code, configuration, listing and deletion."""

from __future__ import annotations

import base64
import hashlib
import re
import urllib.request

import pytest
from botocore.exceptions import ClientError

from lambda_helpers import ROLE, make_zip


def _error(exc: pytest.ExceptionInfo) -> tuple[str, int, str]:
    err = exc.value.response
    return err["Error"]["Code"], err["ResponseMetadata"]["HTTPStatusCode"], err["Error"]["Message"]


def test_create_function_returns_an_active_configuration_shaped_like_aws(create_function, unique_name):
    code = make_zip({"app.py": "def handler(e, c):\n    return 1\n"})
    config = create_function("def handler(e, c):\n    return 1\n", MemorySize=512, Timeout=10)
    assert config["FunctionName"] == unique_name
    assert config["FunctionArn"] == f"arn:aws:lambda:us-east-1:000000000000:function:{unique_name}"
    assert config["CodeSha256"] == base64.b64encode(hashlib.sha256(code).digest()).decode()
    assert config["CodeSize"] == len(code)
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+0000", config["LastModified"])
    assert (config["Version"], config["State"], config["LastUpdateStatus"]) == ("$LATEST", "Active", "Successful")
    assert (config["MemorySize"], config["Timeout"], config["Role"]) == (512, 10, ROLE)
    assert config["PackageType"] == "Zip" and config["Architectures"] == ["x86_64"]
    assert config["EphemeralStorage"] == {"Size": 512}
    assert config["TracingConfig"] == {"Mode": "PassThrough"}
    assert config["LoggingConfig"] == {"LogFormat": "Text", "LogGroup": f"/aws/lambda/{unique_name}"}


def test_create_function_twice_raises_resource_conflict(create_function, unique_name):
    create_function()
    with pytest.raises(ClientError) as exc:
        create_function()
    assert _error(exc) == ("ResourceConflictException", 409, f"Function already exist: {unique_name}")


def test_create_function_with_a_file_that_is_not_a_zip_raises_invalid_parameter(lambda_client, unique_name):
    with pytest.raises(ClientError) as exc:
        lambda_client.create_function(FunctionName=unique_name, Runtime="python3.12", Role=ROLE,
                                      Handler="app.handler", Code={"ZipFile": b"this is not a zip"})
    assert _error(exc) == ("InvalidParameterValueException", 400,
                           "Could not unzip uploaded file. Please check your file, then try to upload again.")


def test_create_function_with_an_unsupported_runtime_names_the_runtimes_that_work(create_function):
    with pytest.raises(ClientError) as exc:
        create_function(runtime="java17")
    code, status, message = _error(exc)
    assert (code, status) == ("InvalidParameterValueException", 400)
    assert "java17" in message and "python" in message and "nodejs" in message


def test_create_function_from_s3_explains_that_code_must_be_uploaded_as_a_zip(lambda_client, unique_name):
    with pytest.raises(ClientError) as exc:
        lambda_client.create_function(FunctionName=unique_name, Runtime="python3.12", Role=ROLE,
                                      Handler="app.handler", Code={"S3Bucket": "my-bucket", "S3Key": "k.zip"})
    code, status, message = _error(exc)
    assert (code, status) == ("InvalidParameterValueException", 400)
    assert "ZipFile" in message


def test_get_function_code_location_serves_the_uploaded_zip(lambda_client, create_function, unique_name):
    create_function("def handler(e, c):\n    return 2\n")
    got = lambda_client.get_function(FunctionName=unique_name)
    assert got["Configuration"]["FunctionName"] == unique_name
    assert got["Code"]["RepositoryType"] == "S3"
    with urllib.request.urlopen(got["Code"]["Location"], timeout=10) as r:
        body = r.read()
    assert body == make_zip({"app.py": "def handler(e, c):\n    return 2\n"})


def test_get_function_of_a_missing_function_raises_resource_not_found(lambda_client, unique_name):
    with pytest.raises(ClientError) as exc:
        lambda_client.get_function(FunctionName=unique_name)
    assert _error(exc) == ("ResourceNotFoundException", 404,
                           f"Function not found: arn:aws:lambda:us-east-1:000000000000:function:{unique_name}")
    assert exc.value.response["Error"].get("Type", "User") == "User"


def test_list_functions_pages_with_marker_and_max_items(lambda_client, create_function, unique_name):
    for i in range(3):
        create_function(FunctionName=f"{unique_name}-{i}")
    names, marker, pages = [], None, 0
    while pages < 100:
        kwargs = {"MaxItems": 2, **({"Marker": marker} if marker else {})}
        page = lambda_client.list_functions(**kwargs)
        assert len(page["Functions"]) <= 2
        names += [f["FunctionName"] for f in page["Functions"]]
        pages += 1
        marker = page.get("NextMarker")
        if not marker:
            break
    assert {f"{unique_name}-{i}" for i in range(3)} <= set(names)
    assert len(names) == len(set(names))


def test_update_function_configuration_changes_environment_and_waiters_return(lambda_client, create_function, unique_name):
    create_function()
    lambda_client.get_waiter("function_active_v2").wait(FunctionName=unique_name, WaiterConfig={"Delay": 1, "MaxAttempts": 3})
    before = lambda_client.get_function_configuration(FunctionName=unique_name)
    after = lambda_client.update_function_configuration(
        FunctionName=unique_name, Environment={"Variables": {"GREETING": "hi"}}, Timeout=7, MemorySize=256,
        Description="d",
    )
    lambda_client.get_waiter("function_updated_v2").wait(FunctionName=unique_name, WaiterConfig={"Delay": 1, "MaxAttempts": 3})
    assert after["Environment"] == {"Variables": {"GREETING": "hi"}}
    assert (after["Timeout"], after["MemorySize"], after["Description"]) == (7, 256, "d")
    assert after["RevisionId"] != before["RevisionId"]
    out = lambda_client.invoke(FunctionName=unique_name, Payload=b"{}")
    assert b'"greeting": "hi"' in out["Payload"].read()


def test_update_function_configuration_with_a_reserved_variable_is_rejected(lambda_client, create_function, unique_name):
    create_function()
    with pytest.raises(ClientError) as exc:
        lambda_client.update_function_configuration(FunctionName=unique_name, Environment={"Variables": {"AWS_REGION": "x"}})
    code, _, message = _error(exc)
    assert code == "InvalidParameterValueException" and "AWS_REGION" in message


def test_update_function_code_runs_the_new_code_and_changes_code_sha256(lambda_client, create_function, unique_name):
    first = create_function("def handler(e, c):\n    return 'old'\n")
    assert lambda_client.invoke(FunctionName=unique_name)["Payload"].read() == b'"old"'
    updated = lambda_client.update_function_code(
        FunctionName=unique_name, ZipFile=make_zip({"app.py": "def handler(e, c):\n    return 'new'\n"})
    )
    assert updated["CodeSha256"] != first["CodeSha256"]
    assert lambda_client.invoke(FunctionName=unique_name)["Payload"].read() == b'"new"'


def test_update_function_code_with_a_stale_revision_id_raises_precondition_failed(lambda_client, create_function, unique_name):
    create_function()
    with pytest.raises(ClientError) as exc:
        lambda_client.update_function_code(FunctionName=unique_name, ZipFile=make_zip({"app.py": ""}), RevisionId="stale")
    assert _error(exc)[:2] == ("PreconditionFailedException", 412)


def test_delete_function_removes_it(lambda_client, create_function, unique_name):
    create_function()
    lambda_client.delete_function(FunctionName=unique_name)
    with pytest.raises(ClientError) as exc:
        lambda_client.get_function_configuration(FunctionName=unique_name)
    assert _error(exc)[:2] == ("ResourceNotFoundException", 404)


def test_tags_are_added_listed_and_removed_by_function_arn(lambda_client, create_function):
    arn = create_function(Tags={"team": "a"})["FunctionArn"]
    lambda_client.tag_resource(Resource=arn, Tags={"env": "dev"})
    assert lambda_client.list_tags(Resource=arn)["Tags"] == {"team": "a", "env": "dev"}
    lambda_client.untag_resource(Resource=arn, TagKeys=["team"])
    assert lambda_client.list_tags(Resource=arn)["Tags"] == {"env": "dev"}


def test_get_account_settings_reports_limits_and_usage(lambda_client, create_function):
    create_function()
    settings = lambda_client.get_account_settings()
    assert settings["AccountLimit"]["ConcurrentExecutions"] == 1000
    assert settings["AccountLimit"]["CodeSizeUnzipped"] == 262144000
    assert settings["AccountUsage"]["FunctionCount"] >= 1


def test_list_functions_pages_every_function_once_when_one_name_prefixes_another(boto_session, endpoint, tmp_path):
    import io
    import zipfile

    lam = boto_session.client("lambda", endpoint_url=endpoint, region_name="ap-south-1")
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("index.py", "def handler(e, c):\n    return e\n")
    names = ["pager", "pager-1", "pager-2"]
    for name in names:
        lam.create_function(FunctionName=name, Runtime="python3.12", Role="arn:aws:iam::000000000000:role/r",
                            Handler="index.handler", Code={"ZipFile": buf.getvalue()})
    seen, marker = [], None
    for _ in range(10):
        kwargs = {"MaxItems": 1, **({"Marker": marker} if marker else {})}
        page = lam.list_functions(**kwargs)
        seen += [f["FunctionName"] for f in page["Functions"]]
        marker = page.get("NextMarker")
        if not marker:
            break
    assert sorted(seen) == names
