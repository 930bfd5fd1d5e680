import assert from 'node:assert/strict';
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import { DocrError } from '../../src/domain/errors.js';
import { TaskState } from '../../src/domain/task-state.js';
import { createPool, createPostgresTaskStore, migrate } from '../../src/adapters/task-store-postgres/index.js';
import { createTestDatabase } from '../fixtures/scaled-services.js';
import { describeTaskStore, makeKey, makeTask, ManualClock } from './task-store.suite.js';

let db: Awaited<ReturnType<typeof createTestDatabase>>;
before(async () => {
  db = await createTestDatabase();
  const pool = createPool(db.url, 1);
  await migrate(pool);
  await pool.end();
});
after(async () => { await db.drop(); });

describeTaskStore('postgres', async (clock) => {
  const store = createPostgresTaskStore({ connectionString: db.url, clock });
  await store.pool.query('TRUNCATE tasks, api_keys'); // each case starts from an empty store, as SQLite's get a new file
  return store;
});

// Beyond the shared contract: what only a store shared by several processes can get wrong.
// A worker's writes start from the version it last wrote (one round trip); these check that
// another node's write in between is never overwritten, and that charges stay exact when
// creates race on two nodes.
describe('TaskStore postgres: two nodes on one database', () => {
  let a: ReturnType<typeof createPostgresTaskStore>;
  let b: ReturnType<typeof createPostgresTaskStore>;
  let clock: ManualClock;
  beforeEach(async () => {
    clock = new ManualClock();
    a = createPostgresTaskStore({ connectionString: db.url, clock });
    b = createPostgresTaskStore({ connectionString: db.url, clock });
    await a.pool.query('TRUNCATE tasks, api_keys');
  });
  afterEach(async () => { await a.close(); await b.close(); });

  /** A task created and claimed by worker w1 through node A, its lease running `leaseMs`. */
  async function claimedOnA(leaseMs: number) {
    const key = makeKey({ credits: 5 });
    await a.createKey(key);
    const t = makeTask(key.id, clock.now());
    await a.insertCharged(t);
    assert.ok(await a.claim(t.id, 'w1', clock.now() + leaseMs));
    return t;
  }

  it('a write made on another node in between is kept, and a cancel there is seen here', async () => {
    const t = await claimedOnA(30_000);
    assert.equal(await a.update(t.id, 'w1', { progress: 10 }), true);
    // The same lease holder writes through node B (its lease renewal, say): A's copy is now old.
    assert.equal(await b.update(t.id, 'w1', { pagesTotal: 3, leaseUntil: clock.now() + 60_000 }), true);
    assert.equal(await a.update(t.id, 'w1', { progress: 20 }), true);
    const both = await b.get(t.id);
    assert.equal(both?.pagesTotal, 3, "B's write survives A's next write");
    assert.equal(both?.leaseUntil, clock.now() + 60_000);
    assert.equal(both?.progress, 20);
    // A client's cancel on node B: the worker's next write on A is refused, and the task stays cancelled.
    await b.cancel(t.id, 'cancelled by the owner');
    assert.equal(await a.update(t.id, 'w1', { progress: 30 }), false);
    assert.equal((await a.get(t.id))?.state, TaskState.Cancelled);
  });

  it('a refusal is decided on the current record, not on an old copy', async () => {
    const t = await claimedOnA(1000);
    // w1's lease runs out and w2 claims through B: w2's writes through A succeed, although
    // A's own copy (from w1's claim) says w1 holds the task...
    clock.advance(2000);
    assert.ok(await b.claim(t.id, 'w2', clock.now() + 30_000));
    assert.equal(await a.update(t.id, 'w2', { progress: 50 }), true);
    // ...and w1's are refused.
    assert.equal(await a.update(t.id, 'w1', { progress: 60 }), false);
    const now = await b.get(t.id);
    assert.equal(now?.leaseOwner, 'w2');
    assert.equal(now?.progress, 50);
  });

  it('creates racing on two nodes take exactly the credits there are', async () => {
    const key = makeKey({ credits: 10 });
    await a.createKey(key);
    const results = await Promise.allSettled(Array.from({ length: 30 }, (_, i) => (i % 2 ? a : b).insertCharged(makeTask(key.id, clock.now()))));
    const created = results.filter((r) => r.status === 'fulfilled');
    assert.equal(created.length, 10);
    assert.ok(results.every((r) => r.status === 'fulfilled' || (r.reason instanceof DocrError && r.reason.code === 'INSUFFICIENT_CREDITS')));
    assert.deepEqual(created.map((r) => (r as PromiseFulfilledResult<{ creditsLeft?: number }>).value.creditsLeft).sort((x, y) => x! - y!), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    assert.equal((await a.getKey(key.id))?.credits, 0);
    assert.equal(Number((await a.pool.query('SELECT count(*) AS n FROM tasks')).rows[0].n), 10);
  });
});
