// aws-sdk v2 DocumentClient against pocketcloud: put/get/query/update/delete.
// Env: AWS_ENDPOINT_URL, TABLE (pk S hash, sk N range).
import assert from "node:assert/strict";
import AWS from "aws-sdk";

const TableName = process.env.TABLE;
const client = new AWS.DynamoDB.DocumentClient({
  endpoint: process.env.AWS_ENDPOINT_URL, region: process.env.AWS_DEFAULT_REGION, maxRetries: 0,
});

for (const sk of [1, 2, 3]) {
  await client.put({ TableName, Item: { pk: "v2", sk, title: `t${sk}`, year: 2016 } }).promise();
}
const got = await client.get({ TableName, Key: { pk: "v2", sk: 2 } }).promise();
assert.equal(got.Item.title, "t2");
assert.equal(got.Item.year, 2016);

const q = await client.query({
  TableName, KeyConditionExpression: "pk = :p", ExpressionAttributeValues: { ":p": "v2" },
}).promise();
assert.deepEqual(q.Items.map((i) => i.sk), [1, 2, 3]);
assert.equal(q.Count, 3);

const up = await client.update({
  TableName, Key: { pk: "v2", sk: 1 }, UpdateExpression: "SET #t = :t ADD #y :one",
  ExpressionAttributeNames: { "#t": "title", "#y": "year" }, ExpressionAttributeValues: { ":t": "new", ":one": 1 },
  ReturnValues: "UPDATED_NEW",
}).promise();
assert.deepEqual(up.Attributes, { title: "new", year: 2017 });

await assert.rejects(
  client.delete({ TableName, Key: { pk: "v2", sk: 2 }, ConditionExpression: "title = :x", ExpressionAttributeValues: { ":x": "nope" } }).promise(),
  (err) => err.code === "ConditionalCheckFailedException",
);
await client.delete({ TableName, Key: { pk: "v2", sk: 2 } }).promise();
const after = await client.get({ TableName, Key: { pk: "v2", sk: 2 } }).promise();
assert.equal(after.Item, undefined);
console.log("ok");
