'use strict';
// pocketcloud's Node.js runtime loop, emulating AWS's Node.js runtimes
// (https://docs.aws.amazon.com/lambda/latest/dg/nodejs-handler.html): handler loading and its errors, the context
// object, callback / async / context.succeed styles, callbackWaitsForEmptyEventLoop, console log format.
//
// The pool starts this process as a spare, before it knows which function it will run, with aws-sdk v2 already
// required; the first frame on its channel (fd $POCKETCLOUD_CHANNEL_FD) assigns it a function (env, code dir,
// handler). A frame on the channel: an 8-byte header (two big-endian uint32: the lengths of meta and payload), meta
// (a JSON object), then the payload's raw bytes. In: {"t":"assign",...}, {"t":"invoke",...} + the event.
// Out: {"t":"spare"} once preloaded, {"t":"ready"} or {"t":"init_error"} + the error document,
// {"t":"result","ok","us","rss_kb","unread"?,"exit"?} + the result document. stdout/stderr are the log pipe,
// written synchronously (console.* below; Node writes process.stdout/stderr to a pipe synchronously on Linux), so an
// invoke's lines are in the pipe before its result leaves and the pool reads them when the result arrives; "unread":
// 0 says nothing was written during the invoke (the pool skips the read). After init "\0PC:init" is written there
// so the pool knows it has every init line. A console.* record spanning several lines is written with "\r" between
// them (as AWS's runtime does) and kept as one log event.
const fs = require('fs');
const net = require('net');
const path = require('path');
const util = require('util');
const Module = require('module');
const { pathToFileURL } = require('url');

let AWS = null;
try {
  AWS = require('aws-sdk');
  require('dynamodb-doc');
} catch (e) { /* runtime libraries not installed: functions that need them fail on require */ }

const chan = new net.Socket({ fd: Number(process.env.POCKETCLOUD_CHANNEL_FD || 3), readable: true, writable: true });
delete process.env.POCKETCLOUD_CHANNEL_FD;
// Bytes received and not yet a whole frame: kept as chunks and joined once the frame is complete (joining on every
// chunk copied a multi-MB event over and over).
let chunks = [];
let buffered = 0;
let needed = 8;
let assignment = null;
let handler = null;
let current = null; // the invoke in progress: {id, done, pending}
// Invokes the pool sent behind the running one (it does so for tiny functions that do not log, see pool.py's
// PIPELINE_DEPTH): started one at a time, in order, each once the one before it has answered.
const queued = [];
let requestIdForLogs = 'undefined';
let wroteLogs = false; // anything written to stdout/stderr since the last result
const EMPTY = Buffer.alloc(0);

function send(msg, payload, then) {
  const meta = Buffer.from(JSON.stringify(msg), 'utf8');
  const body = payload === undefined ? EMPTY : Buffer.from(payload, 'utf8');
  const header = Buffer.allocUnsafe(8);
  header.writeUInt32BE(meta.length, 0);
  header.writeUInt32BE(body.length, 4);
  chan.ref();
  chan.write(Buffer.concat([header, meta, body], 8 + meta.length + body.length), then);
}

function writeLog(text) {
  wroteLogs = true;
  const data = Buffer.from(text, 'utf8');
  let offset = 0;
  while (offset < data.length) {
    try {
      offset += fs.writeSync(1, data, offset);
    } catch (e) {
      if (e.code !== 'EAGAIN') return;
    }
  }
}

function mark(label) {
  writeLog(`\0PC:${label}\n`);
}

function logRecord(level, message) {
  const text = String(message).replace(/\n/g, '\r');
  writeLog(`${new Date().toISOString()}\t${requestIdForLogs}\t${level}\t${text}\n`);
}

function noticeWrites(stream) {
  const write = stream.write;
  stream.write = function (...args) {
    wroteLogs = true;
    return write.apply(this, args);
  };
}

function patchConsole() {
  const levels = { log: 'INFO', info: 'INFO', warn: 'WARN', error: 'ERROR', debug: 'DEBUG' };
  for (const [name, level] of Object.entries(levels)) {
    console[name] = (...args) => logRecord(level, util.format(...args));
  }
  console.trace = (...args) => {
    const err = new Error(util.format(...args));
    err.name = 'Trace';
    logRecord('TRACE', err.stack);
  };
}

// ------------------------------------------------------------------ errors, as AWS's runtime shapes them

function isError(e) {
  return util.types.isNativeError(e) || (e && typeof e === 'object' && typeof e.name === 'string'
    && typeof e.message === 'string' && typeof e.stack === 'string');
}

function errorDocument(e) {
  try {
    if (isError(e)) {
      return { errorType: e.name, errorMessage: e.message, trace: String(e.stack).split('\n') };
    }
    return { errorType: typeof e, errorMessage: String(e), trace: [] };
  } catch (_) {
    return {
      errorType: 'handled',
      errorMessage: 'callback called with Error argument, but there was a problem while retrieving one or more of its message, name, and stack',
    };
  }
}

function runtimeError(name, message, cause) {
  const err = new Error(message);
  err.name = name;
  if (cause && cause.stack) err.stack = `${name}: ${message}\n${String(cause.stack).split('\n').slice(1).join('\n')}`;
  return err;
}

// ------------------------------------------------------------------ loading the handler

async function loadHandler(appRoot, fullHandler) {
  const match = /^([^.]*?)\.(.*)$/.exec(path.basename(fullHandler));
  if (!match || !match[2]) throw runtimeError('Runtime.MalformedHandlerName', `Bad handler ${fullHandler}`);
  const moduleRoot = path.dirname(fullHandler);
  const base = path.resolve(appRoot, moduleRoot, match[1]);
  const file = ['.js', '.mjs', '.cjs'].map((ext) => base + ext).find((f) => fs.existsSync(f));
  let mod;
  try {
    if (!file) {
      const err = new Error(`Cannot find module '${match[1]}'\nRequire stack:\n- ${__filename}`);
      err.code = 'MODULE_NOT_FOUND';
      throw err;
    }
    mod = file.endsWith('.mjs') ? await import(pathToFileURL(file).href) : requireOrImport(file);
    if (mod && typeof mod.then === 'function') mod = await mod;
  } catch (e) {
    if (e instanceof SyntaxError) throw runtimeError('Runtime.UserCodeSyntaxError', `${e.name}: ${e.message}`, e);
    if (e && e.code === 'MODULE_NOT_FOUND') throw runtimeError('Runtime.ImportModuleError', `Error: ${e.message}`, e);
    throw e;
  }
  let fn = mod;
  for (const part of match[2].split('.')) fn = fn == null ? undefined : fn[part];
  if (fn === undefined || fn === null) {
    throw runtimeError('Runtime.HandlerNotFound', `${fullHandler} is undefined or not exported`);
  }
  if (typeof fn !== 'function') throw runtimeError('Runtime.HandlerNotFound', `${fullHandler} is not a function`);
  return fn;
}

function requireOrImport(file) {
  try {
    return require(file);
  } catch (e) {
    if (e && e.code === 'ERR_REQUIRE_ESM') return import(pathToFileURL(file).href);
    throw e;
  }
}

// ------------------------------------------------------------------ assignment and invokes

function assign(a) {
  assignment = a;
  for (const key of Object.keys(process.env)) delete process.env[key];
  Object.assign(process.env, a.env);
  process.chdir(a.code_dir);
  Module._initPaths(); // NODE_PATH changed: rebuild the global module folders
  if (AWS) AWS.config = new AWS.Config(); // the SDK read region/credentials when preloaded: re-read them
  patchConsole();
  noticeWrites(process.stdout);
  noticeWrites(process.stderr);
  loadHandler(a.code_dir, a.handler).then((fn) => {
    handler = fn;
    mark('init');
    send({ t: 'ready' });
  }, (e) => {
    const doc = errorDocument(e);
    logRecord('ERROR', `Uncaught Exception \t${JSON.stringify(Object.assign({}, doc, { stack: doc.trace, trace: undefined }))}`);
    mark('init');
    send({ t: 'init_error' }, JSON.stringify(doc), () => process.exit(1));
  });
}

function makeContext(msg, finish) {
  const env = process.env;
  // The invoke's clock starts now, not when the pool sent it (it may have waited here behind another).
  const deadline = msg.timeout_ms ? Date.now() + msg.timeout_ms : msg.deadline_ms;
  const context = {
    callbackWaitsForEmptyEventLoop: true,
    functionName: env.AWS_LAMBDA_FUNCTION_NAME,
    functionVersion: env.AWS_LAMBDA_FUNCTION_VERSION,
    invokedFunctionArn: msg.arn || assignment.arn,
    memoryLimitInMB: env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE,
    awsRequestId: msg.id,
    logGroupName: env.AWS_LAMBDA_LOG_GROUP_NAME,
    logStreamName: env.AWS_LAMBDA_LOG_STREAM_NAME,
    identity: msg.identity ? JSON.parse(msg.identity) : undefined,
    clientContext: msg.client_context ? JSON.parse(msg.client_context) : undefined,
    getRemainingTimeInMillis: () => Math.max(deadline - Date.now(), 0),
    succeed: (result) => finish(null, result, false),
    fail: (err) => finish(err === undefined || err === null ? 'handled' : err, undefined, false),
    done: (err, result) => finish(err, result, false),
  };
  return context;
}

function invoke(msg, payload) {
  const inv = { id: msg.id, done: false, pending: null, started: process.hrtime.bigint() };
  current = inv;
  requestIdForLogs = msg.id;
  process.env._X_AMZN_TRACE_ID = msg.trace_id || '';
  const finish = (err, result, waitForEmptyLoop) => {
    if (inv.done || inv.pending) return;
    inv.pending = buildResult(err, result);
    if (!waitForEmptyLoop) respond(inv);
    // otherwise the response goes out on 'beforeExit', once the event loop has drained
  };
  const context = makeContext(msg, finish);
  const callback = (err, result) => finish(err, result, context.callbackWaitsForEmptyEventLoop);
  chan.unref(); // lets 'beforeExit' tell us when the function's own work is done
  let event;
  try {
    event = payload.length ? JSON.parse(payload.toString('utf8')) : {};
    const ret = handler(event, context, callback);
    if (ret && typeof ret.then === 'function') {
      ret.then((r) => finish(null, r, false), (e) => finish(e === undefined ? 'undefined' : e, undefined, false));
    }
  } catch (e) {
    finish(e, undefined, false);
  }
}

function buildResult(err, result) {
  if (err !== null && err !== undefined) {
    const doc = errorDocument(err);
    logRecord('ERROR', `Invoke Error \t${JSON.stringify({ errorType: doc.errorType, errorMessage: doc.errorMessage, stack: doc.trace })}`);
    return { ok: false, payload: JSON.stringify(doc) };
  }
  try {
    const text = JSON.stringify(result === undefined ? null : result);
    return { ok: true, payload: text === undefined ? 'null' : text };
  } catch (e) {
    const doc = { errorType: 'Runtime.MarshalError', errorMessage: `Unable to stringify response body: ${e.message}`, trace: [] };
    return { ok: false, payload: JSON.stringify(doc) };
  }
}

// The peak RSS of this process for the REPORT line: VmHWM from /proc/self/status. Not
// process.resourceUsage().maxRSS: Linux carries the spawning process's peak RSS into it across exec, so a Node.js
// worker started by a 300 MB server would report at least 300 MB. Reading status costs ~12 µs (the kernel formats
// the whole file), statm ~2 µs: the peak is re-read when the resident size (statm) has grown past the last peak
// read, and every PEAK_EVERY invokes for a peak reached and left within an invoke (then reported a few invokes late).
const PEAK_EVERY = 32;
const procFd = (name) => { try { return fs.openSync(`/proc/self/${name}`, 'r'); } catch (e) { return -1; } };
const statusFd = procFd('status');
const statmFd = procFd('statm');
const procBuf = Buffer.alloc(4096);
const HWM = Buffer.from('VmHWM:');
const PAGE_KB = 4;
let peakKb = 0;
let sincePeakRead = PEAK_EVERY;

function readPeakKb() {
  const n = fs.readSync(statusFd, procBuf, 0, procBuf.length, 0);
  const at = procBuf.indexOf(HWM);
  return at >= 0 && at < n ? parseInt(procBuf.toString('latin1', at + HWM.length, Math.min(n, at + 40)), 10) : 0;
}

function residentKb() {
  const n = fs.readSync(statmFd, procBuf, 0, procBuf.length, 0);
  return parseInt(procBuf.toString('latin1', procBuf.indexOf(32) + 1, n), 10) * PAGE_KB;  // 2nd field: pages
}

function peakRssKb() {
  if (statusFd < 0 || statmFd < 0) return process.resourceUsage().maxRSS;
  try {
    sincePeakRead += 1;
    if (sincePeakRead >= PEAK_EVERY || residentKb() > peakKb) {
      sincePeakRead = 0;
      peakKb = Math.max(peakKb, readPeakKb());
    }
    if (peakKb > 0) return peakKb;
  } catch (e) { /* fall back below */ }
  return process.resourceUsage().maxRSS;
}

function respond(inv, extra) {
  if (inv.done) return;
  inv.done = true;
  const duration = Number((process.hrtime.bigint() - inv.started) / 1000n);
  if (current === inv) current = null;
  requestIdForLogs = 'undefined';
  // us: the duration in whole µs; rss_kb: the peak RSS for the REPORT line (cheaper here than the pool reading
  // /proc/<pid>/status); unread 0: no log line since the last result.
  const meta = { t: 'result', ok: inv.pending.ok, us: duration, rss_kb: peakRssKb() };
  if (!wroteLogs) meta.unread = 0;
  wroteLogs = false;
  if (extra && extra.exit) meta.exit = true;
  send(meta, inv.pending.payload, extra && extra.exit ? () => process.exit(129) : undefined);
  // The next one starts on a later turn of the event loop: code after a handler's context.succeed() still runs as
  // part of the invoke it answered.
  if (queued.length && !(extra && extra.exit)) setImmediate(startQueued);
}

function take(msg, payload) {
  if (current || queued.length) queued.push([msg, payload]);
  else invoke(msg, payload);
}

function startQueued() {
  if (current || !queued.length) return;
  const [msg, payload] = queued.shift();
  invoke(msg, payload);
}

process.on('beforeExit', () => {
  const inv = current;
  if (inv && !inv.done) {
    // The loop drained: answer the callback that waited for it, or, when the handler never answered,
    // answer null as AWS's runtime does.
    if (!inv.pending) inv.pending = { ok: true, payload: 'null' };
    respond(inv);
  } else {
    chan.ref();
  }
});

function fatal(kind, err) {
  const doc = kind === 'Runtime.UnhandledPromiseRejection'
    ? { errorType: kind, errorMessage: isError(err) ? `${err.name}: ${err.message}` : String(err), trace: isError(err) ? String(err.stack).split('\n') : [] }
    : errorDocument(err);
  const label = kind === 'Runtime.UnhandledPromiseRejection' ? 'Unhandled Promise Rejection' : 'Uncaught Exception';
  logRecord('ERROR', `${label} \t${JSON.stringify({ errorType: doc.errorType, errorMessage: doc.errorMessage, stack: doc.trace })}`);
  const inv = current;
  if (inv && !inv.done) {
    inv.pending = { ok: false, payload: JSON.stringify(doc) };
    respond(inv, { exit: true });
  } else {
    mark('fatal');
    process.exit(129);
  }
}

process.on('uncaughtException', (err) => fatal('uncaught', err));
process.on('unhandledRejection', (reason) => fatal('Runtime.UnhandledPromiseRejection', reason));

chan.on('data', (chunk) => {
  chunks.push(chunk);
  buffered += chunk.length;
  if (buffered < needed) return;
  let inbox = chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, buffered);
  chunks = [];
  buffered = 0;
  needed = 8;
  while (inbox.length >= 8) {
    const metaEnd = 8 + inbox.readUInt32BE(0);
    const end = metaEnd + inbox.readUInt32BE(4);
    if (inbox.length < end) {
      needed = end;
      break;
    }
    const msg = JSON.parse(inbox.toString('utf8', 8, metaEnd));
    const payload = inbox.subarray(metaEnd, end);
    inbox = inbox.subarray(end);
    if (msg.t === 'assign') assign(msg);
    else if (msg.t === 'invoke') take(msg, payload);
  }
  if (inbox.length) {
    chunks.push(inbox);
    buffered = inbox.length;
  }
});
chan.on('end', () => process.exit(0));
chan.on('error', () => process.exit(0));
send({ t: 'spare' });
