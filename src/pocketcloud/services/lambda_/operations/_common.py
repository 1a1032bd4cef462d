"""Helpers shared by Lambda's operations: reading/saving function documents and building configurations."""

from __future__ import annotations

import hashlib
from typing import Any

from pocketcloud.functions import RuntimeNotInstalled, UnsupportedRuntime, check_runtime

from ..errors import InvalidParameterValueException, PreconditionFailedException, ResourceNotFoundException
from ..models import LATEST, FunctionRef, function_arn, load_function, new_revision, now_modified, parse_function_name, scope

RESERVED_ENV = (
    "_HANDLER", "_X_AMZN_TRACE_ID", "AWS_DEFAULT_REGION", "AWS_REGION", "AWS_EXECUTION_ENV",
    "AWS_LAMBDA_FUNCTION_NAME", "AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "AWS_LAMBDA_FUNCTION_VERSION",
    "AWS_LAMBDA_INITIALIZATION_TYPE", "AWS_LAMBDA_LOG_GROUP_NAME", "AWS_LAMBDA_LOG_STREAM_NAME",
    "AWS_ACCESS_KEY", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN",
    "AWS_LAMBDA_RUNTIME_API", "LAMBDA_TASK_ROOT", "LAMBDA_RUNTIME_DIR",
)
# Configuration keys that tell one published version from another (PublishVersion reuses an unchanged one).
VERSIONED = ("CodeSha256", "Runtime", "Handler", "Role", "Timeout", "MemorySize", "Environment", "Description",
             "TracingConfig", "EphemeralStorage", "LoggingConfig", "DeadLetterConfig", "KMSKeyArn")


def ref(ctx: Any, name: str, qualifier: str | None = None) -> FunctionRef:
    """A FunctionName of the API taken apart. An ARN of another region names nothing reachable from here: AWS
    answers 404 "Functions from 'eu-west-1' are not reachable in this region ('us-east-1')"."""
    r = parse_function_name(name, ctx.account_id, ctx.region, qualifier)
    if r.region != ctx.region:
        raise ResourceNotFoundException(f"Functions from '{r.region}' are not reachable in this region ('{ctx.region}')")
    return r


def unqualified_ref(ctx: Any, name: str) -> FunctionRef:
    """`ref` for the operations that act on the function itself ($LATEST): a version or alias in the name
    ("fn:1", "...:function:fn:live") is refused as AWS refuses it, instead of quietly acting on $LATEST."""
    r = ref(ctx, name)
    if r.qualifier not in (None, LATEST):
        raise InvalidParameterValueException(
            "Current operation does not support versions other than $LATEST. "
            "Please set the version to $LATEST or do not set a version in your request."
        )
    return r


def load(ctx: Any, r: FunctionRef) -> dict[str, Any]:
    return load_function(ctx.state.storage.resources, r)


def save(ctx: Any, r: FunctionRef, doc: dict[str, Any]) -> None:
    ctx.state.storage.resources.put(scope(r.account, r.region), "function", r.name, doc)


def check_revision(config: dict[str, Any], revision: str | None) -> None:
    if revision and revision != config.get("RevisionId"):
        raise PreconditionFailedException(
            "The Revision Id provided does not match the latest Revision Id. "
            "Call the GetFunction/GetAlias API to retrieve the latest Revision Id"
        )


def check_runtime_param(runtime: str) -> None:
    try:
        check_runtime(runtime)
    except (UnsupportedRuntime, RuntimeNotInstalled) as e:
        raise InvalidParameterValueException(str(e)) from None


def check_environment(env: dict[str, Any] | None) -> None:
    variables = (env or {}).get("Variables") or {}
    reserved = [k for k in variables if k in RESERVED_ENV]
    if reserved:
        raise InvalidParameterValueException(
            "Lambda was unable to configure your environment variables because the environment variables you have "
            "provided contains reserved keys that are currently not supported for modification. "
            f"Reserved keys used in this request: {','.join(reserved)}"
        )
    size = sum(len(k) + len(str(v)) for k, v in variables.items())
    if size > 4096:
        raise InvalidParameterValueException(
            "Lambda was unable to configure your environment variables because the environment variables you have "
            "provided exceeded the 4KB limit. String measured: " + str(variables)
        )


def runtime_version_arn(region: str, runtime: str) -> str:
    digest = hashlib.sha256(runtime.encode()).hexdigest()
    return f"arn:aws:lambda:{region}::runtime:{digest}"


def apply_settings(config: dict[str, Any], params: dict[str, Any], region: str) -> None:
    """Copy the settable configuration members of CreateFunction/UpdateFunctionConfiguration into `config`."""
    for key in ("Role", "Handler", "Description", "Timeout", "MemorySize", "KMSKeyArn"):
        if key in params:
            config[key] = params[key]
    if "Runtime" in params:
        config["Runtime"] = params["Runtime"]
        config["RuntimeVersionConfig"] = {"RuntimeVersionArn": runtime_version_arn(region, params["Runtime"])}
    if "Environment" in params:
        config["Environment"] = {"Variables": dict(params["Environment"].get("Variables") or {})}
    if "TracingConfig" in params:
        config["TracingConfig"] = {"Mode": params["TracingConfig"].get("Mode", "PassThrough")}
    if "EphemeralStorage" in params:
        config["EphemeralStorage"] = {"Size": params["EphemeralStorage"]["Size"]}
    if "DeadLetterConfig" in params:
        config["DeadLetterConfig"] = params["DeadLetterConfig"]
    if "LoggingConfig" in params:
        logging_config = dict(config.get("LoggingConfig") or {})
        logging_config.update(params["LoggingConfig"])
        config["LoggingConfig"] = logging_config


def new_config(account: str, region: str, name: str, params: dict[str, Any], sha256: str, size: int) -> dict[str, Any]:
    config: dict[str, Any] = {
        "FunctionName": name,
        "FunctionArn": function_arn(account, region, name),
        "Runtime": params.get("Runtime"),
        "Role": params["Role"],
        "Handler": params.get("Handler"),
        "CodeSize": size,
        "Description": "",
        "Timeout": 3,
        "MemorySize": 128,
        "LastModified": now_modified(),
        "CodeSha256": sha256,
        "Version": "$LATEST",
        "TracingConfig": {"Mode": "PassThrough"},
        "RevisionId": new_revision(),
        "State": "Active",
        "LastUpdateStatus": "Successful",
        "PackageType": "Zip",
        "Architectures": list(params.get("Architectures") or ["x86_64"]),
        "EphemeralStorage": {"Size": 512},
        "SnapStart": {"ApplyOn": "None", "OptimizationStatus": "Off"},
        "LoggingConfig": {"LogFormat": "Text", "LogGroup": f"/aws/lambda/{name}"},
    }
    apply_settings(config, params, region)
    return config


def touch(config: dict[str, Any]) -> None:
    config["LastModified"] = now_modified()
    config["RevisionId"] = new_revision()
    config["State"] = "Active"
    config["LastUpdateStatus"] = "Successful"


def page(items: list[Any], marker: str | None, max_items: int | None, key: Any, default: int = 50) -> tuple[list[Any], str | None]:
    """Marker/MaxItems pagination over items sorted by `key`; the marker is the key of the last item returned."""
    limit = min(max_items or default, default)
    # Sort by the very key the marker compares, or a name that prefixes another ("pager", "pager-1") pages wrong.
    items = sorted(items, key=key)
    if marker:
        items = [i for i in items if key(i) > marker]
    chunk = items[:limit]
    return chunk, (key(chunk[-1]) if len(items) > limit and chunk else None)
