'use strict';
// Node's spdy-transport cancels COUNT large downloads on one SPDY/3.1 session, each after its
// first 64 KiB, then fetches a small one. spdy-transport answers every DATA frame still in flight
// for a cancelled stream with RST_STREAM(INVALID_STREAM), as SPDY/3.1 2.4.2 asks; the gateway must
// not take those echoes for a rapid-reset attack. Prints one JSON line.
//   node spdy-cancels.js PORT COUNT

const tls = require('tls');
const transport = require('spdy-transport');

const port = Number(process.argv[2]);
const count = Number(process.argv[3] || 20);
const host = '127.0.0.1';

function done(result, status) {
  process.stdout.write(JSON.stringify(result) + '\n');
  setTimeout(() => process.exit(status), 200).unref();
}

const socket = tls.connect({ host, port, ALPNProtocols: ['spdy/3.1'], rejectUnauthorized: false });
socket.on('error', (e) => done({ error: 'socket: ' + e.message }, 1));
socket.on('secureConnect', async () => {
  const connection = transport.connection.create(socket, { protocol: 'spdy', isServer: false });
  let goaway = false;
  connection.on('error', () => {});
  connection.on('goaway', () => { goaway = true; });
  connection.start(3.1);
  const get = (path, cancelAt) => new Promise((resolve) => {
    connection.request({ method: 'GET', path, host, headers: {} }, (err, stream) => {
      if (err) return resolve({ error: err.message });
      let bytes = 0;
      let cancelled = false;
      stream.on('data', (chunk) => {
        bytes += chunk.length;
        if (cancelAt && bytes >= cancelAt && !cancelled) {
          cancelled = true;
          stream.abort(() => setTimeout(() => resolve({ cancelled, bytes }), 20));
        }
      });
      stream.on('end', () => { if (!cancelled) resolve({ bytes }); });
      stream.on('error', (e) => { if (!cancelled) resolve({ error: e.message }); });
      stream.end();
      stream.resume();
    });
  });
  let cancelled = 0;
  for (let i = 0; i < count && !goaway; i++) {
    const r = await get('/bytes/10485760', 65536);
    if (r.cancelled) cancelled++;
  }
  await new Promise((r) => setTimeout(r, 200));
  const after = goaway ? { error: 'goaway' } : await get('/bytes/100');
  done({ cancelled, goaway, afterBytes: after.bytes || 0, afterError: after.error || '' }, 0);
  connection.end(() => socket.end());
});
setTimeout(() => done({ error: 'timed out' }, 1), 60000).unref();
