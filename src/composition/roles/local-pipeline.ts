/**
 * The local role's pipeline (local.ts starts it, after the engine): the whole task pipeline in
 * this process for one-shot runs (`docr ocr`), with no server, no key and nothing kept: an
 * in-memory task store and a temporary blob dir removed on close. Every input kind and output
 * format the API takes, through the same runTask, so a local result is what the service would
 * have returned.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { buffer } from 'node:stream/consumers';
import { createFsBlobStore } from '../../adapters/blob-store-fs/index.js';
import { createSqliteTaskStore } from '../../adapters/task-store-sqlite/index.js';
import type { OutputFormat } from '../../contract/formats.js';
import { DocrError, ERROR_CATALOGUE, type ErrorCode } from '../../domain/errors.js';
import { TaskState } from '../../domain/task-state.js';
import { createNormaliser } from '../../normalisers/index.js';
import { runTask, type PipelineDeps } from '../../pipeline/index.js';
import { createLogger } from '../../platform/logger.js';
import { createGuardedFetcher } from '../../platform/outbound-guard/index.js';
import { createSecretBox } from '../../platform/secret-box.js';
import { systemClock } from '../../ports/clock.js';
import type { Recognizer } from '../../ports/ocr-engine.js';
import { createRenderers } from '../../renderers/index.js';

export interface LocalJob {
  input: string;
  languages: string[];
  format: OutputFormat;
  password?: string;
  /** Page ranges, "1-3,5" (already validated). */
  pages?: string;
  /** Told when the page count is known and as each page is done (the CLI's progress bar). */
  onProgress?(pagesDone: number, pagesTotal: number): void;
}

export interface LocalResult {
  bytes: Buffer;
  filePages?: number;
  ocrPages?: number;
}

export interface LocalDocr {
  /** Reads one file; throws the DocrError the task ended with. Safe to call concurrently. */
  run(job: LocalJob): Promise<LocalResult>;
  /** Which engine reads this language set. */
  route(languages: readonly string[]): string;
  close(): Promise<void>;
}

const OWNER = 'local';
/** A local run has no client waiting on the reference's 180 s: only a generous guard against hangs. */
const LOCAL_TIMEOUT_MS = 30 * 60_000;

/** The pipeline around a recognizer that is already starting; closing the result closes the recognizer too. */
export async function startLocalPipeline(recognizer: Recognizer, options: { processingTimeoutMs?: number } = {}): Promise<LocalDocr> {
  const root = await mkdtemp(path.join(tmpdir(), 'docr-local-'));
  const log = createLogger('warn');
  // The normaliser, renderers and fetcher as modules.ts builds them, without the extras a server
  // shares (its metrics registry and callback notifier: prom-client and zod, ~0.1 s of imports).
  const normaliser = createNormaliser();
  const store = createSqliteTaskStore({ path: ':memory:' });
  // Page progress reaches the caller through the task's own progress writes.
  const watchers = new Map<string, NonNullable<LocalJob['onProgress']>>();
  const update = store.update.bind(store);
  store.update = async (id, owner, patch) => {
    const ok = await update(id, owner, patch);
    const watch = watchers.get(id);
    if (ok && watch && patch.pagesTotal !== undefined) watch(patch.pagesDone ?? 0, patch.pagesTotal);
    else if (ok && watch && patch.pagesDone !== undefined) watch(patch.pagesDone, (await store.get(id))?.pagesTotal ?? patch.pagesDone);
    return ok;
  };
  await store.createKey({ id: OWNER, name: OWNER, hash: OWNER, webhookSecret: '', credits: Number.MAX_SAFE_INTEGER, qps: Infinity, disabled: false, createdAt: Date.now() });
  const blobs = createFsBlobStore(path.join(root, 'blobs'));
  // The in-memory store dies with the run: a key of its own, never written anywhere, is enough.
  const secrets = createSecretBox(randomBytes(32).toString('hex'));
  const deps: PipelineDeps = {
    store, blobs, recognizer, normaliser, renderers: createRenderers(), secrets,
    fetcher: createGuardedFetcher({}), clock: systemClock, log,
  };
  const limits = { processingTimeoutMs: options.processingTimeoutMs ?? LOCAL_TIMEOUT_MS, urlMaxBytes: 30 * 1024 * 1024, workRoot: path.join(root, 'work') };

  return {
    route: (languages) => recognizer.route(languages),
    async run(job) {
      const id = randomUUID();
      const blobKey = `inputs/${id}`;
      let size: number;
      try {
        size = await blobs.put(blobKey, createReadStream(job.input));
      } catch (e) {
        throw new DocrError('INVALID_FILE', `Cannot read ${job.input}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}.`, { file: job.input });
      }
      await store.insertCharged({
        id, keyId: OWNER, state: TaskState.Queued, progress: 0, createdAt: Date.now(), attempts: 0, inputSize: size,
        source: { kind: 'upload', blobKey, size, filename: path.basename(job.input) },
        options: {
          languages: job.languages, format: job.format, pages: job.pages, sync: false,
          sealedPassword: job.password === undefined ? undefined : secrets.seal(job.password, id),
        },
      });
      const claimed = await store.claim(id, OWNER, Date.now() + LOCAL_TIMEOUT_MS);
      if (!claimed) throw new DocrError('INTERNAL', 'The local task could not be started.');
      if (job.onProgress) watchers.set(id, job.onProgress);
      try {
        await runTask({ task: claimed, owner: OWNER, deps, limits, signal: new AbortController().signal });
      } finally {
        watchers.delete(id);
      }
      const done = await store.get(id);
      if (done?.state !== TaskState.Succeeded || !done.resultKey) {
        const code = (done?.errorCode ?? 'INTERNAL') in ERROR_CATALOGUE ? (done?.errorCode ?? 'INTERNAL') as ErrorCode : 'INTERNAL';
        throw new DocrError(code, done?.errorMessage ?? 'Processing failed.');
      }
      const stream = await blobs.get(done.resultKey);
      const bytes = stream ? await buffer(stream) : Buffer.alloc(0);
      await blobs.delete(done.resultKey);
      return { bytes, filePages: done.filePages, ocrPages: done.ocrPages };
    },
    async close() {
      await recognizer.close();
      await normaliser.close();
      await store.close();
      await rm(root, { recursive: true, force: true });
    },
  };
}
