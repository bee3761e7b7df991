'use strict';
// Opens the demo page in Debian's headless Chromium (driven by playwright-core, which brings no
// browser of its own), clicks its WebSocket button and prints one JSON line: the protocol the page
// came over and what the page's WebSocket log says. The JUnit test that runs it checks, in the
// gateway's access log, that the WebSocket went over h2 (RFC 8441).
//   node chromium-ws.js TLS_PORT USER_DATA_DIR

const { chromium } = require('playwright-core');

const port = Number(process.argv[2]);
const userDataDir = process.argv[3];

function fail(message) {
  process.stdout.write(JSON.stringify({ error: message }) + '\n');
  process.exit(1);
}

async function main() {
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: '/usr/bin/chromium',
    headless: true,
    ignoreHTTPSErrors: true,
    timeout: 60000,
    // Without the background-networking flags this machine refuses Chromium's connections.
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
      '--ignore-certificate-errors'],
  });
  try {
    const page = context.pages()[0] || await context.newPage();
    const seen = [];
    page.on('console', (m) => seen.push('console:' + m.text()));
    page.on('pageerror', (e) => seen.push('pageerror:' + e.message));
    page.on('websocket', (ws) => {
      seen.push('websocket:' + ws.url());
      ws.on('socketerror', (e) => seen.push('socketerror:' + e));
      ws.on('close', () => seen.push('wsclose'));
    });
    await page.goto('https://127.0.0.1:' + port + '/', { timeout: 60000 });
    const pageProtocol = await page.evaluate(() => performance.getEntriesByType('navigation')[0].nextHopProtocol);
    await page.fill('#ws-text', 'hello from chromium');
    await page.click('#ws-send');
    try {
      await page.waitForFunction(() => document.getElementById('ws-log').textContent.includes('echo: '),
        null, { timeout: 30000 });
    } catch (e) {
      const log = await page.evaluate(() => document.getElementById('ws-log').textContent);
      throw new Error('no echo; page log: ' + log.replace(/\n/g, '|') + ' events: ' + seen.join('|'));
    }
    // A second message on the open socket: the tunnel carries more than its first exchange.
    await page.fill('#ws-text', 'second message');
    await page.click('#ws-send');
    await page.waitForFunction(() => document.getElementById('ws-log').textContent.includes('echo: second message'),
      null, { timeout: 30000 });
    const log = await page.evaluate(() => document.getElementById('ws-log').textContent);
    process.stdout.write(JSON.stringify({ pageProtocol, log: log.trim().split('\n').join('|').replace(/ /g, '_') }) + '\n');
  } finally {
    await context.close();
  }
}

main().then(() => process.exit(0), (e) => fail(String(e && e.message || e).replace(/"/g, "'").split('\n')[0]));
