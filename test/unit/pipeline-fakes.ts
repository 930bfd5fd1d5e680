/**
 * Test doubles for the layer below the pipeline (normaliser, recognizer, renderer, layout,
 * fetcher), plus a real SQLite TaskStore and fs BlobStore in a temp dir. Used by the
 * pipeline and worker tests only.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createFsBlobStore } from '../../src/adapters/blob-store-fs/index.js';
import { createSqliteTaskStore } from '../../src/adapters/task-store-sqlite/index.js';
import type { OutputFormat } from '../../src/contract/formats.js';
import { DocrError } from '../../src/domain/errors.js';
import type { Page } from '../../src/domain/ocr-tree.js';
import { createLogger } from '../../src/platform/logger.js';
import type { PipelineDeps, PipelineLimits } from '../../src/pipeline/index.js';
import type { BlobStore } from '../../src/ports/blob-store.js';
import type { Clock } from '../../src/ports/clock.js';
import type { NormalisedDocument, NormalisedPage, Normaliser } from '../../src/ports/normaliser.js';
import type { PageImage, Recognizer, RecognizeOptions } from '../../src/ports/ocr-engine.js';
import type { Renderer } from '../../src/ports/renderer.js';
import type { SourceFetcher } from '../../src/ports/source-fetcher.js';
import type { TaskPatch, TaskRecord, TaskStore } from '../../src/ports/task-store.js';

export const silentLog = createLogger('silent');

export function textPage(index: number, text: string, source: Page['source'] = 'ocr'): Page {
  const box = { x: 10, y: 10, w: 100, h: 20 };
  return {
    index, width: 200, height: 300, dpi: 300, rotation: 0, source, warnings: [],
    blocks: text ? [{ kind: 'text', box, lines: [{ text, box, confidence: 0.9, words: [{ text, box, confidence: 0.9 }] }] }] : [],
  };
}

const image = (index: number): PageImage => ({ data: Buffer.from(`img${index}`), width: 200, height: 300, dpi: 300, index });

/** Pages: 'ocr' needs recognition; 'text' comes from a text layer; 'hang' never finishes rendering. */
export function fakeNormaliser(pages: Array<'ocr' | 'text' | 'hang'>, opts: { fail?: DocrError; pdfPath?: string } = {}): Normaliser & { closed: number } {
  const n = {
    closed: 0,
    async open(): Promise<NormalisedDocument> {
      if (opts.fail) throw opts.fail;
      return {
        kind: 'pdf', pageCount: pages.length, pdfPath: opts.pdfPath,
        async *pages(): AsyncIterable<NormalisedPage> {
          for (const [i, kind] of pages.entries()) {
            const index = i + 1;
            if (kind === 'hang') await new Promise(() => {});
            yield kind === 'text'
              ? { index, textPage: textPage(index, `layer ${index}`, 'text-layer'), renderImage: async () => image(index) }
              : { index, image: image(index), renderImage: async () => image(index) };
          }
        },
        close: async () => { n.closed += 1; },
      };
    },
  };
  return n;
}

/** Reads "page N" unless `behaviour(index)` says otherwise: a string is the text, an Error is thrown, 'hang' never answers. */
export function fakeRecognizer(behaviour: (index: number) => string | Error | 'hang' = (i) => `page ${i}`): Recognizer & { calls: number[] } {
  const r = {
    calls: [] as number[],
    async recognize(img: PageImage, _o: RecognizeOptions): Promise<Page> {
      r.calls.push(img.index);
      const b = behaviour(img.index);
      if (b === 'hang') return new Promise<Page>(() => {});
      if (b instanceof Error) throw b;
      return textPage(img.index, b);
    },
    route: () => 'fake',
    close: async () => {},
  };
  return r;
}

/** Renders the text of every page, one per line, and records what it was given. */
export function fakeRenderer(format: OutputFormat = 'txt', fail?: Error): Renderer & { seen: { warnings: string[][]; images: number[]; sourcePdf: boolean } } {
  const seen = { warnings: [] as string[][], images: [] as number[], sourcePdf: false };
  return {
    format, seen,
    async render(input) {
      if (fail) throw fail;
      seen.warnings = input.doc.pages.map((p) => p.warnings);
      seen.sourcePdf = input.sourcePdf !== undefined;
      for (const p of input.doc.pages) if (p.source === 'ocr') seen.images.push((await input.pageImage(p.index)).index);
      return Buffer.from(input.doc.pages.map((p) => p.blocks.flatMap((b) => b.lines.map((l) => l.text)).join(' ')).join('\n'));
    },
  };
}

export const fakeFetcher = (behaviour: Error | string): SourceFetcher => ({
  async fetch(_url, toPath) {
    if (behaviour instanceof Error) throw behaviour;
    await writeFile(toPath, behaviour);
    return Buffer.byteLength(behaviour);
  },
});

export class ManualClock implements Clock {
  constructor(public t = 1_800_000_000_000) {}
  now(): number { return this.t; }
  advance(ms: number): void { this.t += ms; }
}

export interface Env {
  dir: string;
  store: TaskStore;
  blobs: BlobStore;
  clock: Clock;
  /** Every patch written, in order (progress monotonicity, state sequence). */
  patches: TaskPatch[];
  deps(over?: Partial<PipelineDeps>): PipelineDeps;
  limits(over?: Partial<PipelineLimits>): PipelineLimits;
  /** Inserts a queued upload task (its input stored under inputs/<id>) and returns it. */
  addTask(over?: Partial<TaskRecord>): Promise<TaskRecord>;
  close(): Promise<void>;
}

let seq = 0;

export async function createEnv(clock: Clock = { now: () => Date.now() }): Promise<Env> {
  const dir = await mkdtemp(join(tmpdir(), 'docr-pipeline-'));
  const real = createSqliteTaskStore({ path: join(dir, 'tasks.db'), clock });
  const patches: TaskPatch[] = [];
  const store: TaskStore = { ...real, update: async (id, owner, patch) => { patches.push(patch); return real.update(id, owner, patch); } };
  const blobs = createFsBlobStore(join(dir, 'blobs'));
  await store.createKey({ id: 'k1', name: 't', hash: 'h1', webhookSecret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', credits: 1000, qps: 2, disabled: false, createdAt: clock.now() });
  return {
    dir, store, blobs, clock, patches,
    deps: (over = {}) => ({
      store, blobs, clock, log: silentLog, normaliser: fakeNormaliser(['ocr']), recognizer: fakeRecognizer(),
      renderers: (f) => fakeRenderer(f), fetcher: fakeFetcher('bytes'), analyseLayout: async (p) => p, ...over,
    }),
    limits: (over = {}) => ({ processingTimeoutMs: 10_000, urlMaxBytes: 30 << 20, workRoot: join(dir, 'work'), ...over }),
    async addTask(over = {}) {
      const id = `task-${++seq}-${Math.random().toString(36).slice(2)}`;
      await blobs.put(`inputs/${id}`, Buffer.from('input bytes'));
      const task: TaskRecord = {
        id, keyId: 'k1', state: 0, progress: 0, createdAt: clock.now(), attempts: 0,
        source: { kind: 'upload', blobKey: `inputs/${id}`, size: 11 },
        options: { languages: ['English'], format: 'txt', sync: false }, ...over,
      };
      await store.insertCharged(task);
      return task;
    },
    close: async () => { await real.close(); await rm(dir, { recursive: true, force: true }); },
  };
}
