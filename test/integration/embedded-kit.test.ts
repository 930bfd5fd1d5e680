/**
 * The embedded kit's start of its only worker: every task left working by a killed process is
 * recovered at once (its lease need not run out), and the in-memory queue is refilled.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openEmbeddedKit } from '../../src/composition/kits/embedded.js';
import { loadConfig } from '../../src/config/index.js';
import { createLogger } from '../../src/platform/logger.js';
import { systemClock } from '../../src/ports/clock.js';
import { makeKey, makeTask } from '../contract/task-store.suite.js';

test('the embedded kit recovers every working task and refills its queue before its worker starts', async () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'docr-kit-'));
  const config = loadConfig({}, ['--data-dir', dataDir, '--workers', '1']);
  const log = createLogger('silent');
  const kit = openEmbeddedKit(config, { clock: systemClock, log });
  const key = makeKey({ credits: 5 });
  await kit.store.createKey(key);
  const queued = makeTask(key.id, Date.now());
  const orphan = makeTask(key.id, Date.now());
  await kit.store.insertCharged(queued);
  await kit.store.insertCharged(orphan);
  assert.ok(await kit.store.claim(orphan.id, 'killed-process', Date.now() + 60_000), 'its lease runs for another minute');

  await kit.prepareWorker!({ store: kit.store, blobs: kit.blobs, queue: kit.queue, clock: systemClock, log, owner: 'w-new', leaseMs: 30_000, maxAttempts: 3 });
  assert.equal((await kit.store.get(orphan.id))?.state, 0, 're-queued at once');
  assert.equal((await kit.store.get(orphan.id))?.attempts, 1);
  assert.equal(await kit.queue.size(), 2, 'both tasks are in the queue');
  await kit.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});
