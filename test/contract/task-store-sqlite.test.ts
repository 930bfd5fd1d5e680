import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createSqliteTaskStore } from '../../src/adapters/task-store-sqlite/index.js';
import { TaskState } from '../../src/domain/task-state.js';
import { describeTaskStore, makeKey, makeTask, ManualClock } from './task-store.suite.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'docr-store-'));
after(() => fs.rmSync(dir, { recursive: true, force: true }));
let n = 0;

describeTaskStore('sqlite (file, WAL)', async (clock) => createSqliteTaskStore({ path: path.join(dir, `t${n++}.db`), clock }));
describeTaskStore('sqlite (memory)', async (clock) => createSqliteTaskStore({ path: ':memory:', clock }));

describe('sqlite peek (the polling path\'s read)', () => {
  it('gives the same record while the task is unchanged, and a fresh one after a write from this or another connection', async () => {
    const file = path.join(dir, `peek${n++}.db`);
    const clock = new ManualClock();
    const store = createSqliteTaskStore({ path: file, clock });
    const other = createSqliteTaskStore({ path: file, clock }); // another process sharing the file, as `docr keys` does
    try {
      const key = makeKey();
      await store.createKey(key);
      const t = makeTask(key.id, clock.now());
      await store.insertCharged(t);
      const first = await store.peek!(t.id);
      assert.deepEqual(first, t);
      assert.equal(await store.peek!(t.id), first);

      const claimed = await store.claim(t.id, 'w1', clock.now() + 60_000);
      const second = await store.peek!(t.id);
      assert.notEqual(second, first);
      assert.deepEqual(second, claimed);
      assert.equal(first!.state, TaskState.Queued); // the record handed out earlier is not changed under its holder

      assert.equal(await other.update(t.id, 'w1', { state: TaskState.Processing, progress: 40 }), true);
      const third = await store.peek!(t.id);
      assert.notEqual(third, second);
      assert.equal(third!.state, TaskState.Processing);
      assert.equal(third!.progress, 40);
      assert.equal(await store.peek!('no-such-task'), undefined);
    } finally {
      await store.close();
      await other.close();
    }
  });
});
