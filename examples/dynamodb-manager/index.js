// LambdaFunctionOverHttps for Node.js (seed 002): the same operations as lambda_function.py, with aws-sdk v2's
// DocumentClient. API Gateway's POST /DynamoDBManager passes the request body through as the event:
//
//   {"operation": "create", "tableName": "LambdaTable", "payload": {"Item": {"Id": "1", "name": "Bob"}}}
console.log('Loading function');

var AWS = require('aws-sdk');
var dynamo = new AWS.DynamoDB.DocumentClient();

/**
 * Provide an event that contains the following keys:
 *
 *   - operation: one of the operations in the switch statement below
 *   - tableName: required for operations that interact with DynamoDB
 *   - payload: a parameter to pass to the operation being performed
 */
exports.handler = function(event, context, callback) {
    var operation = event.operation;

    if (event.tableName) {
        event.payload = event.payload || {};
        event.payload.TableName = event.tableName;
    }

    switch (operation) {
        case 'create':
            dynamo.put(event.payload, callback);
            break;
        case 'read':
            dynamo.get(event.payload, callback);
            break;
        case 'update':
            dynamo.update(event.payload, callback);
            break;
        case 'delete':
            dynamo.delete(event.payload, callback);
            break;
        case 'list':
            dynamo.scan(event.payload, callback);
            break;
        case 'echo':
            callback(null, event.payload);
            break;
        case 'ping':
            callback(null, 'pong');
            break;
        default:
            // The tutorial's version wrote this in single quotes, so ${operation} was never filled in.
            callback(`Unknown operation: ${operation}`);
    }
};
