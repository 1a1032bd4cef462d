-- DynamoDB JSON requests for wrk, signed-looking (any signature is accepted by every server benchmarked here).
--
--   wrk ... -s dynamodb.lua URL -- OP TABLE COUNT [BATCH THREADS]
--
-- OP is one of:
--   get    GetItem of a random item among COUNT loaded items
--   query  Query of a random partition (COUNT/100 partitions of 100 items), Limit 10
--   put    PutItem of a new item (unique per thread and request)
--   load   write items 0..COUNT-1 exactly once, BATCH per request (BatchWriteItem, or PutItem when BATCH is 1);
--          prints "progress <thread> <items>" lines and "done <thread>" when its share is written, then keeps
--          re-writing its own items until the runner interrupts wrk.
-- Item i lives at pk = "p%06d" % (i // 100), sk = i % 100: a partition holds 100 items.
-- done() prints one line "WRKJSON {...}" with the summary and latency percentiles (microseconds).

local thread_counter = 0

function setup(thread)
  thread:set("tid", thread_counter)
  thread_counter = thread_counter + 1
end

local PAYLOAD = string.rep("x", 100)
local TARGETS = { get = "GetItem", query = "Query", put = "PutItem" }

local function item_json(pk, sk)
  return string.format('{"pk":{"S":"%s"},"sk":{"N":"%d"},"n":{"N":"%d"},"data":{"S":"%s"}}', pk, sk, sk * 7, PAYLOAD)
end

local function pk_of(i)
  return string.format("p%06d", math.floor(i / 100))
end

function init(args)
  op = args[1]
  tbl = args[2]
  count = tonumber(args[3])
  batch = tonumber(args[4] or "25")
  nthreads = tonumber(args[5] or "1")
  tid = tid or 0
  seq = 0
  math.randomseed(os.time() * 1000 + tid * 7919)
  local target = TARGETS[op]
  if op == "load" then
    target = batch > 1 and "BatchWriteItem" or "PutItem"
    nbatches = math.ceil(count / batch)
    -- this thread writes batches tid, tid + nthreads, tid + 2 * nthreads, ...
    quota = math.floor((nbatches - 1 - tid) / nthreads) + 1
    if tid >= nbatches then quota = 0 end
    written, failed, reported, announced = 0, 0, 0, false
  else
    -- only the load phase reads responses: wrk parses bodies only when a response() exists
    response = nil
  end
  wrk.method = "POST"
  wrk.path = "/"
  wrk.headers["Content-Type"] = "application/x-amz-json-1.0"
  wrk.headers["X-Amz-Target"] = "DynamoDB_20120810." .. target
  wrk.headers["X-Amz-Date"] = "20260101T000000Z"
  wrk.headers["Authorization"] = "AWS4-HMAC-SHA256 Credential=AKID/20260101/us-east-1/dynamodb/aws4_request, "
    .. "SignedHeaders=host, Signature=0"
end

local function load_body()
  if quota == 0 then
    return string.format('{"TableName":"%s","Key":{"pk":{"S":"p000000"},"sk":{"N":"0"}}}', tbl)
  end
  local b = tid + (seq % quota) * nthreads
  seq = seq + 1
  local first = b * batch
  local last = math.min(first + batch, count) - 1
  if batch == 1 then
    return string.format('{"TableName":"%s","Item":%s}', tbl, item_json(pk_of(first), first % 100))
  end
  local parts = {}
  for i = first, last do
    parts[#parts + 1] = '{"PutRequest":{"Item":' .. item_json(pk_of(i), i % 100) .. '}}'
  end
  return string.format('{"RequestItems":{"%s":[%s]}}', tbl, table.concat(parts, ","))
end

function request()
  local body
  if op == "get" then
    local i = math.random(0, count - 1)
    body = string.format('{"TableName":"%s","Key":{"pk":{"S":"%s"},"sk":{"N":"%d"}}}', tbl, pk_of(i), i % 100)
  elseif op == "query" then
    local p = math.random(0, math.floor(count / 100) - 1)
    body = string.format(
      '{"TableName":"%s","KeyConditionExpression":"pk = :p","ExpressionAttributeValues":{":p":{"S":"p%06d"}},"Limit":10}',
      tbl, p)
  elseif op == "put" then
    seq = seq + 1
    body = string.format('{"TableName":"%s","Item":%s}', tbl, item_json(string.format("w%d-%d", tid, seq), 0))
  else
    body = load_body()
  end
  return wrk.format(nil, nil, nil, body)
end

function response(status, headers, body)
  if op ~= "load" or quota == 0 then return end
  if status == 200 then written = written + 1 else failed = failed + 1 end
  if written - reported >= 400 or (written >= quota and not announced) then
    reported = written
    io.write(string.format("progress %d %d %d\n", tid, math.min(written, quota) * batch, failed))
    if written >= quota and not announced then
      announced = true
      io.write(string.format("done %d\n", tid))
    end
    io.stdout:flush()
  end
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'WRKJSON {"requests":%d,"duration_us":%d,"bytes":%d,"errors":{"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d},'
    .. '"latency_us":{"mean":%.1f,"p50":%d,"p90":%d,"p99":%d,"max":%d}}\n',
    summary.requests, summary.duration, summary.bytes, e.connect, e.read, e.write, e.status, e.timeout,
    latency.mean, latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max))
end
