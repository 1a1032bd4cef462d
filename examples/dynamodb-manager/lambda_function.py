"""LambdaFunctionOverHttps (seed 002, "Using AWS Lambda with Amazon API Gateway"): DynamoDB operations over HTTPS.

API Gateway's POST /DynamoDBManager passes the request body through as the event:

    {"operation": "create", "tableName": "LambdaTable", "payload": {"Item": {"Id": "1", "name": "Bob"}}}

`operation` is one of create, read, update, delete, list (DynamoDB calls on the table `tableName`, with
`payload` as their parameters) or echo and ping (for testing: no table needed).
"""

import boto3

print("Loading function")


def lambda_handler(event, context):
    """Provide an event that contains the following keys:

      - operation: one of the operations in the operations dict below
      - tableName: required for operations that interact with DynamoDB
      - payload: a parameter to pass to the operation being performed
    """
    operation = event["operation"]

    if "tableName" in event:
        dynamo = boto3.resource("dynamodb").Table(event["tableName"])

    operations = {
        "create": lambda x: dynamo.put_item(**x),
        "read": lambda x: dynamo.get_item(**x),
        "update": lambda x: dynamo.update_item(**x),
        "delete": lambda x: dynamo.delete_item(**x),
        "list": lambda x: dynamo.scan(**x),
        "echo": lambda x: x,
        "ping": lambda x: "pong",
    }

    if operation in operations:
        return operations[operation](event.get("payload"))
    raise ValueError(f'Unrecognized operation "{operation}"')
