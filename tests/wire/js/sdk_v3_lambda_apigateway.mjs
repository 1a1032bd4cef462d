// @aws-sdk/client-lambda and @aws-sdk/client-api-gateway (v3) against pocketcloud: create and invoke a Node.js
// function, put a REST API with a Lambda proxy integration in front of it, deploy it, call it with fetch.
// Env: AWS_ENDPOINT_URL, FUNCTION (a new function name), ZIP (path of the function's zip: index.js, see the test).
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import {
  LambdaClient, CreateFunctionCommand, GetFunctionCommand, InvokeCommand, AddPermissionCommand,
} from "@aws-sdk/client-lambda";
import {
  APIGatewayClient, CreateRestApiCommand, GetResourcesCommand, CreateResourceCommand, PutMethodCommand,
  PutIntegrationCommand, CreateDeploymentCommand, GetRestApiCommand,
} from "@aws-sdk/client-api-gateway";

const endpoint = process.env.AWS_ENDPOINT_URL;
const region = process.env.AWS_DEFAULT_REGION;
const FunctionName = process.env.FUNCTION;
const zip = readFileSync(process.env.ZIP);
const lambda = new LambdaClient({ endpoint, region, maxAttempts: 1 });
const apigw = new APIGatewayClient({ endpoint, region, maxAttempts: 1 });
const decode = (bytes) => new TextDecoder().decode(bytes);

// --- Lambda
const created = await lambda.send(new CreateFunctionCommand({
  FunctionName, Runtime: "nodejs20.x", Handler: "index.handler", Role: "arn:aws:iam::000000000000:role/js-sdk-v3",
  Code: { ZipFile: zip }, Environment: { Variables: { GREETING: "hi from v3" } },
}));
assert.equal(created.$metadata.httpStatusCode, 201);
assert.equal(created.FunctionName, FunctionName);
assert.equal(created.FunctionArn, `arn:aws:lambda:${region}:000000000000:function:${FunctionName}`);
assert.equal(created.CodeSha256, createHash("sha256").update(zip).digest("base64"));
assert.equal(created.CodeSize, zip.length);
assert.match(created.LastModified, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+0000$/);

const got = await lambda.send(new GetFunctionCommand({ FunctionName }));
assert.equal(got.Configuration.FunctionArn, created.FunctionArn);
assert.equal(got.Configuration.Runtime, "nodejs20.x");
assert.equal(got.Configuration.Handler, "index.handler");
assert.equal(got.Configuration.State, "Active");
assert.deepEqual(got.Configuration.Environment.Variables, { GREETING: "hi from v3" });
assert.equal(got.Code.RepositoryType, "S3");
assert.match(got.Code.Location, /^https?:\/\//);

const ok = await lambda.send(new InvokeCommand({
  FunctionName, Payload: new TextEncoder().encode(JSON.stringify({ n: 41, who: "v3" })), LogType: "Tail",
}));
assert.equal(ok.StatusCode, 200);
assert.equal(ok.FunctionError, undefined);
assert.equal(ok.ExecutedVersion, "$LATEST");
assert.deepEqual(JSON.parse(decode(ok.Payload)), {
  echo: { n: 41, who: "v3" }, plusOne: 42, greeting: "hi from v3", functionName: FunctionName,
});
const tail = Buffer.from(ok.LogResult, "base64").toString("utf8");
assert.match(tail, /START RequestId: [0-9a-f-]{36}/);
assert.match(tail, /invoked with {"n":41,"who":"v3"}/);
assert.match(tail, /REPORT RequestId: /);

const failed = await lambda.send(new InvokeCommand({
  FunctionName, Payload: new TextEncoder().encode(JSON.stringify({ fail: "boom v3" })),
}));
assert.equal(failed.StatusCode, 200);
assert.equal(failed.FunctionError, "Unhandled");
assert.equal(failed.LogResult, undefined);
const failure = JSON.parse(decode(failed.Payload));
assert.equal(failure.errorType, "Error");
assert.equal(failure.errorMessage, "boom v3");
assert.ok(Array.isArray(failure.trace), "a Node.js error payload carries its stack as trace");

await assert.rejects(lambda.send(new GetFunctionCommand({ FunctionName: `${FunctionName}-missing` })), (err) => {
  assert.equal(err.name, "ResourceNotFoundException");
  assert.equal(err.$metadata.httpStatusCode, 404);
  assert.equal(err.message, `Function not found: ${created.FunctionArn}-missing`);
  return true;
});

// --- API Gateway: ANY /items/{id} -> the function, as a Lambda proxy
const api = await apigw.send(new CreateRestApiCommand({ name: `${FunctionName}-api`, description: "v3 wire test" }));
assert.equal(api.$metadata.httpStatusCode, 201);
assert.equal(api.name, `${FunctionName}-api`);
assert.match(api.id, /^[a-z0-9]{10}$/);
// createdDate travels as epoch seconds; a wrong encoding parses to an invalid or far-off Date.
assert.ok(Math.abs(api.createdDate.getTime() - Date.now()) < 300_000, `createdDate ${api.createdDate}`);
const fetched = await apigw.send(new GetRestApiCommand({ restApiId: api.id }));
assert.equal(fetched.description, "v3 wire test");

const resources = await apigw.send(new GetResourcesCommand({ restApiId: api.id }));
assert.deepEqual(resources.items.map((r) => r.path), ["/"]);
const rootId = resources.items[0].id;
const items = await apigw.send(new CreateResourceCommand({ restApiId: api.id, parentId: rootId, pathPart: "items" }));
assert.equal(items.path, "/items");
const item = await apigw.send(new CreateResourceCommand({ restApiId: api.id, parentId: items.id, pathPart: "{id}" }));
assert.equal(item.path, "/items/{id}");
assert.equal(item.parentId, items.id);

const method = await apigw.send(new PutMethodCommand({
  restApiId: api.id, resourceId: item.id, httpMethod: "ANY", authorizationType: "NONE",
}));
assert.equal(method.httpMethod, "ANY");
assert.equal(method.authorizationType, "NONE");
const uri = `arn:aws:apigateway:${region}:lambda:path/2015-03-31/functions/${created.FunctionArn}/invocations`;
const integration = await apigw.send(new PutIntegrationCommand({
  restApiId: api.id, resourceId: item.id, httpMethod: "ANY", type: "AWS_PROXY", integrationHttpMethod: "POST", uri,
}));
assert.equal(integration.type, "AWS_PROXY");
assert.equal(integration.uri, uri);
assert.equal(integration.httpMethod, "POST");

const permission = await lambda.send(new AddPermissionCommand({
  FunctionName, StatementId: "apigateway-invoke", Action: "lambda:InvokeFunction",
  Principal: "apigateway.amazonaws.com", SourceArn: `arn:aws:execute-api:${region}:000000000000:${api.id}/*`,
}));
assert.equal(permission.$metadata.httpStatusCode, 201);
const statement = JSON.parse(permission.Statement);
assert.equal(statement.Sid, "apigateway-invoke");
assert.deepEqual(statement.Principal, { Service: "apigateway.amazonaws.com" });
assert.equal(statement.Resource, created.FunctionArn);

const deployment = await apigw.send(new CreateDeploymentCommand({ restApiId: api.id, stageName: "prod" }));
assert.equal(deployment.$metadata.httpStatusCode, 201);
assert.ok(deployment.id);

const base = `${endpoint}/restapis/${api.id}/prod/_user_request_`;
const getResp = await fetch(`${base}/items/42?color=red`);
assert.equal(getResp.status, 201);
assert.equal(getResp.headers.get("x-handled-by"), FunctionName);
assert.deepEqual(await getResp.json(), {
  method: "GET", path: "/items/42", resource: "/items/{id}", pathParameters: { id: "42" },
  query: { color: "red" }, body: null, stage: "prod",
});
const postResp = await fetch(`${base}/items/7`, { method: "POST", body: "note from v3", headers: { "Content-Type": "text/plain" } });
assert.equal(postResp.status, 201);
const posted = await postResp.json();
assert.equal(posted.method, "POST");
assert.deepEqual(posted.pathParameters, { id: "7" });
assert.equal(posted.body, "note from v3");

await assert.rejects(apigw.send(new GetRestApiCommand({ restApiId: "nosuchapi0" })), (err) => {
  assert.equal(err.name, "NotFoundException");
  assert.equal(err.$metadata.httpStatusCode, 404);
  assert.equal(err.message, "Invalid API identifier specified 000000000000:nosuchapi0");
  return true;
});
console.log("ok");
