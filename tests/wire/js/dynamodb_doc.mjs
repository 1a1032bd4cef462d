// dynamodb-doc 1.0.0 (the library of seed 001's Lambda function) wrapping an aws-sdk v2 client:
// putItem / scan / updateItem / deleteItem with the parameters the seed sends. Env: AWS_ENDPOINT_URL, TABLE (id S).
import assert from "node:assert/strict";
import { promisify } from "node:util";
import AWS from "aws-sdk";
import doc from "dynamodb-doc";

const TableName = process.env.TABLE;
const awsClient = new AWS.DynamoDB({ endpoint: process.env.AWS_ENDPOINT_URL, region: process.env.AWS_DEFAULT_REGION, maxRetries: 0 });
const dynamo = new doc.DynamoDB(awsClient);
const call = (name, params) => promisify(dynamo[name].bind(dynamo))(params);

// The seed's POST body: {"TableName": "messages", "Item": {...plain JSON...}}
await call("putItem", {
  TableName,
  Item: { id: "1", author: "Neil Armstrong", text: "That is one small step for (a) man, one giant leap for mankind" },
});
await call("putItem", { TableName, Item: { id: "2", author: "Someone", likes: 3 } });

const scanned = await call("scan", { TableName });
assert.equal(scanned.Count, 2);
const byId = Object.fromEntries(scanned.Items.map((i) => [i.id, i]));
assert.equal(byId["1"].author, "Neil Armstrong");
assert.equal(byId["2"].likes, 3);

await call("updateItem", {
  TableName, Key: { id: "2" }, UpdateExpression: "SET likes = likes + :n", ExpressionAttributeValues: { ":n": 2 },
});
const got = await call("getItem", { TableName, Key: { id: "2" } });
assert.equal(got.Item.likes, 5);

await call("deleteItem", { TableName, Key: { id: "1" } });
const rest = await call("scan", { TableName });
assert.deepEqual(rest.Items.map((i) => i.id), ["2"]);
console.log("ok");
