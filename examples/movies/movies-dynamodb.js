'use strict';
// The movies backend of "Powering Mobile Backend Services with AWS Lambda and Amazon API Gateway" (seed 000):
// one function behind five API Gateway methods. API Gateway's body mapping template (requestTemplate.vel) sends
// every request as {method, body, headers, queryParams, pathParams, resourcePath}; resourcePath says which
// operation was called:
//
//   GET  /movies                     list every movie
//   POST /movies/add-movie           {"title", "year", "info"}
//   POST /movies/delete-movie        {"title", "year"}
//   POST /movies/findbytitleandyear  {"title", "year"}
//   POST /movies/update-movie        {"title", "year", "info"}
//
// Written for the nodejs4.3 runtime, as in the post: ES5, callbacks, aws-sdk v2's DocumentClient.
// Errors are returned as Error objects whose message starts with "Bad request:" or "Not found:"; the API's
// integration responses select 400 and 404 with those prefixes (see deploy.sh).

var AWS = require('aws-sdk');
var config = require('./app_config.json');

// The post keeps the region and keys in app_config.json. On AWS, leave the keys out and let the function's role
// supply credentials; pocketcloud accepts any keys, and sends the SDK's calls to itself.
AWS.config.update({
  region: config.region,
  accessKeyId: config.accessKeyId,
  secretAccessKey: config.secretAccessKey
});

var TABLE = config.tableName || 'Movies';
var docClient = new AWS.DynamoDB.DocumentClient();

// ------------------------------------------------------------------ the generic callback mechanism
// Module-level state, as in the post: the invocation's Lambda callback, and what the DynamoDB calls gathered.
// A warm function reuses this module for the next invocation, so handler() resets both every time.
var lambdaCallback = null;
var gathered = null;

function sendResponse(err, data) {
  var callback = lambdaCallback;
  lambdaCallback = null;
  if (!callback) {
    console.log('sendResponse called twice; ignored', err || '');
    return;
  }
  if (err) {
    console.log('Error:', err.code || err.name, err.message);
    callback(err instanceof Error ? err : new Error(String(err)));
    return;
  }
  callback(null, data);
}

// DynamoDB's errors, said in the words the API maps to status codes.
function dynamoError(err, whatIsMissing) {
  if (err.code === 'ConditionalCheckFailedException' && whatIsMissing) {
    return new Error('Not found: ' + whatIsMissing);
  }
  if (err.code === 'ResourceNotFoundException') {
    return new Error('Not found: table ' + TABLE + ' does not exist (create it with movies-table.json)');
  }
  if (err.code === 'ValidationException') {
    return new Error('Bad request: ' + err.message);
  }
  return err;
}

// Each DynamoDB call finishes through here: errors become API errors, results are gathered and sent.
function gather(whatIsMissing, shape) {
  return function (err, data) {
    if (err) {
      sendResponse(dynamoError(err, whatIsMissing));
      return;
    }
    sendResponse(null, shape(data));
  };
}

// ------------------------------------------------------------------ input

function movieKey(body) {
  body = body || {};
  var year = parseInt(body.year, 10);
  if (!body.title || typeof body.title !== 'string') {
    throw new Error('Bad request: "title" is required');
  }
  if (isNaN(year) || String(year) !== String(body.year).trim()) {
    throw new Error('Bad request: "year" must be a whole number, like "2016"');
  }
  return { year: year, title: body.title };
}

function describe(key) {
  return 'no movie "' + key.title + '" (' + key.year + ')';
}

// ------------------------------------------------------------------ operations

function listMovies() {
  gathered = [];
  scanPage(undefined);
}

// Scan returns at most 1 MB at a time: follow LastEvaluatedKey until the table has been read.
function scanPage(startKey) {
  var params = { TableName: TABLE };
  if (startKey) params.ExclusiveStartKey = startKey;
  docClient.scan(params, function (err, data) {
    if (err) {
      sendResponse(dynamoError(err));
      return;
    }
    gathered = gathered.concat(data.Items);
    if (data.LastEvaluatedKey) {
      scanPage(data.LastEvaluatedKey);
      return;
    }
    gathered.sort(function (a, b) { return a.year - b.year || (a.title < b.title ? -1 : a.title > b.title ? 1 : 0); });
    sendResponse(null, { Items: gathered, Count: gathered.length });
  });
}

function addMovie(body) {
  var item = movieKey(body);
  item.info = body.info === undefined ? null : body.info;
  docClient.put({ TableName: TABLE, Item: item }, gather(null, function () {
    return { message: 'Added movie', Item: item };
  }));
}

function findMovie(body) {
  var key = movieKey(body);
  docClient.get({ TableName: TABLE, Key: key }, function (err, data) {
    if (err) {
      sendResponse(dynamoError(err));
    } else if (!data.Item) {
      sendResponse(new Error('Not found: ' + describe(key)));
    } else {
      sendResponse(null, { Item: data.Item });
    }
  });
}

function updateMovie(body) {
  var key = movieKey(body);
  if (body.info === undefined) {
    throw new Error('Bad request: "info" is required');
  }
  docClient.update({
    TableName: TABLE,
    Key: key,
    UpdateExpression: 'SET info = :info',
    ConditionExpression: 'attribute_exists(title)',
    ExpressionAttributeValues: { ':info': body.info },
    ReturnValues: 'ALL_NEW'
  }, gather(describe(key), function (data) {
    return { message: 'Updated movie', Item: data.Attributes };
  }));
}

function deleteMovie(body) {
  var key = movieKey(body);
  docClient['delete']({
    TableName: TABLE,
    Key: key,
    ConditionExpression: 'attribute_exists(title)',
    ReturnValues: 'ALL_OLD'
  }, gather(describe(key), function (data) {
    return { message: 'Deleted movie', Item: data.Attributes };
  }));
}

var operations = {
  'list': listMovies,
  'add-movie': addMovie,
  'delete-movie': deleteMovie,
  'findbytitleandyear': findMovie,
  'update-movie': updateMovie
};

// "/movies" lists; "/movies/add-movie" (through API Gateway) and "/add-movie" (the post's test event) add.
function operationFor(resourcePath) {
  var parts = String(resourcePath || '').split('/').filter(Boolean);
  if (parts.length === 1 && parts[0] === 'movies') return 'list';
  return parts[parts.length - 1];
}

exports.handler = function (event, context, callback) {
  lambdaCallback = callback;
  gathered = null;
  console.log('Request:', event.method, event.resourcePath);
  var name = operationFor(event.resourcePath);
  var operation = Object.prototype.hasOwnProperty.call(operations, name) ? operations[name] : null;
  if (!operation) {
    sendResponse(new Error('Bad request: unknown resource path "' + event.resourcePath + '"'));
    return;
  }
  var body = event.body;
  if (typeof body === 'string') {
    try {
      body = body ? JSON.parse(body) : {};
    } catch (e) {
      sendResponse(new Error('Bad request: the body is not JSON'));
      return;
    }
  }
  try {
    operation(body || {});
  } catch (err) {
    sendResponse(err);
  }
};
