/** The sweeper removes expired results (their URL then answers 410) and orphaned uploads. */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Sweeper } from '../../src/app/sweeper.js';
import { TaskState } from '../../src/domain/task-state.js';
import { makeHarness, multipart, TASKS, TINY_PNG } from './http-harness.js';

describe('sweeper', () => {
  let h: Awaited<ReturnType<typeof makeHarness>>;
  before(async () => { h = await makeHarness({ resultTtlSeconds: 60 }); });
  after(async () => { await h.close(); });

  it('deletes expired results and uploads nobody needs, keeping live ones', async () => {
    const key = await h.key();
    const b = multipart({ image_file: { filename: 'a.png', content: TINY_PNG } });
    const id = (await h.app.inject({ method: 'POST', url: TASKS, headers: { ...b.headers, 'x-api-key': key }, payload: b.payload })).json().data.task_id;
    await h.blobs.put('inputs/11111111-1111-4111-8111-111111111111', Buffer.from('orphan'));
    const sweeper = new Sweeper({ store: h.store, blobs: h.blobs, clock: h.clock, resultTtlSeconds: 60 });

    assert.deepEqual(await sweeper.sweepOnce(), { results: 0, uploads: 0 }, 'an orphan is only a suspect on its first pass');
    assert.deepEqual(await sweeper.sweepOnce(), { results: 0, uploads: 1 });
    assert.ok(await h.blobs.stat(`inputs/${id}`), 'a queued task keeps its upload');

    await h.store.claim(id, 'w', h.clock.now() + 1000);
    await h.blobs.put(`results/${id}.txt`, Buffer.from('text'));
    await h.store.update(id, 'w', { state: TaskState.Succeeded, resultKey: `results/${id}.txt` });
    const url = new URL((await h.app.inject({ method: 'GET', url: `${TASKS}/${id}`, headers: { 'x-api-key': key } })).json().data.file);
    assert.deepEqual(await sweeper.sweepOnce(), { results: 0, uploads: 1 }, 'the finished task\'s upload goes; its result stays');
    assert.ok(await h.blobs.stat(`results/${id}.txt`));

    h.clock.advance(61_000);
    assert.deepEqual(await sweeper.sweepOnce(), { results: 1, uploads: 0 });
    assert.equal(await h.blobs.stat(`results/${id}.txt`), undefined);
    assert.equal((await h.app.inject({ method: 'GET', url: url.pathname + url.search })).statusCode, 410);
  });
});
