/** Backpressure (issue 13): a bounded queue; a full one answers creates with 503 and Retry-After, charging nothing. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { makeHarness, multipart, TASKS, TINY_PNG } from './http-harness.js';

test('a full queue answers 503 with Retry-After, stores and charges nothing; QPS still answers 429 first', async () => {
  const h = await makeHarness({ maxQueued: 2 });
  try {
    const key = await h.key(10, 1000);
    const slow = await h.key(10, 1);
    const create = (k: string) => {
      const b = multipart({ image_file: { filename: 'a.png', content: TINY_PNG } });
      return h.app.inject({ method: 'POST', url: TASKS, headers: { ...b.headers, 'x-api-key': k }, payload: b.payload });
    };
    assert.equal((await create(key)).statusCode, 200);
    assert.equal((await create(key)).statusCode, 200);
    const full = await create(key);
    assert.equal(full.statusCode, 503, full.body);
    assert.equal(full.json().status, 503);
    assert.match(full.json().message, /2 tasks are waiting.*nothing was charged/);
    assert.equal(full.headers['retry-after'], '5');
    assert.equal((await h.record(key)).credits, 8);
    assert.equal((await h.blobs.list('inputs/')).length, 2);
    // A key over its rate hears 429, as it would with room in the queue.
    assert.equal((await create(slow)).statusCode, 503);
    assert.equal((await create(slow)).statusCode, 429);
    // Room again: creates pass.
    h.queue.ids.shift();
    assert.equal((await create(key)).statusCode, 200);
  } finally {
    await h.close();
  }
});
