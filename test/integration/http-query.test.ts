/** GET /api/tasks/document/ocr/{id}, sync=1 and result downloads through app.inject() (SPEC §1.3, §2). */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { TaskState } from '../../src/domain/task-state.js';
import { makeHarness, multipart, TASKS, TINY_PNG } from './http-harness.js';

type H = Awaited<ReturnType<typeof makeHarness>>;

async function create(h: H, key: string, extra: Record<string, string> = {}) {
  const b = multipart({ image_file: { filename: 'a.png', content: TINY_PNG }, ...extra });
  return h.app.inject({ method: 'POST', url: TASKS, headers: { ...b.headers, 'x-api-key': key }, payload: b.payload });
}

/** Plays the worker's part through the TaskStore, as the real worker does. */
async function finish(h: H, id: string, text = 'hello world') {
  await h.store.claim(id, 'w', h.clock.now() + 60_000);
  await h.store.update(id, 'w', { state: TaskState.Processing, progress: 40, inputKind: 'png', filePages: 1, pagesTotal: 1, pagesDone: 0 });
  await h.blobs.put(`results/${id}.txt`, Buffer.from(text));
  await h.store.update(id, 'w', { state: TaskState.Succeeded, resultKey: `results/${id}.txt`, outputSize: text.length, ocrPages: 1, pagesDone: 1 });
}

describe('query', () => {
  let h: H; let key: string; let other: string;
  before(async () => { h = await makeHarness({ queryQps: 5 }); key = await h.key(); other = await h.key(); });
  after(async () => { await h.close(); });

  it('answers the queued task with created_at as a number of Unix seconds and nothing that has not happened', async () => {
    const id = (await create(h, key)).json().data.task_id;
    const res = await h.app.inject({ method: 'GET', url: `${TASKS}/${id}`, headers: { 'x-api-key': key } });
    assert.equal(res.statusCode, 200);
    const { status, message, data } = res.json();
    assert.equal(status, 200);
    assert.equal(message, 'success');
    assert.equal(data.task_id, id);
    assert.equal(data.state, 0);
    assert.equal(data.progress, 0);
    assert.equal(data.type, 0);
    assert.equal(data.created_at, Math.floor(h.clock.now() / 1000));
    assert.equal(data.processed_at, undefined);
    assert.equal(data.completed_at, undefined);
    assert.equal(data.file, undefined);
  });

  it('answers a succeeded task with a signed absolute file URL that downloads without a key, then expires', async () => {
    const id = (await create(h, key)).json().data.task_id;
    await finish(h, id);
    const res = await h.app.inject({ method: 'GET', url: `${TASKS}/${id}`, headers: { 'x-api-key': key, host: 'ocr.example.test:8080' } });
    const { data } = res.json();
    assert.equal(data.state, 1);
    assert.equal(data.progress, 100);
    assert.equal(data.type, 2, 'png is type 2');
    assert.equal(data.file_pages, 1);
    assert.equal(data.ocr_pages, 1);
    assert.equal(data.input_size, TINY_PNG.length);
    assert.equal(data.output_size, 11);
    assert.equal(data.pages_done, 1);
    assert.equal(typeof data.processed_at, 'number');
    assert.equal(typeof data.completed_at, 'number');
    assert.match(data.file, new RegExp(`^http://ocr\\.example\\.test:8080/api/results/${id}\\.txt\\?expires=\\d+&signature=`));

    const url = new URL(data.file);
    const dl = await h.app.inject({ method: 'GET', url: url.pathname + url.search });
    assert.equal(dl.statusCode, 200);
    assert.equal(dl.body, 'hello world');
    assert.match(String(dl.headers['content-type']), /text\/plain/);

    // Change the signature's first character to one it is not (a fixed 'A' left one in 64 unchanged).
    const tamperedSearch = url.search.replace(/signature=(.)/, (_m, c: string) => `signature=${c === 'A' ? 'B' : 'A'}`);
    assert.notEqual(tamperedSearch, url.search);
    const tampered = await h.app.inject({ method: 'GET', url: url.pathname + tamperedSearch });
    assert.equal(tampered.statusCode, 404);
    const otherTask = await h.app.inject({ method: 'GET', url: url.pathname.replace(id, '00000000-0000-4000-8000-000000000000') + url.search });
    assert.equal(otherTask.statusCode, 404);

    h.clock.advance(3600 * 1000 + 1000);
    const expired = await h.app.inject({ method: 'GET', url: url.pathname + url.search });
    assert.equal(expired.statusCode, 410);
    assert.equal(expired.json().status, 410);
  });

  it('answers a failed task with its state and cause in message and err_message', async () => {
    const id = (await create(h, key)).json().data.task_id;
    await h.store.claim(id, 'w', h.clock.now() + 60_000);
    await h.store.update(id, 'w', { state: TaskState.InvalidFile, errorCode: 'PASSWORD_REQUIRED', errorMessage: 'the PDF needs a password: pass it in `password`' });
    const { status, message, data } = (await h.app.inject({ method: 'GET', url: `${TASKS}/${id}`, headers: { 'x-api-key': key } })).json();
    assert.equal(status, 200);
    assert.equal(data.state, -7);
    assert.match(message, /password/);
    assert.equal(data.err_message, message);
    assert.equal(data.file, undefined);
  });

  it('answers every change of a task polled again and again, in the Content-Type of JSON, with each host\'s own URL', async () => {
    const id = (await create(h, key)).json().data.task_id;
    const poll = async (host = 'a.example.test') => {
      h.clock.advance(1000); // a fresh second of the key's query bucket
      const res = await h.app.inject({ method: 'GET', url: `${TASKS}/${id}`, headers: { 'x-api-key': key, host } });
      assert.equal(res.statusCode, 200);
      assert.match(String(res.headers['content-type']), /^application\/json; charset=utf-8$/);
      return res.json().data;
    };
    assert.equal((await poll()).state, 0);
    assert.equal((await poll()).state, 0);
    await h.store.claim(id, 'w', h.clock.now() + 60_000);
    assert.equal((await poll()).state, TaskState.Preparing);
    await h.store.update(id, 'w', { state: TaskState.Processing, progress: 40, pagesTotal: 2, pagesDone: 1 });
    const working = await poll();
    assert.deepEqual([working.state, working.progress, working.pages_done], [TaskState.Processing, 40, 1]);
    assert.equal((await poll()).progress, 40);
    await h.blobs.put(`results/${id}.txt`, Buffer.from('done'));
    await h.store.update(id, 'w', { state: TaskState.Succeeded, resultKey: `results/${id}.txt`, outputSize: 4, pagesDone: 2 });
    const done = await poll();
    assert.equal(done.state, 1);
    assert.match(done.file, /^http:\/\/a\.example\.test\/api\/results\//);
    assert.match((await poll('b.example.test')).file, /^http:\/\/b\.example\.test\/api\/results\//);
    assert.equal((await poll()).file, done.file);
    const purged = await h.app.inject({ method: 'DELETE', url: `${TASKS}/${id}`, headers: { 'x-api-key': key, host: 'a.example.test' } });
    assert.equal(purged.statusCode, 200);
    const after = await poll();
    assert.equal(after.file, undefined);
    assert.equal(after.purged, true);
    // Another key still gets its 404, however often the owner polled.
    h.clock.advance(1000);
    assert.equal((await h.app.inject({ method: 'GET', url: `${TASKS}/${id}`, headers: { 'x-api-key': other } })).statusCode, 404);
  });

  it('404 for an unknown task and for another key\'s task; 401 without a key', async () => {
    const id = (await create(h, key)).json().data.task_id;
    const mine = await h.app.inject({ method: 'GET', url: `${TASKS}/${id}`, headers: { 'x-api-key': other } });
    assert.equal(mine.statusCode, 404);
    assert.equal(mine.json().status, 404);
    const unknown = await h.app.inject({ method: 'GET', url: `${TASKS}/nope`, headers: { 'x-api-key': key } });
    assert.equal(unknown.statusCode, 404);
    const nokey = await h.app.inject({ method: 'GET', url: `${TASKS}/${id}` });
    assert.equal(nokey.statusCode, 401);
  });

  it('refuses a disabled key\'s queries within a second (keys are cached that long on the query path)', async () => {
    const k = await h.key();
    const id = (await create(h, k)).json().data.task_id;
    assert.equal((await h.app.inject({ method: 'GET', url: `${TASKS}/${id}`, headers: { 'x-api-key': k } })).statusCode, 200);
    await h.store.updateKey((await h.record(k)).id, { disabled: true });
    h.clock.advance(1001);
    const res = await h.app.inject({ method: 'GET', url: `${TASKS}/${id}`, headers: { 'x-api-key': k } });
    assert.equal(res.statusCode, 401);
    assert.match(res.json().message, /disabled/);
  });

  it('limits queries per key on their own bucket, separate from creates', async () => {
    const k = await h.key();
    const id = (await create(h, k)).json().data.task_id;
    const codes: number[] = [];
    for (let i = 0; i < 7; i++) codes.push((await h.app.inject({ method: 'GET', url: `${TASKS}/${id}`, headers: { 'x-api-key': k } })).statusCode);
    assert.deepEqual(codes, [200, 200, 200, 200, 200, 429, 429]);
    assert.equal((await create(h, k)).statusCode, 200, 'creates still pass');
  });
});

describe('sync=1', () => {
  let h: H; let key: string;
  before(async () => { h = await makeHarness({ syncWaitSeconds: 1 }); key = await h.key(); });
  after(async () => { await h.close(); });

  it('holds the request until the task ends and answers the query body', async () => {
    const pending = create(h, key, { sync: '1' });
    // The create inserts then waits; finish the task as soon as the worker would see it.
    let id: string | undefined;
    for (let i = 0; i < 100 && !id; i++) { await new Promise((r) => setTimeout(r, 10)); id = h.queue.ids.at(-1); }
    await finish(h, id!);
    const res = await pending;
    const { status, data } = res.json();
    assert.equal(status, 200);
    assert.equal(data.task_id, id);
    assert.equal(data.state, 1);
    assert.match(data.file, /\/api\/results\//);
    assert.equal(typeof data.completed_at, 'number', 'timestamps are JSON numbers (SPEC §1.3)');
  });

  it('answers the current state, not an error, when the wait limit passes', async () => {
    const res = await create(h, key, { sync: '1' });
    assert.equal(res.statusCode, 200);
    const { data } = res.json();
    assert.equal(data.state, 0);
    assert.ok(data.task_id);
  });
});

describe('event stream (beyond)', () => {
  let h: H; let key: string; let other: string;
  before(async () => { h = await makeHarness({ syncWaitSeconds: 5 }, { syncPollMs: 10 }); key = await h.key(); other = await h.key(); });
  after(async () => { await h.close(); });

  it('sends one state event per change, the query body each time, and ends with the task', async () => {
    const id = (await create(h, key)).json().data.task_id;
    const streaming = h.app.inject({ method: 'GET', url: `${TASKS}/${id}/events`, headers: { 'x-api-key': key } });
    await new Promise((r) => setTimeout(r, 50));
    await finish(h, id);
    const res = await streaming;
    assert.equal(res.statusCode, 200);
    assert.match(String(res.headers['content-type']), /^text\/event-stream/);
    const events = res.body.split('\n\n').filter((e) => e.startsWith('event: state'))
      .map((e) => JSON.parse(e.split('\n').find((l) => l.startsWith('data: '))!.slice(6)));
    assert.ok(events.length >= 2, res.body);
    assert.equal(events[0].data.state, 0);
    assert.equal(typeof events[0].data.created_at, 'number', 'timestamps are JSON numbers (SPEC §1.3)');
    assert.equal(events.at(-1).data.state, 1);
    assert.match(events.at(-1).data.file, /\/api\/results\//);
    const progress = events.map((e) => e.data.progress);
    assert.deepEqual(progress, [...progress].sort((a, b) => a - b));
  });

  it('is 404 for another key\'s task', async () => {
    const id = (await create(h, key)).json().data.task_id;
    const res = await h.app.inject({ method: 'GET', url: `${TASKS}/${id}/events`, headers: { 'x-api-key': other } });
    assert.equal(res.statusCode, 404);
  });
});

describe('ops routes', () => {
  let h: H;
  before(async () => { h = await makeHarness(); });
  after(async () => { await h.close(); });

  it('serves /healthz, /readyz, /metrics and /openapi.json', async () => {
    assert.equal((await h.app.inject('/healthz')).statusCode, 200);
    assert.equal((await h.app.inject('/readyz')).statusCode, 200);
    const metrics = await h.app.inject('/metrics');
    assert.match(metrics.body, /docr_http_requests_total/);
    assert.match(metrics.body, /docr_queue_waiting 0/);
    const docs = (await h.app.inject('/openapi.json')).json();
    assert.equal(docs.openapi, '3.1.0');
    assert.ok(docs.paths['/api/tasks/document/ocr']);
  });
});

describe('DELETE (cancel and purge)', () => {
  let h: H; let key: string; let other: string;
  before(async () => { h = await makeHarness(); key = await h.key(); other = await h.key(); });
  after(async () => { await h.close(); });

  it('ends a queued task in -13, removes its upload, and is 404 for another key', async () => {
    const id = (await create(h, key)).json().data.task_id;
    assert.equal((await h.app.inject({ method: 'DELETE', url: `${TASKS}/${id}`, headers: { 'x-api-key': other } })).statusCode, 404);
    const res = await h.app.inject({ method: 'DELETE', url: `${TASKS}/${id}`, headers: { 'x-api-key': key } });
    assert.equal(res.statusCode, 200);
    assert.equal(res.json().data.state, -13);
    assert.equal(await h.blobs.stat(`inputs/${id}`), undefined);
    const q = (await h.app.inject({ method: 'GET', url: `${TASKS}/${id}`, headers: { 'x-api-key': key } })).json();
    assert.equal(q.data.state, -13);
    assert.match(q.message, /cancelled/);
  });

  it('purges a finished task\'s result: its URL answers 410', async () => {
    const id = (await create(h, key)).json().data.task_id;
    await finish(h, id);
    const url = new URL((await h.app.inject({ method: 'GET', url: `${TASKS}/${id}`, headers: { 'x-api-key': key } })).json().data.file);
    const res = await h.app.inject({ method: 'DELETE', url: `${TASKS}/${id}`, headers: { 'x-api-key': key } });
    assert.equal(res.json().data.state, 1, 'a finished task keeps its state');
    assert.equal((await h.app.inject({ method: 'GET', url: url.pathname + url.search })).statusCode, 410);
  });
});
