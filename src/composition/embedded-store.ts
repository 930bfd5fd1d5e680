/**
 * Embedded mode's on-disk state: where it lives in the data dir, the SQLite store, and the
 * result-URL secret. Split from embedded.ts so that `docr keys` opens the database without
 * loading engines.
 */
import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { createSqliteTaskStore } from '../adapters/task-store-sqlite/index.js';
import type { DocrConfig } from '../config/index.js';
import { systemClock, type Clock } from '../ports/clock.js';
import type { TaskStore } from '../ports/task-store.js';

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
