/** The sweeper on scaled mode's ports: expired results and orphaned uploads are deleted from the object store. */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createS3BlobStore, type S3BlobStore } from '../../src/adapters/blob-store-s3/index.js';
import { createPostgresTaskStore, migrate } from '../../src/adapters/task-store-postgres/index.js';
import { Sweeper } from '../../src/app/sweeper.js';
import { TaskState } from '../../src/domain/task-state.js';
import type { TaskStore } from '../../src/ports/task-store.js';
import { makeKey, makeTask, ManualClock } from '../contract/task-store.suite.js';
import { createTestDatabase, startS3, type TestS3 } from '../fixtures/scaled-services.js';

describe('sweeper on PostgreSQL and S3', () => {
  let s3: TestS3;
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let store: TaskStore & { pool: import('pg').Pool };
  let blobs: S3BlobStore;
  const clock = new ManualClock();
  before(async () => {
    [s3, db] = await Promise.all([startS3(), createTestDatabase()]);
    store = createPostgresTaskStore({ connectionString: db.url, clock });
    await migrate(store.pool);
    blobs = createS3BlobStore({ bucket: s3.bucket, region: s3.region, endpoint: s3.endpoint, forcePathStyle: true, credentials: s3 });
  });
  after(async () => { blobs.close(); await store.close(); await Promise.all([s3.stop(), db.drop()]); });

  it('deletes an expired result object and a finished task\'s upload, keeping what is still live', async () => {
    const key = makeKey();
    await store.createKey(key);
    const task = makeTask(key.id, clock.now());
    task.source = { kind: 'upload', blobKey: `inputs/${task.id}`, size: 3 };
    await store.insertCharged(task);
    await blobs.put(`inputs/${task.id}`, Buffer.from('abc'));
    await store.claim(task.id, 'w', clock.now() + 1000);
    await blobs.put(`results/${task.id}.txt`, Buffer.from('text'));
    await store.update(task.id, 'w', { state: TaskState.Succeeded, resultKey: `results/${task.id}.txt` });
    const sweeper = new Sweeper({ store, blobs, clock, resultTtlSeconds: 60 });
    assert.equal((await sweeper.sweepOnce()).results, 0);
    assert.ok(await blobs.stat(`results/${task.id}.txt`), 'a live result stays');
    clock.advance(61_000);
    assert.equal((await sweeper.sweepOnce()).results, 1);
    assert.equal(await blobs.stat(`results/${task.id}.txt`), undefined);
    assert.equal(await blobs.stat(`inputs/${task.id}`), undefined, 'the ended task\'s upload is gone too');
    assert.equal((await store.get(task.id))?.resultKey, undefined);
  });
});
