'use strict';
// Drives the gateway with Node's `ws` package (an implementation independent of Netty) against
// the demo origin's WebSocket echo at /ws, and prints one JSON line of what it saw; the JUnit test
// that runs it judges the result and the access log.
//   node ws-client.js TLS_PORT CORE_PORT
//
// Over TLS (ALPN http/1.1, the gateway's self-signed certificate) and over the core's plain
// listener: a text message, a 512 KiB binary one, 200 x 64 KiB sent at once (more than any buffer
// on the way holds, so backpressure has to pace them), a clean close; and a handshake to a path
// that is no WebSocket, which must fail as HTTP.

const WebSocket = require('ws');

const tlsPort = Number(process.argv[2]);
const corePort = Number(process.argv[3]);
const result = {};

function fail(message) {
  process.stdout.write(JSON.stringify({ error: message }) + '\n');
  process.exit(1);
}
setTimeout(() => fail('timed out: ' + JSON.stringify(result)), 100000).unref();

function open(url) {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, { rejectUnauthorized: false, ALPNProtocols: ['http/1.1'], perMessageDeflate: false });
    socket.once('open', () => resolve(socket));
    socket.once('error', reject);
    socket.once('unexpected-response', (req, res) => {
      // The listener owns the refused exchange: without this the connection stays open.
      req.destroy();
      reject(new Error('unexpected-response ' + res.statusCode));
    });
  });
}

function nextMessage(socket) {
  return new Promise((resolve, reject) => {
    socket.once('message', (data, isBinary) => resolve({ data, isBinary }));
    socket.once('close', () => reject(new Error('closed before a message')));
  });
}

async function session(prefix, url) {
  const t0 = Date.now();
  const socket = await open(url);
  result[prefix + 'OpenMs'] = Date.now() - t0;
  socket.send('hello, muxgate');
  const text = await nextMessage(socket);
  result[prefix + 'Text'] = !text.isBinary && text.data.toString() === 'hello, muxgate';

  const big = Buffer.alloc(512 * 1024);
  for (let i = 0; i < big.length; i++) big[i] = (i * 31) & 0xff;
  socket.send(big);
  const echoed = await nextMessage(socket);
  result[prefix + 'Binary'] = echoed.isBinary && Buffer.compare(echoed.data, big) === 0;
  result[prefix + 'BinaryMs'] = Date.now() - t0;

  const count = 200;
  const piece = Buffer.alloc(64 * 1024, 7);
  let received = 0;
  let bytes = 0;
  const all = new Promise((resolve) => {
    socket.on('message', (data) => {
      received++;
      bytes += data.length;
      if (received === count) resolve();
    });
  });
  for (let i = 0; i < count; i++) socket.send(piece);
  await all;
  result[prefix + 'Burst'] = bytes === count * piece.length;
  result[prefix + 'BurstMs'] = Date.now() - t0;

  const closed = new Promise((resolve) => socket.once('close', (code) => resolve(code)));
  socket.close(1000, 'done');
  result[prefix + 'Close'] = await closed;
  result[prefix + 'CloseMs'] = Date.now() - t0;
}

async function main() {
  await session('tls', 'wss://127.0.0.1:' + tlsPort + '/ws');
  await session('plain', 'ws://127.0.0.1:' + corePort + '/ws');
  try {
    await open('wss://127.0.0.1:' + tlsPort + '/echo');
    result.notWs = 'opened';
  } catch (e) {
    result.notWs = e.message.replace(/ /g, '_');
  }
  process.stdout.write(JSON.stringify(result) + '\n');
  process.exit(0);
}

main().catch((e) => fail(e.stack || String(e)));
