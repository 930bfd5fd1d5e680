/** The same app over a real socket: streamed uploads over the cap, auth and rate-limit headers. */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { TaskState } from '../../src/domain/task-state.js';
import { makeHarness, TASKS, TINY_PNG } from './http-harness.js';

/** Waits (bounded: a failing create must fail the test, not hang it) until `cond` holds. */
async function until(cond: () => boolean): Promise<void> {
  for (let i = 0; i < 1000 && !cond(); i++) await new Promise((r) => setTimeout(r, 10));
  assert.ok(cond(), 'timed out waiting');
}

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

  it('sync=1 holds a real connection until the task ends; a client that hangs up does not cancel', async () => {
    const key = await h.key(10);
    const f = form(TINY_PNG);
    f.append('sync', '1');
    const started = h.queue.ids.length;
    const pending = fetch(`${base}${TASKS}`, { method: 'POST', headers: { 'X-API-KEY': key }, body: f });
    await until(() => h.queue.ids.length > started);
    const id = h.queue.ids.at(-1)!;
    await new Promise((r) => setTimeout(r, 300)); // still held while the task runs
    await h.store.claim(id, 'w', h.clock.now() + 60_000);
    await h.blobs.put(`results/${id}.txt`, Buffer.from('done'));
    await h.store.update(id, 'w', { state: TaskState.Succeeded, resultKey: `results/${id}.txt` });
    const body = await (await pending).json() as { data: { state: number; task_id: string } };
    assert.equal(body.data.task_id, id);
    assert.equal(body.data.state, 1);

    const g = form(TINY_PNG);
    g.append('sync', '1');
    const before = h.queue.ids.length;
    const abort = new AbortController();
    const hungUp = fetch(`${base}${TASKS}`, { method: 'POST', headers: { 'X-API-KEY': key }, body: g, signal: abort.signal }).catch(() => 'aborted');
    await until(() => h.queue.ids.length > before);
    abort.abort();
    assert.equal(await hungUp, 'aborted');
    const task = await h.store.get(h.queue.ids.at(-1)!);
    assert.equal(task?.state, 0, 'the task is still queued, not cancelled');
  });
});
