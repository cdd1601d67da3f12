#!/usr/bin/env node
// The GCS server of lakeroute's tests: Firebase's Cloud Storage emulator (firebase-tools, pinned in
// package-lock.json) behind a small adapter, on loopback only.
//
//   node server.js --port 9199 --data /tmp/dir [--project demo-lakeroute]
//
// The emulator serves the objects: metadata (size, md5Hash, crc32c, generation), storage, listing
// with prefix and paging, media and ranged downloads, delete, copy/rewrite, resumable upload start
// and finalization, export/import. It was written for Firebase SDKs and gcloud clients, and Beam's
// GCS client (google-api-client + gcsio) uses parts of the JSON API it lacks. The adapter below adds
// exactly those, and nothing else:
//   - buckets: insert, get, and 404 for a bucket nobody created (the emulator creates any bucket it
//     is asked about, so a missing bucket could never fail);
//   - JSON batch requests (POST /batch/storage/v1), which Beam uses for match, copy and delete;
//   - non-final chunks of resumable uploads (the emulator finalizes an upload on its first PUT);
//   - ifGenerationMatch on upload start, which gcsio sends on every write, and on delete; requests
//     with it run one at a time per object from the check to the answer, so that the check and a
//     single-request upload or a delete are one atomic step, as in GCS (lakeroute's run lease
//     relies on it; for a resumable upload only its start is checked);
//   - the /storage/v1 prefix on paths the emulator serves only without it (rewriteTo, list, …);
//   - OAuth: a token endpoint for service-account keys registered by the tests, 401 for a bearer
//     token it did not issue, and private buckets that refuse anonymous requests with 401. Other
//     buckets serve requests without credentials, as the emulator does.
// The official CLI (`firebase emulators:start`) cannot be used: it needs Java 21 and downloads a
// rules runtime from storage.googleapis.com at every start on a fresh machine. That runtime only
// evaluates Firebase security rules, which GCS JSON API requests never consult, so it is not
// started here.
"use strict";

const fs = require("fs");
const path = require("path");
const http = require("http");
const crypto = require("crypto");

const args = parseArgs(process.argv.slice(2));
const HOST = "127.0.0.1";
const PORT = Number(args.port);
const DATA = path.resolve(args.data);
const PROJECT = args.project || "demo-lakeroute";
if (!PORT || !args.data) {
  console.error("usage: node server.js --port P --data DIR [--project demo-…]");
  process.exit(2);
}
if (!PROJECT.startsWith("demo-")) {
  // A demo- project keeps firebase-tools from looking the project up at Google.
  console.error("--project must start with demo-");
  process.exit(2);
}

// The emulator keeps blobs under os.tmpdir() and firebase-tools keeps config under the home
// directory: both point into the data directory, so that servers of parallel builds never share.
const EXPORT = path.join(DATA, "export");
const BLOBS = path.join(DATA, "blobs");
fs.rmSync(BLOBS, { recursive: true, force: true });
fs.mkdirSync(BLOBS, { recursive: true });
process.env.TMPDIR = BLOBS;
process.env.XDG_CONFIG_HOME = path.join(DATA, "config");
delete process.env.IS_FIREBASE_CLI; // usage reporting is off unless this is set

const lib = path.join(__dirname, "node_modules", "firebase-tools", "lib");
const { StorageEmulator } = require(path.join(lib, "emulator", "storage"));
const { createApp } = require(path.join(lib, "emulator", "storage", "server"));
const { EmulatorRegistry } = require(path.join(lib, "emulator", "registry"));
const { Emulators } = require(path.join(lib, "emulator", "types"));

const emulator = new StorageEmulator({
  projectId: PROJECT,
  host: HOST,
  port: PORT,
  rules: undefined,
  auto_download: false,
});
// The emulator builds bucket and self links from the registry's host and port.
EmulatorRegistry.set(Emulators.STORAGE, emulator);

const ACCOUNTS_FILE = path.join(DATA, "service-accounts.json");
const accounts = readJson(ACCOUNTS_FILE, {}); // client_email → public key (PEM)
// access token → client_email; "owner" is the emulator's own admin token, used by the tests' helpers
const tokens = new Map([["owner", "owner"]]);
const buckets = new Set();
const privateBuckets = new Set(); // anonymous requests get 401, as from a bucket without allUsers

let emulatorApp;
let server;
let requestCount = 0;

main().catch((e) => {
  console.error(e);
  process.exit(1);
});

async function main() {
  if (fs.existsSync(path.join(EXPORT, "buckets.json"))) {
    emulator.adminStorageLayer.import(EXPORT, { initiatedBy: "lakeroute" });
    for (const b of readJson(path.join(EXPORT, "buckets.json"), { buckets: [] }).buckets) {
      buckets.add(b.id);
      if (b.private) privateBuckets.add(b.id);
    }
  }
  emulatorApp = await createApp(PROJECT, emulator);
  server = http.createServer((req, res) => {
    handle(req, res).catch((e) => {
      log(`! ${req.method} ${req.url}: ${e && e.stack ? e.stack : e}`);
      if (!res.headersSent) {
        sendError(res, 500, "backendError", String(e && e.message ? e.message : e));
      } else {
        res.destroy();
      }
    });
  });
  // Beam keeps connections alive between requests; Node's default of 5 s races its reuse.
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  server.requestTimeout = 0;
  server.on("error", (e) => {
    console.error(`cannot listen on ${HOST}:${PORT}: ${e.message}`);
    process.exit(e.code === "EADDRINUSE" ? 3 : 1);
  });
  server.listen(PORT, HOST, () => {
    console.log(`lakeroute-gcs listening on http://${HOST}:${PORT} (data ${DATA})`);
  });
  // stop() in the tests: keep the data for the next start on the same directory.
  process.on("SIGTERM", () => shutdown(true));
  process.on("SIGINT", () => shutdown(true));
}

let shuttingDown = false;
async function shutdown(keep) {
  if (shuttingDown) return;
  shuttingDown = true;
  server.close();
  try {
    if (keep) await exportData();
  } catch (e) {
    console.error("export failed: " + e);
    process.exit(1);
  }
  process.exit(0);
}

/** The emulator's own export, written beside the old one and swapped in whole. */
async function exportData() {
  const next = EXPORT + ".next";
  fs.rmSync(next, { recursive: true, force: true });
  fs.mkdirSync(next, { recursive: true });
  if (buckets.size > 0) {
    // With no bucket, the emulator's export would invent the project's default bucket.
    await emulator.adminStorageLayer.export(next, { initiatedBy: "lakeroute" });
  }
  fs.writeFileSync(
    path.join(next, "buckets.json"),
    JSON.stringify({ buckets: [...buckets].map((id) => ({ id, private: privateBuckets.has(id) })) }),
  );
  fs.rmSync(EXPORT, { recursive: true, force: true });
  fs.renameSync(next, EXPORT);
  log(`exported ${buckets.size} bucket(s) to ${EXPORT}`);
}

async function handle(req, res) {
  const n = ++requestCount;
  const original = req.url;
  const url = new URL(req.url, `http://${HOST}:${PORT}`);
  const p = url.pathname;
  res.on("finish", () => log(`${n} ${req.method} ${original} → ${res.statusCode}`));

  if (p === "/_lakeroute/health") {
    return sendJson(res, 200, { ok: true, buckets: buckets.size });
  }
  if (p === "/_lakeroute/service-accounts" && req.method === "POST") {
    const body = JSON.parse((await readBody(req)).toString("utf8"));
    crypto.createPublicKey(body.publicKeyPem); // rejects a malformed key now, not at login
    accounts[body.clientEmail] = body.publicKeyPem;
    fs.writeFileSync(ACCOUNTS_FILE, JSON.stringify(accounts));
    return sendJson(res, 200, { clientEmail: body.clientEmail });
  }
  if (p === "/token" && req.method === "POST") {
    return token(req, res);
  }
  const auth = req.headers.authorization;
  if (auth !== undefined && !tokens.has(auth.replace(/^Bearer\s+/i, ""))) {
    return sendError(res, 401, "authError", "Invalid Credentials", {
      locationType: "header",
      location: "Authorization",
    });
  }
  if (req.method === "POST" && /^\/batch(\/storage\/v1)?\/?$/.test(p)) {
    return batch(req, res);
  }

  let m;
  if ((m = p.match(/^\/storage\/v1\/b\/?$/))) {
    if (req.method === "POST") return insertBucket(req, res, url);
    if (req.method === "GET") {
      return sendJson(res, 200, {
        kind: "storage#buckets",
        items: [...buckets].sort().map(bucketResource),
      });
    }
  }
  if ((m = p.match(/^\/storage\/v1\/b\/([^/]+)\/?$/))) {
    const bucket = decodeURIComponent(m[1]);
    if (!buckets.has(bucket)) return noSuchBucket(res);
    if (req.method === "GET") return sendJson(res, 200, bucketResource(bucket));
    if (req.method === "DELETE") {
      const left = await emulator.adminStorageLayer.listObjects({ bucketId: bucket, prefix: "" });
      if (left.items && left.items.length > 0) {
        return sendError(res, 409, "conflict", "The bucket you tried to delete is not empty.");
      }
      buckets.delete(bucket);
      privateBuckets.delete(bucket);
      res.statusCode = 204;
      return res.end();
    }
  }

  // Every object request names its bucket (and a copy or rewrite a second one).
  const named = [...p.matchAll(/\/b\/([^/]+)\/o(?=\/|$)/g)].map((x) => decodeURIComponent(x[1]));
  if (named.length > 0 && /^\/(upload\/|download\/)?storage\/v1\/b\//.test(p)) {
    if (named.some((b) => !buckets.has(b))) return noSuchBucket(res);
    if (auth === undefined && named.some((b) => privateBuckets.has(b))) {
      return sendError(res, 401, "required", "Anonymous caller does not have storage.objects access to the Google Cloud Storage bucket.", {
        locationType: "header",
        location: "Authorization",
      });
    }
  }

  if ((m = p.match(/^\/upload\/storage\/v1\/b\/([^/]+)\/o\/?$/))) {
    const bucket = decodeURIComponent(m[1]);
    if (req.method === "POST" && !(await checkGenerationAtomically(url, bucket, url.searchParams.get("name"), res))) {
      return;
    }
    if (req.method === "PUT" && url.searchParams.get("upload_id")) {
      const handled = await resumableChunk(req, res, url.searchParams.get("upload_id"));
      if (handled) return;
    }
  }

  if ((m = p.match(/^\/storage\/v1\/b\/([^/]+)\/o\/([^/]+)$/)) && req.method === "DELETE") {
    const [bucket, name] = [decodeURIComponent(m[1]), decodeURIComponent(m[2])];
    if (!(await checkGenerationAtomically(url, bucket, name, res))) return;
  }

  if (p.startsWith("/storage/v1/")) {
    // The emulator mounts its JSON API routes at /b/…; only a few also answer at /storage/v1/b/….
    req.url = req.url.substring("/storage/v1".length);
  }
  emulatorApp(req, res);
}

/**
 * A PUT to a resumable upload session. Non-final chunks ("bytes a-b/*") and status queries
 * ("bytes *\/*") are answered here with 308 and the persisted range, as GCS does; the final chunk
 * ("bytes a-b/N" or "bytes *\/N") goes to the emulator, which appends and finalizes it. The
 * emulator reads at most 130 MB per request, so --gcsUploadBufferSizeBytes must stay below that.
 */
async function resumableChunk(req, res, uploadId) {
  let upload;
  try {
    upload = emulator.uploadService.getResumableUpload(uploadId);
  } catch (e) {
    sendError(res, 404, "notFound", "No such upload session: " + uploadId);
    return true;
  }
  const range = req.headers["content-range"];
  const parsed = /^bytes (?:\*|(\d+)-(\d+))\/(\*|\d+)$/.exec(range || "");
  if (!parsed) {
    return false; // a single-request upload of the whole object: the emulator's own path
  }
  const start = parsed[1] === undefined ? undefined : Number(parsed[1]);
  const end = parsed[2] === undefined ? undefined : Number(parsed[2]);
  const total = parsed[3] === "*" ? undefined : Number(parsed[3]);
  if (start !== undefined && start !== upload.size) {
    await readBody(req);
    sendError(res, 400, "invalid", `chunk starts at ${start}, ${upload.size} bytes were received`);
    return true;
  }
  if (total !== undefined) {
    const last = end === undefined ? upload.size : end + 1;
    if (last !== total) {
      await readBody(req);
      sendError(res, 400, "invalid", `final chunk ends at ${last}, the object has ${total} bytes`);
      return true;
    }
    return false;
  }
  if (start !== undefined) {
    const body = await readBody(req);
    if (body.length !== end - start + 1) {
      sendError(res, 400, "invalid", `chunk ${range} carries ${body.length} bytes`);
      return true;
    }
    emulator.uploadService.continueResumableUpload(uploadId, body);
  } else {
    await readBody(req);
  }
  res.statusCode = 308;
  if (upload.size > 0) res.setHeader("Range", `bytes=0-${upload.size - 1}`);
  res.setHeader("Content-Length", "0");
  res.end();
  return true;
}

// bucket/name → the answer of the last conditional request queued on that object
const objectQueues = new Map();

/**
 * checkGeneration, after every earlier conditional request on the object has been answered; this
 * request holds the object until its own answer is sent.
 */
async function checkGenerationAtomically(url, bucket, name, res) {
  if (url.searchParams.get("ifGenerationMatch") === null || name === null) return true;
  const key = bucket + "/" + name;
  const previous = objectQueues.get(key) || Promise.resolve();
  const answered = new Promise((resolve) => {
    res.on("finish", resolve);
    res.on("close", resolve);
  });
  const tail = previous.then(() => answered);
  objectQueues.set(key, tail);
  tail.then(() => {
    if (objectQueues.get(key) === tail) objectQueues.delete(key);
  });
  await previous;
  return checkGeneration(url, bucket, name, res);
}

/** ifGenerationMatch: 0 means "only if absent", G "only if still generation G". */
function checkGeneration(url, bucket, name, res) {
  const expected = url.searchParams.get("ifGenerationMatch");
  if (expected === null || name === null) return true;
  const current = emulator.adminStorageLayer.getMetadata(bucket, name);
  const actual = current ? String(current.generation) : "0";
  if (actual === expected) return true;
  sendError(res, 412, "conditionNotMet", "At least one of the pre-conditions you specified did not hold.", {
    locationType: "header",
    location: "If-Match",
  });
  return false;
}

/** buckets.insert; ?lakeroutePrivate=true (not a GCS parameter) makes a private bucket. */
async function insertBucket(req, res, url) {
  const body = JSON.parse((await readBody(req)).toString("utf8") || "{}");
  const name = body.name;
  if (!name || !/^[a-z0-9][a-z0-9._-]{1,61}[a-z0-9]$/.test(name)) {
    return sendError(res, 400, "invalid", `Invalid bucket name: '${name}'`);
  }
  if (buckets.has(name)) {
    return sendError(res, 409, "conflict", "Your previous request to create the named bucket succeeded and you already own it.");
  }
  buckets.add(name);
  if (url.searchParams.get("lakeroutePrivate") === "true") privateBuckets.add(name);
  emulator.adminStorageLayer.createBucket(name);
  return sendJson(res, 200, bucketResource(name));
}

function bucketResource(name) {
  return {
    kind: "storage#bucket",
    id: name,
    name,
    projectNumber: "000000000000",
    location: "US",
    storageClass: "STANDARD",
    metageneration: "1",
    etag: "CAE=",
  };
}

/**
 * OAuth 2.0 JWT bearer grant, as Google's token endpoint answers it: the assertion must be signed
 * by the key registered for its issuer (the service account's client_email).
 */
async function token(req, res) {
  const form = new URLSearchParams((await readBody(req)).toString("utf8"));
  const assertion = form.get("assertion") || "";
  const parts = assertion.split(".");
  const fail = (description) =>
    sendJson(res, 400, { error: "invalid_grant", error_description: description });
  if (form.get("grant_type") !== "urn:ietf:params:oauth:grant-type:jwt-bearer" || parts.length !== 3) {
    return fail("Bad Request");
  }
  let claims;
  try {
    claims = JSON.parse(Buffer.from(parts[1], "base64url").toString("utf8"));
  } catch (e) {
    return fail("Invalid JWT: cannot be decoded.");
  }
  const publicKey = accounts[claims.iss];
  if (!publicKey) {
    return fail("Invalid grant: account not found");
  }
  const signed = crypto.verify(
    "RSA-SHA256",
    Buffer.from(parts[0] + "." + parts[1]),
    publicKey,
    Buffer.from(parts[2], "base64url"),
  );
  if (!signed) {
    return fail("Invalid JWT Signature.");
  }
  if (typeof claims.exp !== "number" || claims.exp * 1000 < Date.now()) {
    return fail("Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable timeframe.");
  }
  const accessToken = "ya29.lakeroute-" + crypto.randomBytes(24).toString("base64url");
  tokens.set(accessToken, claims.iss);
  return sendJson(res, 200, { access_token: accessToken, expires_in: 3599, token_type: "Bearer" });
}

/**
 * A JSON API batch: a multipart/mixed body of application/http parts, each one request. Each is
 * replayed against this server (so it meets the same checks) and the answers are returned in order,
 * as GCS does. Parts carry no credentials of their own: the batch's Authorization applies to each.
 */
async function batch(req, res) {
  const type = req.headers["content-type"] || "";
  const boundaryMatch = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(type);
  if (!/^multipart\/mixed/i.test(type) || !boundaryMatch) {
    return sendError(res, 400, "invalid", "A batch request must be multipart/mixed with a boundary");
  }
  const boundary = boundaryMatch[1] || boundaryMatch[2];
  const body = (await readBody(req)).toString("latin1");
  const parts = body
    .split("--" + boundary)
    .slice(1)
    .filter((part) => !part.startsWith("--"));
  if (parts.length > 100) {
    return sendError(res, 400, "invalid", "A batch request may contain at most 100 calls");
  }
  const answers = [];
  for (const part of parts) {
    const [outerHead, inner] = splitOnce(part.replace(/^\r\n/, ""), "\r\n\r\n");
    const id = (/^content-id:\s*<?([^>\r\n]*)>?/im.exec(outerHead) || [])[1] || String(answers.length + 1);
    const [innerHead, innerBody] = splitOnce(inner, "\r\n\r\n");
    const lines = innerHead.split("\r\n");
    const [method, target] = lines[0].split(" ");
    const headers = {};
    for (const line of lines.slice(1)) {
      const i = line.indexOf(":");
      if (i > 0) headers[line.substring(0, i).trim().toLowerCase()] = line.substring(i + 1).trim();
    }
    if (req.headers.authorization && !headers.authorization) {
      headers.authorization = req.headers.authorization;
    }
    const payload = Buffer.from(innerBody.replace(/\r\n$/, ""), "latin1");
    delete headers["content-length"];
    if (payload.length > 0) headers["content-length"] = String(payload.length);
    const targetUrl = new URL(target, `http://${HOST}:${PORT}`);
    answers.push({ id, ...(await self(method, targetUrl.pathname + targetUrl.search, headers, payload)) });
  }
  const out = "batch_" + crypto.randomBytes(12).toString("hex");
  const chunks = [];
  for (const a of answers) {
    chunks.push(
      Buffer.from(
        `--${out}\r\nContent-Type: application/http\r\nContent-ID: <response-${a.id}>\r\n\r\n` +
          `HTTP/1.1 ${a.status} ${http.STATUS_CODES[a.status] || ""}\r\n` +
          (a.contentType ? `Content-Type: ${a.contentType}\r\n` : "") +
          `Content-Length: ${a.body.length}\r\n\r\n`,
        "latin1",
      ),
      a.body,
      Buffer.from("\r\n", "latin1"),
    );
  }
  chunks.push(Buffer.from(`--${out}--\r\n`, "latin1"));
  const payload = Buffer.concat(chunks);
  res.writeHead(200, {
    "Content-Type": `multipart/mixed; boundary=${out}`,
    "Content-Length": payload.length,
  });
  res.end(payload);
}

function self(method, target, headers, payload) {
  return new Promise((resolve, reject) => {
    const r = http.request(
      { host: HOST, port: PORT, method, path: target, headers, agent: false },
      (answer) => {
        const chunks = [];
        answer.on("data", (c) => chunks.push(c));
        answer.on("end", () =>
          resolve({
            status: answer.statusCode,
            contentType: answer.headers["content-type"],
            body: Buffer.concat(chunks),
          }),
        );
        answer.on("error", reject);
      },
    );
    r.on("error", reject);
    r.end(payload);
  });
}

function noSuchBucket(res) {
  return sendError(res, 404, "notFound", "The specified bucket does not exist.");
}

/** Errors in the JSON API's shape, which google-api-client turns into GoogleJsonResponseException. */
function sendError(res, status, reason, message, extra) {
  return sendJson(res, status, {
    error: { code: status, message, errors: [{ message, domain: "global", reason, ...(extra || {}) }] },
  });
}

function sendJson(res, status, value) {
  const payload = Buffer.from(JSON.stringify(value), "utf8");
  res.writeHead(status, {
    "Content-Type": "application/json; charset=UTF-8",
    "Content-Length": payload.length,
  });
  res.end(payload);
}

function readBody(req) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    req.on("data", (c) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

function splitOnce(text, separator) {
  const i = text.indexOf(separator);
  return i < 0 ? [text, ""] : [text.substring(0, i), text.substring(i + separator.length)];
}

function readJson(file, fallback) {
  try {
    return JSON.parse(fs.readFileSync(file, "utf8"));
  } catch (e) {
    return fallback;
  }
}

function parseArgs(argv) {
  const out = {};
  for (let i = 0; i < argv.length; i++) {
    const m = /^--([^=]+)(?:=(.*))?$/.exec(argv[i]);
    if (m) out[m[1]] = m[2] !== undefined ? m[2] : argv[++i];
  }
  return out;
}

function log(line) {
  console.log(`${new Date().toISOString()} ${line}`);
}
