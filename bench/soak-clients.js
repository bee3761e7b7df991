'use strict';
// The soak's clients that h2load cannot be: SPDY/3.1 sessions (Node's spdy-transport, from the
// committed package-lock.json), and HTTP/2 and HTTP/1.1 clients (Node's own http2 and https)
// that reset streams mid-download and read slowly. Each protocol runs WORKERS loops that make one
// request after another from a fixed mix until SECONDS have passed; sessions are replaced after
// a number of requests so that opening and closing them is soaked too. Prints one JSON line:
// per protocol, the streams that ended whole (ok), that the client reset on purpose (reset),
// that were read slowly and ended whole (slow), and every other outcome (errors), with samples.
//   node soak-clients.js PORT SECONDS [WORKERS] [--until-closed]
// --until-closed: a session the gateway ends is not replaced, and the run ends once every
// session has ended (for a SIGTERM test: streams cut by the stop are then not errors but "cut").

const tls = require('tls');
const http2 = require('http2');
const https = require('https');
const path = require('path');
const transport = require(path.join(__dirname, '..', 'node_modules', 'spdy-transport'));

const args = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const untilClosed = process.argv.includes('--until-closed');
const port = Number(args[0]);
const seconds = Number(args[1] || 60);
const workers = Number(args[2] || 4);
const host = '127.0.0.1';
const deadline = Date.now() + seconds * 1000;
const REQUESTS_PER_SESSION = 500;

const stats = {};
const samples = [];
function count(protocol, what, detail) {
  const s = stats[protocol] || (stats[protocol] = { ok: 0, reset: 0, slow: 0, errors: 0, cut: 0 });
  s[what]++;
  if (what === 'errors' && samples.length < 10) samples.push(protocol + ': ' + detail);
}

// The mix, by request number: mostly small and medium downloads and uploads; every 20th a large
// download the client resets after 64 KiB; every 25th a 256 KiB download read slowly.
function pick(n) {
  if (n % 20 === 19) return { kind: 'reset', method: 'GET', path: '/bytes/10485760', expect: 10485760 };
  if (n % 25 === 24) return { kind: 'slow', method: 'GET', path: '/bytes/262144', expect: 262144 };
  if (n % 5 === 2) return { kind: 'ok', method: 'POST', path: '/echo', body: 'x'.repeat(4096) };
  const size = n % 3 === 0 ? 65536 : 1024;
  return { kind: 'ok', method: 'GET', path: '/bytes/' + size, expect: size };
}

// Reads a response stream by the rules of its kind; resolves with the outcome's name.
function consume(stream, job, abort, initialStatus) {
  return new Promise((resolve) => {
    let bytes = 0;
    let status = initialStatus || 0;
    let settled = false;
    const done = (what, detail) => { if (!settled) { settled = true; resolve({ what, detail }); } };
    stream.on('response', (code) => { status = typeof code === 'object' ? code[':status'] : code; });
    stream.on('data', (chunk) => {
      bytes += chunk.length;
      if (job.kind === 'reset' && bytes >= 65536) {
        abort();
        done('reset');
      }
    });
    if (job.kind === 'slow') {
      // A slow reader: reads for 5 ms in every 100 ms, so the window fills and the gateway waits.
      stream.pause();
      const timer = setInterval(() => { stream.resume(); setTimeout(() => stream.pause(), 5); }, 100);
      stream.on('close', () => clearInterval(timer));
      stream.on('end', () => clearInterval(timer));
    }
    stream.on('end', () => {
      const whole = status === 200 && (job.expect === undefined ? bytes > job.body.length : bytes === job.expect);
      done(whole ? (job.kind === 'slow' ? 'slow' : 'ok') : 'errors', job.path + ' status ' + status + ' bytes ' + bytes);
    });
    // spdy-transport emits 'close' before 'end' on a whole stream: give 'end' its turn first.
    stream.on('close', () => setTimeout(() => done('errors', job.path + ' closed after ' + bytes + ' bytes, status '
      + status), 20));
    stream.on('error', (e) => done('errors', job.path + ' ' + e.message));
    if (job.kind !== 'slow') stream.resume();
  });
}

// ---- SPDY/3.1 ----
function spdySession() {
  return new Promise((resolve, reject) => {
    const socket = tls.connect({ host, port, ALPNProtocols: ['spdy/3.1'], rejectUnauthorized: false });
    socket.on('error', reject);
    socket.on('secureConnect', () => {
      const connection = transport.connection.create(socket, { protocol: 'spdy', isServer: false });
      connection.on('error', () => {});
      connection.start(3.1);
      const session = { closed: false, close: () => connection.end(() => socket.end()) };
      socket.on('close', () => { session.closed = true; });
      connection.on('goaway', () => { session.closed = true; });
      session.request = (job) => new Promise((res) => {
        connection.request({ method: job.method, path: job.path, host, headers: {} }, (err, stream) => {
          if (err) return res({ what: 'errors', detail: job.path + ' ' + err.message });
          consume(stream, job, () => stream.abort()).then(res);
          if (job.body) stream.write(job.body);
          stream.end();
        });
      });
      resolve(session);
    });
  });
}

// ---- HTTP/2 (Node's own client, independent of the gateway's Netty) ----
function h2Session() {
  return new Promise((resolve, reject) => {
    const client = http2.connect('https://' + host + ':' + port, { rejectUnauthorized: false });
    client.on('error', reject);
    client.on('connect', () => {
      client.removeListener('error', reject);
      client.on('error', () => {});
      const session = { closed: false, close: () => client.close() };
      client.on('close', () => { session.closed = true; });
      client.on('goaway', (code) => { session.closed = true; if (code !== 0) process.stderr.write('h2 goaway ' + code + '\n'); });
      session.request = (job) => {
        let stream;
        try {
          stream = client.request({ ':method': job.method, ':path': job.path }, { endStream: !job.body });
        } catch (e) {
          return Promise.resolve({ what: 'errors', detail: job.path + ' ' + e.message });
        }
        const outcome = consume(stream, job, () => stream.close(http2.constants.NGHTTP2_CANCEL));
        if (job.body) stream.end(job.body);
        return outcome;
      };
      resolve(session);
    });
  });
}

// ---- HTTP/1.1 over TLS, one kept-alive connection per worker ----
function h1Session() {
  const agent = new https.Agent({ keepAlive: true, maxSockets: 1, rejectUnauthorized: false });
  const session = { closed: false, close: () => agent.destroy() };
  session.request = (job) => new Promise((res) => {
    const req = https.request({ host, port, method: job.method, path: job.path, agent, ALPNProtocols: ['http/1.1'],
      headers: job.body ? { 'content-length': job.body.length } : {} });
    req.on('error', (e) => res({ what: 'errors', detail: job.path + ' ' + e.message }));
    req.on('response', (response) => consume(response, job, () => req.destroy(), response.statusCode).then(res));
    req.end(job.body);
  });
  return Promise.resolve(session);
}

async function worker(protocol, open) {
  let n = 0;
  while (Date.now() < deadline) {
    let session;
    try {
      session = await open();
    } catch (e) {
      if (untilClosed) return;
      count(protocol, 'errors', 'connect: ' + e.message);
      await new Promise((r) => setTimeout(r, 100));
      continue;
    }
    for (let i = 0; i < REQUESTS_PER_SESSION && Date.now() < deadline && !session.closed; i++, n++) {
      const job = pick(n);
      const r = await session.request(job);
      if (untilClosed && (r.what === 'errors' || session.closed)) {
        // The gateway is stopping: this stream was cut (or refused); the worker ends here.
        count(protocol, r.what === 'errors' ? 'cut' : r.what, r.detail);
        session.close();
        return;
      }
      count(protocol, r.what, r.detail);
    }
    session.close();
    if (untilClosed && session.closed) return;
  }
}

async function main() {
  const runs = [];
  // SOAK_PROTOCOLS (comma-separated) narrows the run to some protocols, to look at one alone.
  const only = (process.env.SOAK_PROTOCOLS || 'spdy/3.1,h2,http/1.1').split(',');
  const opens = { 'spdy/3.1': spdySession, h2: h2Session, 'http/1.1': h1Session };
  for (let i = 0; i < workers; i++) {
    for (const p of only) runs.push(worker(p, opens[p]));
  }
  await Promise.all(runs);
  finish();
}

let finished = false;
function finish() {
  if (finished) return;
  finished = true;
  process.stdout.write(JSON.stringify({ stats, samples, uncaught }) + '\n');
  setTimeout(() => process.exit(0), 500).unref();
}

// A client library that throws from a callback while the gateway goes away must not take the
// report with it: the throw is counted (an error in a soak; a cut stream under --until-closed).
let uncaught = 0;
process.on('uncaughtException', (e) => {
  uncaught++;
  if (samples.length < 10) samples.push('uncaught: ' + (e && e.message));
  if (!untilClosed) count('node', 'errors', 'uncaught: ' + (e && e.message));
  // A worker whose callback threw may never settle; once the gateway is stopping, report soon.
  if (untilClosed) setTimeout(finish, 3000);
});

// A request the library never settles (its session gone) leaves nothing for Node to wait on:
// Node would end without a word. Report what was seen instead; the unsettled stream was cut.
process.on('beforeExit', () => {
  if (!finished && !untilClosed) count('node', 'errors', 'ended with streams still unsettled');
  if (!finished && untilClosed && samples.length < 10) samples.push('ended with streams still unsettled');
  finish();
});

setTimeout(() => {
  process.stdout.write(JSON.stringify({ stats, samples, error: 'timed out' }) + '\n');
  process.exit(1);
}, (seconds + 120) * 1000).unref();
main().catch((err) => {
  process.stdout.write(JSON.stringify({ stats, samples, error: String(err && err.stack || err) }) + '\n');
  process.exit(1);
});
