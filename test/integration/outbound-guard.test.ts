/** The outbound guard against real local HTTP servers on 127.0.0.1 (SPEC §5). */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { createGuardedFetcher, createOutboundGuard, discard, forbiddenRange, parseAllowList } from '../../src/platform/outbound-guard/index.js';
import { DocrError, taskStateOf } from '../../src/domain/errors.js';

let server: Server;
let port: number;
let dir: string;
const hits: string[] = [];

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'docr-guard-'));
  server = createServer((req, res) => {
    hits.push(req.url ?? '');
    const u = new URL(req.url ?? '/', 'http://x');
    if (u.pathname === '/ok') { res.end(Buffer.alloc(1000, 1)); return; }
    if (u.pathname === '/big') { // no Content-Length: the cap must hold while streaming
      res.writeHead(200, { 'transfer-encoding': 'chunked' });
      for (let i = 0; i < 10; i++) res.write(Buffer.alloc(1000, 2));
      res.end(); return;
    }
    if (u.pathname === '/redirect') { res.writeHead(302, { location: `/ok` }); res.end(); return; }
    if (u.pathname === '/loop') { res.writeHead(302, { location: `/loop?n=${Math.random()}` }); res.end(); return; }
    if (u.pathname === '/to-other-host') { res.writeHead(302, { location: u.searchParams.get('to') ?? '/' }); res.end(); return; }
    if (u.pathname === '/hang') { res.writeHead(200); res.write('a'); return; } // never ends
    res.writeHead(404); res.end();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as AddressInfo).port;
});
after(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
  await rm(dir, { recursive: true, force: true });
});

const anyPort = { ports: Array.from({ length: 65535 }, (_, i) => i + 1) };
const local = () => createGuardedFetcher({ allow: ['127.0.0.0/8'], ...anyPort, totalTimeoutMs: 5000 });

async function fails(p: Promise<unknown>, code: string, reason?: string): Promise<DocrError> {
  const e = await p.then(() => assert.fail('expected a failure'), (err: unknown) => err);
  assert.ok(e instanceof DocrError, `not a DocrError: ${String(e)}`);
  assert.equal(e.code, code, e.message);
  if (reason) assert.equal(e.details.reason, reason, e.message);
  return e;
}

test('address policy refuses every non-public range and admits allow-listed ones', () => {
  const none = parseAllowList(undefined);
  for (const ip of ['127.0.0.1', '10.1.2.3', '172.16.0.1', '192.168.1.1', '169.254.169.254', '100.64.0.1', '0.0.0.0',
    '0.1.2.3', '224.0.0.1', '255.255.255.255', '::1', '::', 'fe80::1', 'fc00::1', 'fd12::1', '::ffff:127.0.0.1', '::ffff:8.8.8.8', '2002:7f00:1::1']) {
    assert.notEqual(forbiddenRange(ip, none), undefined, ip);
  }
  for (const ip of ['8.8.8.8', '1.1.1.1', '2001:4860:4860::8888']) assert.equal(forbiddenRange(ip, none), undefined, ip);
  const lo = parseAllowList(['127.0.0.0/8']);
  assert.equal(forbiddenRange('127.0.0.1', lo), undefined);
  assert.equal(forbiddenRange('::ffff:127.0.0.1', lo), undefined);
  assert.notEqual(forbiddenRange('10.0.0.1', lo), undefined);
  assert.equal(forbiddenRange('10.0.0.1', parseAllowList(true)), undefined);
});

test('a loopback URL is refused without the allow-list, before any connection', async () => {
  const before = hits.length;
  const e = await fails(createGuardedFetcher(anyPort).fetch(`http://127.0.0.1:${port}/ok`, join(dir, 'a'), { maxBytes: 1e6 }), 'DOWNLOAD_FAILED', 'forbidden-address');
  assert.equal(taskStateOf(e), -3);
  assert.equal(hits.length, before);
});

test('a host name resolving to a private address is refused (localhost and a custom resolver)', async () => {
  await fails(createGuardedFetcher(anyPort).fetch(`http://localhost:${port}/ok`, join(dir, 'b'), { maxBytes: 1e6 }), 'DOWNLOAD_FAILED', 'forbidden-address');
  await fails(createGuardedFetcher(anyPort).fetch(`http://[::1]:${port}/ok`, join(dir, 'b'), { maxBytes: 1e6 }), 'DOWNLOAD_FAILED', 'forbidden-address');
  const mapped = createGuardedFetcher({ ...anyPort, resolve: async () => [{ address: '::ffff:169.254.169.254', family: 6 }] });
  await fails(mapped.fetch(`http://metadata.example:${port}/`, join(dir, 'b'), { maxBytes: 1e6 }), 'DOWNLOAD_FAILED', 'forbidden-address');
  const sneaky = createGuardedFetcher({ ...anyPort, resolve: async () => [{ address: '93.184.216.34', family: 4 }, { address: '127.0.0.1', family: 4 }] });
  await fails(sneaky.fetch(`http://public.example:${port}/ok`, join(dir, 'b'), { maxBytes: 1e6 }), 'DOWNLOAD_FAILED', 'forbidden-address');
});

test('with the allow-list the download succeeds, pinned to the checked address', async () => {
  const size = await local().fetch(`http://127.0.0.1:${port}/ok`, join(dir, 'c'), { maxBytes: 1e6 });
  assert.equal(size, 1000);
  assert.equal((await stat(join(dir, 'c'))).size, 1000);
  // The resolver is consulted for the name; the socket goes to the address it approved.
  const pinned = createGuardedFetcher({ allow: ['127.0.0.0/8'], ...anyPort, resolve: async () => [{ address: '127.0.0.1', family: 4 }] });
  assert.equal(await pinned.fetch(`http://files.internal.example:${port}/ok`, join(dir, 'd'), { maxBytes: 1e6 }), 1000);
});

test('image_url ports: only 80 and 443 by default', async () => {
  await fails(createGuardedFetcher({ allow: true }).fetch(`http://127.0.0.1:${port}/ok`, join(dir, 'e'), { maxBytes: 1e6 }), 'DOWNLOAD_FAILED', 'port');
});

test('only http and https', async () => {
  await fails(local().fetch('ftp://127.0.0.1/x', join(dir, 'f'), { maxBytes: 1e6 }), 'DOWNLOAD_FAILED', 'scheme');
  await fails(local().fetch('file:///etc/passwd', join(dir, 'f'), { maxBytes: 1e6 }), 'DOWNLOAD_FAILED', 'scheme');
});

test('redirects are followed and re-checked; more than five fail', async () => {
  assert.equal(await local().fetch(`http://127.0.0.1:${port}/redirect`, join(dir, 'g'), { maxBytes: 1e6 }), 1000);
  await fails(local().fetch(`http://127.0.0.1:${port}/loop`, join(dir, 'g'), { maxBytes: 1e6 }), 'DOWNLOAD_FAILED', 'too-many-redirects');
  // Allowed to 127.0.0.1 only: a redirect to 10.0.0.1 (or to the metadata address) is refused at the hop.
  const to = encodeURIComponent('http://169.254.169.254/latest/meta-data/');
  await fails(local().fetch(`http://127.0.0.1:${port}/to-other-host?to=${to}`, join(dir, 'g'), { maxBytes: 1e6 }), 'DOWNLOAD_FAILED', 'forbidden-address');
});

test('the size cap holds while streaming: DOWNLOAD_TOO_LARGE (-5), partial file removed', async () => {
  const e = await fails(local().fetch(`http://127.0.0.1:${port}/big`, join(dir, 'h'), { maxBytes: 5000 }), 'DOWNLOAD_TOO_LARGE');
  assert.equal(taskStateOf(e), -5);
  await assert.rejects(stat(join(dir, 'h')));
  await fails(local().fetch(`http://127.0.0.1:${port}/ok`, join(dir, 'h'), { maxBytes: 999 }), 'DOWNLOAD_TOO_LARGE');
});

test('HTTP errors, refused connections, DNS failures and timeouts are -3 with the cause in words', async () => {
  const e404 = await fails(local().fetch(`http://127.0.0.1:${port}/missing`, join(dir, 'i'), { maxBytes: 1e6 }), 'DOWNLOAD_FAILED', 'http-status');
  assert.match(e404.message, /404/);
  const closed = createServer(); // bind then close: a port nobody listens on
  await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
  const deadPort = (closed.address() as AddressInfo).port;
  await new Promise((r) => closed.close(r));
  await fails(local().fetch(`http://127.0.0.1:${deadPort}/`, join(dir, 'i'), { maxBytes: 1e6 }), 'DOWNLOAD_FAILED', 'refused');
  await fails(local().fetch('http://no-such-host.invalid/', join(dir, 'i'), { maxBytes: 1e6 }), 'DOWNLOAD_FAILED', 'dns');
  const slow = createGuardedFetcher({ allow: ['127.0.0.0/8'], ...anyPort, totalTimeoutMs: 300 });
  await fails(slow.fetch(`http://127.0.0.1:${port}/hang`, join(dir, 'i'), { maxBytes: 1e6 }), 'DOWNLOAD_FAILED', 'timeout');
  await assert.rejects(stat(join(dir, 'i')));
});

test('a caller abort rejects with the abort reason, not a download error', async () => {
  const ac = new AbortController();
  const reason = new Error('stop');
  setTimeout(() => ac.abort(reason), 50);
  await assert.rejects(local().fetch(`http://127.0.0.1:${port}/hang`, join(dir, 'j'), { maxBytes: 1e6, signal: ac.signal }), (e) => e === reason);
});

test('the guard posts to any port for callbacks without following redirects', async () => {
  const guard = createOutboundGuard({ allow: ['127.0.0.1'] });
  const res = await guard.request(`http://127.0.0.1:${port}/redirect`, { method: 'POST', body: '{}', totalTimeoutMs: 2000, followRedirects: false });
  discard(res.body);
  assert.equal(res.status, 302);
  await guard.close();
});
