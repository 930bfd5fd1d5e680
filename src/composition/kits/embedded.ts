/**
 * The embedded kit (SPEC §6, the default): SQLite for tasks and keys, the local disk for
 * files, an in-process queue, all under the data dir. One process owns it (`docr serve`);
 * `docr keys` may open the same database meanwhile (SQLite in WAL mode).
 */
import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { createFsBlobStore } from '../../adapters/blob-store-fs/index.js';
import { createLocalJobQueue } from '../../adapters/job-queue-local/index.js';
import { createSqliteTaskStore } from '../../adapters/task-store-sqlite/index.js';
import type { DocrConfig } from '../../config/index.js';
import { createSecretBox } from '../../platform/secret-box.js';
import { systemClock, type Clock } from '../../ports/clock.js';
import type { TaskStore } from '../../ports/task-store.js';
import { recoverExpiredLeases, requeueForgotten, type RecoverEnv } from '../../worker/index.js';
import type { Kit, KitEnv } from './kit.js';

/** Where embedded docr keeps its state inside the data dir. */
export function dataPaths(dataDir: string) {
  const root = path.resolve(dataDir);
  return {
    root,
    database: path.join(root, 'docr.db'),
    blobs: path.join(root, 'blobs'),
    work: path.join(root, 'work'),
    urlSecret: path.join(root, 'url-signing.key'),
  };
}

export function openEmbeddedStore(config: Pick<DocrConfig, 'dataDir'>, clock: Clock = systemClock): TaskStore {
  return createSqliteTaskStore({ path: dataPaths(config.dataDir).database, clock });
}

export function openEmbeddedKit(config: DocrConfig, env: KitEnv): Kit {
  const paths = dataPaths(config.dataDir);
  fs.mkdirSync(paths.root, { recursive: true });
  const store = openEmbeddedStore(config, env.clock);
  const queue = createLocalJobQueue();
  const secret = urlSecretOf(config);
  return {
    store, queue,
    blobs: createFsBlobStore(paths.blobs),
    urlSecret: secret,
    secrets: createSecretBox(secret),
    prepareWorker: (recover) => prepareSoleWorker(recover),
    async check() {
      try { await store.listQueued(1); return { store: true }; } catch { return { store: false }; }
    },
    close: () => store.close(),
  };
}

/**
 * The start of the store's only worker: every task left in a working state belongs to a dead
 * process whatever its lease says (none waits for its lease to run out), and the in-memory
 * queue starts empty, so every queued task goes back into it.
 */
export async function prepareSoleWorker(env: RecoverEnv): Promise<void> {
  await recoverExpiredLeases(env, Number.MAX_SAFE_INTEGER);
  const n = await requeueForgotten(env);
  if (n > 0) env.log.info('queued tasks picked up after start', { count: n });
}

/** The result-URL secret: the configured one, else one generated once and kept (0600) in the data dir, so URLs survive restarts. */
export function urlSecretOf(config: Pick<DocrConfig, 'dataDir' | 'urlSecret'>): string {
  if (config.urlSecret) return config.urlSecret;
  const file = dataPaths(config.dataDir).urlSecret;
  try { return fs.readFileSync(file, 'utf8').trim(); } catch { /* first start */ }
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const secret = randomBytes(32).toString('hex');
  try {
    fs.writeFileSync(file, secret, { mode: 0o600, flag: 'wx' });
    return secret;
  } catch {
    return fs.readFileSync(file, 'utf8').trim(); // another process wrote it first
  }
}
