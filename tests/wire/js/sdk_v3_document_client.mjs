// @aws-sdk/lib-dynamodb (v3 DocumentClient) against pocketcloud: put/get/query/update/delete.
// Env: AWS_ENDPOINT_URL, TABLE (pk S hash, sk N range). Exits non-zero with the failing assertion.
import assert from "node:assert/strict";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import {
  DynamoDBDocumentClient, PutCommand, GetCommand, QueryCommand, UpdateCommand, DeleteCommand,
} from "@aws-sdk/lib-dynamodb";

const TableName = process.env.TABLE;
const client = DynamoDBDocumentClient.from(
  new DynamoDBClient({ endpoint: process.env.AWS_ENDPOINT_URL, region: process.env.AWS_DEFAULT_REGION }),
);

for (const sk of [1, 2, 3]) {
  await client.send(new PutCommand({ TableName, Item: { pk: "movie", sk, title: `t${sk}`, tags: new Set(["a"]) } }));
}
const got = await client.send(new GetCommand({ TableName, Key: { pk: "movie", sk: 2 }, ConsistentRead: true }));
assert.equal(got.Item.title, "t2");
assert.deepEqual([...got.Item.tags], ["a"]);

const q = await client.send(new QueryCommand({
  TableName, KeyConditionExpression: "pk = :p AND sk > :s", ExpressionAttributeValues: { ":p": "movie", ":s": 1 },
  ScanIndexForward: false,
}));
assert.deepEqual(q.Items.map((i) => i.sk), [3, 2]);

const up = await client.send(new UpdateCommand({
  TableName, Key: { pk: "movie", sk: 1 }, UpdateExpression: "SET title = :t, info = :i",
  ExpressionAttributeValues: { ":t": "new", ":i": { rating: 5, actors: ["x", "y"] } }, ReturnValues: "ALL_NEW",
}));
assert.equal(up.Attributes.title, "new");
assert.deepEqual(up.Attributes.info, { rating: 5, actors: ["x", "y"] });

await assert.rejects(
  client.send(new PutCommand({ TableName, Item: { pk: "movie", sk: 1 }, ConditionExpression: "attribute_not_exists(pk)" })),
  (err) => err.name === "ConditionalCheckFailedException",
);

const del = await client.send(new DeleteCommand({ TableName, Key: { pk: "movie", sk: 3 }, ReturnValues: "ALL_OLD" }));
assert.equal(del.Attributes.title, "t3");
const after = await client.send(new GetCommand({ TableName, Key: { pk: "movie", sk: 3 } }));
assert.equal(after.Item, undefined);
console.log("ok");
