'use strict';
// Drives the gateway with Node's SPDY implementation (the `spdy` package's transport,
// spdy-transport, an implementation independent of Netty) over one SPDY session negotiated
// by ALPN (spdy/3.1 unless told otherwise), and prints one JSON line of what it saw. The JUnit test that runs it judges the result
// and the gateway's access log.
//   node spdy-client.js PORT [spdy/3.1|spdy/3]
//
// spdy-transport is used directly rather than through the package's http Agent: over Node 20's
// http layer the Agent at times never sends the FIN that ends a request body.

const tls = require('tls');
const transport = require('spdy-transport');

const port = Number(process.argv[2]);
const protocol = process.argv[3] || 'spdy/3.1';
const host = '127.0.0.1';

function fail(message) {
  process.stdout.write(JSON.stringify({ error: message }) + '\n');
  process.exit(1);
}

function connect() {
  return new Promise((resolve, reject) => {
    const socket = tls.connect({ host, port, ALPNProtocols: [protocol], rejectUnauthorized: false });
    socket.on('error', reject);
    socket.on('secureConnect', () => {
      const connection = transport.connection.create(socket, { protocol: 'spdy', isServer: false });
      connection.on('error', (err) => fail('connection: ' + err.message));
      connection.start(protocol === 'spdy/3' ? 3 : 3.1);
      resolve({ socket, connection });
    });
  });
}

// One request on the session; onData may stop the stream early (it returns true to abort).
function request(connection, method, path, body, onData) {
  return new Promise((resolve, reject) => {
    connection.request({ method, path, host, headers: {} }, (err, stream) => {
      if (err) return reject(err);
      let status = 0;
      let bytes = 0;
      let aborted = false;
      const chunks = [];
      stream.on('response', (code) => { status = code; });
      stream.on('data', (chunk) => {
        bytes += chunk.length;
        if (bytes <= 1 << 20) chunks.push(chunk);
        if (onData && !aborted && onData(bytes)) {
          aborted = true;
          stream.abort(() => resolve({ status, bytes, aborted }));
        }
      });
      stream.on('end', () => {
        if (!aborted) resolve({ status, bytes, text: Buffer.concat(chunks).toString('latin1') });
      });
      stream.on('error', (e) => { if (!aborted) reject(e); });
      if (body) stream.write(body);
      stream.end();
      stream.resume();
    });
  });
}

async function main() {
  const { socket, connection } = await connect();
  const result = { protocol: socket.alpnProtocol };

  const concurrent = await Promise.all(Array.from({ length: 30 }, () => request(connection, 'GET', '/bytes/10000')));
  result.concurrentOk = concurrent.filter((r) => r.status === 200 && r.bytes === 10000).length;

  const large = await request(connection, 'GET', '/bytes/' + 64 * 1024 * 1024);
  result.largeStatus = large.status;
  result.largeBytes = large.bytes;

  const body = 'hello spdy '.repeat(10000);
  const echo = await request(connection, 'POST', '/echo', body);
  result.postStatus = echo.status;
  result.postEchoed = echo.text.endsWith(body);

  // A download cut off by the client after its first MiB: the stream is reset (RST_STREAM).
  const cut = await request(connection, 'GET', '/bytes/' + 1024 * 1024 * 1024, null, (bytes) => bytes >= 1 << 20);
  result.resetAborted = cut.aborted === true;

  const after = await request(connection, 'GET', '/bytes/100');
  result.afterResetStatus = after.status;
  result.afterResetBytes = after.bytes;
  process.stdout.write(JSON.stringify(result) + '\n');
  connection.end(() => socket.end());
  setTimeout(() => process.exit(0), 1000).unref();
}

setTimeout(() => fail('timed out'), 100000).unref();
main().catch((err) => fail(err && err.stack ? err.stack : String(err)));
