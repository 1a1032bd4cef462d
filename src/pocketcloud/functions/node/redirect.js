'use strict';
// Preloaded into every Node.js function (`node --require redirect.js`): sends every HTTP(S) request meant for
// *.amazonaws.com (or *.amazonaws.com.cn) to pocketcloud's endpoint over plain HTTP, so SDKs reach pocketcloud
// without code changes, even an old aws-sdk bundled in the function's zip with a hard-coded region, endpoint or
// credentials. The request is re-sent intact (method, path, headers, body); the Host header keeps its AWS value
// so the SigV4 signature still matches and pocketcloud can tell the service from it.
const http = require('http');
const https = require('https');
const { URL } = require('url');

const ENDPOINT = process.env.POCKETCLOUD_ENDPOINT_URL ? new URL(process.env.POCKETCLOUD_ENDPOINT_URL) : null;
const AWS_HOST = /(^|\.)amazonaws\.com(\.cn)?\.?$/i;
const originalHttpRequest = http.request;
const redirectAgent = new http.Agent({ keepAlive: true });

function isAwsHost(host) {
  return typeof host === 'string' && AWS_HOST.test(host.replace(/:\d+$/, ''));
}

// http.request accepts (url), (url, options), (options) with an optional callback last; normalise to one
// options object as Node itself does.
function normalise(args) {
  let [input, options, callback] = args;
  if (typeof options === 'function') {
    callback = options;
    options = undefined;
  }
  let merged;
  if (typeof input === 'string' || input instanceof URL) {
    const url = typeof input === 'string' ? new URL(input) : input;
    merged = {
      protocol: url.protocol, hostname: url.hostname, port: url.port || undefined,
      path: `${url.pathname || '/'}${url.search || ''}`,
      auth: url.username ? `${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}` : undefined,
    };
    Object.assign(merged, options || {});
  } else {
    merged = Object.assign({}, input || {}, options || {});
  }
  return { options: merged, callback };
}

function hostOf(options) {
  return options.hostname || (options.host || '').replace(/:\d+$/, '') || 'localhost';
}

function wrap(mod, defaultProtocol) {
  const original = mod.request;
  const request = function request(...args) {
    if (!ENDPOINT) return original.apply(this, args);
    const { options, callback } = normalise(args);
    const host = hostOf(options);
    if (!isAwsHost(host)) return original.apply(this, args);
    const headers = Object.assign({}, options.headers || {});
    const hasHost = Object.keys(headers).some((k) => k.toLowerCase() === 'host');
    if (!hasHost) {
      const port = options.port && String(options.port) !== (defaultProtocol === 'https:' ? '443' : '80')
        ? `:${options.port}` : '';
      headers.host = `${host}${port}`;
    }
    const redirected = Object.assign({}, options, {
      protocol: 'http:',
      hostname: ENDPOINT.hostname,
      host: undefined,
      port: ENDPOINT.port || 80,
      headers,
      agent: redirectAgent,
      // TLS-only options do not apply to the plain HTTP hop.
      servername: undefined, ca: undefined, rejectUnauthorized: undefined,
    });
    if (ENDPOINT.pathname && ENDPOINT.pathname !== '/') {
      redirected.path = ENDPOINT.pathname.replace(/\/$/, '') + (options.path || '/');
    }
    return callback ? originalHttpRequest(redirected, callback) : originalHttpRequest(redirected);
  };
  mod.request = request;
  mod.get = function get(...args) {
    const req = mod.request(...args);
    req.end();
    return req;
  };
}

wrap(https, 'https:');
wrap(http, 'http:');

// fetch() does not go through the http module; rewrite its URL too (the Host header cannot be kept there).
if (ENDPOINT && typeof globalThis.fetch === 'function') {
  const originalFetch = globalThis.fetch;
  globalThis.fetch = function fetch(input, init) {
    try {
      const url = new URL(typeof input === 'string' || input instanceof URL ? input : input.url);
      if (isAwsHost(url.hostname)) {
        const target = new URL(url.pathname + url.search, ENDPOINT);
        if (typeof input === 'string' || input instanceof URL) return originalFetch(target, init);
        return originalFetch(new Request(target, input), init);
      }
    } catch (e) { /* not a URL we understand: leave it alone */ }
    return originalFetch(input, init);
  };
}

// Keep ESM named imports (`import { request } from 'https'`) in step with the patched functions.
require('module').syncBuiltinESMExports();
